"""Candidates and enrolments API, scoped like the pages (``visible_to``); writes via services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from attesta.candidates import services
from attesta.candidates.models import CANDIDATE_EDITOR_ROLES, Candidate, Enrolment
from attesta.referentiels.models import Block


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    possible_duplicates = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "last_name",
            "first_names",
            "birth_date",
            "birth_place",
            "birth_country",
            "email",
            "phone",
            "created_at",
            "possible_duplicates",
        ]
        read_only_fields = ["id", "created_at", "possible_duplicates"]

    def get_possible_duplicates(self, obj: Candidate) -> list[int]:
        return list(obj.possible_duplicates().values_list("pk", flat=True))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("birth_place") and not attrs.get("birth_country"):
            raise serializers.ValidationError(
                {"birth_place": "Indiquez la commune ou le pays de naissance."}
            )
        return attrs


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    certification = serializers.CharField(source="version.certification.code", read_only=True)
    version = serializers.CharField(source="version.version", read_only=True)
    target_blocks: serializers.RelatedField[Block, str, str] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "candidate",
            "certification",
            "version",
            "target_blocks",
            "path",
            "status",
            "company_period_done",
            "created_at",
        ]
        read_only_fields = fields


class EligibilitySerializer(serializers.Serializer[Any]):
    eligible = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class CandidateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Candidate]):
    serializer_class = CandidateSerializer

    def get_queryset(self) -> QuerySet[Candidate]:
        return Candidate.objects.visible_to(self.request.user).order_by(
            "last_name", "first_names", "id"
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Candidate]) -> None:
        user = self.request.user
        if not (getattr(user, "role", None) in CANDIDATE_EDITOR_ROLES and user.organisation):  # type: ignore[union-attr]
            raise PermissionDenied("Votre rôle ne permet pas d'enregistrer un candidat.")
        serializer.instance = services.register_candidate(
            organisation=user.organisation,  # type: ignore[union-attr]
            actor=user,
            **serializer.validated_data,
        )


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet[Enrolment]):
    serializer_class = EnrolmentSerializer

    def get_queryset(self) -> QuerySet[Enrolment]:
        return (
            Enrolment.objects.visible_to(self.request.user)
            .select_related("version__certification")
            .prefetch_related("target_blocks")
            .order_by("id")
        )

    @extend_schema(responses=EligibilitySerializer)
    @action(detail=True, methods=["get"])
    def eligibility(self, request: Request, pk: str | None = None) -> Response:
        result = services.eligibility_of(self.get_object())
        return Response({"eligible": result.eligible, "missing": list(result.missing)})
