from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kneecap.db.accounts"
    label = "accounts"
    verbose_name = "Accounts"
