"""Timetable optimiser (CP-SAT): every timetable it produces is judged by ``conflicts``,
never ends before its lower bound, never after first fit; impossible sessions are
explained in French.

Time limits are short: the assertions hold for any timetable the solver returns, whether
it proved it optimal or not.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attesta.candidates.rules import Measures
from attesta.exams.scheduler import Schedule, figures, impossibility, lower_bound, optimise
from attesta.exams.timetable import Phase, Problem, Timetable, first_fit, phases_for
from attesta.exams.validity import conflicts
from tests.exams.test_timetable import THIRD, at, days, exam, session, supervised_written

LIMIT = 2.0


def solve(problem: Problem, limit: float = LIMIT) -> Schedule:
    return optimise(problem, time_limit_seconds=limit, seed=1)


def assert_sound(schedule: Schedule, problem: Problem) -> None:
    """Valid, bounded below, and never later than first fit when first fit places everyone."""
    assert conflicts(schedule.timetable, problem) == []
    baseline = first_fit(problem)
    if schedule.status in ("optimal", "feasible"):
        assert schedule.timetable.unplaced == []
        assert schedule.makespan_minutes >= schedule.lower_bound_minutes
        if not baseline.unplaced:
            assert schedule.makespan_minutes <= figures(baseline, problem)["makespan_minutes"]
    if schedule.status == "infeasible":
        assert schedule.timetable.assignments == []
        assert baseline.unplaced  # a proof: first fit cannot place everyone either
        assert schedule.explanation


def jury_of(timetable: Timetable, candidate: str) -> set[str | None]:
    return {a.jury for a in timetable.assignments if a.phase.candidate == candidate}


# --- seed sessions -----------------------------------------------------------------------


def test_cc_title_session_is_valid_bounded_and_not_later_than_first_fit():
    problem = Problem(
        days=days(2, start=8, end=18),
        rooms=["R1", "R2", "R3"],
        juries=["J1", "J2"],
        supervisors=["S1"],
        phases=session(
            exam("cc", "certification"), 6, measures=lambda i: THIRD if i == 3 else None
        ),
        changeover_minutes=10,
    )

    schedule = solve(problem)

    assert schedule.status in ("optimal", "feasible")
    assert_sound(schedule, problem)
    assert len(schedule.timetable.assignments) == 24
    found = figures(schedule.timetable, problem)
    assert (schedule.makespan_minutes, schedule.jury_hours, schedule.waiting_minutes) == (
        found["makespan_minutes"],
        found["jury_hours"],
        found["waiting_minutes"],
    )
    assert schedule.days_used == found["days_used"]
    assert schedule.explanation.startswith("Planning ")


def test_extra_time_is_applied_in_the_optimised_timetable():
    problem = Problem(
        days=days(start=8, end=18),
        rooms=["R1", "R2"],
        juries=["J1", "J2"],
        supervisors=[],
        phases=session(
            exam("cc", "certification"), 2, measures=lambda i: THIRD if i == 2 else None
        ),
    )

    schedule = solve(problem)

    assert_sound(schedule, problem)
    lasted = {
        (a.phase.candidate, a.phase.index): (a.end - a.start) // timedelta(minutes=1)
        for a in schedule.timetable.assignments
    }
    assert [lasted["C01", i] for i in range(4)] == [105, 55, 70, 10]
    assert [lasted["C02", i] for i in range(4)] == [140, 74, 94, 14]
    # Two panels, one candidate each: both sit from 08:00 without waiting.
    assert schedule.makespan_minutes == schedule.lower_bound_minutes == 322
    assert schedule.status == "optimal"
    assert schedule.waiting_minutes == 0


def test_ntc_ccp_session_with_changeover_and_forbidden_panel():
    problem = Problem(
        days=days(2, start=8, end=18),
        rooms=["R1", "R2", "R3"],
        juries=["J1", "J2"],
        supervisors=["S1"],
        phases=session(exam("ntc", "CCP1"), 6, measures=lambda i: THIRD if i % 3 == 0 else None),
        changeover_minutes=15,
        forbidden={"C01": {"J1"}, "C02": {"J2"}},
    )

    schedule = solve(problem)

    assert schedule.status in ("optimal", "feasible")
    assert_sound(schedule, problem)
    assert jury_of(schedule.timetable, "C01") == {"J2"}
    assert jury_of(schedule.timetable, "C02") == {"J1"}


def test_supervised_written_phases_share_supervisors_up_to_their_capacity():
    problem = Problem(
        days=days(start=8, end=18),
        rooms=["R1", "R2", "R3", "R4"],
        juries=["J1"],
        supervisors=["S1"],
        phases=session(supervised_written("attache", "BC01"), 4),
        supervision_capacity=2,
    )

    schedule = solve(problem)

    assert_sound(schedule, problem)
    assert {a.supervisor for a in schedule.timetable.assignments} == {"S1"}


def test_fewer_days_are_used_than_given_when_they_suffice():
    problem = Problem(
        days=days(3, start=8, end=18),
        rooms=["R1", "R2"],
        juries=["J1", "J2"],
        supervisors=[],
        phases=session(exam("cc", "CCP2"), 4),
    )

    schedule = solve(problem)

    assert_sound(schedule, problem)
    assert schedule.days_used == 1
    assert {a.start.date() for a in schedule.timetable.assignments} == {at(8).date()}


# --- impossible sessions -----------------------------------------------------------------


def test_too_few_juries_for_the_days_is_explained_with_what_would_be_needed():
    problem = Problem(
        days=days(start=8, end=18),
        rooms=[f"R{n}" for n in range(1, 13)],
        juries=["J1", "J2"],
        supervisors=[],
        phases=session(exam("cc", "certification"), 12),
    )

    schedule = solve(problem)

    assert schedule.status == "infeasible"
    assert schedule.explanation == (
        "12 candidats × 240 min de jury = 48 h de jury pour 2 jurys sur 1 jour de 10 h : "
        "il faut au moins 3 jours ou 5 jurys."
    )
    assert {u.reason for u in schedule.timetable.unplaced} == {schedule.explanation}
    assert_sound(schedule, problem)


def test_infeasibility_proved_by_the_solver_is_explained():
    # 5 × 240 min = 20 h of jury for 2 panels × 10 h: the counts pass, yet a panel follows
    # a candidate through the whole exam and only two exams fit in its day.
    problem = Problem(
        days=days(start=8, end=18),
        rooms=["R1", "R2", "R3"],
        juries=["J1", "J2"],
        supervisors=[],
        phases=session(exam("cc", "certification"), 5),
    )

    schedule = solve(problem, limit=5)

    assert impossibility(problem) is None
    assert schedule.status == "infeasible"
    assert schedule.explanation.startswith("Aucun planning ne place les 5 candidats (jurys occupés")
    assert_sound(schedule, problem)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": days(start=8, end=9)}, "« Mise en situation professionnelle » de C01 dure"),
        ({"rooms": []}, "Aucune salle pour les 8 phases"),
        ({"forbidden": {"C02": {"J1"}}}, "Aucun jury autorisé à évaluer C02."),
    ],
)
def test_impossible_by_counting_alone_is_explained(changes, message):
    values = {
        "days": days(start=8, end=18),
        "rooms": ["R1"],
        "juries": ["J1"],
        "supervisors": [],
        "phases": session(exam("cc", "certification"), 2),
    }
    problem = Problem(**(values | changes))

    schedule = solve(problem)

    assert schedule.status == "infeasible"
    assert schedule.explanation.startswith(message)
    assert conflicts(schedule.timetable, problem) == []


def test_supervised_phases_without_supervisor_are_explained():
    problem = Problem(
        days=days(),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=session(supervised_written(), 2),
    )

    assert solve(problem).explanation == "2 phases à surveiller et aucun surveillant."


def test_exam_that_cannot_fit_in_the_days_in_order_is_explained():
    # NTC with a third more time on one 11-hour day: 680 min do not fit.
    problem = Problem(
        days=days(),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=phases_for("C01", exam("ntc", "certification"), THIRD, split=False),
    )

    assert solve(problem).explanation == (
        "Les 4 phases de C01 (680 min) ne tiennent pas, l'une après l'autre, "
        "dans les journées de la session."
    )


# --- figures and bound -------------------------------------------------------------------


def test_figures_count_working_minutes_across_days():
    # First fit spreads the long NTC exam over two 11-hour days (see test_timetable).
    problem = Problem(
        days=days(2),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=phases_for("C01", exam("ntc", "certification"), THIRD, split=False),
    )

    found = figures(first_fit(problem), problem)

    # Ends at 09:34 on day 2: 660 min of day 1 + 94. Waits from 17:46 to the evening.
    assert found == {
        "days_used": 2,
        "makespan_minutes": 754,
        "jury_hours": pytest.approx((586 + 94) / 60),
        "waiting_minutes": 74,
    }
    assert optimise(problem, time_limit_seconds=LIMIT).makespan_minutes == 754


def test_figures_of_an_empty_timetable_are_zero():
    problem = Problem(days=days(), rooms=["R1"], juries=["J1"], supervisors=[], phases=[])

    assert figures(Timetable([]), problem) == {
        "days_used": 0,
        "makespan_minutes": 0,
        "jury_hours": 0,
        "waiting_minutes": 0,
    }
    assert solve(problem).status == "optimal"


@pytest.mark.parametrize(
    ("candidates", "juries", "rooms", "changeover", "bound"),
    [
        (1, 1, 1, 0, 240),  # the longest candidate
        (4, 2, 4, 0, 480),  # jury minutes / panels
        (4, 2, 4, 10, 490),  # plus (candidates - panels) changeovers on a single day
        (4, 4, 2, 0, 480),  # room minutes / rooms
    ],
)
def test_lower_bound_is_the_largest_of_the_counts(candidates, juries, rooms, changeover, bound):
    problem = Problem(
        days=days(start=8, end=18),
        rooms=[f"R{n}" for n in range(rooms)],
        juries=[f"J{n}" for n in range(juries)],
        supervisors=[],
        phases=session(exam("cc", "certification"), candidates),
        changeover_minutes=changeover,
    )

    assert lower_bound(problem) == bound


# --- property: small random sessions -----------------------------------------------------

EXAMS = {
    "cc-ccp1": lambda: exam("cc", "CCP1"),
    "cc-ccp2": lambda: exam("cc", "CCP2"),
    "ntc-ccp1": lambda: exam("ntc", "CCP1"),
    "attache-bc02-supervised": lambda: supervised_written("attache", "BC02"),
}


@st.composite
def small_sessions(draw: st.DrawFn) -> Problem:
    count = draw(st.integers(1, 5))
    juries = [f"J{n}" for n in range(1, draw(st.integers(1, 2)) + 1)]
    phases: list[Phase] = []
    for i in range(1, count + 1):
        exam_ = EXAMS[draw(st.sampled_from(sorted(EXAMS)))]()
        percent = draw(st.sampled_from([0, 0, 33, 50]))
        phases += phases_for(f"C{i:02}", exam_, Measures(extra_time_percent=percent), split=False)
    start = draw(st.integers(7, 9))
    return Problem(
        days=days(draw(st.integers(1, 2)), start=start, end=start + draw(st.integers(4, 10))),
        rooms=[f"R{n}" for n in range(1, draw(st.integers(1, 3)) + 1)],
        juries=juries,
        supervisors=[f"S{n}" for n in range(1, draw(st.integers(0, 1)) + 1)],
        phases=phases,
        supervision_capacity=draw(st.integers(1, 2)),
        changeover_minutes=draw(st.sampled_from([0, 10])),
        forbidden={
            f"C{i:02}": {"J1"} for i in range(1, count + 1) if draw(st.booleans()) and count > 2
        },
    )


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problem=small_sessions())
def test_optimiser_is_valid_bounded_and_not_later_than_first_fit(problem):
    schedule = optimise(problem, time_limit_seconds=1.5, seed=0)

    assert schedule.status != "unknown" or first_fit(problem).unplaced
    assert_sound(schedule, problem)
