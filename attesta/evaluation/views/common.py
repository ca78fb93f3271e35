"""What the jury pages share: who sits where (a 404 for anyone else), labels, grids."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from attesta.accounts.models import User, signed_in_user
from attesta.evaluation import rules
from attesta.exams.models import ExamSession, JuryMember, SeatQuerySet, SessionCandidate
from attesta.referentiels.importers.canonical import Referentiel

NOT_ESTABLISHED = "Non établi"
AGREEMENT_LABELS = {
    rules.Agreement.AGREED: "Accord",
    rules.Agreement.DISAGREED: "Désaccord",
    rules.Agreement.INCOMPLETE: "Incomplet",
}
SOURCE_LABELS = {
    rules.BlockSource.SESSION: "obtenu à cette session",
    rules.BlockSource.CAPITALISED: "capitalisé",
    rules.BlockSource.CORRESPONDENCE: "acquis par correspondance",
}


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def mark_label(mark: rules.Mark | None) -> str:
    return mark.label if mark is not None else NOT_ESTABLISHED


def seats_with_candidates() -> SeatQuerySet:
    return SessionCandidate.objects.select_related(
        "session__version__certification", "session__block", "enrolment__candidate"
    )


def jury_seat(request: HttpRequest, pk: int) -> tuple[User, JuryMember, SessionCandidate]:
    """A candidate of a session the user sits on as a jury member; anyone else gets a 404."""
    user = signed_in_user(request)
    seat = get_object_or_404(seats_with_candidates().on_jury_of(user), pk=pk)
    member = JuryMember.objects.get(session_id=seat.session_id, user=user)
    return user, member, seat


def jury_session(request: HttpRequest, pk: int) -> tuple[User, JuryMember, ExamSession]:
    user = signed_in_user(request)
    sessions = ExamSession.objects.filter(jury__user=user).select_related(
        "version__certification", "block", "organisation"
    )
    session = get_object_or_404(sessions, pk=pk)
    member = JuryMember.objects.get(session=session, user=user)
    return user, member, session


def require_president(member: JuryMember, what: str) -> None:
    if not member.is_president:
        raise PermissionDenied(f"Seul le président du jury {what}.")


def grids_of(referentiel: Referentiel, scope: str) -> list[rules.Grid]:
    """The grids of the methods of the exam that assess competencies."""
    exam = referentiel.exam_for(scope)
    if exam is None:
        return []
    grids = [
        rules.grid_for(referentiel, scope=scope, method_index=i) for i in range(len(exam.methods))
    ]
    return [grid for grid in grids if grid.competencies]


def shows_refusal(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A refusal (``PermissionDenied``) answers 403 with its reason on a page, not a bare 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            reason = str(refusal) or "Votre rôle ne permet pas cette action."
            return render(request, "evaluation/refused.html", {"reason": reason}, status=403)

    return wrapper
