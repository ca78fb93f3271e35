"""Candidate vocabularies: English values, French labels, and the enrolment transition table."""

from django.db import models


class AccessPath(models.TextChoices):
    TRAINING = "training", "Parcours de formation"
    VAE = "vae", "Validation des acquis de l'expérience (VAE)"
    CAPITALISATION = "capitalisation", "Capitalisation de blocs"
    MIXED = "mixed", "Parcours mixte (formation et VAE)"


class EnrolmentStatus(models.TextChoices):
    REGISTERED = "registered", "Inscrit"
    ELIGIBLE = "eligible", "Recevable"
    NOT_ELIGIBLE = "not_eligible", "Non recevable"
    CONVENED = "convened", "Convoqué"
    ASSESSED = "assessed", "Évalué"
    DELIBERATED = "deliberated", "Délibéré"
    CLOSED = "closed", "Clos"


S = EnrolmentStatus
# Which status may follow which. Anything else is refused with a message.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.ELIGIBLE, S.NOT_ELIGIBLE}),
    S.NOT_ELIGIBLE: frozenset({S.ELIGIBLE}),
    S.ELIGIBLE: frozenset({S.NOT_ELIGIBLE, S.CONVENED}),
    S.CONVENED: frozenset({S.ELIGIBLE, S.ASSESSED}),  # back to eligible if unconvened
    S.ASSESSED: frozenset({S.DELIBERATED}),
    # Back to eligible after a partial success: the remaining blocks in a later session.
    S.DELIBERATED: frozenset({S.CLOSED, S.ELIGIBLE}),
    S.CLOSED: frozenset(),
}

# Statuses in which recevabilité may still be (re)examined.
ELIGIBILITY_REVIEWABLE = frozenset({S.REGISTERED, S.ELIGIBLE, S.NOT_ELIGIBLE})


class DocumentKind(models.TextChoices):
    COMPANY_PERIOD_PROOF = "company_period_proof", "Preuve de la période en entreprise"
    VAE_DOSSIER = "vae_dossier", "Dossier VAE (dossier professionnel ou de validation)"
    PRODUCTION = "production", "Production exigée par le référentiel"
