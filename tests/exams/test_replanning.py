"""Re-planning after convocations: a withdrawal or a panel becoming unavailable moves as
few convened candidates as possible, and says who must be convened again."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from attesta.exams import services, validity
from attesta.exams.models import ConvocationRecord, JuryUnavailability, TimetableEntry
from attesta.exams.scheduler import optimise
from attesta.exams.timetable import Problem, Timetable
from attesta.exams.validity import conflicts
from tests.exams.test_timetable import at, days, exam, session

LIMIT = 3.0


def plan() -> tuple[Problem, Timetable]:
    """Four CC CCP2 candidates before two panels on one day, optimised."""
    problem = Problem(
        days=days(start=8, end=18),
        rooms=["R1", "R2", "R3", "R4"],
        juries=["J1", "J2"],
        supervisors=["S1"],
        phases=session(exam("cc", "CCP2"), 4),
        changeover_minutes=10,
    )
    schedule = optimise(problem, time_limit_seconds=LIMIT, seed=1)
    assert conflicts(schedule.timetable, problem) == []
    return problem, schedule.timetable


def convened(timetable_: Timetable) -> frozenset[str]:
    return frozenset(a.phase.candidate for a in timetable_.assignments)


def test_a_withdrawal_moves_no_convened_candidate():
    problem, before = plan()
    remaining = dataclasses.replace(
        problem, phases=[p for p in problem.phases if p.candidate != "C02"]
    )

    schedule = optimise(
        remaining, time_limit_seconds=LIMIT, previous=before, convened=convened(before)
    )

    assert conflicts(schedule.timetable, remaining) == []
    assert schedule.moved == ()
    kept = {a.phase.key: (a.start, a.room, a.jury) for a in before.assignments}
    assert all(
        kept[a.phase.key] == (a.start, a.room, a.jury) for a in schedule.timetable.assignments
    )


def test_a_panel_becoming_unavailable_moves_only_its_candidates():
    problem, before = plan()
    on_j1 = {a.phase.candidate for a in before.assignments if a.jury == "J1"}
    unavailable = dataclasses.replace(problem, unavailable={"J1": [(at(8), at(13))]})
    morning_j1 = {
        a.phase.candidate for a in before.assignments if a.jury == "J1" and a.start < at(13)
    }
    assert morning_j1  # the plan had J1 sitting in the morning

    schedule = optimise(
        unavailable, time_limit_seconds=LIMIT, previous=before, convened=convened(before)
    )

    assert conflicts(schedule.timetable, unavailable) == []
    assert all(a.start >= at(13) for a in schedule.timetable.assignments if a.jury == "J1")
    # J1's candidates fit in its afternoon: J2's keep their convocation.
    moved = set(schedule.moved)
    assert morning_j1 <= moved <= on_j1
    stayed = {a.phase.key: a for a in before.assignments if a.phase.candidate not in moved}
    for a in schedule.timetable.assignments:
        if a.phase.key in stayed:
            assert (a.start, a.room, a.jury) == (
                stayed[a.phase.key].start,
                stayed[a.phase.key].room,
                stayed[a.phase.key].jury,
            )


def test_candidates_not_yet_convened_may_move_freely():
    problem, before = plan()
    unavailable = dataclasses.replace(problem, unavailable={"J1": [(at(8), at(13))]})

    schedule = optimise(unavailable, time_limit_seconds=LIMIT, previous=before)

    assert conflicts(schedule.timetable, unavailable) == []
    assert schedule.moved == ()


# --- the service, from the database ------------------------------------------------------


@pytest.fixture
def convened_session(centre_session, manager, assessors, organisation, settings):
    from tests.factories import UserFactory

    services.seat_candidates(
        session=centre_session, enrolments=centre_session.eligible, actor=manager
    )
    fourth = UserFactory(username="jure3", assessor=True, organisation=organisation)
    for user, panel in zip(
        [*assessors, fourth], ["Jury 1", "Jury 1", "Jury 2", "Jury 2"], strict=True
    ):
        services.add_jury_member(session=centre_session, user=user, actor=manager, panel=panel)
    services.add_supervisor(session=centre_session, name="Paul Surveillant", actor=manager)
    services.optimise_timetable(session=centre_session, actor=manager, time_limit_seconds=2)
    services.send_convocations(session=centre_session, actor=manager)
    return centre_session


@pytest.mark.django_db
def test_replanning_after_a_withdrawal_needs_no_new_convocation(convened_session, manager):
    seat = convened_session.candidates.order_by("position").first()
    before = {
        (e.seat_id, e.position): (e.starts_at, e.room, e.jury_panel)
        for e in TimetableEntry.objects.exclude(seat=seat)
    }

    services.withdraw_seat(seat=seat, actor=manager)
    result = services.replan_timetable(
        session=convened_session, actor=manager, time_limit_seconds=2
    )

    assert result.schedule.status in ("optimal", "feasible")
    assert result.reconvene == []
    assert not TimetableEntry.objects.filter(seat=seat).exists()
    assert ConvocationRecord.objects.filter(seat=seat).exists()  # kept on record
    after = {
        (e.seat_id, e.position): (e.starts_at, e.room, e.jury_panel)
        for e in TimetableEntry.objects.all()
    }
    assert after == before


@pytest.mark.django_db
def test_replanning_after_a_panel_is_unavailable_lists_who_to_convene_again(
    convened_session, manager
):
    day = convened_session.starts_on
    zone = dt.timezone(dt.timedelta(hours=1))
    jury_1 = set(
        TimetableEntry.objects.filter(jury_panel="Jury 1").values_list("seat_id", flat=True)
    )
    assert jury_1

    services.add_jury_unavailability(
        session=convened_session,
        panel="Jury 1",
        starts_at=dt.datetime.combine(day, dt.time(7, 0), tzinfo=zone),
        ends_at=dt.datetime.combine(day, dt.time(12, 0), tzinfo=zone),
        actor=manager,
        reason="Train supprimé",
    )
    result = services.replan_timetable(
        session=convened_session, actor=manager, time_limit_seconds=3
    )

    assert result.schedule.status in ("optimal", "feasible")
    problem = services.timetable_problem(convened_session)
    assert validity.conflicts(result.schedule.timetable, problem) == []
    moved = {seat.pk for seat in result.reconvene}
    assert moved
    assert moved <= jury_1  # Jury 2's candidates keep their convocation
    assert JuryUnavailability.objects.filter(session=convened_session).count() == 1
    assert not TimetableEntry.objects.filter(
        jury_panel="Jury 1", starts_at__lt=dt.datetime.combine(day, dt.time(12, 0), tzinfo=zone)
    ).exists()


@pytest.mark.django_db
def test_unavailability_of_an_unknown_panel_is_refused(convened_session, manager):
    with pytest.raises(services.SessionError, match="Aucun jury « Jury 9 »"):
        services.add_jury_unavailability(
            session=convened_session,
            panel="Jury 9",
            starts_at=dt.datetime(2027, 1, 12, 8, tzinfo=dt.UTC),
            ends_at=dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC),
            actor=manager,
        )


@pytest.mark.django_db
def test_the_cli_replans_and_lists_who_to_convene_again(convened_session, manager, capsys):
    from django.core.management import call_command

    seat = convened_session.candidates.order_by("position").last()
    services.withdraw_seat(seat=seat, actor=manager)

    call_command("schedule", str(convened_session.pk), "--time-limit", "2", "--replan")

    out = capsys.readouterr().out
    assert "écart à la borne" in out
    assert "à reconvoquer : aucun" in out


@pytest.mark.django_db
def test_optimising_keeps_a_pinned_phase_where_the_manager_put_it(convened_session, manager):
    entry = TimetableEntry.objects.filter(position=3).order_by("starts_at").first()
    late = entry.starts_at.replace(hour=16, minute=0)
    TimetableEntry.objects.filter(pk=entry.pk).update(
        starts_at=late, ends_at=late + (entry.ends_at - entry.starts_at), pinned=True
    )

    schedule = services.optimise_timetable(
        session=convened_session, actor=manager, time_limit_seconds=2
    )

    assert schedule.status in ("optimal", "feasible")
    kept = TimetableEntry.objects.get(seat=entry.seat, position=3)
    assert (kept.starts_at, kept.room, kept.jury_panel, kept.pinned) == (
        late,
        entry.room,
        entry.jury_panel,
        True,
    )
    assert TimetableEntry.objects.filter(pinned=True).count() == 1
    problem = services.timetable_problem(convened_session)
    assert validity.conflicts(schedule.timetable, problem) == []
