from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "attesta.documents"
    verbose_name = "Documents"
