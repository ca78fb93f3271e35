"""Fixtures of the evaluation tests: a CC title session with three candidates and a jury of
two on Jury 1 (juré 0 presides)."""

from __future__ import annotations

import pytest

from attesta.exams import services as exam_services
from tests.exams.fixtures import assessors, centre_session  # noqa: F401


@pytest.fixture
def seat(centre_session, manager, assessors):  # noqa: F811
    """The first candidate of the CC session; jurés 0 (president) and 1 on Jury 1."""
    seats = exam_services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    exam_services.add_jury_member(
        session=centre_session, user=assessors[0], actor=manager, is_president=True
    )
    exam_services.add_jury_member(session=centre_session, user=assessors[1], actor=manager)
    return seats[0]


@pytest.fixture
def president(assessors):  # noqa: F811
    return assessors[0]


@pytest.fixture
def member(assessors):  # noqa: F811
    return assessors[1]
