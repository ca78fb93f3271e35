"""Seats of a session: outcome, grids and marks, consolidation, decisions, conditions,
attendance and exemptions; the decision and condition corrections."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from attesta.api.errors import NOT_FOUND, Refused
from attesta.api.evaluation.scope import (
    METHOD_INDEX,
    REFUSED,
    STALE,
    display_name,
    jury_seats,
    jury_sessions,
    query_id,
    reads_referent_opinion,
    service_errors,
    visible_seats,
)
from attesta.api.evaluation.serializers import (
    AttachmentInputSerializer,
    AttachmentSerializer,
    AttendanceRecordSerializer,
    ConsolidationSerializer,
    CorrectConditionSerializer,
    CorrectDecisionSerializer,
    DecideSerializer,
    DecisionSerializer,
    ExemptionRequestSerializer,
    ExemptionSerializer,
    ExemptSerializer,
    FindingSerializer,
    GridSerializer,
    MarkInputSerializer,
    MarkSerializer,
    RecordAttendanceSerializer,
    RecordConditionSerializer,
    SeatAttendanceSerializer,
    SeatConditionsSerializer,
    SeatDecisionsSerializer,
    SeatDetailSerializer,
    SeatExemptionsSerializer,
    SeatSerializer,
    outcome_data,
    signed_result,
)
from attesta.candidates.models import ExemptionRequest
from attesta.evaluation import rules, services
from attesta.evaluation.models import (
    AttendanceRecord,
    CompetencyDecision,
    ConditionFinding,
    CriterionExemption,
    CriterionMark,
    MarkEvidence,
)
from attesta.exams.models import SessionCandidate
from attesta.referentiels.models import Criterion
from attesta.referentiels.services import load_referentiel

# --- viewsets ------------------------------------------------------------------------------


class SeatViewSet(viewsets.ReadOnlyModelViewSet[SessionCandidate]):
    """A candidate's place in a session: what the jury assesses and decides."""

    serializer_class = SeatSerializer

    def get_queryset(self) -> QuerySet[SessionCandidate]:
        user = self.request.user
        # A candidate reads their seat; the jury's working data (every action) is never theirs.
        reading = self.action in ("list", "retrieve")
        scoped = visible_seats(user) if reading else jury_seats(user)
        queryset = scoped.select_related(
            "session__block", "session__version", "enrolment__candidate"
        ).order_by("-session__starts_on", "session_id", "position", "id")
        session = query_id(self.request, "session")
        if session is not None:
            queryset = queryset.filter(session_id=session)
        return queryset

    @extend_schema(
        parameters=[OpenApiParameter("session", int, description="Une session seulement.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={200: SeatDetailSerializer, 404: NOT_FOUND},
        description="Le candidat lit son résultat une fois le procès-verbal signé par tout le "
        "jury, rien avant ; le jury et les responsables lisent la délibération en cours.",
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        seat = self.get_object()
        staff = jury_seats(request.user).filter(pk=seat.pk).exists()
        exam = load_referentiel(seat.session.version).exam_for(seat.session.scope)
        methods = [
            {"index": i, "title": m.title, "kind": m.kind.value}
            for i, m in enumerate(exam.methods if exam is not None else ())
        ]
        data = {
            "id": seat.pk,
            "session": seat.session,
            "candidate": seat.enrolment.candidate,
            "enrolment": seat.enrolment_id,
            "position": seat.position,
            "methods": methods,
            "frozen": services.is_frozen(seat.session),
            "attendance": services.attendance_of(seat) if staff else None,
            "outcome": outcome_data(services.seat_outcome(seat)) if staff else None,
            "result": signed_result(seat),
        }
        return Response(SeatDetailSerializer(data).data)

    # --- grids and marks

    @extend_schema(
        parameters=[METHOD_INDEX],
        responses={200: GridSerializer, 404: NOT_FOUND},
        description="La grille d'une modalité avec vos appréciations et leurs versions. Un "
        "critère dont le candidat est dispensé apparaît dispensé, sans motif.",
    )
    @action(detail=True, methods=["get"], url_path=r"grids/(?P<method_index>\d+)")
    def grid(self, request: Request, pk: str | None = None, method_index: str = "0") -> Response:
        seat = self.get_object()
        index = int(method_index)
        referentiel = load_referentiel(seat.session.version)
        try:
            grid = rules.grid_for(referentiel, scope=seat.session.scope, method_index=index)
        except ValueError:
            raise Http404 from None
        exempted = services.exempted_keys(seat)
        shown = services.marks_of(seat=seat, assessor=request.user, method_index=index)
        stored = {
            row.criterion_key: row
            for row in CriterionMark.objects.filter(
                seat=seat, assessor_id=request.user.pk, method_index=index
            )
        }
        data = {
            "seat": seat.pk,
            "method_index": index,
            "method_title": grid.method_title,
            "method_kind": grid.method_kind.value,
            "frozen": services.is_frozen(seat.session),
            "competencies": [
                {
                    "code": competency.code,
                    "title": competency.title,
                    "block": competency.block_code,
                    "criteria": [
                        {
                            "key": c.key,
                            "code": c.code,
                            "group": c.group,
                            "text": c.text,
                            "exempted": c.key in exempted,
                            "mark": shown.get(c.key),
                            "comment": stored[c.key].comment if c.key in stored else "",
                            "version": stored[c.key].version if c.key in stored else 0,
                        }
                        for c in competency.criteria
                    ],
                }
                for competency in grid.competencies
            ],
            "transversals": [
                {"code": t.code, "title": t.title, "through": list(t.through)}
                for t in grid.transversals
            ],
        }
        return Response(GridSerializer(data).data)

    @extend_schema(
        request=MarkInputSerializer,
        responses={
            200: MarkSerializer,
            400: REFUSED,
            404: NOT_FOUND,
            409: STALE,
        },
        description="Enregistre une appréciation de l'évaluateur authentifié (verrouillage "
        "optimiste par expected_version).",
    )
    @action(detail=True, methods=["post"])
    def marks(self, request: Request, pk: str | None = None) -> Response:
        seat = self.get_object()
        entry = MarkInputSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with service_errors():
            stored = services.record_mark(seat=seat, assessor=request.user, **entry.validated_data)
        return Response(MarkSerializer(stored).data)

    @extend_schema(
        methods=["GET"],
        responses={200: AttachmentSerializer(many=True), 404: NOT_FOUND},
        description="Les pièces jointes aux critères de ce candidat (jury de la session).",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Joint un fichier (PDF, PNG ou JPEG, 5 Mo au plus) à un critère de votre "
        "grille, aux mêmes conditions qu'une appréciation.",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def evidence(self, request: Request, pk: str | None = None) -> Response:
        seat = self.get_object()
        if (
            not jury_sessions(request.user)
            .filter(pk=seat.session_id, jury__user_id=request.user.pk or 0)
            .exists()
        ):
            raise Http404
        if request.method == "POST":
            entry = AttachmentInputSerializer(data=request.data)
            entry.is_valid(raise_exception=True)
            upload = entry.validated_data["file"]
            with service_errors():
                attached = services.attach_evidence(
                    seat=seat,
                    assessor=request.user,
                    method_index=entry.validated_data["method_index"],
                    criterion_key=entry.validated_data["criterion_key"],
                    data=upload.read(),
                    filename=upload.name,
                )
            return Response(_evidence(attached), status=status.HTTP_201_CREATED)
        rows = MarkEvidence.objects.filter(seat=seat).select_related("assessor")
        return Response([_evidence(row) for row in rows])

    @extend_schema(
        responses={200: ConsolidationSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Les appréciations de tous les évaluateurs, consolidées par critère et par "
        "modalité, et le résultat établi de chaque critère sur l'ensemble des modalités.",
    )
    @action(detail=True, methods=["get"])
    def consolidation(self, request: Request, pk: str | None = None) -> Response:
        seat = self.get_object()
        exam = load_referentiel(seat.session.version).exam_for(seat.session.scope)
        methods = []
        with service_errors():
            for index, method in enumerate(exam.methods if exam is not None else ()):
                consolidated = services.consolidation(seat, index)
                methods.append(
                    {
                        "method_index": index,
                        "method_title": method.title,
                        "criteria": [
                            {
                                "key": row.key,
                                "agreement": row.agreement.value,
                                "agreed_mark": row.agreed_mark,
                                "marks": [{"assessor": a, "mark": m} for a, m in row.marks],
                            }
                            for row in consolidated.criteria
                        ],
                        "disagreements": list(consolidated.disagreements()),
                        "incomplete": list(consolidated.incomplete()),
                    }
                )
            evidence = services.evidence_of(seat)
        data = {
            "seat": seat.pk,
            "methods": methods,
            "evidence": [{"key": k, "mark": evidence[k]} for k in sorted(evidence)],
        }
        return Response(ConsolidationSerializer(data).data)

    # --- decisions

    @extend_schema(
        methods=["GET"],
        responses={200: SeatDecisionsSerializer, 404: NOT_FOUND},
        description="Les compétences à décider avec la décision en vigueur, et l'historique.",
    )
    @extend_schema(
        methods=["POST"],
        request=DecideSerializer,
        responses={201: DecisionSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Décision du jury sur une compétence (membre du jury). Une décision qui "
        "s'écarte des critères exige une justification ; une décision prise ne se change que "
        "par une correction du président.",
    )
    @action(detail=True, methods=["get", "post"])
    def decisions(self, request: Request, pk: str | None = None) -> Response:
        seat = self.get_object()
        if request.method == "POST":
            entry = DecideSerializer(data=request.data)
            entry.is_valid(raise_exception=True)
            with service_errors():
                decision = services.decide_competency(
                    seat=seat, actor=request.user, **entry.validated_data
                )
            return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
        with service_errors():
            required = services.required_competencies(seat)
            evidence = services.evidence_of(seat)
        history = list(
            CompetencyDecision.objects.filter(seat=seat)
            .select_related("decided_by", "superseded_by")
            .order_by("competency_code", "decided_at", "id")
        )
        current = {d.competency_code: d for d in history if _current(d)}
        data = {
            "seat": seat.pk,
            "frozen": services.is_frozen(seat.session),
            "competencies": [
                {
                    "code": c.code,
                    "title": c.title,
                    "criteria_support_acquired": rules.criteria_support_acquired(c, evidence),
                    "decision": current.get(c.code),
                }
                for c in required
            ],
            "history": history,
        }
        return Response(SeatDecisionsSerializer(data).data)

    # --- conditions and attendance

    @extend_schema(
        methods=["GET"],
        responses={200: SeatConditionsSerializer, 404: NOT_FOUND},
        description="Les conditions hors compétences (entretien final tenu, dossier, …) avec "
        "le constat en vigueur, et l'historique.",
    )
    @extend_schema(
        methods=["POST"],
        request=RecordConditionSerializer,
        responses={201: FindingSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Constat d'une condition par un membre du jury (avant le procès-verbal).",
    )
    @action(detail=True, methods=["get", "post"])
    def conditions(self, request: Request, pk: str | None = None) -> Response:
        seat = self.get_object()
        if request.method == "POST":
            entry = RecordConditionSerializer(data=request.data)
            entry.is_valid(raise_exception=True)
            with service_errors():
                finding = services.record_condition(
                    seat=seat, actor=request.user, **entry.validated_data
                )
            return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)
        with service_errors():
            conditions = services.seat_conditions(seat)
        history = list(
            ConditionFinding.objects.filter(seat=seat)
            .select_related("decided_by", "superseded_by")
            .order_by("condition_key", "decided_at", "id")
        )
        current = {f.condition_key: f for f in history if _current(f)}
        data = {
            "seat": seat.pk,
            "conditions": [
                {
                    "key": c.key,
                    "scope": c.scope,
                    "kind": c.kind.value,
                    "label": c.label,
                    "detail": c.detail,
                    "finding": current.get(c.key),
                }
                for c in conditions
            ],
            "history": history,
        }
        return Response(SeatConditionsSerializer(data).data)

    @extend_schema(
        methods=["GET"],
        responses={200: SeatAttendanceSerializer, 404: NOT_FOUND},
        description="La présence du candidat (le dernier relevé compte ; aucun : présent).",
    )
    @extend_schema(
        methods=["POST"],
        request=RecordAttendanceSerializer,
        responses={201: AttendanceRecordSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Relevé de présence par un membre du jury ou un responsable du centre.",
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        seat = self.get_object()
        if request.method == "POST":
            entry = RecordAttendanceSerializer(data=request.data)
            entry.is_valid(raise_exception=True)
            with service_errors():
                record = services.record_attendance(
                    seat=seat,
                    status=entry.validated_data["attendance"],
                    reason=entry.validated_data["reason"],
                    actor=request.user,
                )
            return Response(AttendanceRecordSerializer(record).data, status=status.HTTP_201_CREATED)
        data = {
            "seat": seat.pk,
            "attendance": services.attendance_of(seat),
            "history": AttendanceRecord.objects.filter(seat=seat)
            .select_related("recorded_by")
            .order_by("recorded_at", "id"),
        }
        return Response(SeatAttendanceSerializer(data).data)

    # --- exemptions

    @extend_schema(
        methods=["GET"],
        responses={200: SeatExemptionsSerializer, 404: NOT_FOUND},
        description="Les critères dont le candidat est dispensé. L'avis du référent handicap "
        "et les demandes ne sont montrés qu'au président du jury (et à l'administrateur du "
        "centre).",
    )
    @extend_schema(
        methods=["POST"],
        request=ExemptSerializer,
        responses={201: ExemptionSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Le président du jury dispense le candidat d'un critère.",
    )
    @action(detail=True, methods=["get", "post"])
    def exemptions(self, request: Request, pk: str | None = None) -> Response:
        seat = self.get_object()
        disclose = reads_referent_opinion(request.user, seat)
        if request.method == "POST":
            entry = ExemptSerializer(data=request.data)
            entry.is_valid(raise_exception=True)
            exemption_request = None
            if entry.validated_data["request"] is not None:
                exemption_request = (
                    _requests_of(seat).filter(pk=entry.validated_data["request"]).first()
                )
                if exemption_request is None:
                    raise Refused("Demande d'exemption inconnue pour ce candidat.")
            with service_errors():
                exemption = services.exempt_criterion(
                    seat=seat,
                    criterion_key=entry.validated_data["criterion_key"],
                    request=exemption_request,
                    actor=request.user,
                )
            return Response(
                ExemptionSerializer(exemption, context={"disclose": disclose}).data,
                status=status.HTTP_201_CREATED,
            )
        data: dict[str, Any] = {
            "seat": seat.pk,
            "exemptions": ExemptionSerializer(
                CriterionExemption.objects.filter(seat=seat)
                .select_related("decided_by")
                .order_by("criterion_key", "id"),
                many=True,
                context={"disclose": disclose},
            ).data,
        }
        if disclose:
            data["requests"] = [
                {
                    "id": r.pk,
                    "criterion_key": _criterion_key(r.criterion),
                    "criterion": r.criterion.text,
                    "opinion": r.opinion,
                    "requested_at": r.requested_at,
                }
                for r in _requests_of(seat)
            ]
            data["requests"] = ExemptionRequestSerializer(data["requests"], many=True).data
        return Response(data)


def _evidence(row: MarkEvidence) -> dict[str, Any]:
    return AttachmentSerializer(
        {
            "id": row.pk,
            "method_index": row.method_index,
            "criterion_key": row.criterion_key,
            "original_name": row.original_name,
            "file_kind": row.file_kind,
            "size": row.size,
            "sha256": row.sha256,
            "assessor": display_name(row.assessor),
            "attached_at": row.attached_at,
            "download": reverse("evaluation:evidence_file", args=[row.pk]),
        }
    ).data


def _current(row: CompetencyDecision | ConditionFinding) -> bool:
    """No correction or later finding supersedes it (``superseded_by`` selected)."""
    return getattr(row, "superseded_by", None) is None


def _requests_of(seat: SessionCandidate) -> QuerySet[ExemptionRequest]:
    return (
        ExemptionRequest.objects.filter(accommodation__enrolment_id=seat.enrolment_id)
        .select_related("criterion__competency")
        .prefetch_related(
            Prefetch(
                "criterion__competency__criteria",
                queryset=Criterion.objects.order_by("position", "id"),
            )
        )
        .order_by("requested_at", "id")
    )


def _criterion_key(criterion: Criterion) -> str:
    """The grid's key of a référentiel criterion ("" for a transversal one)."""
    return services.criterion_key_of(criterion) or ""


class DecisionViewSet(viewsets.ReadOnlyModelViewSet[CompetencyDecision]):
    """Every decision of the seats in the user's jury scope, corrections included."""

    serializer_class = DecisionSerializer

    def get_queryset(self) -> QuerySet[CompetencyDecision]:
        queryset = (
            CompetencyDecision.objects.filter(seat__in=jury_seats(self.request.user))
            .select_related("decided_by", "superseded_by")
            .order_by("seat_id", "competency_code", "decided_at", "id")
        )
        seat = query_id(self.request, "seat")
        if seat is not None:
            queryset = queryset.filter(seat_id=seat)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("seat", int, description="Un candidat seulement.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=CorrectDecisionSerializer,
        responses={201: DecisionSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Le président du jury corrige une décision, avec un motif : une nouvelle "
        "décision remplace l'ancienne, qui reste telle qu'elle était (aussi après le "
        "procès-verbal ; une nouvelle révision est alors à établir).",
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        decision = self.get_object()
        entry = CorrectDecisionSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with service_errors():
            correction = services.correct_decision(
                decision=decision, actor=request.user, **entry.validated_data
            )
        return Response(DecisionSerializer(correction).data, status=status.HTTP_201_CREATED)


class ConditionViewSet(viewsets.ReadOnlyModelViewSet[ConditionFinding]):
    """Every condition finding of the seats in the user's jury scope."""

    serializer_class = FindingSerializer

    def get_queryset(self) -> QuerySet[ConditionFinding]:
        queryset = (
            ConditionFinding.objects.filter(seat__in=jury_seats(self.request.user))
            .select_related("decided_by")
            .order_by("seat_id", "condition_key", "decided_at", "id")
        )
        seat = query_id(self.request, "seat")
        if seat is not None:
            queryset = queryset.filter(seat_id=seat)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("seat", int, description="Un candidat seulement.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=CorrectConditionSerializer,
        responses={201: FindingSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Le président du jury corrige un constat, avec un motif.",
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        entry = CorrectConditionSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        with service_errors():
            correction = services.correct_condition(
                finding=finding, actor=request.user, **entry.validated_data
            )
        return Response(FindingSerializer(correction).data, status=status.HTTP_201_CREATED)
