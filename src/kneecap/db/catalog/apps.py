from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kneecap.db.catalog"
    label = "catalog"
