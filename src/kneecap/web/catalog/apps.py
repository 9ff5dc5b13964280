from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kneecap.web.catalog"
    label = "catalog"
