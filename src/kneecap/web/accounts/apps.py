from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kneecap.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
