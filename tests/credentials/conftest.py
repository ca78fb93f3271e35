"""A deliberated CC session (titre professionnel) built through the evaluation services:
three candidates, a jury of two, marks on the first method, an exemption, signed minutes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from pypdf import PdfReader

from attesta.candidates.models import Accommodation
from attesta.evaluation import services as evaluation
from attesta.evaluation.models import Minutes
from attesta.exams.models import ExamSession, SessionCandidate
from tests.evaluation.conftest import member, president, seat  # noqa: F401
from tests.exams.fixtures import assessors, centre_session  # noqa: F401
from tests.factories import UserFactory

CCP1 = ["CP1", "CP2", "CP3", "CP4"]
CCP2 = ["CP5", "CP6", "CP7", "CP8"]
FINAL_INTERVIEW = "method:certification:3"
DISABILITY = "Surdité profonde"
ABSENCE_REASON = "Hospitalisation imprévue"
JUSTIFICATION = "Au vu des épreuves et du dossier professionnel."


def pdf_text(document: Any) -> str:
    """The text of an issued document's PDF, whitespace collapsed."""
    document.pdf.open("rb")
    try:
        data = document.pdf.read()
    finally:
        document.pdf.close()
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def mark(seat, assessor, key, value, comment=""):  # noqa: F811
    return evaluation.record_mark(
        seat=seat,
        assessor=assessor,
        method_index=0,
        criterion_key=key,
        mark=value,
        comment=comment,
        expected_version=0,
    )


def decide(seat, actor, codes, *, acquired=True):  # noqa: F811
    for code in codes:
        evaluation.decide_competency(
            seat=seat,
            competency_code=code,
            acquired=acquired,
            justification=JUSTIFICATION,
            actor=actor,
        )


def sign(minutes: Minutes, *users: Any) -> None:
    for user in users:
        evaluation.sign_minutes(minutes=minutes, actor=user, content_hash=minutes.content_hash)


@dataclass
class Deliberated:
    session: ExamSession
    seats: list[SessionCandidate]
    minutes: Minutes
    president: Any
    member: Any
    manager: Any
    candidate_user: Any  # the account of the first candidate (Alex Martin)


@pytest.fixture
def marked(seat, president, member, manager):  # noqa: F811
    """The session with marks and comments on the first method for the first candidate,
    exempted (by the president) from CP3#2; the candidate has recorded accommodations."""
    seats = list(seat.session.candidates.order_by("position", "id"))
    for s in seats:
        s.enrolment.change_status("convened", actor=manager)
    Accommodation.objects.create(enrolment=seat.enrolment, disability=DISABILITY)
    evaluation.exempt_criterion(seat=seat, criterion_key="CP3#2", actor=president)
    mark(seat, president, "CP3#1", "met", comment="Démarche structurée.")
    mark(seat, member, "CP3#1", "met")
    mark(seat, president, "CP3#3", "met")
    mark(seat, member, "CP3#3", "not_met", comment="Relevé incomplet.")
    return seats


@pytest.fixture
def drafted(marked, president, member, manager):  # noqa: F811
    """Minutes drawn up, not signed yet: Martin obtains the title, Durand CCP1 only, Petit
    is an excused absentee."""
    seats = marked
    evaluation.record_attendance(
        seat=seats[2], status="excused", reason=ABSENCE_REASON, actor=manager
    )
    for i, s in enumerate(seats[:2]):
        decide(s, president, CCP1)
        decide(s, president, CCP2, acquired=i == 0)
        evaluation.record_condition(
            seat=s, condition_key=FINAL_INTERVIEW, met=True, actor=president
        )
    return evaluation.draft_minutes(session=seats[0].session, actor=president)


@pytest.fixture
def deliberated(drafted, marked, president, member, manager):  # noqa: F811
    sign(drafted, member, president)
    candidate = marked[0].enrolment.candidate
    candidate.user = UserFactory(
        username="alex.martin", organisation=candidate.organisation, role="candidate"
    )
    candidate.save()
    return Deliberated(
        session=marked[0].session,
        seats=marked,
        minutes=drafted,
        president=president,
        member=member,
        manager=manager,
        candidate_user=candidate.user,
    )


@pytest.fixture
def certifier_deliberated(organisation, manager, assessors):  # noqa: F811
    """A session of a certifier's title (Attaché commercial): Camille Bernard obtains every
    block and the title, Sam Leroy only BC01."""
    import datetime as dt

    from attesta.candidates import services as candidate_services
    from attesta.exams import services as exam_services
    from attesta.referentiels.services import load_referentiel, store_referentiel
    from tests.conftest import parsed_seed

    version = store_referentiel(
        referentiel=parsed_seed("attache"), organisation=organisation, actor=manager, publish=True
    )
    session = exam_services.create_session(
        organisation=organisation,
        actor=manager,
        version=version,
        block=None,
        label="Attaché commercial – mars 2027",
        starts_on=dt.date(2027, 3, 2),
        ends_on=dt.date(2027, 3, 3),
        address="12 rue des Examens\n69000 Lyon",
        rooms=["Salle A"],
    )
    enrolments = []
    for n, (last, first) in enumerate([("Bernard", "Camille"), ("Leroy", "Sam")]):
        candidate = candidate_services.register_candidate(
            organisation=organisation,
            actor=manager,
            last_name=last,
            first_names=first,
            birth_date=dt.date(1990, 5, n + 1),
            birth_place="Lyon",
        )
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate, version=version, path="vae", actor=manager
        )
        enrolment.change_status("eligible", actor=manager)
        enrolments.append(enrolment)
    seats = exam_services.seat_candidates(session=session, enrolments=enrolments, actor=manager)
    exam_services.add_jury_member(
        session=session, user=assessors[0], actor=manager, is_president=True
    )
    exam_services.add_jury_member(session=session, user=assessors[1], actor=manager)
    chair = assessors[0]
    referentiel = load_referentiel(version)
    for i, s in enumerate(seats):
        for competency in evaluation.required_competencies(s):
            block = referentiel.block_of(competency.code)
            acquired = i == 0 or (block is not None and block.code == "BC01")
            decide(s, chair, [competency.code], acquired=acquired)
        for condition in evaluation.seat_conditions(s):
            evaluation.record_condition(seat=s, condition_key=condition.key, met=True, actor=chair)
    minutes = evaluation.draft_minutes(session=session, actor=chair)
    sign(minutes, assessors[1], chair)
    return seats
