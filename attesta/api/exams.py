"""Exam sessions, timetables and convocations API, scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from attesta.exams.models import ConvocationRecord, ExamSession, SessionQuerySet, TimetableEntry


class SessionSerializer(serializers.ModelSerializer[ExamSession]):
    certification = serializers.CharField(source="version.certification.code", read_only=True)
    version = serializers.CharField(source="version.version", read_only=True)
    scope = serializers.CharField(read_only=True)
    candidates = serializers.IntegerField(
        source="seat_count", read_only=True, help_text="Candidats de la session, désistés exclus."
    )

    class Meta:
        model = ExamSession
        fields = [
            "id",
            "label",
            "certification",
            "version",
            "scope",
            "starts_on",
            "ends_on",
            "day_start",
            "day_end",
            "address",
            "rooms",
            "candidates",
        ]
        read_only_fields = fields


class TimetableEntrySerializer(serializers.ModelSerializer[TimetableEntry]):
    candidate = serializers.CharField(source="seat.enrolment.candidate", read_only=True)
    enrolment = serializers.IntegerField(source="seat.enrolment_id", read_only=True)
    base_minutes = serializers.IntegerField(
        allow_null=True,
        read_only=True,
        help_text="Durée prévue par le référentiel, pour les responsables de la session "
        "seulement (null pour le jury : l'écart avec minutes dirait un temps majoré, donc un "
        "aménagement).",
    )

    def to_representation(self, instance: TimetableEntry) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.session_id not in self.context.get("managed", ()):
            data["base_minutes"] = None
        return data

    class Meta:
        model = TimetableEntry
        fields = [
            "id",
            "session",
            "enrolment",
            "candidate",
            "position",
            "method_title",
            "method_kind",
            "base_minutes",
            "minutes",
            "starts_at",
            "ends_at",
            "room",
            "jury_panel",
            "supervisor",
            "equipment",
        ]
        read_only_fields = fields


class ConvocationSerializer(serializers.ModelSerializer[ConvocationRecord]):
    session = serializers.IntegerField(source="seat.session_id", read_only=True)
    enrolment = serializers.IntegerField(source="seat.enrolment_id", read_only=True)

    class Meta:
        model = ConvocationRecord
        fields = ["id", "reference", "session", "enrolment", "sent_to", "sent_at"]
        read_only_fields = fields


def _manager_sessions(request: object) -> SessionQuerySet:
    """Timetables and convocations name candidates: the centre's staff read them; an assessor
    reads those of the sessions they sit on (planning only)."""
    return ExamSession.objects.visible_to(request.user)  # type: ignore[attr-defined]


class SessionViewSet(viewsets.ReadOnlyModelViewSet[ExamSession]):
    serializer_class = SessionSerializer

    def get_queryset(self) -> QuerySet[ExamSession]:
        return (
            _manager_sessions(self.request)
            .with_seat_count()
            .select_related("version__certification", "block")
            .order_by("-starts_on", "-id")
        )


class TimetableViewSet(viewsets.ReadOnlyModelViewSet[TimetableEntry]):
    serializer_class = TimetableEntrySerializer

    def get_serializer_context(self) -> dict[str, Any]:
        managed = ExamSession.objects.managed_by(self.request.user).values_list("id", flat=True)
        return {**super().get_serializer_context(), "managed": frozenset(managed)}

    def get_queryset(self) -> QuerySet[TimetableEntry]:
        queryset = (
            TimetableEntry.objects.filter(session__in=_manager_sessions(self.request))
            .select_related("seat__enrolment__candidate")
            .order_by("session_id", "starts_at", "position", "id")
        )
        session = self.request.query_params.get("session")
        if session is not None and session.isdigit():
            queryset = queryset.filter(session_id=int(session))
        return queryset


class ConvocationViewSet(viewsets.ReadOnlyModelViewSet[ConvocationRecord]):
    serializer_class = ConvocationSerializer

    def get_queryset(self) -> QuerySet[ConvocationRecord]:
        user = self.request.user
        if getattr(user, "role", None) == "assessor":
            return ConvocationRecord.objects.none()
        return (
            ConvocationRecord.objects.filter(seat__session__in=_manager_sessions(self.request))
            .select_related("seat")
            .order_by("-sent_at", "-id")
        )
