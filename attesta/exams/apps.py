from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "attesta.exams"
    verbose_name = "Sessions d'examen"
