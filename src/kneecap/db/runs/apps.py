from django.apps import AppConfig


class RunsConfig(AppConfig):
    name = "kneecap.db.runs"
    label = "runs"
