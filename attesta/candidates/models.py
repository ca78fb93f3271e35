"""Candidates and their enrolments: who sits which certification, by which path, and where
their file stands. Status changes go through ``Enrolment.change_status`` and leave a trace."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from attesta.accounts.enums import Role
from attesta.accounts.models import Organisation
from attesta.candidates import enums
from attesta.referentiels.models import Block, CertificationVersion
from attesta.referentiels.rules import search_key

# Roles that keep candidates' files (identity, enrolments, documents) in their organisation.
CANDIDATE_FILE_ROLES = frozenset(
    {Role.ADMINISTRATOR, Role.SESSION_MANAGER, Role.DISABILITY_REFERENT}
)
# Roles that register candidates and change their files.
CANDIDATE_EDITOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.SESSION_MANAGER})


class TransitionError(Exception):
    """A status change the transition table does not allow."""


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def visible_to(self, user: Any) -> CandidateQuerySet:
        """The organisation's candidates for the roles that run their files; a candidate account
        sees only itself; assessors see candidates through their sessions only (not here)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role == Role.CANDIDATE:
            return self.filter(user=user)
        if user.organisation_id is None or user.role not in CANDIDATE_FILE_ROLES:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


class Candidate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="candidates"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )
    last_name = models.CharField("nom de naissance", max_length=150)
    first_names = models.CharField("prénoms", max_length=200)
    birth_date = models.DateField("date de naissance")
    birth_place = models.CharField("commune de naissance", max_length=150, blank=True)
    birth_country = models.CharField("pays de naissance", max_length=100, blank=True)
    email = models.EmailField("courriel", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    identity_key = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_names", "id"]
        verbose_name = "candidat"
        constraints = [
            models.CheckConstraint(
                condition=~Q(birth_place="") | ~Q(birth_country=""),
                name="candidate_birth_place_or_country",
            )
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_names}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.identity_key = identity_key(self.last_name, self.first_names, self.birth_date)
        super().save(*args, **kwargs)

    def possible_duplicates(self) -> CandidateQuerySet:
        """Other candidates of the organisation with the same names and birth date: flagged,
        never merged."""
        return Candidate.objects.filter(
            organisation_id=self.organisation_id, identity_key=self.identity_key
        ).exclude(pk=self.pk)


def identity_key(last_name: str, first_names: str, birth_date: Any) -> str:
    return f"{search_key(last_name)}|{search_key(first_names)}|{birth_date}"


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, user: Any) -> EnrolmentQuerySet:
        return self.filter(candidate__in=Candidate.objects.visible_to(user))


class Enrolment(models.Model):
    """A candidate × a certification version × a target (whole certification or blocks) × a path."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="enrolments")
    version = models.ForeignKey(
        CertificationVersion,
        verbose_name="référentiel",
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    target_blocks = models.ManyToManyField(
        Block,
        verbose_name="blocs visés",
        blank=True,
        related_name="+",
        help_text="Aucun : la certification complète.",
    )
    path = models.CharField("parcours", max_length=20, choices=enums.AccessPath.choices)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=enums.EnrolmentStatus.choices,
        default=enums.EnrolmentStatus.REGISTERED,
    )
    company_period_done = models.PositiveIntegerField(
        "période en entreprise effectuée",
        null=True,
        blank=True,
        help_text="Dans l'unité exigée par le référentiel (heures, jours ouvrés, mois).",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "inscription"

    def __str__(self) -> str:
        return f"{self.candidate} – {self.version.certification.code}"

    def change_status(self, to: str, *, actor: Any, note: str = "") -> EnrolmentEvent:
        """Move along the transition table, recording who and when. Call inside a transaction."""
        allowed = enums.TRANSITIONS[self.status]
        if to not in allowed:
            names = ", ".join(enums.EnrolmentStatus(s).label for s in sorted(allowed)) or "aucun"
            raise TransitionError(
                f"Passage de « {self.get_status_display()} » à "
                f"« {enums.EnrolmentStatus(to).label} » impossible (possibles : {names})."
            )
        event = EnrolmentEvent.objects.create(
            enrolment=self,
            from_status=self.status,
            to_status=to,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            note=note,
        )
        self.status = to
        self.save(update_fields=["status"])
        return event


class EnrolmentEvent(models.Model):
    """One status change of an enrolment: append-only history."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, choices=enums.EnrolmentStatus.choices)
    to_status = models.CharField(max_length=20, choices=enums.EnrolmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = "changement de statut"

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("L'historique d'une inscription ne se modifie pas.")
        super().save(*args, **kwargs)


class CapitalisedBlock(models.Model):
    """A block the candidate already holds (capitalisation path), with its date and source."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="capitalised_blocks"
    )
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="+")
    obtained_on = models.DateField("obtenu le")
    source = models.CharField(
        "source", max_length=300, help_text="Session, organisme ou attestation d'origine."
    )
    origin = models.CharField(
        "origine",
        max_length=60,
        blank=True,
        editable=False,
        help_text="« session:ID » quand le bloc a été obtenu à une session d'Attesta.",
    )

    class Meta:
        ordering = ["obtained_on", "id"]
        verbose_name = "bloc capitalisé"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "block"], name="unique_capitalised_block")
        ]

    def __str__(self) -> str:
        return f"{self.block.code} ({self.obtained_on})"


def document_path(instance: SupportingDocument, filename: str) -> str:
    return f"enrolments/{instance.enrolment_id}/{instance.kind}/{filename}"


class SupportingDocument(models.Model):
    """A file of the enrolment: proof of the company period, VAE dossier, production. Kept."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("nature", max_length=30, choices=enums.DocumentKind.choices)
    production_title = models.CharField(
        "production", max_length=300, blank=True, help_text="Pour une production exigée."
    )
    file = models.FileField("fichier", upload_to=document_path)
    original_name = models.CharField("nom d'origine", max_length=255)
    file_kind = models.CharField("format reconnu", max_length=10, blank=True)
    pages = models.PositiveIntegerField("pages", null=True, blank=True)
    slides = models.PositiveIntegerField("diapositives", null=True, blank=True)
    measure_note = models.TextField("remarque sur le fichier", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "pièce du dossier"
        verbose_name_plural = "pièces du dossier"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="production") | ~Q(production_title=""),
                name="production_document_names_its_production",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class AccommodationQuerySet(models.QuerySet["Accommodation"]):
    def visible_to(self, user: Any) -> AccommodationQuerySet:
        """Accommodations of the candidates the user may see. What each role may read of one
        (the disability itself, or only the measures) is ``Accommodation.disclosed_to``."""
        return self.filter(enrolment__in=Enrolment.objects.visible_to(user))


class Accommodation(models.Model):
    """Aménagements for a candidate with a disability, recorded by the disability referent.

    ``disability`` is confidential: only the disability referent and the administrator read
    it. The session manager reads the practical measures; assessors, later, only the measures
    that change what they do."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="accommodation"
    )
    disability = models.TextField(
        "situation de handicap (confidentiel)",
        help_text="Lu par le référent handicap et l'administrateur seulement.",
    )
    extra_time_percent = models.PositiveSmallIntegerField(
        "temps majoré (%)", default=33, help_text="Un tiers temps par défaut ; 0 pour aucun."
    )
    extra_time_by_method = models.JSONField(
        "temps majoré par modalité (%)",
        default=dict,
        blank=True,
        help_text="Modalité → pourcentage, quand il diffère du temps majoré général.",
    )
    adapted_equipment = models.TextField("matériel adapté", blank=True)
    written_exchange = models.BooleanField("échange écrit au lieu de l'oral", default=False)
    assistant = models.CharField("assistant ou interprète", max_length=300, blank=True)
    postponed_to = models.DateField("date reportée", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = AccommodationQuerySet.as_manager()

    class Meta:
        verbose_name = "aménagement"
        constraints = [
            models.CheckConstraint(
                condition=Q(extra_time_percent__lte=200), name="extra_time_at_most_double"
            )
        ]

    def __str__(self) -> str:
        return f"Aménagements – {self.enrolment}"


class ExemptionRequest(models.Model):
    """A request to exempt the candidate from a named criterion (certifier référentiels), on
    the referent's motivated opinion; both cumulative conditions must hold. The jury decides."""

    accommodation = models.ForeignKey(
        Accommodation, on_delete=models.CASCADE, related_name="exemption_requests"
    )
    criterion = models.ForeignKey(
        "referentiels.Criterion", on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField("avis motivé du référent handicap")
    keeps_overall_capacity = models.BooleanField(
        "ne remet pas en question la capacité professionnelle globale"
    )
    not_needed_in_future_practice = models.BooleanField(
        "le critère n'a pas vocation à s'appliquer dans la pratique future du candidat"
    )
    requested_at = models.DateTimeField("demandée le", auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = "demande d'exemption de critère"
        constraints = [
            models.UniqueConstraint(
                fields=["accommodation", "criterion"], name="one_request_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(keeps_overall_capacity=True, not_needed_in_future_practice=True),
                name="exemption_requires_both_conditions",
            ),
        ]

    def __str__(self) -> str:
        return f"Exemption demandée : {self.criterion_id}"
