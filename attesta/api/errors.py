"""The services' refusals as API answers: 400 with the French reason, documented once."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException


class Refused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Opération refusée."
    default_code = "refused"


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="Motif du refus, en français.")


NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Hors de votre périmètre.")
