"""Planning API: the session's managers set the timetable inputs, declare equipment and
absences, withdraw a candidate, optimise, re-plan after convocations and pin a phase; to
anyone else these doors do not exist, and nothing they send is written."""

from __future__ import annotations

import json

import pytest

from attesta.core.models import AuditEvent
from attesta.exams import services
from attesta.exams.models import JuryUnavailability, SessionEquipment, TimetableEntry
from attesta.exams.validity import conflicts
from tests.exams import test_timetable_views
from tests.exams.fixtures import another_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

planned_session = test_timetable_views.planned_session

OPTIONS = {
    "day_start": "08:30",
    "day_end": "17:30",
    "break_start": "12:30",
    "break_end": "13:30",
    "changeover_minutes": 10,
    "supervision_capacity": 6,
    "room_capacities": {"Salle C": 8},
    "detailed_phases": True,
}


def url(session, door: str = "planning") -> str:
    return f"/api/sessions/{session.pk}/{door}/"


def put(client, path: str, data: dict) -> object:
    return client.put(path, json.dumps(data), content_type="application/json")


def post(client, path: str, data: dict | None = None) -> object:
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def test_the_manager_reads_and_sets_the_timetable_inputs(client, manager, planned_session):
    client.force_login(manager)
    before = client.get(url(planned_session)).json()
    assert before["changeover_minutes"] == 0
    assert before["break_start"] is None
    assert before["rooms"] == ["Salle A", "Salle B", "Salle C"]
    assert before["equipment"] == []
    assert before["unavailabilities"] == []
    response = put(client, url(planned_session), OPTIONS)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["break_start"] == "12:30:00"
    assert body["room_capacities"] == {"Salle C": 8}
    assert body["detailed_phases"] is True
    planned_session.refresh_from_db()
    assert planned_session.changeover_minutes == 10
    assert planned_session.supervision_capacity == 6
    event = AuditEvent.objects.filter(action="session.planning_options_set").get()
    assert event.actor == manager
    assert event.target == f"session:{planned_session.pk}"
    # The same options again: nothing changes, nothing recorded.
    assert put(client, url(planned_session), OPTIONS).status_code == 200
    assert AuditEvent.objects.filter(action="session.planning_options_set").count() == 1


@pytest.mark.parametrize(
    ("change", "field_or_reason"),
    [
        ({"changeover_minutes": -5}, "changeover_minutes"),
        ({"day_start": "midi"}, "day_start"),
        ({"room_capacities": {"Salle Z": 4}}, "salle inconnue Salle Z"),
        ({"break_end": None}, "Pause du jury"),
        ({"day_end": "07:00"}, "Fin de journée"),
    ],
)
def test_invalid_inputs_are_refused_naming_the_field_and_nothing_is_written(
    client, manager, planned_session, change, field_or_reason
):
    client.force_login(manager)
    events = AuditEvent.objects.count()
    response = put(client, url(planned_session), OPTIONS | change)
    assert response.status_code == 400
    assert field_or_reason in response.content.decode()
    planned_session.refresh_from_db()
    assert planned_session.changeover_minutes == 0
    assert planned_session.break_start is None
    assert AuditEvent.objects.count() == events


def test_equipment_and_absences_are_declared_and_removed(client, manager, planned_session):
    client.force_login(manager)
    printer = post(
        client,
        url(planned_session, "equipment"),
        {"name": "imprimante", "count": 1, "shared_by": 12},
    )
    assert printer.status_code == 201, printer.content
    assert printer.json()["shared_by"] == 12
    again = post(
        client,
        url(planned_session, "equipment"),
        {"name": "imprimante", "count": 2, "shared_by": 1},
    )
    assert again.status_code == 400
    assert "déjà déclaré" in again.json()["detail"]
    unknown = post(
        client, url(planned_session, "equipment"), {"name": "fax", "count": 1, "shared_by": 1}
    )
    assert unknown.status_code == 400
    assert "name" in unknown.json()
    absence = post(
        client,
        url(planned_session, "unavailabilities"),
        {
            "panel": "Jury 2",
            "starts_at": "2027-01-12T08:00:00+01:00",
            "ends_at": "2027-01-12T12:00:00+01:00",
            "reason": "Train en retard",
        },
    )
    assert absence.status_code == 201, absence.content
    nobody = post(
        client,
        url(planned_session, "unavailabilities"),
        {"panel": "Jury 9", "starts_at": "2027-01-12T08:00", "ends_at": "2027-01-12T09:00"},
    )
    assert nobody.status_code == 400
    assert "Jury 9" in nobody.json()["detail"]
    read = client.get(url(planned_session)).json()
    assert [e["name"] for e in read["equipment"]] == ["imprimante"]
    assert [(u["panel"], u["reason"]) for u in read["unavailabilities"]] == [
        ("Jury 2", "Train en retard")
    ]
    assert "imprimante" in read["equipment_needs"]
    item, period = printer.json()["id"], absence.json()["id"]
    assert client.delete(f"{url(planned_session, 'equipment')}{item}/").status_code == 204
    path = f"{url(planned_session, 'unavailabilities')}{period}/"
    assert client.delete(path).status_code == 204
    assert not SessionEquipment.objects.exists()
    assert not JuryUnavailability.objects.exists()
    assert client.delete(path).status_code == 404


def test_optimise_then_replan_after_a_withdrawal_lists_who_to_reconvene(
    client, manager, planned_session
):
    client.force_login(manager)
    optimised = post(client, url(planned_session, "optimise"), {"time_limit_seconds": 3})
    assert optimised.status_code == 200, optimised.content
    figures = optimised.json()
    assert figures["status"] in ("optimal", "feasible")
    assert figures["makespan_minutes"] >= figures["lower_bound_minutes"] > 0
    assert figures["unplaced"] == []
    problem = services.timetable_problem(planned_session)
    kept = services._entries_as_assignments(planned_session, problem.phases)
    assert conflicts(kept, problem) == []
    services.send_convocations(session=planned_session, actor=manager)
    seat = planned_session.candidates.order_by("position").last()
    withdrawn = post(client, url(planned_session, "withdrawals"), {"seat": seat.pk})
    assert withdrawn.status_code == 204
    assert not TimetableEntry.objects.filter(seat=seat).exists()
    listed = client.get(f"/api/sessions/{planned_session.pk}/").json()
    assert listed["candidates"] == 2  # the withdrawn candidate no longer counts
    twice = post(client, url(planned_session, "withdrawals"), {"seat": seat.pk})
    assert twice.status_code == 400
    assert "déjà désisté" in twice.json()["detail"]
    replanned = post(client, url(planned_session, "replan"), {"time_limit_seconds": 3})
    assert replanned.status_code == 200, replanned.content
    body = replanned.json()
    assert body["schedule"]["status"] in ("optimal", "feasible")
    moved = {entry["seat"] for entry in body["reconvene"]}
    assert seat.pk not in moved
    assert moved <= set(planned_session.candidates.values_list("pk", flat=True))
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "session.timetable_optimised" in actions
    assert "session.timetable_replanned" in actions


def test_the_time_limit_is_bounded(client, manager, planned_session):
    client.force_login(manager)
    response = post(client, url(planned_session, "optimise"), {"time_limit_seconds": 3600})
    assert response.status_code == 400
    assert "time_limit_seconds" in response.json()
    assert not AuditEvent.objects.filter(action="session.timetable_optimised").exists()


def test_a_phase_is_pinned_then_freed(client, manager, planned_session):
    client.force_login(manager)
    entry = planned_session.timetable.order_by("id").first()
    path = f"/api/timetable/{entry.pk}/pin/"
    assert post(client, path, {"pinned": True}).json() == {"pinned": True}
    entry.refresh_from_db()
    assert entry.pinned
    assert post(client, path, {"pinned": False}).json() == {"pinned": False}
    assert post(client, path, {}).status_code == 400
    actions = AuditEvent.objects.filter(action__startswith="session.phase_").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["session.phase_pinned", "session.phase_unpinned"]


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "assessor_on_the_jury", "referent"])
def test_nobody_else_plans_the_session(
    client, planned_session, manager, outsider, assessors, organisation, persona
):
    item = services.add_equipment(
        session=planned_session, actor=manager, name="imprimante", count=1, shared_by=12
    )
    entry = planned_session.timetable.order_by("id").first()
    seat = planned_session.candidates.first()
    user = {
        "anonymous": None,
        "outsider": outsider,
        "assessor_on_the_jury": assessors[0],
        "referent": UserFactory(username="referente", referent=True, organisation=organisation),
    }[persona]
    if user is not None:
        client.force_login(user)
    expected = 403 if user is None else 404
    events = AuditEvent.objects.count()
    entries = list(planned_session.timetable.values_list("id", "starts_at", "pinned"))
    assert client.get(url(planned_session)).status_code == expected
    assert put(client, url(planned_session), OPTIONS).status_code == expected
    for door, data in [
        ("equipment", {"name": "téléphone", "count": 1, "shared_by": 1}),
        (
            "unavailabilities",
            {"panel": "Jury 1", "starts_at": "2027-01-12T08:00", "ends_at": "2027-01-12T09:00"},
        ),
        ("withdrawals", {"seat": seat.pk}),
        ("optimise", {"time_limit_seconds": 1}),
        ("replan", {"time_limit_seconds": 1}),
    ]:
        assert post(client, url(planned_session, door), data).status_code == expected, door
    assert client.delete(f"{url(planned_session, 'equipment')}{item.pk}/").status_code == expected
    assert post(client, f"/api/timetable/{entry.pk}/pin/", {"pinned": True}).status_code == expected
    assert AuditEvent.objects.count() == events
    assert list(planned_session.timetable.values_list("id", "starts_at", "pinned")) == entries
    assert SessionEquipment.objects.count() == 1
    planned_session.refresh_from_db()
    assert planned_session.changeover_minutes == 0


def test_items_of_another_session_are_not_reached_through_this_one(
    client, manager, planned_session
):
    other = another_session(planned_session, manager)
    item = services.add_equipment(
        session=planned_session, actor=manager, name="imprimante", count=1, shared_by=12
    )
    seat = planned_session.candidates.first()
    client.force_login(manager)
    assert client.delete(f"{url(other, 'equipment')}{item.pk}/").status_code == 404
    assert post(client, url(other, "withdrawals"), {"seat": seat.pk}).status_code == 404
    assert SessionEquipment.objects.count() == 1
    seat.refresh_from_db()
    assert seat.withdrawn_at is None


def test_the_planning_read_queries_do_not_grow(
    client, manager, planned_session, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(url(planned_session))  # the référentiel is loaded once per process
    with django_assert_max_num_queries(8):
        assert client.get(url(planned_session)).status_code == 200
    for name in ("imprimante", "téléphone", "ordinateur portable"):
        services.add_equipment(
            session=planned_session, actor=manager, name=name, count=1, shared_by=1
        )
    with django_assert_max_num_queries(8):
        assert client.get(url(planned_session)).status_code == 200
