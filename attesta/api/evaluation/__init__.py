"""Jury assessment API (issue #4): seats and their outcome, grids and marks, consolidation,
decisions, conditions, attendance, criterion exemptions and the minutes.

Scoped querysets: what a user may not see answers 404, never 403. The jury's working data is
read by the session's jury members and the centre's managers; a candidate reads their own seat
and, once every jury member has signed the minutes, their result as the signed minutes state
it. Every write calls ``attesta.evaluation.services``: its French refusal comes back as 400
(409 for a mark saved meanwhile by someone else), so the pages, the API and the CLI follow the
same rules. Disability information stays out of the assessors' payloads: an exemption shows
as exempted, the referent's opinion is shown to the jury president (and the centre's
administrator, who reads the disability itself)."""

from attesta.api.evaluation.minutes import MinutesViewSet, SessionMinutesViewSet
from attesta.api.evaluation.seats import ConditionViewSet, DecisionViewSet, SeatViewSet

__all__ = [
    "ConditionViewSet",
    "DecisionViewSet",
    "MinutesViewSet",
    "SeatViewSet",
    "SessionMinutesViewSet",
]
