"""The confidentiality matrix: every role × every page and endpoint that shows a candidate.

The disability itself is read by the disability referent and the administrator only, and only
where it is recorded (the enrolment page and the accommodation form); the measures reach the
manager and the candidate; an assessor on the jury sees the candidate's planning, never the
reason nor the recorded disability."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attesta.candidates import services as candidate_services
from attesta.exams import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Épilepsie photosensible"


@pytest.fixture
def world(centre_session, manager, assessors, organisation):
    seats = services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    for user in assessors[:2]:
        services.add_jury_member(session=centre_session, user=user, actor=manager)
    enrolment = seats[0].enrolment
    referent = UserFactory(username="ref", referent=True, organisation=organisation)
    administrator = UserFactory(username="adm", administrator=True, organisation=organisation)
    account = UserFactory(username="cand", organisation=organisation)
    enrolment.candidate.user = account
    enrolment.candidate.save()
    candidate_services.record_accommodation(
        enrolment=enrolment,
        actor=referent,
        disability=SECRET,
        extra_time_percent=33,
        written_exchange=True,
    )
    centre_session.ends_on = centre_session.starts_on.replace(day=13)
    centre_session.save()
    services.build_timetable(session=centre_session, actor=manager)
    record = services.send_convocations(session=centre_session, actor=manager)[0]
    return {
        "enrolment": enrolment,
        "session": centre_session,
        "convocation": record,
        "users": {
            "referent": referent,
            "administrator": administrator,
            "manager": manager,
            "assessor": assessors[0],
            "candidate": account,
        },
    }


def pages(world):
    enrolment, session = world["enrolment"], world["session"]
    record = world["convocation"]
    return {
        "candidate_list": reverse("candidates:list"),
        "candidate_detail": reverse("candidates:detail", args=[enrolment.candidate_id]),
        "enrolment": reverse("candidates:enrolment", args=[enrolment.pk]),
        "accommodation_form": reverse("candidates:accommodation", args=[enrolment.pk]),
        "session": reverse("exams:detail", args=[session.pk]),
        "api_candidates": "/api/candidates/",
        "api_enrolment": f"/api/enrolments/{enrolment.pk}/",
        "api_timetable": "/api/timetable/",
        "api_convocations": "/api/convocations/",
        "convocation_pdf": reverse(
            "exams:convocation_file", args=[session.pk, record.reference, "pdf"]
        ),
    }


# Where each role reads the disability (everything else must never contain it).
READS_DISABILITY = {
    "referent": {"enrolment", "accommodation_form"},
    "administrator": {"enrolment"},  # reads it; recording is the referent's (form: 403)
    "manager": set(),
    "assessor": set(),
    "candidate": set(),
}
ROLES = sorted(READS_DISABILITY)


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_disability_is_read_only_by_the_referent_and_the_administrator(client, world, role):
    client.force_login(world["users"][role])
    for name, url in pages(world).items():
        response = client.get(url)
        shown = SECRET in body(response)
        assert shown is (name in READS_DISABILITY[role]), (role, name, response.status_code)


def test_measures_reach_the_manager_and_the_candidate_but_the_assessor_sees_no_file(client, world):
    enrolment_url = reverse("candidates:enrolment", args=[world["enrolment"].pk])
    for role in ("manager", "candidate"):
        client.force_login(world["users"][role])
        assert "Temps majoré : +33 %" in client.get(enrolment_url).content.decode()
    client.force_login(world["users"]["assessor"])
    assert client.get(enrolment_url).status_code == 404
    session_page = client.get(reverse("exams:detail", args=[world["session"].pk])).content.decode()
    assert "140 min au lieu de 105" in session_page  # the effect on the planning, no reason


def test_the_convocation_states_the_measures_but_not_the_disability(world):
    from io import BytesIO

    from pypdf import PdfReader

    record = world["convocation"]
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(record.pdf.read())).pages)
    assert "Temps majoré : +33 %" in text
    assert SECRET not in text
