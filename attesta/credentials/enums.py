"""Stored values of the credentials app (English values, French labels)."""

from __future__ import annotations

from django.db import models


class DocumentKind(models.TextChoices):
    GRID_BLANK = "grid_blank", "Grille d'évaluation vierge"
    GRID_FILLED = "grid_filled", "Grille d'évaluation renseignée"
    MINUTES = "minutes", "Procès-verbal de délibération"
    ATTESTATION = "attestation", "Attestation de blocs de compétences"
    CERTIFICATE = "certificate", "Certificat"
    RESULTS_SUMMARY = "results_summary", "Relevé de résultats"
    LIVRET = "livret", "Livret des blocs capitalisés"


# Documents about one candidate's result, which the candidate may download.
CANDIDATE_KINDS = frozenset(
    {
        DocumentKind.ATTESTATION,
        DocumentKind.CERTIFICATE,
        DocumentKind.RESULTS_SUMMARY,
        DocumentKind.LIVRET,
    }
)
# Working documents of the jury: the jury members of the session may download them.
JURY_KINDS = frozenset({DocumentKind.GRID_BLANK, DocumentKind.GRID_FILLED, DocumentKind.MINUTES})
# Documents drawn from a signed revision of the minutes.
RESULT_KINDS = frozenset(
    {DocumentKind.ATTESTATION, DocumentKind.CERTIFICATE, DocumentKind.RESULTS_SUMMARY}
)
