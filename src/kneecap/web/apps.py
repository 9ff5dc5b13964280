from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web app itself: its admin and template tags."""

    name = "kneecap.web"
    label = "kneecap_web"
