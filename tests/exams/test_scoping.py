"""Who sees which sessions and seats for the jury's work: the querysets pages and API share."""

from __future__ import annotations

import pytest

from attesta.candidates.models import Candidate
from attesta.exams import services
from attesta.exams.models import ExamSession, SessionCandidate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_jury_managers_candidates_and_outsiders_see_their_own_share(
    centre_session, manager, assessors, outsider, organisation
):
    seats = services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    services.add_jury_member(session=centre_session, user=assessors[0], actor=manager)
    candidate = UserFactory(organisation=organisation)
    Candidate.objects.filter(pk=seats[1].enrolment.candidate_id).update(user=candidate)
    referent = UserFactory(referent=True, organisation=organisation)

    def seats_of(user, method):
        return set(getattr(SessionCandidate.objects, method)(user).values_list("pk", flat=True))

    everyone = {s.pk for s in seats}
    assert seats_of(assessors[0], "on_jury_of") == everyone
    assert seats_of(assessors[0], "deliberated_by") == everyone
    assert seats_of(manager, "deliberated_by") == everyone
    assert seats_of(manager, "on_jury_of") == set()
    assert seats_of(candidate, "visible_to") == {seats[1].pk}
    assert seats_of(candidate, "deliberated_by") == set()
    for nobody in (assessors[1], outsider, referent):
        assert seats_of(nobody, "visible_to") == set()
    assert list(ExamSession.objects.deliberated_by(assessors[0])) == [centre_session]
    assert not ExamSession.objects.deliberated_by(outsider).exists()
