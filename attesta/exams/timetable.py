"""Exam session timetable: who sits which phase, when, where, before which jury panel.

Pure data and functions, no Django, no database. The shapes are plain so that another
scheduler (the CP-SAT optimiser) can fill a :class:`Timetable` from the same
:class:`Problem`, and :func:`conflicts` judges any timetable whoever built it.

Rules chosen:
- a candidate sits the methods of the exam one after the other, in the référentiel's order;
  a phase starts when the previous one ends, or later (possibly on a later day);
- every phase takes one room for itself (one candidate per room at a time);
- a phase needing the jury takes one jury panel, and the same panel assesses every jury
  phase of a candidate; panels listed in ``forbidden`` for a candidate (their trainer…)
  may not assess them;
- a phase needing supervision and not the jury takes one supervisor, who watches up to
  ``supervision_capacity`` candidates at once; where the jury is present, it supervises;
- a panel needs ``changeover_minutes`` between two phases of different candidates (none
  between the phases of one candidate);
- a phase lies within one day of the session; first_fit keeps a candidate's phases on one
  day where it can, and spreads them over the days only when no single day fits them.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from attesta.candidates.rules import Measures, extra_minutes, extra_percent
from attesta.referentiels.importers.canonical import Exam, MethodKind

STEP = timedelta(minutes=5)


@dataclass(frozen=True)
class Phase:
    """One method of the exam, for one candidate, with its duration and its needs."""

    candidate: str  # a stable key: enrolment id, candidate number…
    index: int  # order of the phase in the candidate's sequence
    title: str
    kind: MethodKind
    minutes: int  # extra time included
    base_minutes: int
    needs_jury: bool
    needs_supervision: bool
    needs_room: bool = True
    equipment: str = ""  # adapted equipment from the accommodations

    def describe(self) -> str:
        return f"{self.candidate} — {self.title}"


def phases_for(
    candidate: str, exam: Exam, measures: Measures | None, *, first_index: int = 0
) -> list[Phase]:
    """The candidate's phases for an exam, in the order of its methods, extra time applied.

    ``first_index`` numbers the phases after those of another exam (a candidate targeting
    several blocks). Raises ``ValueError`` when a method has no duration: it cannot be
    timetabled."""
    if not exam.methods:
        raise ValueError(f"L'épreuve « {exam.scope} » ne compte aucune modalité à planifier.")
    measures = measures or Measures()
    phases = []
    for offset, method in enumerate(exam.methods):
        base = method.duration_minutes
        if base is None or base <= 0:
            raise ValueError(
                f"Durée inconnue pour la modalité « {method.title} » de l'épreuve "
                f"« {exam.scope} » : impossible de la planifier."
            )
        extra = extra_minutes(base, extra_percent(measures, method.kind))
        phases.append(
            Phase(
                candidate=candidate,
                index=first_index + offset,
                title=method.title,
                kind=method.kind,
                minutes=base + extra,
                base_minutes=base,
                needs_jury=method.requires_jury,
                needs_supervision=method.requires_supervision,
                equipment=measures.adapted_equipment,
            )
        )
    return phases


@dataclass(frozen=True)
class Problem:
    """The session's resources and the phases to place."""

    days: list[tuple[datetime, datetime]]  # (start, end) of each day of the session
    rooms: list[str]
    juries: list[str]  # jury panels
    supervisors: list[str]
    phases: list[Phase]
    supervision_capacity: int = 1  # candidates one supervisor watches at once
    changeover_minutes: int = 0  # between two candidates before the same panel
    forbidden: dict[str, set[str]] = field(default_factory=dict)  # candidate → panels

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("Aucune journée de session.")
        for start, end in self.days:
            if end <= start:
                raise ValueError(f"Journée vide ou inversée : {start} – {end}.")
        if self.supervision_capacity < 1:
            raise ValueError("Un surveillant surveille au moins un candidat.")
        if self.changeover_minutes < 0:
            raise ValueError("Le temps de battement ne peut pas être négatif.")
        keys = Counter((p.candidate, p.index) for p in self.phases)
        doubles = sorted(f"{c} n° {i}" for (c, i), n in keys.items() if n > 1)
        if doubles:
            raise ValueError(f"Phases en double : {', '.join(doubles)}.")

    @property
    def changeover(self) -> timedelta:
        return timedelta(minutes=self.changeover_minutes)

    def candidates(self) -> list[str]:
        """Candidates in the order of their first phase."""
        return list(dict.fromkeys(p.candidate for p in self.phases))

    def phases_of(self, candidate: str) -> list[Phase]:
        return sorted((p for p in self.phases if p.candidate == candidate), key=_index)

    def allowed_juries(self, candidate: str) -> list[str]:
        banned = self.forbidden.get(candidate, set())
        return [jury for jury in self.juries if jury not in banned]


@dataclass(frozen=True)
class Assignment:
    phase: Phase
    start: datetime
    end: datetime
    room: str
    jury: str | None = None
    supervisor: str | None = None

    def describe(self) -> str:
        return f"{self.phase.describe()} ({self.start:%d/%m %H:%M}–{self.end:%H:%M})"


@dataclass(frozen=True)
class Unplaced:
    phase: Phase
    reason: str  # in French, for the session manager


@dataclass(frozen=True)
class Timetable:
    assignments: list[Assignment]
    unplaced: list[Unplaced] = field(default_factory=list)


# --- first fit ---------------------------------------------------------------------------


def first_fit(problem: Problem) -> Timetable:
    """A valid timetable, greedily: candidates in the given order, each candidate's phases
    one after the other at the earliest start that has a room, the jury panel and a
    supervisor free, in 5-minute steps. A candidate whose phases do not all fit is left
    out entirely (every phase in ``unplaced``), so no one gets half a session. A candidate
    sits every phase on the same day when some day allows it, else across the days."""
    busy = _Busy(problem)
    assignments: list[Assignment] = []
    unplaced: list[Unplaced] = []
    # A candidate sits the whole exam on one day where possible, else across the days.
    attempts = [[day] for day in problem.days]
    if len(problem.days) > 1:
        attempts.append(problem.days)
    for candidate in problem.candidates():
        phases = problem.phases_of(candidate)
        for days in attempts:
            placed, failure = _place_candidate(problem, busy, phases, days)
            if failure is None:
                break
        if failure is None:
            for assignment in placed:
                busy.add(assignment)
            assignments.extend(placed)
            continue
        failed, reason = failure
        for phase in phases:
            if phase == failed:
                unplaced.append(Unplaced(phase, reason))
            else:
                unplaced.append(
                    Unplaced(phase, f"Non placée : « {failed.title} » ne trouve pas de créneau.")
                )
    return Timetable(assignments=assignments, unplaced=unplaced)


class _Busy:
    """What first_fit has already booked, per resource."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.rooms: dict[str, list[Assignment]] = defaultdict(list)
        self.juries: dict[str, list[Assignment]] = defaultdict(list)
        self.supervisors: dict[str, list[Assignment]] = defaultdict(list)

    def add(self, assignment: Assignment) -> None:
        self.rooms[assignment.room].append(assignment)
        if assignment.jury is not None:
            self.juries[assignment.jury].append(assignment)
        if assignment.supervisor is not None:
            self.supervisors[assignment.supervisor].append(assignment)

    def room(self, start: datetime, end: datetime) -> str | None:
        return next(
            (r for r in self.problem.rooms if not _any_overlap(self.rooms[r], start, end)), None
        )

    def jury(self, candidate: str, panels: list[str], start: datetime, end: datetime) -> str | None:
        gap = self.problem.changeover
        for panel in panels:
            if not any(
                _overlaps(a.start, a.end, start, end)
                if a.phase.candidate == candidate
                else _overlaps(a.start, a.end + gap, start, end + gap)
                for a in self.juries[panel]
            ):
                return panel
        return None

    def supervisor(self, start: datetime, end: datetime) -> str | None:
        capacity = self.problem.supervision_capacity
        for supervisor in self.problem.supervisors:
            if _peak(self.supervisors[supervisor], start, end) < capacity:
                return supervisor
        return None


def _place_candidate(
    problem: Problem, busy: _Busy, phases: list[Phase], days: list[tuple[datetime, datetime]]
) -> tuple[list[Assignment], tuple[Phase, str] | None]:
    placed: list[Assignment] = []
    earliest = days[0][0]
    panel: str | None = None
    for phase in phases:
        panels = [panel] if panel is not None else problem.allowed_juries(phase.candidate)
        reason = _impossible(problem, phase, panels)
        if reason is not None:
            return placed, (phase, reason)
        assignment = _earliest(busy, phase, days, earliest, panels)
        if assignment is None:
            return placed, (phase, _no_slot(phase, panel))
        placed.append(assignment)
        earliest = assignment.end
        panel = assignment.jury or panel
    return placed, None


def _impossible(problem: Problem, phase: Phase, panels: list[str]) -> str | None:
    """Why the phase can never be placed, whatever the others do."""
    duration = timedelta(minutes=phase.minutes)
    if not any(end - start >= duration for start, end in problem.days):
        return f"Durée de {phase.minutes} min plus longue que chaque journée de la session."
    if not problem.rooms:
        return "Aucune salle."
    if phase.needs_jury and not panels:
        return "Aucun jury autorisé à évaluer ce candidat."
    if phase.needs_supervision and not phase.needs_jury and not problem.supervisors:
        return "Surveillance requise mais aucun surveillant."
    return None


def _no_slot(phase: Phase, panel: str | None) -> str:
    needs = ["salle"]
    if phase.needs_jury:
        needs.append(f"jury {panel}" if panel else "jury")
    if phase.needs_supervision and not phase.needs_jury:
        needs.append("surveillant")
    return (
        f"Aucun créneau de {phase.minutes} min avec {', '.join(needs)} libre(s) "
        "avant la fin de la session."
    )


def _earliest(
    busy: _Busy,
    phase: Phase,
    days: list[tuple[datetime, datetime]],
    earliest: datetime,
    panels: list[str],
) -> Assignment | None:
    duration = timedelta(minutes=phase.minutes)
    for day_start, day_end in days:
        for start in _starts(day_start, day_end - duration, earliest):
            end = start + duration
            room = busy.room(start, end)
            if room is None:
                continue
            jury = None
            if phase.needs_jury:
                jury = busy.jury(phase.candidate, panels, start, end)
                if jury is None:
                    continue
            supervisor = None
            if phase.needs_supervision and not phase.needs_jury:
                supervisor = busy.supervisor(start, end)
                if supervisor is None:
                    continue
            return Assignment(phase, start, end, room, jury, supervisor)
    return None


def _starts(day_start: datetime, latest: datetime, earliest: datetime) -> Iterable[datetime]:
    """Start times within a day: ``earliest`` itself (right after the previous phase), then
    the 5-minute grid of the day."""
    if earliest > latest:
        return
    if earliest >= day_start:
        yield earliest
    start = day_start
    if earliest > day_start:
        start += STEP * -(-(earliest - day_start) // STEP)  # next grid point
    while start <= latest:
        if start != earliest:
            yield start
        start += STEP


# --- validity ----------------------------------------------------------------------------


def conflicts(timetable: Timetable, problem: Problem) -> list[str]:
    """Everything that makes the timetable invalid for the problem, in French; empty when
    it is valid. Independent of how the timetable was built."""
    found: list[str] = []
    assignments = timetable.assignments
    found += _bookkeeping(timetable, problem)
    for a in assignments:
        found += _single(a, problem)
    by_room: dict[str, list[Assignment]] = defaultdict(list)
    by_jury: dict[str, list[Assignment]] = defaultdict(list)
    by_supervisor: dict[str, list[Assignment]] = defaultdict(list)
    by_candidate: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        by_room[a.room].append(a)
        by_candidate[a.phase.candidate].append(a)
        if a.jury is not None:
            by_jury[a.jury].append(a)
        if a.supervisor is not None:
            by_supervisor[a.supervisor].append(a)
    for room, booked in by_room.items():
        for a, b in _overlapping_pairs(booked):
            found.append(f"Salle {room} : {a.describe()} et {b.describe()} se chevauchent.")
    for jury, booked in by_jury.items():
        found += _jury_conflicts(jury, booked, problem.changeover)
    for supervisor, booked in by_supervisor.items():
        found += _supervision_conflicts(supervisor, booked, problem.supervision_capacity)
    for candidate, booked in by_candidate.items():
        found += _candidate_conflicts(candidate, booked)
    return found


def _bookkeeping(timetable: Timetable, problem: Problem) -> list[str]:
    found = []
    known = set(problem.phases)
    counts = Counter(a.phase for a in timetable.assignments)
    unplaced = {u.phase for u in timetable.unplaced}
    for phase, count in counts.items():
        if phase not in known:
            found.append(f"{phase.describe()} : phase inconnue de la session.")
        if count > 1:
            found.append(f"{phase.describe()} : planifiée {count} fois.")
        if phase in unplaced:
            found.append(f"{phase.describe()} : planifiée et signalée non placée.")
    for phase in problem.phases:
        if phase not in counts and phase not in unplaced:
            found.append(f"{phase.describe()} : ni planifiée ni signalée non placée.")
    return found


def _single(a: Assignment, problem: Problem) -> list[str]:
    found = []
    what = a.describe()
    phase = a.phase
    minutes = (a.end - a.start) / timedelta(minutes=1)
    if minutes != phase.minutes:
        found.append(f"{what} : dure {minutes:g} min au lieu de {phase.minutes} min.")
    if not any(start <= a.start and a.end <= end for start, end in problem.days):
        found.append(f"{what} : hors des journées de la session.")
    if a.room not in problem.rooms:
        found.append(f"{what} : salle inconnue {a.room}.")
    if a.jury is not None and a.jury not in problem.juries:
        found.append(f"{what} : jury inconnu {a.jury}.")
    if a.supervisor is not None and a.supervisor not in problem.supervisors:
        found.append(f"{what} : surveillant inconnu {a.supervisor}.")
    if a.jury is not None and a.jury in problem.forbidden.get(phase.candidate, set()):
        found.append(f"{what} : le jury {a.jury} ne peut pas évaluer ce candidat.")
    if phase.needs_jury and a.jury is None:
        found.append(f"{what} : jury requis mais absent.")
    if phase.needs_supervision and a.jury is None and a.supervisor is None:
        found.append(f"{what} : surveillance requise mais ni surveillant ni jury.")
    return found


def _jury_conflicts(jury: str, booked: list[Assignment], changeover: timedelta) -> list[str]:
    found = []
    for a, b in _overlapping_pairs(booked):
        found.append(f"Jury {jury} : {a.describe()} et {b.describe()} se chevauchent.")
    if changeover:
        ordered = sorted(booked, key=_start)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if b.start >= a.end + changeover:
                    break
                if b.phase.candidate != a.phase.candidate and b.start >= a.end:
                    gap = (b.start - a.end) / timedelta(minutes=1)
                    found.append(
                        f"Jury {jury} : {gap:g} min entre {a.describe()} et {b.describe()}, "
                        f"il en faut {changeover / timedelta(minutes=1):g}."
                    )
    return found


def _supervision_conflicts(supervisor: str, booked: list[Assignment], capacity: int) -> list[str]:
    found = []
    for instant in sorted({a.start for a in booked}):
        watched = sum(1 for a in booked if a.start <= instant < a.end)
        if watched > capacity:
            found.append(
                f"Surveillant {supervisor} : {watched} candidats à la fois à "
                f"{instant:%d/%m %H:%M} (au plus {capacity})."
            )
    return found


def _candidate_conflicts(candidate: str, booked: list[Assignment]) -> list[str]:
    found = []
    for a, b in _overlapping_pairs(booked):
        found.append(f"Candidat {candidate} : {a.describe()} et {b.describe()} se chevauchent.")
    in_order = sorted(booked, key=lambda a: a.phase.index)
    for previous, following in itertools.pairwise(in_order):
        if following.start < previous.start:
            found.append(
                f"Candidat {candidate} : « {following.phase.title} » commence avant "
                f"« {previous.phase.title} »."
            )
    panels = sorted({a.jury for a in booked if a.phase.needs_jury and a.jury is not None})
    if len(panels) > 1:
        found.append(f"Candidat {candidate} : évalué par plusieurs jurys ({', '.join(panels)}).")
    return found


def _overlapping_pairs(booked: list[Assignment]) -> list[tuple[Assignment, Assignment]]:
    ordered = sorted(booked, key=_start)
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            pairs.append((a, b))
    return pairs


def _overlaps(start_a: datetime, end_a: datetime, start_b: datetime, end_b: datetime) -> bool:
    return start_a < end_b and start_b < end_a


def _any_overlap(booked: list[Assignment], start: datetime, end: datetime) -> bool:
    return any(_overlaps(a.start, a.end, start, end) for a in booked)


def _peak(booked: list[Assignment], start: datetime, end: datetime) -> int:
    """The most intervals of ``booked`` running at once within [start, end)."""
    inside = [a for a in booked if _overlaps(a.start, a.end, start, end)]
    instants = {start} | {a.start for a in inside if a.start > start}
    return max((sum(1 for a in inside if a.start <= t < a.end) for t in instants), default=0)


def _index(phase: Phase) -> int:
    return phase.index


def _start(assignment: Assignment) -> datetime:
    return assignment.start
