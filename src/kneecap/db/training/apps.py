from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "kneecap.db.training"
    label = "training"
