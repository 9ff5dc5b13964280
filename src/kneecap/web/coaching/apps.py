from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "kneecap.web.coaching"
    label = "coaching"
