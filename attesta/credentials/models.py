"""Issued documents: every PDF the application prints about a session or a candidate, kept as
issued with its verification code, the SHA-256 of what it states (its fingerprint) and of its
PDF. Append-only: a changed content is a new document, the earlier one shows as replaced on
the public verification page. Written by ``attesta.credentials.services.issue`` only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from attesta.accounts.enums import SESSION_MANAGERS
from attesta.candidates.models import Candidate
from attesta.credentials.enums import CANDIDATE_KINDS, JURY_KINDS, DocumentKind
from attesta.evaluation.models import AppendOnly, AppendOnlyQuerySet, Minutes
from attesta.exams.models import ExamSession, SessionCandidate


class IssuedDocumentQuerySet(AppendOnlyQuerySet["IssuedDocument"]):
    def visible_to(self, user: Any) -> IssuedDocumentQuerySet:
        """Documents the user may download: the session's organisation managers see every
        document of its sessions and its candidates' livrets; a jury member the grids and
        minutes of the sessions they sit on; a candidate their own results and livret."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role in SESSION_MANAGERS and user.organisation_id is not None:
            return self.filter(
                models.Q(session__organisation_id=user.organisation_id)
                | models.Q(session__isnull=True, candidate__organisation_id=user.organisation_id)
            )
        if user.role == "assessor":
            return self.filter(kind__in=JURY_KINDS, session__jury__user=user).distinct()
        if user.role == "candidate":
            return self.filter(kind__in=CANDIDATE_KINDS, candidate__user=user)
        return self.none()


def document_path(instance: IssuedDocument, filename: str) -> str:
    return f"credentials/{instance.kind}/{filename}"


class IssuedDocument(AppendOnly):
    kind = models.CharField("nature", max_length=20, choices=DocumentKind.choices)
    code = models.CharField("code de vérification", max_length=14, unique=True)
    fingerprint = models.CharField("empreinte du contenu (SHA-256)", max_length=64, unique=True)
    statement = models.JSONField(
        "ce que la vérification publique affiche",
        help_text="Rien de plus que ce que le document imprime.",
    )
    pdf = models.FileField("PDF", upload_to=document_path)
    pdf_sha256 = models.CharField("empreinte du PDF (SHA-256)", max_length=64)
    session = models.ForeignKey(
        ExamSession,
        verbose_name="session",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    seat = models.ForeignKey(
        SessionCandidate,
        verbose_name="candidat de la session",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name="candidat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    method_index = models.PositiveSmallIntegerField("modalité", null=True, blank=True)
    minutes = models.ForeignKey(
        Minutes,
        verbose_name="révision du procès-verbal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    issued_at = models.DateTimeField("délivré le", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="délivré par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "document délivré"
        verbose_name_plural = "documents délivrés"
        indexes = [models.Index(fields=["kind", "session", "seat"], name="issued_document_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"
