"""The timetable names the equipment item each phase uses (« téléphone 2 », « imprimante 1 »),
as the centre hands it out; the judge checks that no item serves more candidates at once
than it can, and that the items exist."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from attesta.exams import services
from attesta.exams.timetable import Assignment, Phase, Problem, Timetable, give_out_equipment
from attesta.exams.validity import conflicts
from attesta.referentiels.importers.canonical import MethodKind
from tests.exams import test_timetable_views
from tests.exams.test_timetable import at, days
from tests.exams.test_timetable_views import page

PHONE, LAPTOP, PRINTER = "téléphone", "ordinateur portable", "imprimante"
planned_session = test_timetable_views.planned_session


def phase(candidate: str, *uses: str, minutes: int = 15) -> Phase:
    return Phase(
        candidate=candidate,
        index=0,
        title="Prospection au téléphone",
        kind=MethodKind.PROFESSIONAL_SITUATION,
        minutes=minutes,
        base_minutes=minutes,
        needs_jury=False,
        needs_supervision=False,
        uses=uses,
    )


def problem(phases: list[Phase], **equipment: tuple[int, int]) -> Problem:
    """``equipment``: name (underscores for spaces) → (items, candidates at once on one)."""
    names = {name.replace("_", " "): spec for name, spec in equipment.items()}
    return Problem(
        days=days(),
        rooms=[f"R{n}" for n in range(20)],
        juries=[],
        supervisors=[],
        phases=phases,
        equipment={name: items * sharing for name, (items, sharing) in names.items()},
        equipment_sharing={name: sharing for name, (_, sharing) in names.items()},
    )


def placed(p: Phase, start: datetime, minutes: int = 15, room: str = "") -> Assignment:
    return Assignment(p, start, start + timedelta(minutes=minutes), room or f"R{p.candidate[1:]}")


def test_phones_go_to_the_first_free_one_in_start_order_and_laptops_alike():
    phases = [phase(f"C{n}", PHONE, LAPTOP) for n in (1, 2, 3)]
    plan = Timetable(
        [placed(phases[0], at(9)), placed(phases[1], at(9, 5)), placed(phases[2], at(9, 15))]
    )
    session = problem(phases, téléphone=(2, 1), ordinateur_portable=(2, 1))

    given = give_out_equipment(plan, session)

    assert [a.equipment for a in given.assignments] == [
        ("téléphone 1", "ordinateur portable 1"),
        ("téléphone 2", "ordinateur portable 2"),
        ("téléphone 1", "ordinateur portable 1"),  # the first phone is free again at 09:15
    ]
    assert conflicts(given, session) == []


def test_a_printer_serves_twelve_at_once_then_the_next_one_is_taken():
    phases = [phase(f"C{n}", PRINTER, minutes=240) for n in range(1, 15)]
    plan = Timetable([placed(p, at(8), minutes=240) for p in phases])
    session = problem(phases, imprimante=(2, 12))

    labels = Counter(a.equipment for a in give_out_equipment(plan, session).assignments)

    assert labels == {("imprimante 1",): 12, ("imprimante 2",): 2}


def test_equipment_the_session_does_not_count_is_named_without_a_number():
    phases = [phase("C1", PHONE, LAPTOP)]
    session = problem(phases, téléphone=(1, 1))

    given = give_out_equipment(Timetable([placed(phases[0], at(9))]), session)

    assert given.assignments[0].equipment == ("téléphone 1", "ordinateur portable")


def test_the_judge_refuses_an_item_shared_beyond_its_use_or_that_does_not_exist():
    phases = [phase(f"C{n}", PHONE) for n in (1, 2, 3)]
    session = problem(phases, téléphone=(2, 1))
    plan = Timetable(
        [
            Assignment(phases[0], at(9), at(9, 15), "R1", equipment=("téléphone 1",)),
            Assignment(phases[1], at(9, 5), at(9, 20), "R2", equipment=("téléphone 1",)),
            Assignment(phases[2], at(10), at(10, 15), "R3", equipment=("téléphone 3",)),
        ]
    )

    found = conflicts(plan, session)

    assert any(f.startswith("Équipement téléphone 1 : 2 candidats à la fois") for f in found)
    assert "Équipement téléphone 3 : la session n'en compte que 2." in found


def test_the_judge_refuses_an_item_of_another_kind_than_the_phase_needs():
    phases = [phase("C1", PHONE)]
    session = problem(phases, téléphone=(1, 1), imprimante=(1, 12))
    plan = Timetable([Assignment(phases[0], at(9), at(9, 15), "R1", equipment=("imprimante 1",))])

    assert any(
        "équipement imprimante 1 au lieu de téléphone" in f for f in conflicts(plan, session)
    )


def test_items_must_divide_the_declared_capacity():
    with pytest.raises(ValueError, match="nombre entier d'exemplaires"):
        Problem(
            days=days(),
            rooms=["R1"],
            juries=[],
            supervisors=[],
            phases=[],
            equipment={PRINTER: 25},
            equipment_sharing={PRINTER: 12},
        )


# --- kept with the timetable, shown and exported ------------------------------------------


@pytest.mark.django_db
def test_the_kept_timetable_names_the_items_on_the_page_and_in_the_api(
    client, planned_session, manager
):
    services.set_planning_options(
        session=planned_session,
        actor=manager,
        day_start=dt.time(8, 0),
        day_end=dt.time(18, 0),
        break_start=None,
        break_end=None,
        changeover_minutes=0,
        supervision_capacity=4,
        room_capacities={"Salle C": 4},
        detailed_phases=True,
    )
    for name in (PHONE, LAPTOP):
        services.add_equipment(
            session=planned_session, actor=manager, name=name, count=2, shared_by=1
        )
    services.build_timetable(session=planned_session, actor=manager)

    calls = list(planned_session.timetable.filter(method_title__endswith="au téléphone"))
    assert len(calls) == 3  # one phone call per candidate
    for entry in calls:
        phone, laptop = entry.equipment.split(", ")
        assert phone in ("téléphone 1", "téléphone 2")
        assert laptop in ("ordinateur portable 1", "ordinateur portable 2")
    assert (
        not planned_session.timetable.exclude(pk__in=[e.pk for e in calls])
        .exclude(equipment="")
        .exists()
    )
    client.force_login(manager)
    html = page(client.get(reverse("exams:planning", args=[planned_session.pk])))
    assert f'<span class="meta">{calls[0].equipment.capitalize()}</span>' in html
    listed = client.get("/api/timetable/", {"session": planned_session.pk}).json()["results"]
    assert {e["equipment"] for e in listed} == {"", *(e.equipment for e in calls)}
