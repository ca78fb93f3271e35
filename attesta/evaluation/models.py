"""Jury assessment records: each assessor's criterion marks, the jury's criterion exemptions and
competency decisions. Exemptions and decisions are append-only; a correction is a new decision
that supersedes the old one. Writes go through ``attesta.evaluation.services``."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from attesta.evaluation import enums
from attesta.evaluation.enums import MarkChoice
from attesta.exams.models import ExamSession, SessionCandidate

_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Bulk updates and deletes are refused: these rows are kept as written."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError("Ces enregistrements ne se modifient pas.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("Ces enregistrements ne se suppriment pas.")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(
                f"{self._meta.verbose_name} : enregistrement définitif, non modifiable."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self._meta.verbose_name} : enregistrement définitif, non supprimable.")


class CriterionMark(models.Model):
    """One assessor's mark on one criterion of one method, for one candidate. ``version``
    counts the saves: an edit based on an older version is refused (optimistic locking)."""

    seat = models.ForeignKey(
        SessionCandidate,
        verbose_name="candidat de la session",
        on_delete=models.PROTECT,
        related_name="criterion_marks",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="évaluateur",
        on_delete=models.PROTECT,
        related_name="criterion_marks",
    )
    method_index = models.PositiveSmallIntegerField("modalité")
    criterion_key = models.CharField("critère", max_length=60)
    mark = models.CharField("appréciation", max_length=20, choices=MarkChoice.choices)
    comment = models.TextField("commentaire", blank=True)
    version = models.PositiveIntegerField("version", default=1)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        ordering = ["seat", "method_index", "assessor", "id"]
        verbose_name = "appréciation d'un critère"
        verbose_name_plural = "appréciations des critères"
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "assessor", "method_index", "criterion_key"],
                name="one_mark_per_assessor_and_criterion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_key} : {self.get_mark_display()}"


class ExemptionQuerySet(AppendOnlyQuerySet["CriterionExemption"]):
    pass


class CriterionExemption(AppendOnly):
    """The jury exempts the candidate from a criterion, on the disability referent's opinion."""

    seat = models.ForeignKey(
        SessionCandidate,
        verbose_name="candidat de la session",
        on_delete=models.PROTECT,
        related_name="criterion_exemptions",
    )
    criterion_key = models.CharField("critère", max_length=60)
    referent_opinion = models.TextField("avis motivé du référent handicap", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="président du jury",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidée le", auto_now_add=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "criterion_key", "id"]
        verbose_name = "dispense de critère"
        verbose_name_plural = "dispenses de critères"
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "criterion_key"], name="one_exemption_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"Dispense {self.criterion_key}"


class DecisionQuerySet(AppendOnlyQuerySet["CompetencyDecision"]):
    def current(self) -> DecisionQuerySet:
        """The decisions no correction has superseded."""
        return self.filter(superseded_by__isnull=True)


class CompetencyDecision(AppendOnly):
    """The jury's decision on one competency of a candidate. Never edited nor deleted: a
    correction is a new row that ``supersedes`` this one, with its reason."""

    seat = models.ForeignKey(
        SessionCandidate,
        verbose_name="candidat de la session",
        on_delete=models.PROTECT,
        related_name="competency_decisions",
    )
    competency_code = models.CharField("compétence", max_length=30)
    acquired = models.BooleanField("acquise")
    justification = models.TextField("justification", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("décidée le", auto_now_add=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="remplace",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    reason = models.TextField("motif de la correction", blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "competency_code", "decided_at", "id"]
        verbose_name = "décision sur une compétence"
        verbose_name_plural = "décisions sur les compétences"
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(reason=""),
                name="correction_states_its_reason",
            )
        ]

    def __str__(self) -> str:
        state = "acquise" if self.acquired else "non acquise"
        return f"{self.competency_code} : {state}"


class ConditionQuerySet(AppendOnlyQuerySet["ConditionFinding"]):
    def current(self) -> ConditionQuerySet:
        return self.filter(superseded_by__isnull=True)


class ConditionFinding(AppendOnly):
    """The jury's finding on a condition besides competencies (``rules.conditions_for``: the
    final interview held, the dossier and company period found satisfactory, …). Kept as
    written; a later finding supersedes it, with a reason once the minutes are drawn up."""

    seat = models.ForeignKey(
        SessionCandidate,
        verbose_name="candidat de la session",
        on_delete=models.PROTECT,
        related_name="condition_findings",
    )
    condition_key = models.CharField("condition", max_length=300)
    met = models.BooleanField("remplie")
    note = models.TextField("observation", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="constatée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("constatée le", auto_now_add=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="remplace",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    reason = models.TextField("motif de la correction", blank=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "condition_key", "decided_at", "id"]
        verbose_name = "constat d'une condition"
        verbose_name_plural = "constats des conditions"

    def __str__(self) -> str:
        return f"{self.condition_key} : {'remplie' if self.met else 'non remplie'}"


class AttendanceQuerySet(AppendOnlyQuerySet["AttendanceRecord"]):
    pass


class AttendanceRecord(AppendOnly):
    """Whether the candidate sat the session; the latest record counts. No record: present."""

    seat = models.ForeignKey(
        SessionCandidate,
        verbose_name="candidat de la session",
        on_delete=models.PROTECT,
        related_name="attendance_records",
    )
    status = models.CharField("présence", max_length=10, choices=enums.Attendance.choices)
    reason = models.TextField("motif", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "recorded_at", "id"]
        verbose_name = "présence"
        verbose_name_plural = "présences"

    def __str__(self) -> str:
        return self.get_status_display()


class MinutesQuerySet(AppendOnlyQuerySet["Minutes"]):
    pass


class Minutes(AppendOnly):
    """The procès-verbal de délibération of a session, as drawn up: its content (candidates,
    decisions, blocks and title) is frozen here with its SHA-256, which each jury member
    signs. A correction after signature leads to a new revision, with its reason."""

    session = models.ForeignKey(
        ExamSession, verbose_name="session", on_delete=models.PROTECT, related_name="minutes"
    )
    revision = models.PositiveSmallIntegerField("révision")
    content = models.JSONField("contenu")
    content_hash = models.CharField("empreinte SHA-256", max_length=64)
    reason = models.TextField("motif de la révision", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="établi par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField("établi le", auto_now_add=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        ordering = ["session", "-revision"]
        verbose_name = "procès-verbal de délibération"
        verbose_name_plural = "procès-verbaux de délibération"
        constraints = [
            models.UniqueConstraint(fields=["session", "revision"], name="one_minutes_revision"),
            models.CheckConstraint(
                condition=Q(revision=1) | ~Q(reason=""), name="minutes_revision_states_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"PV {self.session} (révision {self.revision})"


class SignatureQuerySet(AppendOnlyQuerySet["MinutesSignature"]):
    pass


class MinutesSignature(AppendOnly):
    """A jury member's authenticated confirmation of the minutes whose hash they were shown."""

    minutes = models.ForeignKey(
        Minutes, verbose_name="procès-verbal", on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="signataire",
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField("nom du signataire", max_length=300)
    president = models.BooleanField("président du jury", default=False)
    content_hash = models.CharField("empreinte signée", max_length=64)
    signed_at = models.DateTimeField("signé le", auto_now_add=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "signed_at", "id"]
        verbose_name = "signature du procès-verbal"
        verbose_name_plural = "signatures des procès-verbaux"
        constraints = [
            models.UniqueConstraint(fields=["minutes", "signer"], name="one_signature_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.signed_at:%d/%m/%Y %H:%M})"


def evidence_path(instance: MarkEvidence, filename: str) -> str:
    return f"evaluation/seat-{instance.seat_id}/method-{instance.method_index}/{filename}"


class EvidenceQuerySet(AppendOnlyQuerySet["MarkEvidence"]):
    pass


class MarkEvidence(AppendOnly):
    """A file an assessor attaches to a criterion of their grid (a photo of a production, a
    document the candidate handed in). Kept as attached."""

    seat = models.ForeignKey(
        SessionCandidate,
        verbose_name="candidat de la session",
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="évaluateur",
        on_delete=models.PROTECT,
        related_name="+",
    )
    method_index = models.PositiveSmallIntegerField("modalité")
    criterion_key = models.CharField("critère", max_length=60)
    file = models.FileField("fichier", upload_to=evidence_path)
    original_name = models.CharField("nom d'origine", max_length=255)
    file_kind = models.CharField("format", max_length=10)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    attached_at = models.DateTimeField("jointe le", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "method_index", "criterion_key", "attached_at", "id"]
        verbose_name = "pièce jointe à un critère"
        verbose_name_plural = "pièces jointes aux critères"

    def __str__(self) -> str:
        return f"{self.criterion_key} : {self.original_name}"
