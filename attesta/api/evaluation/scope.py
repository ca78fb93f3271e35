"""Who reads which seats and sessions of the jury API, and the services' refusals as API
answers (400 with the French reason, 409 for a stale mark)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from attesta.accounts.enums import Role
from attesta.api.errors import ErrorSerializer, Refused
from attesta.evaluation import services
from attesta.exams.models import ExamSession, JuryMember, SessionCandidate

# --- scope ---------------------------------------------------------------------------------


def jury_sessions(user: Any) -> QuerySet[ExamSession]:
    """Sessions whose deliberation the user takes part in or runs."""
    return ExamSession.objects.deliberated_by(user)


def jury_seats(user: Any) -> QuerySet[SessionCandidate]:
    """Seats whose grids, decisions and findings the user may read."""
    return SessionCandidate.objects.deliberated_by(user)


def visible_seats(user: Any) -> QuerySet[SessionCandidate]:
    """The jury's seats, and a candidate's own seats."""
    return SessionCandidate.objects.visible_to(user)


def _presides(user: Any, session_id: int) -> bool:
    return JuryMember.objects.filter(
        session_id=session_id, user_id=user.pk, is_president=True
    ).exists()


def reads_referent_opinion(user: Any, seat: SessionCandidate) -> bool:
    """The jury president decides on the referent's opinion; the centre's administrator reads
    the disability itself. Nobody else reads it."""
    if user.is_superuser:
        return True
    if user.role == Role.ADMINISTRATOR and user.organisation_id == seat.session.organisation_id:
        return True
    return _presides(user, seat.session_id)


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


# --- errors --------------------------------------------------------------------------------


class StaleConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Enregistrement modifié entre-temps : rechargez."
    default_code = "stale"


@contextmanager
def service_errors() -> Iterator[None]:
    """The service's French refusal as the API's answer: 409 for a stale mark, else 400."""
    try:
        yield
    except services.StaleMark as error:
        raise StaleConflict(str(error)) from error
    except services.EvaluationError as error:
        raise Refused(str(error)) from error


REFUSED = OpenApiResponse(ErrorSerializer, description="Refusé par les règles du jury (motif).")
STALE = OpenApiResponse(
    ErrorSerializer, description="Appréciation modifiée entre-temps : rechargez la grille."
)
METHOD_INDEX = OpenApiParameter(
    "method_index", int, OpenApiParameter.PATH, description="Rang de la modalité (0, 1, …)."
)


def query_id(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    return int(value) if value is not None and value.isdigit() else None
