"""Choices of the référentiel models. The référentiel vocabularies (method kinds, units…) are
the canonical enums of ``importers.canonical``, so the JSON and the database share one list."""

from django.db import models

from attesta.referentiels.importers.canonical import (
    Kind,
    MethodKind,
    PeriodUnit,
    ProductionKind,
    choices,
)

__all__ = [
    "Kind",
    "MethodKind",
    "PeriodUnit",
    "ProductionKind",
    "VersionStatus",
    "choices",
]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publiée"
