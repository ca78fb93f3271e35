"""Read-only API over référentiels, scoped like the pages (``visible_to``)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets

from attesta.referentiels.models import (
    Block,
    Certification,
    CertificationVersion,
    Competency,
    Criterion,
)


class CriterionSerializer(serializers.ModelSerializer[Criterion]):
    class Meta:
        model = Criterion
        fields = ["position", "code", "group", "text"]


class CompetencySerializer(serializers.ModelSerializer[Competency]):
    criteria = CriterionSerializer(many=True, read_only=True)
    block = serializers.CharField(source="block.code", read_only=True)
    version = serializers.IntegerField(source="version_id", read_only=True)

    class Meta:
        model = Competency
        fields = [
            "id",
            "version",
            "block",
            "position",
            "code",
            "title",
            "description",
            "context",
            "savoir_faire",
            "savoirs",
            "criteria",
        ]


class BlockSerializer(serializers.ModelSerializer[Block]):
    version = serializers.IntegerField(source="version_id", read_only=True)
    competencies: serializers.RelatedField[Competency, str, str] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Block
        fields = [
            "id",
            "version",
            "position",
            "code",
            "title",
            "description",
            "extension",
            "competencies",
        ]


class VersionSerializer(serializers.ModelSerializer[CertificationVersion]):
    certification = serializers.CharField(source="certification.code", read_only=True)
    blocks = BlockSerializer(many=True, read_only=True)

    class Meta:
        model = CertificationVersion
        fields = [
            "id",
            "certification",
            "version",
            "status",
            "level",
            "valid_from",
            "published_on",
            "updated_on",
            "nsf_codes",
            "rome_codes",
            "formacode_codes",
            "imported_at",
            "published_at",
            "warnings",
            "blocks",
        ]


class CertificationSerializer(serializers.ModelSerializer[Certification]):
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = ["code", "kind", "acronym", "title", "versions"]

    def get_versions(self, obj: Certification) -> list[str]:
        return [v.version for v in obj.visible_versions]  # type: ignore[attr-defined]


def _visible_versions(request: object) -> QuerySet[CertificationVersion]:
    return CertificationVersion.objects.visible_to(request.user)  # type: ignore[attr-defined]


class CertificationViewSet(viewsets.ReadOnlyModelViewSet[Certification]):
    serializer_class = CertificationSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Certification]:
        visible = _visible_versions(self.request)
        return (
            Certification.objects.filter(pk__in=visible.values("certification_id"))
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=visible.order_by("imported_at", "id"),
                    to_attr="visible_versions",
                )
            )
            .order_by("title", "code")
        )


class VersionViewSet(viewsets.ReadOnlyModelViewSet[CertificationVersion]):
    serializer_class = VersionSerializer

    def get_queryset(self) -> QuerySet[CertificationVersion]:
        return (
            _visible_versions(self.request)
            .select_related("certification")
            .prefetch_related(
                Prefetch("blocks", queryset=Block.objects.order_by("position")),
                Prefetch("blocks__competencies", queryset=Competency.objects.order_by("position")),
            )
            .order_by("certification__code", "imported_at", "id")
        )


class BlockViewSet(viewsets.ReadOnlyModelViewSet[Block]):
    serializer_class = BlockSerializer

    def get_queryset(self) -> QuerySet[Block]:
        return (
            Block.objects.filter(version__in=_visible_versions(self.request))
            .prefetch_related(
                Prefetch("competencies", queryset=Competency.objects.order_by("position"))
            )
            .order_by("version_id", "position")
        )


class CompetencyViewSet(viewsets.ReadOnlyModelViewSet[Competency]):
    serializer_class = CompetencySerializer

    def get_queryset(self) -> QuerySet[Competency]:
        queryset = (
            Competency.objects.filter(version__in=_visible_versions(self.request))
            .select_related("block")
            .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("position")))
            .order_by("version_id", "block__position", "position")
        )
        version = self.request.query_params.get("version")
        if version is not None and version.isdigit():
            queryset = queryset.filter(version_id=int(version))
        return queryset
