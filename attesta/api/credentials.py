"""Documents API: the issued documents a user may download, what a session offers them, and
the PDFs themselves (grids, minutes, attestation, certificate or results summary, livret).

Same doors as the download pages: ``attesta.credentials.access`` says who may download what
(404 otherwise, never 403), ``attesta.credentials.services`` issues each document once and
returns the one already issued when its content is unchanged. Every PDF answer carries its
verification code in ``X-Verification-Code`` (and the public page in
``X-Verification-Url``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from attesta.api.errors import NOT_FOUND
from attesta.api.evaluation.scope import jury_sessions, query_id, visible_seats
from attesta.candidates.models import Candidate
from attesta.credentials import access, rules, services
from attesta.credentials.enums import DocumentKind
from attesta.credentials.models import IssuedDocument
from attesta.evaluation.models import Minutes
from attesta.exams.models import ExamSession, SessionCandidate

GRID_VARIANTS = {"blank": False, "filled": True}
RESULT_KINDS = [DocumentKind.ATTESTATION, DocumentKind.CERTIFICATE, DocumentKind.RESULTS_SUMMARY]


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the PDF itself is a FileResponse."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return renderers.JSONRenderer().render(data)  # only refusals get here


class Unavailable(APIException):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "Document indisponible."
    default_code = "unavailable"


VERIFICATION_HEADERS = [
    OpenApiParameter(
        "X-Verification-Code",
        str,
        OpenApiParameter.HEADER,
        response=[200],
        description="Code de vérification du document (XXXX-XXXX-XXXX).",
    ),
    OpenApiParameter(
        "X-Verification-Url",
        str,
        OpenApiParameter.HEADER,
        response=[200],
        description="Page publique de vérification du code.",
    ),
]
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="Le document PDF, délivré une fois.")
UNAVAILABLE = OpenApiResponse(
    description="Hors de votre périmètre, ou document indisponible (motif dans « detail », par "
    "exemple procès-verbal pas encore signé)."
)


def _pdf(document: IssuedDocument) -> FileResponse:
    response = FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{document.kind}-{document.code}.pdf",
    )
    response["X-Verification-Code"] = document.code
    response["X-Verification-Url"] = services.verification_url(document.code)
    response["Cache-Control"] = "private, no-store"
    return response


def _api_path(url: str) -> str | None:
    """The API address of a download page (``access.documents_for`` lists the pages)."""
    try:
        match = resolve(url)
    except Resolver404:
        return None
    kwargs = match.kwargs
    if match.view_name == "credentials:grid_pdf":
        args = [kwargs["seat_pk"], kwargs["method_index"], kwargs["variant"]]
        return reverse("document-grid", args=args)
    if match.view_name == "credentials:minutes_pdf":
        return reverse("document-minutes-pdf", args=[kwargs["pk"]])
    if match.view_name == "credentials:candidate_document":
        return reverse("document-result", args=[kwargs["seat_pk"], kwargs["kind"]])
    if match.view_name == "credentials:livret":
        return reverse("document-livret", args=[kwargs["pk"]])
    return None


class IssuedDocumentSerializer(serializers.ModelSerializer[IssuedDocument]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    verification_url = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()
    statement = serializers.JSONField(
        read_only=True, help_text="Ce que la page publique de vérification affiche."
    )
    superseded = serializers.SerializerMethodField(
        help_text="Remplacé : le même document imprimerait aujourd'hui autre chose. Donné pour "
        "un document seul, vide dans la liste."
    )

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "code",
            "verification_url",
            "issued_at",
            "session",
            "seat",
            "candidate",
            "minutes",
            "method_index",
            "pdf_sha256",
            "download",
            "statement",
            "superseded",
        ]
        read_only_fields = fields

    def get_verification_url(self, obj: IssuedDocument) -> str:
        return services.verification_url(obj.code)

    def get_download(self, obj: IssuedDocument) -> str:
        return reverse("document-pdf", args=[obj.pk])

    def get_superseded(self, obj: IssuedDocument) -> bool | None:
        if not self.context.get("status"):
            return None  # recomputing each document's content is for one document at a time
        return services.is_superseded(obj)


class AvailableDocumentSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="Comme « kind » d'un document délivré.")
    label = serializers.CharField()  # type: ignore[assignment]  # named like Field.label
    candidate = serializers.CharField(allow_blank=True)
    download = serializers.CharField(
        allow_null=True, help_text="Adresse de l'API qui délivre le PDF."
    )
    page = serializers.CharField(help_text="Adresse de téléchargement dans l'application.")


def _seat(pk: str) -> SessionCandidate:
    return get_object_or_404(
        SessionCandidate.objects.select_related(
            "session__organisation", "session__version__certification", "session__block"
        ).select_related("enrolment__candidate"),
        pk=int(pk),
    )


class DocumentViewSet(viewsets.ReadOnlyModelViewSet[IssuedDocument]):
    """Documents already issued that the user may download, and the PDFs to issue."""

    serializer_class = IssuedDocumentSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[IssuedDocument]:
        visible = IssuedDocument.objects.visible_to(self.request.user)
        queryset = visible.order_by("-issued_at", "-id")
        session = query_id(self.request, "session")
        if session is not None:
            queryset = queryset.filter(session_id=session)
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "status": self.action == "retrieve"}

    @extend_schema(
        parameters=[OpenApiParameter("session", int, description="Une session seulement.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: PDF, 404: NOT_FOUND}, parameters=VERIFICATION_HEADERS)
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request: Request, pk: str | None = None) -> FileResponse:
        return _pdf(self.get_object())

    @extend_schema(
        parameters=[OpenApiParameter("session", int, required=True)],
        responses={200: AvailableDocumentSerializer(many=True), 404: NOT_FOUND},
        description="Les documents d'une session que vous pouvez télécharger : le "
        "procès-verbal et les grilles pour le jury et les responsables, ses résultats pour un "
        "candidat une fois le procès-verbal signé.",
    )
    @action(detail=False, methods=["get"])
    def available(self, request: Request) -> Response:
        pk = query_id(request, "session")
        if pk is None:
            raise ValidationError({"session": "Indiquez la session."})
        user = request.user
        in_scope = (
            jury_sessions(user).filter(pk=pk).exists()
            or visible_seats(user).filter(session_id=pk).exists()
        )
        if not in_scope:
            raise NotFound
        session = get_object_or_404(
            ExamSession.objects.select_related("organisation", "version", "block"), pk=pk
        )
        links = [
            {
                "kind": link.kind,
                "label": link.label,
                "candidate": link.candidate,
                "download": _api_path(link.url),
                "page": link.url,
            }
            for link in access.documents_for(user, session)
        ]
        return Response(AvailableDocumentSerializer(links, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("seat", int, OpenApiParameter.PATH),
            OpenApiParameter("method_index", int, OpenApiParameter.PATH),
            OpenApiParameter("variant", str, OpenApiParameter.PATH, enum=[*GRID_VARIANTS]),
            *VERIFICATION_HEADERS,
        ],
        responses={200: PDF, 404: UNAVAILABLE},
        description="La grille d'une modalité pour un candidat, vierge ou renseignée (jury de "
        "la session et responsables).",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"grids/(?P<seat>\d+)/(?P<method_index>\d+)/(?P<variant>blank|filled)",
        url_name="grid",
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
    )
    def grid(self, request: Request, seat: str, method_index: str, variant: str) -> FileResponse:
        found = _seat(seat)
        filled = GRID_VARIANTS[variant]
        kind = DocumentKind.GRID_FILLED if filled else DocumentKind.GRID_BLANK
        if not access.may_download(request.user, kind=kind, session=found.session):
            raise NotFound
        try:
            document = services.grid_document(
                seat=found, method_index=int(method_index), filled=filled, actor=request.user
            )
        except services.CredentialError as error:
            raise Unavailable(str(error)) from error
        return _pdf(document)

    @extend_schema(
        parameters=[OpenApiParameter("minutes", int, OpenApiParameter.PATH), *VERIFICATION_HEADERS],
        responses={200: PDF, 404: UNAVAILABLE},
        description="Une révision du procès-verbal, avec ses signatures et son empreinte "
        "(jury de la session et responsables).",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"minutes/(?P<minutes>\d+)",
        url_name="minutes-pdf",
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
    )
    def minutes(self, request: Request, minutes: str) -> FileResponse:
        found = get_object_or_404(
            Minutes.objects.select_related("session__organisation"), pk=int(minutes)
        )
        if not access.may_download(request.user, kind=DocumentKind.MINUTES, session=found.session):
            raise NotFound
        return _pdf(services.minutes_document(minutes=found, actor=request.user))

    @extend_schema(
        parameters=[
            OpenApiParameter("seat", int, OpenApiParameter.PATH),
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=RESULT_KINDS),
            *VERIFICATION_HEADERS,
        ],
        responses={200: PDF, 404: UNAVAILABLE},
        description="L'attestation de blocs, le certificat ou le relevé de résultats d'un "
        "candidat, tirés du procès-verbal signé par tout le jury (le candidat lui-même et les "
        "responsables du centre).",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"results/(?P<seat>\d+)/(?P<kind>attestation|certificate|results_summary)",
        url_name="result",
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
    )
    def result(self, request: Request, seat: str, kind: str) -> FileResponse:
        found = _seat(seat)
        if not access.may_download(
            request.user, kind=kind, session=found.session, candidate=found.enrolment.candidate
        ):
            raise NotFound
        try:
            if kind == DocumentKind.ATTESTATION:
                document = services.attestation_document(seat=found, actor=request.user)
            else:
                document = services.certificate_document(seat=found, actor=request.user)
        except (services.CredentialError, rules.ResultError) as error:
            raise Unavailable(str(error)) from error
        if document.kind != kind:  # a certificate asked for a titre professionnel, or back
            raise Unavailable(f"Pas de document « {DocumentKind(kind).label} » pour ce titre.")
        return _pdf(document)

    @extend_schema(
        parameters=[
            OpenApiParameter("candidate", int, OpenApiParameter.PATH),
            *VERIFICATION_HEADERS,
        ],
        responses={200: PDF, 404: UNAVAILABLE},
        description="Le livret des blocs capitalisés d'un candidat (le candidat lui-même et les "
        "responsables de son organisation).",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"livrets/(?P<candidate>\d+)",
        url_name="livret",
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
    )
    def livret(self, request: Request, candidate: str) -> FileResponse:
        found = get_object_or_404(
            Candidate.objects.select_related("organisation"), pk=int(candidate)
        )
        if not access.may_download(request.user, kind=DocumentKind.LIVRET, candidate=found):
            raise NotFound
        return _pdf(services.livret_document(candidate=found, actor=request.user))
