from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "attesta.credentials"
    verbose_name = "Documents délivrés"
