from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "attesta.candidates"
    verbose_name = "Candidats"
