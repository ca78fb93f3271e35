"""Sessions, timetable and convocations API: scoped to the centre, assessors to their seats."""

from __future__ import annotations

import pytest

from attesta.exams import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def convened(centre_session, manager, assessors):
    centre_session.ends_on = centre_session.starts_on.replace(day=13)  # two days, one panel
    centre_session.save()
    services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    for user in assessors[:2]:
        services.add_jury_member(session=centre_session, user=user, actor=manager)
    services.build_timetable(session=centre_session, actor=manager)
    services.send_convocations(session=centre_session, actor=manager)
    return centre_session


def test_manager_reads_sessions_timetable_and_convocations(client, manager, convened):
    client.force_login(manager)
    sessions = client.get("/api/sessions/").json()["results"]
    assert [(s["label"], s["scope"], s["candidates"]) for s in sessions] == [
        ("CC – janvier 2027", "certification", 3)
    ]
    entries = client.get("/api/timetable/", {"session": convened.pk}).json()
    assert entries["count"] == 12  # one panel, two candidates a day, over two days
    assert all(e["base_minutes"] for e in entries["results"])
    assert entries["results"][0]["method_kind"] == "professional_situation"
    assert client.get("/api/convocations/").json()["count"] == 3


def test_assessor_reads_the_timetable_of_their_session_but_no_convocation(
    client, assessors, convened
):
    client.force_login(assessors[0])
    assert client.get("/api/sessions/").json()["count"] == 1
    entries = client.get("/api/timetable/").json()
    assert entries["count"] == 12
    # The planned duration would tell an extended one, so an accommodation: managers only.
    assert {e["base_minutes"] for e in entries["results"]} == {None}
    assert client.get("/api/convocations/").json()["count"] == 0
    client.force_login(assessors[2])  # not on this jury
    assert client.get("/api/sessions/").json()["count"] == 0
    assert client.get("/api/timetable/").json()["count"] == 0


def test_outsider_reads_nothing(client, outsider, convened):
    client.force_login(outsider)
    assert client.get("/api/sessions/").json()["count"] == 0
    assert client.get(f"/api/sessions/{convened.pk}/").status_code == 404
    assert client.get("/api/timetable/").json()["count"] == 0
    assert client.get("/api/convocations/").json()["count"] == 0


def test_session_list_queries_do_not_grow(client, manager, convened, django_assert_max_num_queries):
    client.force_login(manager)
    with django_assert_max_num_queries(6):
        client.get("/api/sessions/")
    with django_assert_max_num_queries(6):
        client.get("/api/timetable/")
