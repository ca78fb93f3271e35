from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "attesta.api"
    verbose_name = "API"
