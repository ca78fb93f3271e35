from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "attesta.accounts"
    verbose_name = "Comptes"
