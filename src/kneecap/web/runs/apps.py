from django.apps import AppConfig


class RunsConfig(AppConfig):
    name = "kneecap.web.runs"
    label = "runs"
