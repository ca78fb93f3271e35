"""Exam sessions: a certification version and scope, at an exam centre, on dates, with rooms,
candidates, jury members and supervisors; their timetable and the convocations sent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from attesta.accounts.enums import SESSION_MANAGERS
from attesta.accounts.models import Organisation
from attesta.candidates.models import Enrolment
from attesta.referentiels.models import Block, CertificationVersion


class SessionQuerySet(models.QuerySet["ExamSession"]):
    def deliberated_by(self, user: Any) -> SessionQuerySet:
        """Sessions whose assessment and deliberation the user takes part in (jury member) or
        runs (the centre's administrators and session managers)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        scope = Q(pk__in=JuryMember.objects.filter(user_id=user.pk).values("session_id"))
        if user.role in SESSION_MANAGERS and user.organisation_id is not None:
            scope |= Q(organisation_id=user.organisation_id)
        return self.filter(scope)

    def visible_to(self, user: Any) -> SessionQuerySet:
        """The centre's sessions for its staff; an assessor sees the sessions they sit on."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role == "assessor":
            return self.filter(jury__user=user).distinct()
        if user.organisation_id is None or user.role == "candidate":
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def managed_by(self, user: Any) -> SessionQuerySet:
        """Sessions whose candidates, jury and timetable the user runs: the session managers
        and administrators of the session's centre (a superuser: every session)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.organisation_id is None or user.role not in SESSION_MANAGERS:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)

    def with_seat_count(self) -> SessionQuerySet:
        """``seat_count``: the candidates still in the session (a withdrawal does not count)."""
        return self.annotate(
            seat_count=models.Count(
                "candidates", filter=Q(candidates__withdrawn_at__isnull=True), distinct=True
            )
        )


class ExamSession(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="centre d'examen",
        on_delete=models.PROTECT,
        related_name="exam_sessions",
    )
    version = models.ForeignKey(
        CertificationVersion,
        verbose_name="référentiel",
        on_delete=models.PROTECT,
        related_name="exam_sessions",
    )
    block = models.ForeignKey(
        Block,
        verbose_name="bloc évalué",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Vide : la certification complète.",
    )
    label = models.CharField("intitulé", max_length=200)
    starts_on = models.DateField("premier jour")
    ends_on = models.DateField("dernier jour")
    day_start = models.TimeField("début de journée", default="08:00")
    day_end = models.TimeField("fin de journée", default="18:00")
    address = models.TextField("adresse")
    rooms = models.JSONField("salles", default=list)
    room_capacities = models.JSONField(
        "capacité des salles",
        default=dict,
        blank=True,
        help_text="Salle → nombre de candidats à la fois hors jury ; 1 par défaut.",
    )
    break_start = models.TimeField("début de la pause du jury", null=True, blank=True)
    break_end = models.TimeField("fin de la pause du jury", null=True, blank=True)
    supervision_capacity = models.PositiveSmallIntegerField("candidats par surveillant", default=1)
    changeover_minutes = models.PositiveSmallIntegerField(
        "battement entre deux candidats (min)", default=0
    )
    detailed_phases = models.BooleanField(
        "phases détaillées",
        default=False,
        help_text=(
            "Découper les modalités en parties : préparations surveillées sans le jury, "
            "partie écrite passée par tous ensemble, équipements (docs/scheduler.md)."
        ),
    )
    method_minutes = models.JSONField(
        "durées fixées par le centre",
        default=dict,
        blank=True,
        help_text=(
            "Rang de la modalité dans l'épreuve → minutes, pour les modalités dont le "
            "référentiel ne donne pas la durée (celles qu'il donne ne se modifient pas)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "session d'examen"
        verbose_name_plural = "sessions d'examen"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(day_end__gt=models.F("day_start")), name="session_day_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(break_start__isnull=True, break_end__isnull=True)
                | Q(break_end__gt=models.F("break_start")),
                name="session_break_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def scope(self) -> str:
        return self.block.code if self.block is not None else "certification"


class SeatQuerySet(models.QuerySet["SessionCandidate"]):
    def on_jury_of(self, user: Any) -> SeatQuerySet:
        """The candidates of the sessions the user sits on as a jury member."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(session__jury__user_id=user.pk)

    def deliberated_by(self, user: Any) -> SeatQuerySet:
        """Candidates whose grids, decisions and findings the user may read (jury members,
        the centre's administrators and session managers)."""
        return self.filter(session__in=ExamSession.objects.deliberated_by(user))

    def visible_to(self, user: Any) -> SeatQuerySet:
        """As ``deliberated_by``, plus a candidate's own seats."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(session__in=ExamSession.objects.deliberated_by(user))
            | Q(enrolment__candidate__user_id=user.pk)
        )


class SessionCandidate(models.Model):
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="candidates")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="sessions")
    position = models.PositiveIntegerField("ordre de passage", default=0)
    withdrawn_at = models.DateTimeField(
        "désisté le", null=True, blank=True, help_text="Vide : le candidat passe l'épreuve."
    )

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = "candidat de la session"
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_seat_per_enrolment")
        ]

    def __str__(self) -> str:
        return str(self.enrolment.candidate)


class JuryMember(models.Model):
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats"
    )
    panel = models.CharField("jury", max_length=50, default="Jury 1")
    profile = models.CharField(
        "profil", max_length=300, blank=True, help_text="Par exemple « représentant du métier »."
    )
    is_president = models.BooleanField("président", default=False)
    trained = models.ManyToManyField(
        SessionCandidate,
        verbose_name="candidats qu'il a formés",
        blank=True,
        related_name="trainers",
        help_text="Un formateur n'évalue pas ses propres candidats.",
    )

    class Meta:
        ordering = ["session", "panel", "-is_president", "id"]
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_seat_per_jury_member")
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.panel})"


class Supervisor(models.Model):
    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="supervisors")
    name = models.CharField("surveillant", max_length=200)

    class Meta:
        ordering = ["session", "id"]
        verbose_name = "surveillant"

    def __str__(self) -> str:
        return self.name


class SessionEquipment(models.Model):
    """Equipment the candidates share: so many items, each for so many candidates at once
    (a printer for 12, a phone for one). Equipment not declared is not scarce."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(
        "équipement", max_length=100, help_text="« téléphone », « imprimante »…"
    )
    count = models.PositiveSmallIntegerField("nombre", default=1)
    shared_by = models.PositiveSmallIntegerField("candidats à la fois par unité", default=1)

    class Meta:
        ordering = ["session", "name"]
        verbose_name = "équipement partagé"
        constraints = [
            models.UniqueConstraint(fields=["session", "name"], name="one_row_per_equipment"),
            models.CheckConstraint(condition=Q(count__gte=1), name="equipment_count_positive"),
            models.CheckConstraint(condition=Q(shared_by__gte=1), name="equipment_shared_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.count}"

    @property
    def capacity(self) -> int:
        return self.count * self.shared_by


class JuryUnavailability(models.Model):
    """A period when a jury panel cannot sit (it is available the rest of the session)."""

    session = models.ForeignKey(
        ExamSession, on_delete=models.CASCADE, related_name="jury_unavailabilities"
    )
    panel = models.CharField("jury", max_length=50)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    reason = models.CharField("motif", max_length=200, blank=True)

    class Meta:
        ordering = ["session", "panel", "starts_at"]
        verbose_name = "indisponibilité d'un jury"
        verbose_name_plural = "indisponibilités des jurys"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="unavailability_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel} {self.starts_at:%d/%m %H:%M}–{self.ends_at:%H:%M}"


class TimetableEntry(models.Model):
    """One phase of one candidate, placed: a plain record a solver can also fill."""

    session = models.ForeignKey(ExamSession, on_delete=models.CASCADE, related_name="timetable")
    seat = models.ForeignKey(SessionCandidate, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField("rang de la phase")
    method_title = models.CharField("modalité", max_length=300)
    method_kind = models.CharField(max_length=40)
    base_minutes = models.PositiveIntegerField("durée prévue (min)")
    minutes = models.PositiveIntegerField("durée avec aménagement (min)")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    room = models.CharField("salle", max_length=100)
    jury_panel = models.CharField("jury", max_length=50, blank=True)
    supervisor = models.CharField("surveillant", max_length=200, blank=True)
    equipment = models.CharField(
        "équipement",
        max_length=300,
        blank=True,
        help_text="Ce que la phase utilise, exemplaire par exemplaire : « téléphone 1, "
        "ordinateur portable 2 ».",
    )
    pinned = models.BooleanField("épinglée", default=False)

    class Meta:
        ordering = ["session", "starts_at", "seat", "position"]
        verbose_name = "phase du planning"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="phase_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seat} – {self.method_title} {self.starts_at:%H:%M}"


class ConvocationRecord(models.Model):
    """A convocation as sent: kept, never edited (a new one supersedes it)."""

    seat = models.ForeignKey(
        SessionCandidate, on_delete=models.PROTECT, related_name="convocations"
    )
    reference = models.CharField("référence", max_length=40, unique=True)
    sent_to = models.EmailField("envoyée à", blank=True)
    pdf = models.FileField("PDF", upload_to="convocations/")
    ics = models.FileField("calendrier", upload_to="convocations/")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField("envoyée le", auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "convocation"

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Une convocation envoyée ne se modifie pas.")
        super().save(*args, **kwargs)
