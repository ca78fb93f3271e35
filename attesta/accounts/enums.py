from django.db import models


class OrganisationKind(models.TextChoices):
    CERTIFIER = "certifier", "Certificateur"
    EXAM_CENTRE = "exam_centre", "Centre d'examen"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrateur"
    SESSION_MANAGER = "session_manager", "Responsable de session"
    ASSESSOR = "assessor", "Membre du jury"
    DISABILITY_REFERENT = "disability_referent", "Référent handicap"
    CANDIDATE = "candidate", "Candidat"


# Who runs their centre's exam sessions: plans them, reads their results and documents.
SESSION_MANAGERS = frozenset({Role.ADMINISTRATOR, Role.SESSION_MANAGER})

# Who may load and publish référentiels for their organisation.
REFERENTIEL_EDITORS = frozenset({Role.ADMINISTRATOR, Role.SESSION_MANAGER})
