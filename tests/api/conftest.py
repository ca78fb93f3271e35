"""Fixtures of the API tests: the CC session of the evaluation tests (``seat``, ``president``,
``member``), its deliberation drawn up and signed, and every persona the jury API answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from attesta.evaluation import services
from tests.evaluation.conftest import member, president, seat  # noqa: F401
from tests.exams.fixtures import assessors, centre_session  # noqa: F401
from tests.factories import UserFactory

COMPETENCIES = ["CP1", "CP2", "CP3", "CP4", "CP5", "CP6", "CP7", "CP8"]  # CC: CCP1 then CCP2
FINAL_INTERVIEW = "method:certification:3"
JUSTIFICATION = "Au vu des épreuves et du dossier professionnel."


def deliberate(session: Any, chair: Any) -> None:
    """Every competency acquired and the final interview held, for every seat of the CC
    session, except the decisions already taken."""
    for s in session.candidates.order_by("position", "id"):
        decided = services.current_decisions(s)
        for code in COMPETENCIES:
            if code not in decided:
                services.decide_competency(
                    seat=s,
                    competency_code=code,
                    acquired=True,
                    justification=JUSTIFICATION,
                    actor=chair,
                )
        services.record_condition(seat=s, condition_key=FINAL_INTERVIEW, met=True, actor=chair)


@pytest.fixture
def drafted(seat, president):  # noqa: F811
    """The session deliberated and its minutes drawn up, not signed yet."""
    deliberate(seat.session, president)
    return services.draft_minutes(session=seat.session, actor=president)


@pytest.fixture
def signed(drafted, president, member):  # noqa: F811
    """The minutes signed by the whole jury: results take effect."""
    for user in (member, president):
        services.sign_minutes(minutes=drafted, actor=user, content_hash=drafted.content_hash)
    return drafted


@dataclass
class Personas:
    """Everybody the jury API answers differently, around the CC session of ``seat``."""

    administrator: Any  # administrator of the session's centre
    manager: Any  # session manager of the centre
    outsider: Any  # session manager of another organisation
    president: Any  # jury president (Jury 1)
    member: Any  # jury member (Jury 1)
    off_jury: Any  # assessor of the centre, not on this jury
    referent: Any  # disability referent of the centre
    own_candidate: Any  # the account of the seat's candidate
    other_candidate: Any  # the account of another candidate of the session
    anonymous: None = None

    def get(self, name: str) -> Any:
        return getattr(self, name)


PERSONAS = (
    "anonymous",
    "administrator",
    "manager",
    "outsider",
    "president",
    "member",
    "off_jury",
    "referent",
    "own_candidate",
    "other_candidate",
)


def candidate_account(seat: Any, username: str) -> Any:  # noqa: F811
    """Give the seat's candidate an account (the candidate persona)."""
    candidate = seat.enrolment.candidate
    candidate.user = UserFactory(
        username=username, organisation=candidate.organisation, role="candidate"
    )
    candidate.save()
    return candidate.user


@pytest.fixture
def personas(seat, organisation, manager, outsider, assessors):  # noqa: F811
    others = list(seat.session.candidates.exclude(pk=seat.pk).order_by("position", "id"))
    return Personas(
        administrator=UserFactory(
            username="admin-centre", administrator=True, organisation=organisation
        ),
        manager=manager,
        outsider=outsider,
        president=assessors[0],
        member=assessors[1],
        off_jury=assessors[2],
        referent=UserFactory(username="referente", referent=True, organisation=organisation),
        own_candidate=candidate_account(seat, "alex.martin"),
        other_candidate=candidate_account(others[0], "alex.durand"),
    )
