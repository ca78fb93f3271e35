"""Detailed sessions: methods cut into parts, phases taken together, no-gap sequences, the
jury's break, collective rooms, shared equipment, panel unavailability and pinned phases.

Every timetable either planner produces is judged by ``conflicts``; each new kind of
invalid timetable, built by hand, is reported."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attesta.candidates.rules import Measures
from attesta.exams.scheduler import figures, impossibility, lower_bound, optimise
from attesta.exams.timetable import (
    PHONE,
    PRINTER,
    Assignment,
    Phase,
    Problem,
    Timetable,
    first_fit,
    phases_for,
)
from attesta.exams.validity import conflicts
from attesta.referentiels.importers.canonical import MethodKind
from tests.exams.test_scheduler import assert_sound
from tests.exams.test_timetable import THIRD, at, by_phase, days, exam

LIMIT = 2.0


def needs(phases: list[Phase]) -> list[tuple[int, int, str, bool, bool, tuple[str, ...]]]:
    return [
        (
            p.minutes,
            p.base_minutes,
            "jury" if p.needs_jury else "surveillance" if p.needs_supervision else "",
            bool(p.together),
            p.follows_previous,
            p.uses,
        )
        for p in phases
    ]


# --- exam → phases -----------------------------------------------------------------------


def test_ntc_title_is_cut_into_a_written_part_together_preparations_and_jury_parts():
    phases = phases_for("C01", exam("ntc", "certification"), None)

    assert needs(phases) == [
        (240, 240, "surveillance", True, False, (PRINTER,)),  # written case study, together
        (30, 30, "surveillance", False, False, ()),  # preparation…
        (30, 30, "jury", False, True, ()),  # …then the role play without a gap
        (15, 15, "jury", False, True, PHONE),  # phone prospecting
        (75, 75, "jury", False, True, ()),
        (20, 20, "surveillance", False, False, ()),  # technical interview: preparation
        (30, 30, "jury", False, True, ()),
        (60, 60, "jury", False, False, ()),
        (10, 10, "jury", False, False, ()),
    ]
    assert sum(p.minutes for p in phases) == 510
    assert phases[0].title == "Mise en situation professionnelle – partie écrite"
    assert phases[0].together == phases_for("C02", exam("ntc", "certification"), THIRD)[0].together


def test_cc_preparation_is_supervised_without_the_jury_and_extra_time_applies_to_each_part():
    phases = phases_for("C01", exam("cc", "certification"), THIRD)

    assert needs(phases)[:4] == [
        (60, 45, "surveillance", False, False, ()),
        (27, 20, "jury", False, True, ()),
        (7, 5, "jury", False, True, PHONE),
        (47, 35, "jury", False, True, ()),
    ]
    # The technical interview's reading is « en présence du jury »: one jury phase.
    assert [p.title for p in phases[4:]] == [
        "Entretien technique",
        "Questionnement à partir de production(s)",
        "Entretien final",
    ]


def test_a_method_whose_text_does_not_add_up_stays_one_phase_as_parsed():
    phases = phases_for("C01", exam("attache", "BC02"), None)

    assert [(p.kind, p.minutes, p.needs_jury, p.needs_supervision) for p in phases] == [
        (MethodKind.WRITTEN_CASE_STUDY, 240, False, True),  # a written case study is supervised
        (MethodKind.ORAL_ROLE_PLAY, 20, True, False),
    ]


# --- a detailed session ------------------------------------------------------------------


def detailed(count: int = 4, *, panels: int = 2, **changes: object) -> Problem:
    """NTC CCP1 (written together, preparations, phone), a lunch break, a collective room."""
    phases = [
        p
        for i in range(1, count + 1)
        for p in phases_for(f"C{i:02}", exam("ntc", "CCP1"), THIRD if i == 2 else None)
    ]
    values: dict[str, object] = {
        "days": days(2, start=8, end=18),
        "rooms": ["R1", "R2", "R3", "Salle A"],
        "room_capacity": {"Salle A": 10},
        "juries": [f"J{n}" for n in range(1, panels + 1)],
        "supervisors": ["S1"],
        "supervision_capacity": 10,
        "phases": phases,
        "changeover_minutes": 10,
        "breaks": [(at(12, day=d), at(13, day=d)) for d in range(2)],
        "equipment": {PHONE[0]: 1, PRINTER: 12},
    }
    return Problem(**(values | changes))  # type: ignore[arg-type]


def assert_detailed_rules(timetable: Timetable, problem: Problem) -> None:
    """The rules, checked directly here as well as by ``conflicts``."""
    assert conflicts(timetable, problem) == []
    placed = by_phase(timetable)
    written = {a.start for a in timetable.assignments if a.phase.together}
    assert len(written) == 1  # everyone together
    for a in timetable.assignments:
        if a.phase.follows_previous:
            assert a.start == placed[a.phase.candidate, a.phase.index - 1].end
        if a.jury is not None:
            assert all(not (s < a.end and a.start < e) for s, e in problem.breaks)
            assert problem.capacity(a.room) == 1
        else:
            assert a.room == "Salle A"
        assert (a.end - a.start) / timedelta(minutes=1) == a.phase.minutes
    phones = [a for a in timetable.assignments if PHONE[0] in a.phase.uses]
    for a in phones:
        assert sum(1 for b in phones if b.start < a.end and a.start < b.end) == 1


def test_first_fit_places_a_detailed_session_by_the_rules():
    problem = detailed()

    timetable = first_fit(problem)

    assert timetable.unplaced == []
    assert_detailed_rules(timetable, problem)


def test_optimiser_places_a_detailed_session_by_the_rules_and_beats_the_bound_check():
    problem = detailed()

    schedule = optimise(problem, time_limit_seconds=LIMIT, seed=1)

    assert schedule.status in ("optimal", "feasible")
    assert_sound(schedule, problem)
    assert_detailed_rules(schedule.timetable, problem)
    assert schedule.jury_hours <= figures(first_fit(problem), problem)["jury_hours"] + 1e-9 or (
        schedule.makespan_minutes < figures(first_fit(problem), problem)["makespan_minutes"]
    )


def test_a_panel_never_sits_while_unavailable():
    problem = detailed(unavailable={"J1": [(at(8), at(18))]})

    schedule = optimise(problem, time_limit_seconds=LIMIT, seed=1)

    assert_sound(schedule, problem)
    assert all(
        a.start.date() != at(8).date() for a in schedule.timetable.assignments if a.jury == "J1"
    )
    baseline = first_fit(problem)
    assert conflicts(baseline, problem) == []


def test_pinned_phases_keep_their_start_panel_and_room():
    problem = detailed()
    first = optimise(problem, time_limit_seconds=LIMIT, seed=1).timetable
    # The manager moves C03's role play to the afternoon of day 2, before J2, in R3.
    block = [a for a in first.assignments if a.phase.candidate == "C03" and a.phase.index in (2, 3)]
    start = at(14, day=1)
    pinned = []
    for a in block:
        pinned.append(
            dataclasses.replace(a, start=start, end=start + (a.end - a.start), jury="J2", room="R3")
        )
        start = pinned[-1].end
    pinned_problem = dataclasses.replace(problem, pinned=pinned)

    schedule = optimise(pinned_problem, time_limit_seconds=LIMIT, seed=1)
    baseline = first_fit(pinned_problem)

    for result in (schedule.timetable, baseline):
        assert conflicts(result, pinned_problem) == []
        placed = by_phase(result)
        for pin in pinned:
            a = placed[pin.phase.key]
            assert (a.start, a.end, a.jury, a.room) == (pin.start, pin.end, "J2", "R3")
        # The preparation just before, and every jury phase of C03, follow the pin.
        assert placed["C03", 1].end == pinned[0].start
        assert {a.jury for a in result.assignments if a.phase.candidate == "C03"} - {None} == {"J2"}


# --- impossible ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"room_capacity": {"Salle A": 3}},
            "« Mise en situation professionnelle – partie écrite » réunit les 4 candidats en "
            "même temps, pour 3 places en salle : il en faut au moins 4.",
        ),
        (
            {"equipment": {PRINTER: 2}},
            "« Mise en situation professionnelle – partie écrite » réunit les 4 candidats en "
            "même temps, pour 2 places sur l'équipement « imprimante » : il en faut au moins 4.",
        ),
        (
            {"rooms": ["Salle A"]},
            "Aucune salle individuelle (capacité 1) pour les phases avec le jury",
        ),
        (
            {"breaks": [(at(8, 30, day=d), at(17, 30, day=d)) for d in range(2)]},
            "« Questionnement à partir de production(s) » de C01 dure 40 min avec le jury, "
            "plus que le plus long temps de jury entre deux pauses (30 min).",
        ),
    ],
)
def test_impossible_detailed_sessions_are_explained(changes, message):
    problem = detailed(**changes)

    schedule = optimise(problem, time_limit_seconds=LIMIT)

    assert schedule.status == "infeasible"
    assert schedule.explanation.startswith(message)
    assert conflicts(schedule.timetable, problem) == []


def test_tightest_explanation_names_the_breaks_and_the_no_gap_rule():
    # Counts pass (498 jury minutes in a 600-minute day); yet the panel cannot start before
    # 09:45 (written part, then preparation) and breaks for lunch: 435 minutes left.
    problem = detailed(4, panels=1, days=days(1, start=8, end=18), breaks=[(at(12), at(13))])

    schedule = optimise(problem, time_limit_seconds=5)

    assert impossibility(problem) is None
    assert schedule.status == "infeasible"
    assert "le jury ne siège pas pendant les pauses" in schedule.explanation
    assert "une préparation est suivie sans attente de son épreuve" in schedule.explanation


# --- lower bound ---------------------------------------------------------------------------


def test_jury_bound_counts_from_the_first_possible_jury_minute_and_skips_the_break():
    # One NTC CCP1 candidate alone: written 90 min from 08:00, preparation 15, jury from
    # 09:45: 45 min, then preparation 20, jury 30, then 40: the jury cannot finish before
    # 09:45 + 45 + 30 + 40 = 11:40 (changeovers none: one candidate). Its own chain ends at
    # 12:00 (the 20-minute preparation sits between): 240 working minutes.
    problem = detailed(1, panels=1)

    assert lower_bound(problem) == 240
    assert optimise(problem, time_limit_seconds=LIMIT).makespan_minutes == 240


def test_jury_bound_holds_changeovers_within_a_stretch_only():
    problem = detailed(4, panels=1, days=days(3, start=8, end=18))

    bound = lower_bound(problem)
    schedule = optimise(problem, time_limit_seconds=LIMIT, seed=1)

    assert_sound(schedule, problem)
    assert bound <= schedule.makespan_minutes


def interrupted(candidate: str) -> list[Phase]:
    """60 min with the jury, a 30-minute supervised preparation, 60 min with the jury."""
    kind = MethodKind.PROFESSIONAL_SITUATION
    return [
        Phase(candidate, 0, "jury 1", kind, 60, 60, needs_jury=True, needs_supervision=False),
        Phase(candidate, 1, "préparation", kind, 30, 30, needs_jury=False, needs_supervision=True),
        Phase(
            candidate,
            2,
            "jury 2",
            kind,
            60,
            60,
            needs_jury=True,
            needs_supervision=False,
            follows_previous=True,
        ),
    ]


def test_jury_bound_counts_the_panel_idle_while_a_candidate_prepares():
    # One panel, three candidates each 60 min with the jury, 30 min of preparation, 60 min
    # with the jury; 10-minute changeover; 360 jury minutes. For each candidate the panel
    # either waits through the preparation (30 min) or hears someone else meanwhile (one
    # more sitting, one more changeover): the least idle is six sittings, five
    # changeovers, 50 min, so nothing ends before 410 min. A1 0-60, B1 70-130, A2 140-200,
    # C1 210-270, B2 280-340, C2 350-410 reaches it. Changeovers between candidates alone
    # (two) gave 380.
    problem = Problem(
        days=days(start=8, end=18),
        rooms=["R1", "R2", "R3", "R4"],
        juries=["J1"],
        supervisors=["S1"],
        supervision_capacity=3,
        phases=[p for c in ("A", "B", "C") for p in interrupted(c)],
        changeover_minutes=10,
    )

    assert lower_bound(problem) == 410
    schedule = optimise(problem, time_limit_seconds=LIMIT, seed=1)
    assert_sound(schedule, problem)
    assert schedule.makespan_minutes == 410


def test_jury_bound_counts_candidates_a_stretch_cannot_hold_whole():
    # One panel, 08:00-12:00 on three days, five candidates with 45 + 45 min of jury: a
    # morning holds two candidates whole (90 + 10 + 90), not three, so over two mornings
    # one candidate at least is split: six sittings, four changeovers, 450 + 40 > 480
    # minutes. The bound thus needs the third morning (481: it has started); counting
    # changeovers between candidates only (5 - 2) gave 480. The optimum is 480 + 90.
    kind = MethodKind.TECHNICAL_INTERVIEW
    phases = [
        Phase(f"C{i}", n, f"jury {n}", kind, 45, 45, needs_jury=True, needs_supervision=False)
        for i in range(5)
        for n in range(2)
    ]
    problem = Problem(
        days=days(3, start=8, end=12),
        rooms=["R1", "R2"],
        juries=["J1"],
        supervisors=[],
        phases=phases,
        changeover_minutes=10,
    )

    assert lower_bound(problem) == 481
    schedule = optimise(problem, time_limit_seconds=LIMIT, seed=1)
    assert_sound(schedule, problem)
    assert schedule.makespan_minutes == 570


# --- conflicts sees every broken rule ---------------------------------------------------------


def valid() -> tuple[Timetable, Problem]:
    problem = detailed()
    timetable = first_fit(problem)
    assert conflicts(timetable, problem) == []
    return timetable, problem


def moved(timetable: Timetable, key: tuple[str, int], **changes: object) -> Timetable:
    return dataclasses.replace(
        timetable,
        assignments=[
            dataclasses.replace(a, **changes) if a.phase.key == key else a
            for a in timetable.assignments
        ],
    )


def shifted(timetable: Timetable, key: tuple[str, int], minutes: int) -> Timetable:
    a = by_phase(timetable)[key]
    step = timedelta(minutes=minutes)
    return moved(timetable, key, start=a.start + step, end=a.end + step)


Mutation = Callable[[Timetable, Problem], tuple[Timetable, Problem]]

BROKEN: list[tuple[str, Mutation, str]] = [
    (
        "together",
        lambda t, p: (shifted(t, ("C02", 0), 5), p),
        "ne commencent pas ensemble",
    ),
    (
        "no-gap",
        lambda t, p: (shifted(t, ("C01", 1), -5), p),
        "« Mise en situation professionnelle – avec le jury » ne suit pas "
        "« Mise en situation professionnelle – préparation » sans attente.",
    ),
    (
        "break",
        lambda t, p: (
            t,
            dataclasses.replace(p, breaks=[(at(8), at(18)), (at(8, day=1), at(18, day=1))]),
        ),
        "jury pendant la pause.",
    ),
    (
        "unavailable",
        lambda t, p: (
            t,
            dataclasses.replace(p, unavailable={"J1": [(at(8), at(18, day=1))]}),
        ),
        "le jury J1 n'est pas disponible.",
    ),
    (
        "equipment",
        lambda t, p: (t, dataclasses.replace(p, equipment={PRINTER: 3})),
        "Équipement imprimante : 4 candidats à la fois",
    ),
    (
        "collective-room-capacity",
        lambda t, p: (t, dataclasses.replace(p, room_capacity={"Salle A": 3})),
        "Salle Salle A : 4 candidats à la fois",
    ),
    (
        "jury-in-collective-room",
        lambda t, p: (moved(t, ("C01", 2), room="Salle A"), p),
        "salle collective Salle A non prévue pour cette phase.",
    ),
    (
        "pinned",
        lambda t, p: (
            t,
            dataclasses.replace(
                p,
                pinned=[
                    dataclasses.replace(
                        by_phase(t)["C01", 6],
                        start=at(16, day=1),
                        end=at(16, day=1)
                        + (by_phase(t)["C01", 6].end - by_phase(t)["C01", 6].start),
                    )
                ],
            ),
        ),
        "phase épinglée déplacée",
    ),
]


@pytest.mark.parametrize(
    ("mutation", "message"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN]
)
def test_conflicts_reports_each_broken_detailed_rule(mutation, message):
    timetable, problem = mutation(*valid())

    assert any(message in found for found in conflicts(timetable, problem))


# --- property: small detailed sessions ---------------------------------------------------

DETAILED = {
    "cc-ccp1": lambda: exam("cc", "CCP1"),
    "cc-ccp2": lambda: exam("cc", "CCP2"),
    "ntc-ccp1": lambda: exam("ntc", "CCP1"),
}


@st.composite
def detailed_sessions(draw: st.DrawFn) -> Problem:
    count = draw(st.integers(1, 4))
    exam_ = DETAILED[draw(st.sampled_from(sorted(DETAILED)))]()
    juries = [f"J{n}" for n in range(1, draw(st.integers(1, 2)) + 1)]
    phases: list[Phase] = []
    for i in range(1, count + 1):
        percent = draw(st.sampled_from([0, 0, 33]))
        phases += phases_for(f"C{i:02}", exam_, Measures(extra_time_percent=percent))
    spread = draw(st.integers(1, 2))
    lunch = draw(st.booleans())
    unavailable = {}
    if draw(st.booleans()):
        unavailable = {"J1": [(at(draw(st.integers(8, 15))), at(draw(st.integers(16, 18))))]}
    pins: list[Assignment] = []
    problem = Problem(
        days=days(spread, start=8, end=18),
        rooms=["R1", "R2", "R3"] + (["Salle A"] if draw(st.booleans()) else []),
        room_capacity={"Salle A": draw(st.integers(2, 6))},
        juries=juries,
        supervisors=["S1"],
        supervision_capacity=draw(st.integers(1, 4)),
        phases=phases,
        changeover_minutes=draw(st.sampled_from([0, 10])),
        breaks=[(at(12, day=d), at(13, day=d)) for d in range(spread)] if lunch else [],
        equipment={PHONE[0]: draw(st.integers(1, 2)), PRINTER: draw(st.integers(1, 12))},
        unavailable=unavailable,
        pinned=pins,
    )
    if draw(st.booleans()):  # pin one phase of the first fit timetable, when complete
        baseline = first_fit(problem)
        if baseline.assignments and not baseline.unplaced:
            pin = baseline.assignments[draw(st.integers(0, len(baseline.assignments) - 1))]
            problem = dataclasses.replace(problem, pinned=[pin])
    return problem


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problem=detailed_sessions())
def test_optimiser_is_valid_bounded_and_not_later_than_first_fit_on_detailed_sessions(problem):
    schedule = optimise(problem, time_limit_seconds=1.5, seed=0)

    assert_sound(schedule, problem)
    assert conflicts(first_fit(problem), problem) == []
    if schedule.status in ("optimal", "feasible"):
        placed = by_phase(schedule.timetable)
        for pin in problem.pinned:
            assert placed[pin.phase.key] == dataclasses.replace(
                placed[pin.phase.key], start=pin.start, room=pin.room, jury=pin.jury
            )


def test_a_panel_may_sit_until_its_unavailability_begins_despite_the_changeover():
    # Found by the property test: the changeover separates two candidates, not a candidate
    # from the panel's unavailability.
    problem = Problem(
        days=days(start=8, end=18),
        rooms=["R1", "R2", "R3"],
        juries=["J1"],
        supervisors=["S1"],
        phases=phases_for("C01", exam("cc", "CCP2"), None),
        changeover_minutes=10,
        unavailable={"J1": [(at(10, 10), at(16))]},
    )

    schedule = optimise(problem, time_limit_seconds=LIMIT)

    assert schedule.status == "optimal"
    assert_sound(schedule, problem)
    # 45 + 55 + 10 + 20 minutes from 08:00: the last jury phase ends as J1 leaves.
    assert max(a.end for a in schedule.timetable.assignments) == at(10, 10)


def test_large_sessions_searched_by_neighbourhoods_are_valid_and_not_later_than_first_fit(
    monkeypatch,
):
    from attesta.exams import scheduler

    monkeypatch.setattr(scheduler, "DECOMPOSE_ABOVE", 10)
    problem = detailed(6, panels=3, days=days(3, start=8, end=18))

    schedule = optimise(problem, time_limit_seconds=3, seed=1)

    assert schedule.status == "feasible"
    assert_sound(schedule, problem)
    assert_detailed_rules(schedule.timetable, problem)
    # Panel by panel: the six candidates are shared out between the three panels.
    panels = {a.jury for a in schedule.timetable.assignments if a.jury is not None}
    assert len(panels) >= 2


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problem=detailed_sessions())
def test_no_greedy_timetable_beats_the_lower_bound(problem):
    # The greedy timetables are not held by the bound (the solver is): each complete one
    # is valid and ends no earlier than the proven bound.
    from attesta.exams import scheduler

    bound = lower_bound(problem)
    greedy = [
        first_fit(problem),
        first_fit(problem, by_phase=True),
        first_fit(problem, by_phase=True, jury_first=True),
    ]
    shared = scheduler._share_out(problem)
    for bonus, straight in scheduler.PULL_VARIANTS:
        for panels in (shared, None):
            pulled = scheduler._pulled(problem, panels, bonus, problem.candidates(), straight)
            if pulled is not None:
                greedy.append(pulled)
    for timetable in greedy:
        assert conflicts(timetable, problem) == []
        if not timetable.unplaced:
            assert figures(timetable, problem)["makespan_minutes"] >= bound
