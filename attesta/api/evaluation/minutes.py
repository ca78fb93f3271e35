"""The minutes of a session: drawn up by the president, signed by each jury member on the
hash of what they read."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from attesta.api.errors import NOT_FOUND
from attesta.api.evaluation.scope import (
    REFUSED,
    display_name,
    jury_sessions,
    query_id,
    service_errors,
)
from attesta.evaluation import services
from attesta.evaluation.models import Minutes, MinutesSignature
from attesta.exams.models import ExamSession

# --- serializers: minutes ------------------------------------------------------------------


class SignatureSerializer(serializers.ModelSerializer[MinutesSignature]):
    class Meta:
        model = MinutesSignature
        fields = ["id", "signer", "signer_name", "president", "content_hash", "signed_at"]
        read_only_fields = fields


class PendingSignerSerializer(serializers.Serializer[Any]):
    user = serializers.IntegerField()
    name = serializers.CharField()
    panel = serializers.CharField()
    president = serializers.BooleanField()


class MinutesSerializer(serializers.ModelSerializer[Minutes]):
    drafted_by = serializers.SerializerMethodField()
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta:
        model = Minutes
        fields = [
            "id",
            "session",
            "revision",
            "reason",
            "content_hash",
            "drafted_by",
            "drafted_at",
            "signatures",
        ]
        read_only_fields = fields

    def get_drafted_by(self, obj: Minutes) -> str:
        return display_name(obj.drafted_by)


class MinutesDetailSerializer(MinutesSerializer):
    content = serializers.JSONField(
        read_only=True,
        help_text="Ce que le procès-verbal établit ; content_hash en est le SHA-256.",
    )
    pending_signers = serializers.SerializerMethodField()
    signed = serializers.SerializerMethodField(help_text="Signé par tous les membres du jury.")

    class Meta(MinutesSerializer.Meta):
        fields = [*MinutesSerializer.Meta.fields, "signed", "pending_signers", "content"]
        read_only_fields = fields

    @extend_schema_field(PendingSignerSerializer(many=True))
    def get_pending_signers(self, obj: Minutes) -> list[dict[str, Any]]:
        return [
            {
                "user": m.user_id,
                "name": display_name(m.user),
                "panel": m.panel,
                "president": m.is_president,
            }
            for m in services.pending_signers(obj)
        ]

    def get_signed(self, obj: Minutes) -> bool:
        return services.minutes_signed(obj)


class SessionMinutesSerializer(serializers.Serializer[Any]):
    session = serializers.IntegerField()
    frozen = serializers.BooleanField(help_text="Procès-verbal établi : décisions arrêtées.")
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="Ce qui manque avant d'établir le procès-verbal."
    )
    signed_revision = serializers.IntegerField(
        allow_null=True, help_text="Dernière révision signée par tout le jury."
    )
    latest = MinutesDetailSerializer(allow_null=True)
    revisions = MinutesSerializer(many=True)


class DraftMinutesSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        max_length=4000,
        help_text="Motif de la nouvelle révision (obligatoire après la première).",
    )


class SignMinutesSerializer(serializers.Serializer[Any]):
    content_hash = serializers.CharField(
        max_length=64,
        help_text="L'empreinte SHA-256 (content_hash) du procès-verbal que vous avez lu : la "
        "renvoyer confirme que vous signez ce contenu-là, et lui seul. Une autre empreinte "
        "(procès-verbal modifié ou mal relu) : 400, rien n'est signé. Le signataire est "
        "l'utilisateur authentifié.",
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Votre mot de passe, saisi à nouveau : une signature engage, un jeton ou une "
        "session ouverte ne suffit pas (comme sur la page du procès-verbal).",
    )

    def validate_password(self, value: str) -> str:
        if not self.context["user"].check_password(value):
            raise serializers.ValidationError(
                "Mot de passe incorrect : le procès-verbal n'est pas signé."
            )
        return value


class SessionMinutesViewSet(viewsets.GenericViewSet[ExamSession]):
    """The minutes of a session (``/api/sessions/{id}/minutes/``), next to the sessions API."""

    serializer_class = SessionMinutesSerializer

    def get_queryset(self) -> QuerySet[ExamSession]:
        return jury_sessions(self.request.user).select_related("block", "version").order_by("id")

    @extend_schema(
        methods=["GET"],
        responses={200: SessionMinutesSerializer, 404: NOT_FOUND},
        description="Le procès-verbal de la session : dernière révision (contenu, empreinte, "
        "signatures, signataires attendus), révisions antérieures, et ce qui manque avant de "
        "l'établir.",
    )
    @extend_schema(
        methods=["POST"],
        request=DraftMinutesSerializer,
        responses={201: MinutesDetailSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Le président du jury établit le procès-verbal (ou une nouvelle révision "
        "après correction, avec son motif) : les décisions sont alors arrêtées.",
    )
    @action(detail=True, methods=["get", "post"])
    def minutes(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        if request.method == "POST":
            entry = DraftMinutesSerializer(data=request.data)
            entry.is_valid(raise_exception=True)
            with service_errors():
                drafted = services.draft_minutes(
                    session=session, actor=request.user, **entry.validated_data
                )
            return Response(MinutesDetailSerializer(drafted).data, status=status.HTTP_201_CREATED)
        revisions = list(
            Minutes.objects.filter(session=session)
            .select_related("drafted_by", "session")
            .prefetch_related(_signatures())
            .order_by("-revision")
        )
        signed = services.signed_minutes(session)
        with service_errors():
            problems = services.deliberation_problems(session)
        data = {
            "session": session.pk,
            "frozen": services.is_frozen(session),
            "problems": problems,
            "signed_revision": signed.revision if signed is not None else None,
            "latest": MinutesDetailSerializer(revisions[0]).data if revisions else None,
            "revisions": MinutesSerializer(revisions, many=True).data,
        }
        return Response(data)


def _signatures() -> Prefetch[str, QuerySet[MinutesSignature], str]:
    return Prefetch("signatures", queryset=MinutesSignature.objects.order_by("signed_at", "id"))


class MinutesViewSet(viewsets.ReadOnlyModelViewSet[Minutes]):
    """Every revision of the minutes of the sessions in the user's jury scope."""

    serializer_class = MinutesSerializer

    def get_queryset(self) -> QuerySet[Minutes]:
        queryset = (
            Minutes.objects.filter(session__in=jury_sessions(self.request.user))
            .select_related("drafted_by", "session")
            .prefetch_related(_signatures())
            .order_by("session_id", "-revision")
        )
        session = query_id(self.request, "session")
        if session is not None:
            queryset = queryset.filter(session_id=session)
        return queryset

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Minutes]]:
        if self.action == "retrieve":
            return MinutesDetailSerializer
        return MinutesSerializer

    @extend_schema(
        parameters=[OpenApiParameter("session", int, description="Une session seulement.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=SignMinutesSerializer,
        responses={201: SignatureSerializer, 400: REFUSED, 404: NOT_FOUND},
        description="Le membre du jury authentifié signe la révision dont il renvoie "
        "l'empreinte, en saisissant à nouveau son mot de passe : cette empreinte est la "
        "confirmation de ce qu'il a lu. Quand le dernier "
        "membre signe, les résultats prennent effet (blocs capitalisés).",
    )
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str | None = None) -> Response:
        minutes = self.get_object()
        entry = SignMinutesSerializer(data=request.data, context={"user": request.user})
        entry.is_valid(raise_exception=True)
        with service_errors():
            signature = services.sign_minutes(
                minutes=minutes,
                actor=request.user,
                content_hash=entry.validated_data["content_hash"],
            )
        return Response(SignatureSerializer(signature).data, status=status.HTTP_201_CREATED)
