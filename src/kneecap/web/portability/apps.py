from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "kneecap.web.portability"
    label = "portability"
