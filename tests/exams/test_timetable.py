"""Timetable of an exam session: phases from the référentiels' exams, first fit, validity.

``conflicts`` is the judge: every timetable first_fit builds must have none, and each kind
of invalid timetable, built by hand, must be reported with its message.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from attesta.candidates.rules import Measures
from attesta.exams.timetable import (
    Assignment,
    Phase,
    Problem,
    Timetable,
    first_fit,
    phases_for,
)
from attesta.exams.validity import conflicts
from attesta.referentiels.importers.canonical import Exam, MethodKind
from tests.conftest import parsed_seed

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2025, 6, 16, tzinfo=PARIS)
THIRD = Measures(extra_time_percent=33)


def at(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def days(count: int = 1, start: int = 8, end: int = 19) -> list[tuple[datetime, datetime]]:
    return [(at(start, day=d), at(end, day=d)) for d in range(count)]


def exam(seed: str, scope: str) -> Exam:
    found = parsed_seed(seed).exam_for(scope)
    assert found is not None
    return found


def supervised_written(seed: str = "attache", scope: str = "BC02") -> Exam:
    """A seed exam whose written case studies are supervised (the parsed RE does not say,
    a session usually requires it): supervision without the jury."""
    found = exam(seed, scope)
    methods = [
        dataclasses.replace(m, requires_supervision=True)
        if m.kind == MethodKind.WRITTEN_CASE_STUDY
        else m
        for m in found.methods
    ]
    return dataclasses.replace(found, methods=methods)


def session(
    exam_: Exam,
    count: int,
    *,
    measures: Callable[[int], Measures | None] = lambda i: None,
    prefix: str = "C",
) -> list[Phase]:
    return [
        phase
        for i in range(1, count + 1)
        for phase in phases_for(f"{prefix}{i:02}", exam_, measures(i), split=False)
    ]


def by_phase(timetable: Timetable) -> dict[tuple[str, int], Assignment]:
    return {(a.phase.candidate, a.phase.index): a for a in timetable.assignments}


def placed_candidates(timetable: Timetable) -> list[str]:
    return list(dict.fromkeys(a.phase.candidate for a in timetable.assignments))


def minutes(a: Assignment) -> float:
    return (a.end - a.start) / timedelta(minutes=1)


# --- phases ------------------------------------------------------------------------------


def test_cc_title_exam_gives_its_four_methods_in_order_with_their_needs():
    phases = phases_for("C01", exam("cc", "certification"), None, split=False)

    assert [(p.index, p.kind, p.minutes, p.base_minutes) for p in phases] == [
        (0, MethodKind.PROFESSIONAL_SITUATION, 105, 105),
        (1, MethodKind.TECHNICAL_INTERVIEW, 55, 55),
        (2, MethodKind.QUESTIONING_FROM_PRODUCTIONS, 70, 70),
        (3, MethodKind.FINAL_INTERVIEW, 10, 10),
    ]
    assert [p.title for p in phases] == [
        "Mise en situation professionnelle",
        "Entretien technique",
        "Questionnement à partir de production(s)",
        "Entretien final",
    ]
    # As parsed from the RE: the jury throughout, supervision during the MSP only.
    assert [(p.needs_jury, p.needs_supervision) for p in phases] == [
        (True, True),
        (True, False),
        (True, False),
        (True, False),
    ]
    assert all(p.needs_room and p.candidate == "C01" and p.equipment == "" for p in phases)


def test_extra_time_of_a_third_is_rounded_up_on_every_phase():
    measures = Measures(extra_time_percent=33, adapted_equipment="Écran 27 pouces")

    phases = phases_for("C01", exam("cc", "certification"), measures, split=False)

    # 105 + 35 (34.65 rounded up), 55 + 19, 70 + 24, 10 + 4
    assert [(p.base_minutes, p.minutes) for p in phases] == [
        (105, 140),
        (55, 74),
        (70, 94),
        (10, 14),
    ]
    assert {p.equipment for p in phases} == {"Écran 27 pouces"}


def test_extra_time_for_one_method_only_leaves_the_others_unchanged():
    measures = Measures(extra_time_by_method={MethodKind.PROFESSIONAL_SITUATION.value: 50})

    phases = phases_for("C01", exam("ntc", "certification"), measures, split=False)

    assert [p.minutes for p in phases] == [585, 50, 60, 10]


def test_phases_of_two_blocks_are_numbered_one_after_the_other():
    first = phases_for("C01", exam("cc", "CCP1"), None, split=False)
    second = phases_for("C01", exam("cc", "CCP2"), None, first_index=len(first), split=False)

    assert [p.index for p in first + second] == [0, 1, 2, 3, 4, 5]
    assert [p.minutes for p in first + second] == [70, 50, 60, 100, 10, 20]


def test_method_without_duration_cannot_be_timetabled():
    with pytest.raises(ValueError, match="Durée inconnue pour la modalité « Projet professionnel"):
        phases_for("C01", exam("devco", "BC01"), None, split=False)


def test_exam_without_methods_cannot_be_timetabled():
    with pytest.raises(ValueError, match="« certification » ne compte aucune modalité"):
        phases_for("C01", exam("attache", "certification"), None, split=False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": []}, "Aucune journée"),
        ({"days": [(at(19), at(8))]}, "Journée vide ou inversée"),
        ({"supervision_capacity": 0}, "au moins un candidat"),
        ({"changeover_minutes": -5}, "négatif"),
    ],
)
def test_problem_refuses_bad_values(changes, message):
    values = {"days": days(), "rooms": ["R1"], "juries": ["J1"], "supervisors": [], "phases": []}
    with pytest.raises(ValueError, match=message):
        Problem(**(values | changes))


def test_problem_refuses_the_same_phase_twice():
    phases = phases_for("C01", exam("cc", "CCP2"), None, split=False)
    with pytest.raises(ValueError, match="Phases en double : C01 n° 0"):
        Problem(days=days(), rooms=["R1"], juries=["J1"], supervisors=[], phases=phases * 2)


# --- first fit ---------------------------------------------------------------------------


def test_twelve_cc_candidates_on_one_day_give_a_valid_timetable():
    problem = Problem(
        days=days(),
        rooms=["R1", "R2", "R3"],
        juries=["J1", "J2"],
        supervisors=["S1"],
        phases=session(
            exam("cc", "certification"), 12, measures=lambda i: THIRD if i == 3 else None
        ),
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    # A panel sits through the whole 4-hour exam: two candidates per panel fit in 11 hours.
    assert placed_candidates(timetable) == ["C01", "C02", "C03", "C04"]
    placed = by_phase(timetable)
    assert [(placed["C03", i].start, placed["C03", i].end) for i in range(4)] == [
        (at(12), at(14, 20)),
        (at(14, 20), at(15, 34)),
        (at(15, 34), at(17, 8)),
        (at(17, 8), at(17, 22)),
    ]
    assert {a.jury for a in timetable.assignments if a.phase.candidate == "C03"} == {"J1"}
    # The jury is present during the MSP: it supervises, no supervisor is taken.
    assert all(a.supervisor is None for a in timetable.assignments)
    assert len(timetable.unplaced) == 8 * 4
    failing = [u for u in timetable.unplaced if u.reason.startswith("Aucun créneau")]
    assert [u.phase.candidate for u in failing] == [f"C{i:02}" for i in range(5, 13)]


def test_twelve_cc_candidates_over_three_days_are_all_placed_each_on_one_day():
    problem = Problem(
        days=days(3),
        rooms=["R1", "R2", "R3"],
        juries=["J1", "J2"],
        supervisors=["S1"],
        phases=session(
            exam("cc", "certification"), 12, measures=lambda i: THIRD if i == 3 else None
        ),
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    assert timetable.unplaced == []
    assert len(timetable.assignments) == 48
    for candidate in placed_candidates(timetable):
        mine = [a for a in timetable.assignments if a.phase.candidate == candidate]
        assert len({a.start.date() for a in mine}) == 1


def test_phases_follow_each_other_with_extra_time_in_the_timetable():
    problem = Problem(
        days=days(),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=phases_for("C01", exam("cc", "certification"), THIRD, split=False),
    )

    timetable = first_fit(problem)

    assert [(a.start, a.end, minutes(a)) for a in timetable.assignments] == [
        (at(8), at(10, 20), 140),
        (at(10, 20), at(11, 34), 74),
        (at(11, 34), at(13, 8), 94),
        (at(13, 8), at(13, 22), 14),
    ]


def test_changeover_separates_two_candidates_before_the_same_panel():
    problem = Problem(
        days=days(),
        rooms=["R1", "R2"],
        juries=["J1"],
        supervisors=[],
        phases=session(exam("cc", "certification"), 2),
        changeover_minutes=15,
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    placed = by_phase(timetable)
    assert placed["C01", 3].end == at(12)
    assert placed["C02", 0].start == at(12, 15)


def test_forbidden_jury_never_assesses_the_candidate():
    problem = Problem(
        days=days(),
        rooms=["R1", "R2", "R3"],
        juries=["J1", "J2"],
        supervisors=[],
        phases=session(exam("cc", "certification"), 4),
        forbidden={"C01": {"J1"}, "C03": {"J1", "J2"}},
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    assert {a.jury for a in timetable.assignments if a.phase.candidate == "C01"} == {"J2"}
    assert {a.jury for a in timetable.assignments if a.phase.candidate == "C02"} == {"J1"}
    assert "C03" not in placed_candidates(timetable)
    assert {u.reason for u in timetable.unplaced if u.phase.index == 0} == {
        "Aucun jury autorisé à évaluer ce candidat."
    }


def test_supervisor_watches_up_to_capacity_candidates_at_once():
    problem = Problem(
        days=days(),
        rooms=["R1", "R2", "R3", "R4"],
        juries=["J1"],
        supervisors=["S1"],
        phases=session(supervised_written("attache", "BC01"), 4),
        supervision_capacity=2,
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    assert [(a.phase.candidate, a.start, a.supervisor, a.jury) for a in timetable.assignments] == [
        ("C01", at(8), "S1", None),
        ("C02", at(8), "S1", None),
        ("C03", at(13), "S1", None),
        ("C04", at(13), "S1", None),
    ]


def test_supervised_phase_without_any_supervisor_is_unplaced():
    problem = Problem(
        days=days(),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=session(supervised_written(), 1),
    )

    timetable = first_fit(problem)

    assert timetable.assignments == []
    assert timetable.unplaced[0].reason == "Surveillance requise mais aucun surveillant."
    assert conflicts(timetable, problem) == []


def test_day_too_short_for_the_whole_exam_reports_the_phase_that_does_not_fit():
    problem = Problem(
        days=days(start=8, end=10),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=session(exam("cc", "certification"), 1),
    )

    timetable = first_fit(problem)

    assert timetable.assignments == []
    assert [(u.phase.index, u.reason) for u in timetable.unplaced] == [
        (0, "Non placée : « Entretien technique » ne trouve pas de créneau."),
        (1, "Aucun créneau de 55 min avec salle, jury J1 libre(s) avant la fin de la session."),
        (2, "Non placée : « Entretien technique » ne trouve pas de créneau."),
        (3, "Non placée : « Entretien technique » ne trouve pas de créneau."),
    ]
    assert conflicts(timetable, problem) == []


def test_phase_longer_than_every_day_is_unplaced():
    problem = Problem(
        days=days(2, start=8, end=9),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=session(exam("cc", "certification"), 1),
    )

    timetable = first_fit(problem)

    assert timetable.assignments == []
    assert timetable.unplaced[0].reason == (
        "Durée de 105 min plus longue que chaque journée de la session."
    )


def test_exam_longer_than_a_day_is_spread_over_two_days():
    # NTC with a third more time: 519 + 67 + 80 + 14 = 680 min, more than an 11-hour day.
    problem = Problem(
        days=days(2),
        rooms=["R1"],
        juries=["J1"],
        supervisors=[],
        phases=phases_for("C01", exam("ntc", "certification"), THIRD, split=False),
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    assert [(a.start, a.end) for a in timetable.assignments] == [
        (at(8), at(16, 39)),
        (at(16, 39), at(17, 46)),
        (at(8, day=1), at(9, 20, day=1)),
        (at(9, 20, day=1), at(9, 34, day=1)),
    ]


# --- first fit never conflicts -----------------------------------------------------------

EXAMS = {
    "cc-titre": lambda: exam("cc", "certification"),
    "cc-ccp1": lambda: exam("cc", "CCP1"),
    "cc-ccp2": lambda: exam("cc", "CCP2"),
    "ntc-titre": lambda: exam("ntc", "certification"),
    "ntc-ccp2": lambda: exam("ntc", "CCP2"),
    "attache-bc02": lambda: exam("attache", "BC02"),
    "attache-bc03-supervised": lambda: supervised_written("attache", "BC03"),
    "attache-bc02-supervised": lambda: supervised_written("attache", "BC02"),
}


def varied_measures(i: int) -> Measures | None:
    if i % 3 == 0:
        return THIRD
    if i % 5 == 0:
        return Measures(extra_time_by_method={MethodKind.PROFESSIONAL_SITUATION.value: 50})
    return None


@pytest.mark.parametrize("panels", [1, 2, 3])
@pytest.mark.parametrize("candidates", range(1, 21))
@pytest.mark.parametrize("exam_key", EXAMS)
def test_first_fit_never_conflicts(exam_key, candidates, panels):
    juries = [f"J{n}" for n in range(1, panels + 1)]
    problem = Problem(
        days=days(2),
        rooms=["R1", "R2", "R3"],
        juries=juries,
        supervisors=["S1"],
        phases=session(EXAMS[exam_key](), candidates, measures=varied_measures),
        supervision_capacity=2,
        changeover_minutes=10,
        forbidden={f"C{i:02}": {"J1"} for i in range(4, candidates + 1, 4)},
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    assert "C01" in placed_candidates(timetable)
    # Every phase once, and never half a candidate.
    assert sorted(
        [(a.phase.candidate, a.phase.index) for a in timetable.assignments]
        + [(u.phase.candidate, u.phase.index) for u in timetable.unplaced]
    ) == sorted((p.candidate, p.index) for p in problem.phases)
    assert not set(placed_candidates(timetable)) & {u.phase.candidate for u in timetable.unplaced}


@pytest.mark.parametrize("seed", range(40))
def test_first_fit_never_conflicts_on_random_sessions(seed):
    rng = random.Random(seed)
    exams = list(EXAMS.values())
    phases: list[Phase] = []
    for i in range(1, rng.randint(1, 20) + 1):
        percent = rng.choice([0, 0, 0, 25, 33, 50])
        measures = Measures(extra_time_percent=percent)
        phases += phases_for(f"C{i:02}", rng.choice(exams)(), measures, split=False)
    juries = [f"J{n}" for n in range(1, rng.randint(1, 3) + 1)]
    start = rng.choice([7, 8, 9])
    problem = Problem(
        days=days(rng.randint(1, 3), start=start, end=start + rng.randint(4, 12)),
        rooms=[f"R{n}" for n in range(1, rng.randint(1, 4) + 1)],
        juries=juries,
        supervisors=[f"S{n}" for n in range(1, rng.randint(0, 2) + 1)],
        phases=phases,
        supervision_capacity=rng.randint(1, 3),
        changeover_minutes=rng.choice([0, 5, 15]),
        forbidden={
            f"C{i:02}": set(rng.sample(juries, rng.randint(0, len(juries))))
            for i in range(1, 21)
            if rng.random() < 0.3
        },
    )

    timetable = first_fit(problem)

    assert conflicts(timetable, problem) == []
    assert len(timetable.assignments) + len(timetable.unplaced) == len(problem.phases)


# --- conflicts detects every invalid timetable --------------------------------------------


def base() -> tuple[Timetable, Problem]:
    """Three CC candidates before two panels, two supervised written candidates: valid."""
    phases = session(exam("cc", "certification"), 3) + session(supervised_written(), 2, prefix="W")
    problem = Problem(
        days=days(),
        rooms=["R1", "R2", "R3", "R4"],
        juries=["J1", "J2"],
        supervisors=["S1", "S2"],
        phases=phases,
    )
    return first_fit(problem), problem


def moved(timetable: Timetable, key: tuple[str, int], **changes: object) -> Timetable:
    assignments = [
        dataclasses.replace(a, **changes) if (a.phase.candidate, a.phase.index) == key else a
        for a in timetable.assignments
    ]
    return dataclasses.replace(timetable, assignments=assignments)


def shifted(timetable: Timetable, key: tuple[str, int], delta: int) -> Timetable:
    a = by_phase(timetable)[key]
    step = timedelta(minutes=delta)
    return moved(timetable, key, start=a.start + step, end=a.end + step)


def swap_interviews(timetable: Timetable) -> Timetable:
    # Questioning (70) first at 09:45, then the technical interview (55): durations kept.
    swapped = moved(timetable, ("C01", 2), start=at(9, 45), end=at(10, 55))
    return moved(swapped, ("C01", 1), start=at(10, 55), end=at(11, 50))


def unknown_phase(timetable: Timetable) -> Timetable:
    extra = dataclasses.replace(timetable.assignments[0].phase, candidate="X99")
    stray = dataclasses.replace(timetable.assignments[0], phase=extra, room="R4", jury=None)
    return dataclasses.replace(timetable, assignments=[*timetable.assignments, stray])


Mutation = Callable[[Timetable, Problem], tuple[Timetable, Problem]]


def on_timetable(change: Callable[[Timetable], Timetable]) -> Mutation:
    return lambda timetable, problem: (change(timetable), problem)


def on_problem(**changes: object) -> Mutation:
    return lambda timetable, problem: (timetable, dataclasses.replace(problem, **changes))


INVALID: list[tuple[str, Mutation, str]] = [
    (
        "room",
        on_timetable(lambda t: moved(t, ("C02", 0), room="R1")),
        "Salle R1 : C01 — Mise en situation professionnelle (16/06 08:00–09:45) et "
        "C02 — Mise en situation professionnelle (16/06 08:00–09:45) se chevauchent.",
    ),
    (
        "jury",
        on_timetable(lambda t: moved(t, ("C02", 1), jury="J1")),
        "Jury J1 : C01 — Entretien technique (16/06 09:45–10:40) et "
        "C02 — Entretien technique (16/06 09:45–10:40) se chevauchent.",
    ),
    (
        "supervisor",
        on_timetable(lambda t: moved(t, ("W02", 0), supervisor="S1")),
        "Surveillant S1 : 2 candidats à la fois à 16/06 08:00 (au plus 1).",
    ),
    (
        "candidate",
        on_timetable(lambda t: shifted(t, ("C01", 1), -30)),
        "Candidat C01 : C01 — Mise en situation professionnelle (16/06 08:00–09:45) et "
        "C01 — Entretien technique (16/06 09:15–10:10) se chevauchent.",
    ),
    (
        "outside-days",
        on_timetable(lambda t: moved(t, ("C03", 3), start=at(19), end=at(19, 10))),
        "C03 — Entretien final (16/06 19:00–19:10) : hors des journées de la session.",
    ),
    (
        "before-the-day",
        on_timetable(lambda t: shifted(t, ("C01", 0), -60)),
        "C01 — Mise en situation professionnelle (16/06 07:00–08:45) : "
        "hors des journées de la session.",
    ),
    (
        "duration",
        on_timetable(lambda t: moved(t, ("C01", 0), end=at(9, 50))),
        "C01 — Mise en situation professionnelle (16/06 08:00–09:50) : "
        "dure 110 min au lieu de 105 min.",
    ),
    (
        "order",
        on_timetable(swap_interviews),
        "Candidat C01 : « Questionnement à partir de production(s) » commence avant "
        "« Entretien technique ».",
    ),
    (
        "forbidden",
        on_problem(forbidden={"C01": {"J1"}}),
        "C01 — Entretien final (16/06 11:50–12:00) : le jury J1 ne peut pas évaluer ce candidat.",
    ),
    (
        "jury-missing",
        on_timetable(lambda t: moved(t, ("C02", 2), jury=None)),
        "C02 — Questionnement à partir de production(s) (16/06 10:40–11:50) : "
        "jury requis mais absent.",
    ),
    (
        "supervision-missing",
        on_timetable(lambda t: moved(t, ("W01", 0), supervisor=None)),
        "W01 — Mises en situations professionnelles – Evaluation 1 (16/06 08:00–12:00) : "
        "surveillance requise mais ni surveillant ni jury.",
    ),
    (
        "changeover",
        on_problem(changeover_minutes=15),
        "Jury J1 : 0 min entre C01 — Entretien final (16/06 11:50–12:00) et "
        "C03 — Mise en situation professionnelle (16/06 12:00–13:45), il en faut 15.",
    ),
    (
        "two-panels",
        on_timetable(lambda t: moved(t, ("C03", 3), jury="J2")),
        "Candidat C03 : évalué par plusieurs jurys (J1, J2).",
    ),
    (
        "unknown-room",
        on_timetable(lambda t: moved(t, ("C01", 3), room="Salle 9")),
        "C01 — Entretien final (16/06 11:50–12:00) : salle inconnue Salle 9.",
    ),
    (
        "unknown-jury",
        on_timetable(lambda t: moved(t, ("C01", 3), jury="J7")),
        "C01 — Entretien final (16/06 11:50–12:00) : jury inconnu J7.",
    ),
    (
        "unknown-supervisor",
        on_timetable(lambda t: moved(t, ("W01", 0), supervisor="S9")),
        "W01 — Mises en situations professionnelles – Evaluation 1 (16/06 08:00–12:00) : "
        "surveillant inconnu S9.",
    ),
    (
        "missing-phase",
        on_timetable(
            lambda t: dataclasses.replace(
                t, assignments=[a for a in t.assignments if a.phase.candidate != "C02"]
            )
        ),
        "C02 — Entretien final : ni planifiée ni signalée non placée.",
    ),
    (
        "twice",
        on_timetable(
            lambda t: dataclasses.replace(t, assignments=[*t.assignments, t.assignments[0]])
        ),
        "C01 — Mise en situation professionnelle : planifiée 2 fois.",
    ),
    (
        "unknown-phase",
        on_timetable(unknown_phase),
        "X99 — Mise en situation professionnelle : phase inconnue de la session.",
    ),
]


def test_base_timetable_is_valid():
    timetable, problem = base()

    assert conflicts(timetable, problem) == []
    assert timetable.unplaced == []
    placed = by_phase(timetable)
    assert (placed["W01", 0].supervisor, placed["W02", 0].supervisor) == ("S1", "S2")
    assert (placed["C03", 0].jury, placed["C03", 0].start) == ("J1", at(12))


@pytest.mark.parametrize(
    ("mutation", "message"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_conflicts_reports_each_invalid_timetable(mutation, message):
    timetable, problem = mutation(*base())

    assert message in conflicts(timetable, problem)


def test_supervision_within_capacity_is_no_conflict():
    timetable, problem = base()
    shared = moved(timetable, ("W02", 0), supervisor="S1")

    assert conflicts(shared, dataclasses.replace(problem, supervision_capacity=2)) == []
