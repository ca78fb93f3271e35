"""Timetable planning API, for the session's managers (the pages' « Paramètres du planning »
and « Planning »): the timetable inputs, shared equipment, panel unavailabilities,
withdrawals, optimising, re-planning after convocations and pinning a phase.

Same scope as the pages: a session manager or administrator of the session's centre (or a
superuser); to anyone else, an assessor on its jury included, these doors do not exist
(404). Every write goes through ``attesta.exams.services`` (audited, transactional) and a
refusal comes back as 400 with the service's French reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from attesta.api.errors import NOT_FOUND, ErrorSerializer, Refused
from attesta.exams import scheduler, services
from attesta.exams.models import ExamSession, JuryUnavailability, SessionEquipment, TimetableEntry

REFUSED = OpenApiResponse(ErrorSerializer, description="Refusé (motif, en français).")
TIME_LIMIT_MAX = 60.0  # seconds: the optimiser holds a request that long at most


@contextmanager
def session_errors() -> Iterator[None]:
    try:
        yield
    except services.SessionError as error:
        raise Refused(str(error)) from error


# --- serializers ---------------------------------------------------------------------------


class EquipmentSerializer(serializers.ModelSerializer[SessionEquipment]):
    name = serializers.ChoiceField(choices=list(services.EQUIPMENT_NAMES))
    count = serializers.IntegerField(min_value=1, max_value=100)
    shared_by = serializers.IntegerField(
        min_value=1, max_value=200, help_text="Candidats à la fois par exemplaire."
    )

    class Meta:
        model = SessionEquipment
        fields = ["id", "name", "count", "shared_by"]
        read_only_fields = ["id"]


class UnavailabilitySerializer(serializers.ModelSerializer[JuryUnavailability]):
    class Meta:
        model = JuryUnavailability
        fields = ["id", "panel", "starts_at", "ends_at", "reason"]
        read_only_fields = ["id"]


class PlanningOptionsSerializer(serializers.Serializer[Any]):
    """The timetable inputs (docs/scheduler.md); ``room_capacities`` names rooms of the
    session (a room left out holds one candidate)."""

    day_start = serializers.TimeField()
    day_end = serializers.TimeField()
    break_start = serializers.TimeField(allow_null=True, required=False, default=None)
    break_end = serializers.TimeField(allow_null=True, required=False, default=None)
    changeover_minutes = serializers.IntegerField(min_value=0, max_value=120)
    supervision_capacity = serializers.IntegerField(min_value=1, max_value=200)
    room_capacities = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=500), required=False, default=dict
    )
    detailed_phases = serializers.BooleanField()


class MethodDurationSerializer(serializers.Serializer[Any]):
    index = serializers.IntegerField(help_text="Rang de la modalité dans l'épreuve (0, 1, …).")
    title = serializers.CharField()
    code = serializers.CharField(allow_null=True)
    referentiel_minutes = serializers.IntegerField(
        allow_null=True, help_text="Durée que donne le référentiel (elle ne se modifie pas)."
    )
    minutes = serializers.IntegerField(
        allow_null=True, help_text="Durée en vigueur : celle du référentiel, sinon du centre."
    )


class DurationsSerializer(serializers.Serializer[Any]):
    minutes = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="Rang de la modalité → minutes (null : effacer), pour les modalités dont le "
        "référentiel ne donne pas la durée.",
    )

    def validate_minutes(self, value: dict[str, int | None]) -> dict[int, int | None]:
        if not all(key.isdigit() for key in value):
            raise serializers.ValidationError("Les clés sont des rangs de modalité (0, 1, …).")
        return {int(key): minutes for key, minutes in value.items()}


class PlanningSerializer(PlanningOptionsSerializer):
    session = serializers.IntegerField(source="pk")
    rooms = serializers.ListField(child=serializers.CharField())
    equipment = EquipmentSerializer(many=True)
    unavailabilities = UnavailabilitySerializer(many=True, source="jury_unavailabilities.all")
    equipment_needs = serializers.SerializerMethodField(
        help_text="Chaque équipement partagé → les phases de l'épreuve qui l'utilisent."
    )
    methods = serializers.SerializerMethodField()

    def get_equipment_needs(self, obj: ExamSession) -> dict[str, list[str]]:
        return services.equipment_needs(obj)

    @extend_schema_field(MethodDurationSerializer(many=True))
    def get_methods(self, obj: ExamSession) -> list[dict[str, Any]]:
        return MethodDurationSerializer(services.method_durations(obj), many=True).data  # type: ignore[return-value]


class TimeLimitSerializer(serializers.Serializer[Any]):
    time_limit_seconds = serializers.FloatField(
        min_value=0.5, max_value=TIME_LIMIT_MAX, required=False, default=10.0
    )


class UnplacedSerializer(serializers.Serializer[Any]):
    seat = serializers.CharField(source="phase.candidate")
    phase = serializers.CharField(source="phase.title")
    reason = serializers.CharField()


class ScheduleSerializer(serializers.Serializer[Any]):
    """The figures of a timetable the optimiser returned (and kept unless infeasible)."""

    status = serializers.ChoiceField(choices=["optimal", "feasible", "infeasible", "unknown"])
    makespan_minutes = serializers.IntegerField()
    lower_bound_minutes = serializers.IntegerField()
    gap = serializers.FloatField()
    days_used = serializers.IntegerField()
    jury_hours = serializers.FloatField()
    waiting_minutes = serializers.IntegerField()
    solver_seconds = serializers.FloatField()
    explanation = serializers.CharField()
    unplaced = UnplacedSerializer(many=True, source="timetable.unplaced")


class ReconveneSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField(source="pk")
    candidate = serializers.CharField(source="enrolment.candidate")


class ReplanningSerializer(serializers.Serializer[Any]):
    schedule = ScheduleSerializer()
    reconvene = ReconveneSerializer(many=True)


class WithdrawalSerializer(serializers.Serializer[Any]):
    seat = serializers.IntegerField(help_text="La place du candidat dans la session.")


class PinSerializer(serializers.Serializer[Any]):
    pinned = serializers.BooleanField()


# --- views ---------------------------------------------------------------------------------


class PlanningViewSet(viewsets.GenericViewSet[ExamSession]):
    """``/api/sessions/{id}/planning/``, ``…/durations/``, ``…/equipment/``,
    ``…/unavailabilities/``,
    ``…/withdrawals/``, ``…/optimise/``, ``…/replan/``, next to the sessions API."""

    serializer_class = PlanningSerializer

    def get_queryset(self) -> QuerySet[ExamSession]:
        return ExamSession.objects.managed_by(self.request.user).order_by("id")

    @extend_schema(
        methods=["GET"],
        responses={200: PlanningSerializer, 404: NOT_FOUND},
        description="Les paramètres du planning de la session, ses équipements partagés et "
        "les indisponibilités de ses jurys.",
    )
    @extend_schema(
        methods=["PUT"],
        request=PlanningOptionsSerializer,
        responses={200: PlanningSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Fixe les paramètres du planning (tous). Le planning en vigueur n'en "
        "tient compte qu'une fois optimisé ou re-planifié.",
    )
    @action(detail=True, methods=["get", "put"])
    def planning(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        if request.method == "PUT":
            entry = PlanningOptionsSerializer(data=request.data)
            entry.is_valid(raise_exception=True)
            with session_errors():
                session = services.set_planning_options(
                    session=session, actor=request.user, **entry.validated_data
                )
        return Response(PlanningSerializer(session).data)

    @extend_schema(
        request=DurationsSerializer,
        responses={200: PlanningSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Fixe la durée des modalités dont le référentiel ne donne pas la durée "
        "(celles qu'il donne ne se modifient pas).",
    )
    @action(detail=True, methods=["put"])
    def durations(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        entry = DurationsSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with session_errors():
            session = services.set_method_durations(
                session=session, actor=request.user, minutes=entry.validated_data["minutes"]
            )
        return Response(PlanningSerializer(session).data)

    @extend_schema(
        request=EquipmentSerializer,
        responses={201: EquipmentSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Déclare un équipement partagé (nombre d'exemplaires, candidats à la fois "
        "par exemplaire).",
    )
    @action(detail=True, methods=["post"])
    def equipment(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        entry = EquipmentSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with session_errors():
            item = services.add_equipment(
                session=session, actor=request.user, **entry.validated_data
            )
        return Response(EquipmentSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None, 404: NOT_FOUND},
        description="Retire un équipement : il n'est plus compté comme rare.",
    )
    @action(detail=True, methods=["delete"], url_path=r"equipment/(?P<item>\d+)")
    def remove_equipment(self, request: Request, pk: str | None = None, item: str = "") -> Response:
        session = self.get_object()
        services.remove_equipment(
            equipment=get_object_or_404(session.equipment, pk=int(item)), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=UnavailabilitySerializer,
        responses={201: UnavailabilitySerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Un jury ne peut pas siéger pendant une période ; re-planifiez ensuite.",
    )
    @action(detail=True, methods=["post"])
    def unavailabilities(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        entry = UnavailabilitySerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with session_errors():
            period = services.add_jury_unavailability(
                session=session, actor=request.user, **entry.validated_data
            )
        return Response(UnavailabilitySerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None, 404: NOT_FOUND},
        description="Le jury peut siéger pendant cette période, finalement.",
    )
    @action(detail=True, methods=["delete"], url_path=r"unavailabilities/(?P<period>\d+)")
    def remove_unavailability(
        self, request: Request, pk: str | None = None, period: str = ""
    ) -> Response:
        session = self.get_object()
        absence = get_object_or_404(session.jury_unavailabilities, pk=int(period))
        services.remove_jury_unavailability(period=absence, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=WithdrawalSerializer,
        responses={204: None, 400: REFUSED, 404: NOT_FOUND},
        description="Le candidat se désiste : il sort du planning (sa convocation reste "
        "enregistrée) ; re-planifiez ensuite.",
    )
    @action(detail=True, methods=["post"])
    def withdrawals(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        entry = WithdrawalSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        seat = get_object_or_404(session.candidates, pk=entry.validated_data["seat"])
        with session_errors():
            services.withdraw_seat(seat=seat, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=TimeLimitSerializer,
        responses={200: ScheduleSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Optimise le planning (CP-SAT, au plus le délai demandé, 10 s par "
        "défaut) et le garde, sauf s'il est impossible : l'explication dit alors pourquoi.",
    )
    @action(detail=True, methods=["post"])
    def optimise(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        entry = TimeLimitSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with session_errors():
            schedule = services.optimise_timetable(
                session=session, actor=request.user, **entry.validated_data
            )
        return Response(_schedule(schedule))

    @extend_schema(
        request=TimeLimitSerializer,
        responses={200: ReplanningSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Re-planifie après les convocations : déplace le moins possible de "
        "candidats convoqués et liste ceux à reconvoquer.",
    )
    @action(detail=True, methods=["post"])
    def replan(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        entry = TimeLimitSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with session_errors():
            replanning = services.replan_timetable(
                session=session, actor=request.user, **entry.validated_data
            )
        return Response(
            {
                "schedule": _schedule(replanning.schedule),
                "reconvene": ReconveneSerializer(replanning.reconvene, many=True).data,
            }
        )


def _schedule(schedule: scheduler.Schedule) -> dict[str, Any]:
    return ScheduleSerializer(schedule).data


class PinViewSet(viewsets.GenericViewSet[TimetableEntry]):
    """``/api/timetable/{id}/pin/``: a phase pinned where it stands, or freed."""

    serializer_class = PinSerializer

    def get_queryset(self) -> QuerySet[TimetableEntry]:
        return TimetableEntry.objects.filter(
            session__in=ExamSession.objects.managed_by(self.request.user)
        ).order_by("id")

    @extend_schema(
        request=PinSerializer,
        responses={200: PinSerializer, 404: NOT_FOUND},
        description="Épingle la phase où elle est (re-planifier la garde à sa place) ou la libère.",
    )
    @action(detail=True, methods=["post"])
    def pin(self, request: Request, pk: str | None = None) -> Response:
        entry = PinSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        phase = services.pin_phase(
            entry=self.get_object(), pinned=entry.validated_data["pinned"], actor=request.user
        )
        return Response({"pinned": phase.pinned})
