"""The référentiel: certification → versions → blocks → competencies → criteria, plus the
transversal competencies and the exam specifications (référentiel d'évaluation).

A version is written once by ``services.store_referentiel`` and, once published, never changes:
a new millésime is a new version. Deleting a certification or version that later records
(decisions…) point to is prevented by PROTECT on their side.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from attesta.accounts.models import Organisation
from attesta.referentiels import enums
from attesta.referentiels.rules import search_key


class PublishedVersionError(Exception):
    """Raised on any attempt to change a published version."""


class CertificationQuerySet(models.QuerySet["Certification"]):
    def visible_to(self, user: Any) -> CertificationQuerySet:
        """Certifications with at least one version the user may see."""
        versions = CertificationVersion.objects.visible_to(user)
        return self.filter(pk__in=versions.values("certification_id"))


class Certification(models.Model):
    code = models.CharField("code", max_length=40, unique=True)  # TP-00115, RNCP…, slug
    kind = models.CharField("type", max_length=30, choices=enums.choices(enums.Kind))
    acronym = models.CharField("sigle", max_length=30, blank=True)
    title = models.CharField("intitulé", max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation propriétaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["title", "code"]
        verbose_name = "certification"

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class VersionQuerySet(models.QuerySet["CertificationVersion"]):
    def visible_to(self, user: Any) -> VersionQuerySet:
        """Published versions for every signed-in user; drafts for their organisation only."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        published = Q(status=enums.VersionStatus.PUBLISHED)
        if user.organisation_id is None:
            return self.filter(published)
        return self.filter(published | Q(certification__organisation_id=user.organisation_id))

    def published(self) -> VersionQuerySet:
        return self.filter(status=enums.VersionStatus.PUBLISHED)


class CertificationVersion(models.Model):
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField("millésime", max_length=40)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=enums.VersionStatus.choices,
        default=enums.VersionStatus.DRAFT,
    )
    level = models.PositiveSmallIntegerField("niveau", null=True, blank=True)
    valid_from = models.DateField("date d'effet", null=True, blank=True)
    published_on = models.DateField("date de parution", null=True, blank=True)
    updated_on = models.DateField("date de mise à jour", null=True, blank=True)
    nsf_codes = models.JSONField("codes NSF", default=list, blank=True)
    rome_codes = models.JSONField("codes ROME", default=list, blank=True)
    formacode_codes = models.JSONField("Formacode", default=list, blank=True)
    source_filename = models.CharField("fichier source", max_length=255, blank=True)
    source_format = models.CharField("format source", max_length=30, blank=True)
    warnings = models.JSONField("avertissements d'import", default=list, blank=True)
    imported_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("importée le", auto_now_add=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "-imported_at", "-id"]
        verbose_name = "version de référentiel"
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "version"], name="unique_version_per_certification"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="published_version_has_publication_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certification.code} v{self.version} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == enums.VersionStatus.PUBLISHED:
                raise PublishedVersionError(f"{self} est publiée : elle ne peut plus changer.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise PublishedVersionError(f"{self} est publiée : elle ne peut pas être supprimée.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == enums.VersionStatus.PUBLISHED


class Block(models.Model):
    version = models.ForeignKey(
        CertificationVersion, on_delete=models.CASCADE, related_name="blocks"
    )
    position = models.PositiveSmallIntegerField("ordre")
    code = models.CharField("code", max_length=30)
    title = models.CharField("intitulé", max_length=500)
    description = models.TextField("description", blank=True)
    extension = models.BooleanField(
        "activité type d'extension (CCS)",
        default=False,
        help_text="Certificat complémentaire de spécialisation : facultatif pour le titre.",
    )

    class Meta:
        ordering = ["version", "position"]
        verbose_name = "bloc de compétences"
        verbose_name_plural = "blocs de compétences"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_block_code"),
            models.UniqueConstraint(fields=["version", "position"], name="unique_block_position"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class Competency(models.Model):
    version = models.ForeignKey(
        CertificationVersion, on_delete=models.CASCADE, related_name="competencies"
    )
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="competencies")
    position = models.PositiveSmallIntegerField("ordre")
    code = models.CharField("code", max_length=30)
    title = models.TextField("intitulé")
    description = models.TextField("description", blank=True)
    context = models.TextField("contexte de mise en œuvre", blank=True)
    savoir_faire = models.JSONField("savoir-faire", default=list, blank=True)
    savoirs = models.JSONField("savoirs", default=list, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["block__position", "position"]
        verbose_name = "compétence"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_competency_code"),
            models.UniqueConstraint(
                fields=["block", "position"], name="unique_competency_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_key(self.title)
        super().save(*args, **kwargs)


class TransversalCompetency(models.Model):
    version = models.ForeignKey(
        CertificationVersion, on_delete=models.CASCADE, related_name="transversal_competencies"
    )
    position = models.PositiveSmallIntegerField("ordre")
    code = models.CharField("code", max_length=30)
    title = models.TextField("intitulé")
    description = models.TextField("description", blank=True)
    assessed_through = models.ManyToManyField(
        Competency, through="TransversalAssessment", related_name="+"
    )

    class Meta:
        ordering = ["version", "position"]
        verbose_name = "compétence transversale"
        verbose_name_plural = "compétences transversales"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_transversal_code"),
        ]

    def __str__(self) -> str:
        return self.title


class TransversalAssessment(models.Model):
    """RE §3.3: a transversal competency is assessed through a professional competency."""

    transversal = models.ForeignKey(TransversalCompetency, on_delete=models.CASCADE)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["transversal", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["transversal", "competency"], name="unique_transversal_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transversal_id} → {self.competency_id}"


class Criterion(models.Model):
    """A critère de performance / d'évaluation, of a professional or a transversal competency."""

    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="criteria"
    )
    transversal = models.ForeignKey(
        TransversalCompetency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    position = models.PositiveSmallIntegerField("ordre")
    code = models.CharField("code", max_length=30, blank=True)
    group = models.CharField("rubrique", max_length=500, blank=True)
    text = models.TextField("critère")
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "critère"
        constraints = [
            models.CheckConstraint(
                condition=Q(competency__isnull=False, transversal__isnull=True)
                | Q(competency__isnull=True, transversal__isnull=False),
                name="criterion_belongs_to_exactly_one_competency",
            )
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_key(self.text)
        super().save(*args, **kwargs)


class ExamSpec(models.Model):
    """The assessment of the whole certification (block is null) or of one block."""

    version = models.ForeignKey(
        CertificationVersion, on_delete=models.CASCADE, related_name="exams"
    )
    block = models.ForeignKey(
        Block, null=True, blank=True, on_delete=models.CASCADE, related_name="exams"
    )
    position = models.PositiveSmallIntegerField("ordre")
    total_minutes = models.PositiveIntegerField("durée totale (min)", null=True, blank=True)
    jury_minutes = models.PositiveIntegerField("présence du jury (min)", null=True, blank=True)
    company_period_amount = models.PositiveIntegerField(
        "période en entreprise", null=True, blank=True
    )
    company_period_unit = models.CharField(
        "unité de la période", max_length=20, choices=enums.choices(enums.PeriodUnit), blank=True
    )
    supervision = models.TextField("surveillance", blank=True)
    requirements = models.JSONField("exigences complémentaires", default=list, blank=True)
    jury_members = models.PositiveSmallIntegerField("membres du jury", null=True, blank=True)
    jury_profiles = models.JSONField("profils du jury", default=list, blank=True)
    jury_notes = models.TextField("composition du jury", blank=True)
    has_jury = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = "épreuve"
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(block__isnull=True),
                name="one_certification_exam_per_version",
            ),
            models.UniqueConstraint(
                fields=["version", "block"],
                condition=Q(block__isnull=False),
                name="one_exam_per_block",
            ),
            models.CheckConstraint(
                condition=Q(company_period_amount__isnull=True, company_period_unit="")
                | Q(company_period_amount__isnull=False) & ~Q(company_period_unit=""),
                name="company_period_amount_and_unit_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Épreuve {self.scope}"

    @property
    def scope(self) -> str:
        return self.block.code if self.block is not None else "certification"


class AssessmentMethod(models.Model):
    exam = models.ForeignKey(ExamSpec, on_delete=models.CASCADE, related_name="methods")
    position = models.PositiveSmallIntegerField("ordre")
    kind = models.CharField("modalité", max_length=40, choices=enums.choices(enums.MethodKind))
    title = models.TextField("intitulé")
    code = models.CharField("code", max_length=30, blank=True)
    duration_minutes = models.PositiveIntegerField("durée (min)", null=True, blank=True)
    organisation = models.TextField("organisation", blank=True)
    requires_jury = models.BooleanField("jury requis", default=True)
    requires_supervision = models.BooleanField("surveillance requise", default=False)
    competencies = models.ManyToManyField(Competency, through="MethodCompetency", related_name="+")

    class Meta:
        ordering = ["exam", "position"]
        verbose_name = "modalité d'évaluation"
        verbose_name_plural = "modalités d'évaluation"

    def __str__(self) -> str:
        return self.title


class MethodCompetency(models.Model):
    """One cell of the competencies × methods matrix (RE §3.2)."""

    method = models.ForeignKey(AssessmentMethod, on_delete=models.CASCADE)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["method", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "competency"], name="unique_method_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method_id} → {self.competency_id}"


class Production(models.Model):
    exam = models.ForeignKey(ExamSpec, on_delete=models.CASCADE, related_name="productions")
    position = models.PositiveSmallIntegerField("ordre")
    title = models.TextField("intitulé")
    kind = models.CharField("type", max_length=20, choices=enums.choices(enums.ProductionKind))
    quantity = models.PositiveSmallIntegerField("nombre", default=1)
    min_units = models.PositiveIntegerField("minimum (diapositives/pages)", null=True, blank=True)
    max_units = models.PositiveIntegerField("maximum (diapositives/pages)", null=True, blank=True)

    class Meta:
        ordering = ["exam", "position"]
        verbose_name = "production exigée"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_units__isnull=True)
                | Q(max_units__isnull=True)
                | Q(min_units__lte=models.F("max_units")),
                name="production_min_not_above_max",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Correspondence(models.Model):
    """RE annex 2: the new CCP/block an old one corresponds to."""

    version = models.ForeignKey(
        CertificationVersion, on_delete=models.CASCADE, related_name="correspondences"
    )
    position = models.PositiveSmallIntegerField("ordre")
    old_code = models.CharField("ancien code", max_length=60, blank=True)
    old_title = models.TextField("ancien intitulé")
    new_code = models.CharField("nouveau code", max_length=60, blank=True)
    new_title = models.TextField("nouvel intitulé")

    class Meta:
        ordering = ["version", "position"]
        verbose_name = "correspondance"

    def __str__(self) -> str:
        return f"{self.old_title} → {self.new_title}"
