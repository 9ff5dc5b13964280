from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web app itself: its admin, template tags, and the stamp's signals (for now)."""

    name = "kneecap.web"
    label = "kneecap_web"

    def ready(self) -> None:
        from kneecap.application import cache

        cache.connect()
