from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "attesta.evaluation"
    verbose_name = "Évaluation"
