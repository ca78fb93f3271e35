from django.apps import AppConfig


class ReferentielsConfig(AppConfig):
    name = "attesta.referentiels"
    verbose_name = "Référentiels"
