from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "kneecap.web.training"
    label = "training"

    def ready(self) -> None:
        from kneecap.web.training import revision

        revision.connect()
