"""Exam session timetable optimiser: OR-Tools CP-SAT over the plain timetable data.

Pure, no Django. :func:`optimise` reads a :class:`~attesta.exams.timetable.Problem` and
returns a :class:`Schedule` whose ``timetable`` is made of the same ``Assignment`` and
``Unplaced`` as first fit's, so :func:`~attesta.exams.timetable.conflicts` judges it.

Time. Minutes counted from the first day's start, on the wall clock. Each phase has one
start variable whose domain is the union of the day windows it fits in (``start`` in
``[day start, day end - duration]``), and one boolean per such day saying which one it is:
a phase never straddles two days.

Working minutes. Figures count time inside the day windows only: a moment of day *d* is
worth the full length of every earlier day plus the minutes since day *d* started. So the
makespan of a session ending at 12:00 on its second 08:00-18:00 day is 600 + 240 = 840
min; a candidate's waiting is the sum of the gaps between its phases in working minutes
(nights do not count). :func:`figures` computes them for any timetable, first fit's too.

Constraints, exactly those of ``conflicts``:
- rooms are interchangeable: a cumulative of capacity ``len(rooms)``; rooms are then given
  greedily in start order, which always succeeds on interval data (at a phase's start
  fewer than ``len(rooms)`` others are running); a candidate keeps their room when free;
- supervisors likewise: a cumulative of capacity ``supervision_capacity × supervisors``
  over the phases that need supervision and not the jury, then a greedy assignment;
- a candidate's phases in their order: each starts when the previous one has ended;
- one boolean per (candidate, allowed panel), exactly one true: the same panel for all the
  candidate's jury phases, forbidden panels never created;
- per panel a no-overlap of optional intervals (present when the candidate has that
  panel) running from the phase's start to its end plus a tail of
  ``min(changeover, gap to the candidate's next jury phase)`` (the full changeover after
  their last one). A gap shorter than the changeover is blocked, which is exact: no other
  candidate fits there anyway, as they would need a changeover on both sides.

Objective, lexicographic, by successive solves (each stage hinted with the previous
solution and constrained not to worsen the earlier stages' values):
1. fewest days used (distinct days with a phase), then the makespan, in one weighted sum
   ``days × (working minutes of the session + 1) + makespan``: the weight is larger than
   any makespan, so the order is exact; when first fit places everyone its makespan is a
   hard cap, so the optimiser is never worse than first fit on the makespan;
2. fewest jury minutes: per panel and day, last end minus first start;
3. least candidate waiting.
Successive solves keep every coefficient small (one weighted sum over four levels needs
weights around 10^12, which weakens the LP relaxation); the time limit is shared between
the stages, an early proof leaving its time to the next ones. First fit's timetable, when
complete, is the first hint; when the solver finds nothing within the limit it is returned
as is (status ``"unknown"`` if it leaves candidates out, ``"feasible"`` otherwise).

Lower bound of the makespan (working minutes), the largest of, all proven:
- each candidate's earliest end, placing their phases one after the other in the day
  windows with no other constraint;
- jury minutes over the number of panels (plus ``candidates - panels`` changeovers when
  the session has a single day: a panel with *n* candidates needs *n - 1* of them);
- room minutes over the number of rooms;
- supervised minutes over ``supervision_capacity × supervisors``.

Infeasibility is first checked by those same counts, which name the constraint in French
(« 12 candidats × 240 min de jury = 48 h de jury pour 2 jurys sur 1 jour de 10 h : il faut
au moins 3 jours ou 5 jurys »); when they all pass and the solver still proves there is
no timetable, the explanation gives the loads and the rule that makes them too tight.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, TypedDict

from ortools.sat.python import cp_model

from attesta.exams.timetable import (
    Assignment,
    Phase,
    Problem,
    Timetable,
    Unplaced,
    first_fit,
)

MINUTE = timedelta(minutes=1)
STAGE_SHARES = (0.4, 1.0)  # of the remaining time, per stage

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
Key = tuple[str, int]


class Figures(TypedDict):
    days_used: int
    makespan_minutes: int
    jury_hours: float
    waiting_minutes: int


@dataclass(frozen=True)
class Schedule:
    timetable: Timetable
    status: Status
    makespan_minutes: int
    lower_bound_minutes: int
    jury_hours: float
    waiting_minutes: int
    days_used: int
    solver_seconds: float
    explanation: str  # in French, for the session manager

    @property
    def gap(self) -> float:
        """How far the makespan is above its lower bound, as a fraction."""
        if not self.lower_bound_minutes:
            return 0.0
        return self.makespan_minutes / self.lower_bound_minutes - 1


# --- time ---------------------------------------------------------------------------------


class _Clock:
    """Minutes from the first day's start, and working minutes (inside the day windows)."""

    def __init__(self, problem: Problem) -> None:
        self.origin = min(start for start, _ in problem.days)
        windows = sorted(
            (math.ceil((s - self.origin) / MINUTE), math.floor((e - self.origin) / MINUTE))
            for s, e in problem.days
        )
        self.windows: list[tuple[int, int]] = windows
        self.before: list[int] = []  # working minutes of the days before each day
        total = 0
        for start, end in windows:
            self.before.append(total)
            total += end - start
        self.total = total

    def minute(self, moment: datetime) -> int:
        return math.floor((moment - self.origin) / MINUTE)

    def at(self, minute: int) -> datetime:
        return self.origin + minute * MINUTE

    def fits(self, minutes: int) -> list[int]:
        return [d for d, (s, e) in enumerate(self.windows) if e - s >= minutes]

    def day_of(self, start: int, end: int) -> int:
        for d, (s, e) in enumerate(self.windows):
            if s <= start and end <= e:
                return d
        # Outside every window (an invalid timetable): the last day started by then.
        return max((d for d, (s, _) in enumerate(self.windows) if s <= start), default=0)

    def work(self, minute: int, day: int) -> int:
        return self.before[day] + minute - self.windows[day][0]

    def longest_day(self) -> int:
        return max(e - s for s, e in self.windows)


# --- figures -----------------------------------------------------------------------------


def figures(timetable: Timetable, problem: Problem) -> Figures:
    """Days used, makespan (working minutes), jury-hours and waiting of any timetable."""
    clock = _Clock(problem)
    placed = [_placed(clock, a) for a in timetable.assignments]
    makespan = max((clock.work(end, day) for _, _, end, day in placed), default=0)
    spans: dict[tuple[str, int], tuple[int, int]] = {}
    by_candidate: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
    for a, start, end, day in placed:
        by_candidate[a.phase.candidate].append((a.phase.index, start, end, day))
        if a.jury is not None:
            first, last = spans.get((a.jury, day), (start, end))
            spans[a.jury, day] = (min(first, start), max(last, end))
    waiting = 0
    for phases in by_candidate.values():
        phases.sort()
        for (_, _, end, day), (_, start, _, next_day) in itertools.pairwise(phases):
            waiting += max(clock.work(start, next_day) - clock.work(end, day), 0)
    return Figures(
        days_used=len({day for *_, day in placed}),
        makespan_minutes=makespan,
        jury_hours=sum(last - first for first, last in spans.values()) / 60,
        waiting_minutes=waiting,
    )


def _placed(clock: _Clock, a: Assignment) -> tuple[Assignment, int, int, int]:
    start, end = clock.minute(a.start), clock.minute(a.end)
    return a, start, end, clock.day_of(start, end)


# --- lower bound and impossibility ---------------------------------------------------------


def lower_bound(problem: Problem) -> int:
    """A proven lower bound of the makespan in working minutes (see the module docstring)."""
    clock = _Clock(problem)
    bounds = [0]
    for candidate in problem.candidates():
        end = _earliest_end(clock, problem.phases_of(candidate))
        if end is not None:
            bounds.append(end)
    jury = sum(p.minutes for p in problem.phases if p.needs_jury)
    if jury and problem.juries:
        panels = len(problem.juries)
        with_jury = len({p.candidate for p in problem.phases if p.needs_jury})
        changeovers = max(with_jury - panels, 0) if len(clock.windows) == 1 else 0
        bounds.append(_ceil_div(jury + changeovers * problem.changeover_minutes, panels))
    if problem.rooms:
        bounds.append(_ceil_div(sum(p.minutes for p in problem.phases), len(problem.rooms)))
    supervised = sum(p.minutes for p in problem.phases if _supervised(p))
    if supervised and problem.supervisors:
        capacity = problem.supervision_capacity * len(problem.supervisors)
        bounds.append(_ceil_div(supervised, capacity))
    return max(bounds)


def _earliest_end(clock: _Clock, phases: Sequence[Phase]) -> int | None:
    """Working-minute end of the phases placed one after the other at the earliest, in the
    day windows, with nothing else in the way; None when they do not fit."""
    now, day = clock.windows[0][0], 0
    for phase in phases:
        for d in range(day, len(clock.windows)):
            s, e = clock.windows[d]
            start = max(now, s)
            if start + phase.minutes <= e:
                now, day = start + phase.minutes, d
                break
        else:
            return None
    return clock.work(now, day)


def impossibility(problem: Problem) -> str | None:
    """Why no timetable can place every candidate, by counting alone; None when the counts
    allow one (the solver may still prove there is none)."""
    clock = _Clock(problem)
    longest = clock.longest_day()
    for phase in problem.phases:
        if phase.minutes > longest:
            return (
                f"« {phase.title} » de {phase.candidate} dure {phase.minutes} min, plus que "
                f"la plus longue journée de la session ({_hours(longest)})."
            )
    if problem.phases and not problem.rooms:
        return f"Aucune salle pour les {len(problem.phases)} phases à planifier."
    for candidate in problem.candidates():
        phases = problem.phases_of(candidate)
        if any(p.needs_jury for p in phases) and not problem.allowed_juries(candidate):
            return f"Aucun jury autorisé à évaluer {candidate}."
        if _earliest_end(clock, phases) is None:
            total = sum(p.minutes for p in phases)
            return (
                f"Les {len(phases)} phases de {candidate} ({total} min) ne tiennent pas, "
                "l'une après l'autre, dans les journées de la session."
            )
    supervised = [p for p in problem.phases if _supervised(p)]
    if supervised and not problem.supervisors:
        return f"{len(supervised)} phases à surveiller et aucun surveillant."
    return (
        _overload(problem, clock, "jury", "jurys", [p for p in problem.phases if p.needs_jury])
        or _overload(problem, clock, "salle", "salles", problem.phases)
        or _overload(problem, clock, "surveillance", "surveillants", supervised)
    )


def _overload(
    problem: Problem, clock: _Clock, what: str, resources: str, phases: list[Phase]
) -> str | None:
    count = {
        "jurys": len(problem.juries),
        "salles": len(problem.rooms),
        "surveillants": len(problem.supervisors) * problem.supervision_capacity,
    }[resources]
    needed = sum(p.minutes for p in phases)
    if not phases or needed <= count * clock.total:
        return None
    per_candidate: dict[str, int] = defaultdict(int)
    for p in phases:
        per_candidate[p.candidate] += p.minutes
    amounts = set(per_candidate.values())
    if len(amounts) == 1:
        load = f"{len(per_candidate)} candidats × {amounts.pop()} min de {what}"
    else:
        load = f"{len(per_candidate)} candidats, {needed} min de {what} au total"
    days = len(clock.windows)
    lengths = {e - s for s, e in clock.windows}
    if len(lengths) == 1:
        span = f"{days} jour{'s' if days > 1 else ''} de {_hours(lengths.pop())}"
    else:
        span = f"{days} jours ({_hours(clock.total)} au total)"
    unit = "places de surveillance" if resources == "surveillants" else resources
    return (
        f"{load} = {_hours(needed)} de {what} pour {count} {unit} sur {span} : il faut au "
        f"moins {_ceil_div(needed, count * clock.longest_day())} jours "
        f"ou {_ceil_div(needed, clock.total)} {unit}."
    )


# --- optimiser ---------------------------------------------------------------------------


def optimise(
    problem: Problem,
    *,
    time_limit_seconds: float = 10.0,
    workers: int = 2,
    seed: int = 0,
) -> Schedule:
    """The best timetable CP-SAT finds within the time limit (see the module docstring)."""
    began = time.perf_counter()
    clock = _Clock(problem)
    bound = lower_bound(problem)
    if not problem.phases:
        return _schedule(problem, Timetable([]), "optimal", bound, began, "Aucune phase.")
    reason = impossibility(problem)
    if reason is not None:
        return _schedule(problem, _nothing(problem, reason), "infeasible", bound, began, reason)
    baseline = first_fit(problem)
    complete = not baseline.unplaced
    model = _Model(problem, clock)
    if complete:
        model.hint_from(baseline)
        model.cap_makespan(figures(baseline, problem)["makespan_minutes"])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    deadline = began + time_limit_seconds
    solution: _Solution | None = None
    proven = True
    for stage, (objective, share) in enumerate(zip(model.stages(), STAGE_SHARES, strict=True)):
        remaining = deadline - time.perf_counter()
        if stage and remaining < 0.05:
            proven = False
            break
        solver.parameters.max_time_in_seconds = max(remaining * share, 0.05)
        model.cp.minimize(objective)
        status = solver.solve(model.cp)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if stage == 0 and status == cp_model.INFEASIBLE:
                reason = _tightest(problem, clock)
                return _schedule(
                    problem, _nothing(problem, reason), "infeasible", bound, began, reason
                )
            proven = False
            break
        solution = model.read(solver)
        proven = proven and status == cp_model.OPTIMAL
        model.cp.add(objective <= solver.value(objective))
        model.hint(solution)
    if solution is None:
        if complete:
            note = "Délai atteint avant toute amélioration : planning glouton (first fit)."
            return _schedule(problem, baseline, "feasible", bound, began, note)
        note = (
            "Délai atteint sans planning plaçant tous les candidats : planning glouton "
            f"partiel, {len(baseline.unplaced)} phases non placées."
        )
        return _schedule(problem, baseline, "unknown", bound, began, note)
    return _schedule(
        problem,
        _timetable(problem, clock, solution),
        "optimal" if proven else "feasible",
        bound,
        began,
        "",
    )


@dataclass(frozen=True)
class _Solution:
    starts: dict[Key, int]
    days: dict[Key, int]
    panels: dict[str, str]  # candidate → jury panel


class _Model:
    """The CP-SAT model of a problem: variables, constraints, the stages' objectives."""

    def __init__(self, problem: Problem, clock: _Clock) -> None:
        self.problem = problem
        self.clock = clock
        cp = self.cp = cp_model.CpModel()
        self.start: dict[Key, cp_model.IntVar] = {}
        self.on_day: dict[Key, dict[int, cp_model.IntVar]] = {}
        self.panel: dict[str, dict[str, cp_model.IntVar]] = {}
        intervals: dict[Key, cp_model.IntervalVar] = {}
        work_start: dict[Key, cp_model.LinearExpr] = {}
        work_end: dict[Key, cp_model.LinearExpr] = {}
        for p in problem.phases:
            key = _key(p)
            fits = clock.fits(p.minutes)
            domain = cp_model.Domain.from_intervals(
                [[clock.windows[d][0], clock.windows[d][1] - p.minutes] for d in fits]
            )
            start = self.start[key] = cp.new_int_var_from_domain(domain, f"start {key}")
            intervals[key] = cp.new_fixed_size_interval_var(start, p.minutes, f"phase {key}")
            days = self.on_day[key] = {d: cp.new_bool_var(f"day {key} {d}") for d in fits}
            cp.add_exactly_one(days.values())
            for d, lit in days.items():
                s, e = clock.windows[d]
                cp.add_linear_constraint(start, s, e - p.minutes).only_enforce_if(lit)
            shift = cp_model.LinearExpr.weighted_sum(
                list(days.values()), [clock.windows[d][0] - clock.before[d] for d in days]
            )
            work_start[key] = start - shift
            work_end[key] = start + p.minutes - shift
        # Rooms and supervisors: interchangeable, assigned after the solve.
        cp.add_cumulative(intervals.values(), [1] * len(intervals), len(problem.rooms))
        supervised = [intervals[_key(p)] for p in problem.phases if _supervised(p)]
        if supervised:
            capacity = problem.supervision_capacity * len(problem.supervisors)
            cp.add_cumulative(supervised, [1] * len(supervised), capacity)
        # Each candidate: phases in order, one panel.
        by_panel: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        changeover = problem.changeover_minutes
        waiting: list[cp_model.LinearExpr] = []
        self.jury_phases: list[tuple[Phase, str]] = []
        for candidate in problem.candidates():
            phases = problem.phases_of(candidate)
            for before, after in itertools.pairwise(phases):
                cp.add(self.start[_key(after)] >= self.start[_key(before)] + before.minutes)
            wait = cp.new_int_var(0, clock.total, f"waiting {candidate}")
            cp.add(
                wait
                == work_end[_key(phases[-1])]
                - work_start[_key(phases[0])]
                - sum(p.minutes for p in phases)
            )
            waiting.append(wait)
            jury = [p for p in phases if p.needs_jury]
            if not jury:
                continue
            panels = self.panel[candidate] = {
                j: cp.new_bool_var(f"panel {candidate} {j}")
                for j in problem.allowed_juries(candidate)
            }
            cp.add_exactly_one(panels.values())
            for i, p in enumerate(jury):
                tail = self._tail(p, jury[i + 1] if i + 1 < len(jury) else None)
                start = self.start[_key(p)]
                end: cp_model.LinearExpr | cp_model.IntVar = start + p.minutes + tail
                if not isinstance(tail, int):  # an interval's end must be affine
                    end = cp.new_int_var(0, clock.windows[-1][1] + changeover, f"end {p}")
                    cp.add(end == start + p.minutes + tail)
                for j, lit in panels.items():
                    by_panel[j].append(
                        cp.new_optional_interval_var(
                            start, p.minutes + tail, end, lit, f"{_key(p)} {j}"
                        )
                    )
                    self.jury_phases.append((p, j))
        for booked in by_panel.values():
            cp.add_no_overlap(booked)
        # Objectives.
        used = [cp.new_bool_var(f"used {d}") for d in range(len(clock.windows))]
        for days in self.on_day.values():
            for d, lit in days.items():
                cp.add_implication(lit, used[d])
        self.makespan = cp.new_int_var(0, clock.total, "makespan")
        for end in work_end.values():
            cp.add(self.makespan >= end)
        spans: list[cp_model.LinearExpr] = []
        for j in problem.juries:
            # Redundant, for the relaxation: a panel's spans hold its candidates' jury minutes.
            panel_spans: list[cp_model.LinearExpr] = []
            load = cp_model.LinearExpr.weighted_sum(
                [lits[j] for lits in self.panel.values() if j in lits],
                [
                    sum(p.minutes for p in problem.phases_of(c) if p.needs_jury)
                    for c, lits in self.panel.items()
                    if j in lits
                ],
            )
            for d, (s, e) in enumerate(clock.windows):
                first = cp.new_int_var(s, e, f"first {j} {d}")
                last = cp.new_int_var(s, e, f"last {j} {d}")
                cp.add(last >= first)
                spans.append(last - first)
                panel_spans.append(last - first)
                for p, panel in self.jury_phases:
                    day = self.on_day[_key(p)].get(d)
                    if panel != j or day is None:
                        continue
                    both = [day, self.panel[p.candidate][j]]
                    cp.add(first <= self.start[_key(p)]).only_enforce_if(both)
                    cp.add(last >= self.start[_key(p)] + p.minutes).only_enforce_if(both)
            cp.add(cp_model.LinearExpr.sum(panel_spans) >= load)
        self.days_used = cp_model.LinearExpr.sum(used)
        self.jury_minutes = cp_model.LinearExpr.sum(spans)
        self.waiting = cp_model.LinearExpr.sum(waiting)

    def _tail(self, phase: Phase, following: Phase | None) -> cp_model.LinearExpr | int:
        """Changeover kept after a jury phase on its panel (see the module docstring)."""
        changeover = self.problem.changeover_minutes
        if not changeover or following is None:
            return changeover
        tail = self.cp.new_int_var(0, changeover, f"tail {_key(phase)}")
        gap = self.start[_key(following)] - self.start[_key(phase)] - phase.minutes
        self.cp.add_min_equality(tail, [changeover, gap])
        return tail

    def stages(self) -> list[cp_model.LinearExpr]:
        # Waiting is at most the whole session for each candidate: a jury minute outweighs
        # any waiting.
        most_waiting = self.clock.total * len(self.problem.candidates())
        return [
            self.days_used * (self.clock.total + 1) + self.makespan,
            self.jury_minutes * (most_waiting + 1) + self.waiting,
        ]

    def cap_makespan(self, minutes: int) -> None:
        self.cp.add(self.makespan <= minutes)

    def hint(self, solution: _Solution) -> None:
        self.cp.clear_hints()
        for key, start in solution.starts.items():
            self.cp.add_hint(self.start[key], start)
            for d, lit in self.on_day[key].items():
                self.cp.add_hint(lit, d == solution.days[key])
        for candidate, panels in self.panel.items():
            for j, lit in panels.items():
                self.cp.add_hint(lit, solution.panels.get(candidate) == j)

    def hint_from(self, timetable: Timetable) -> None:
        starts, days, panels = {}, {}, {}
        for a in timetable.assignments:
            key = _key(a.phase)
            starts[key] = self.clock.minute(a.start)
            days[key] = self.clock.day_of(starts[key], self.clock.minute(a.end))
            if a.jury is not None:
                panels[a.phase.candidate] = a.jury
        self.hint(_Solution(starts, days, panels))

    def read(self, solver: cp_model.CpSolver) -> _Solution:
        starts = {key: solver.value(var) for key, var in self.start.items()}
        days = {
            key: next(d for d, lit in lits.items() if solver.boolean_value(lit))
            for key, lits in self.on_day.items()
        }
        panels = {
            candidate: next(j for j, lit in lits.items() if solver.boolean_value(lit))
            for candidate, lits in self.panel.items()
        }
        return _Solution(starts, days, panels)


def _timetable(problem: Problem, clock: _Clock, solution: _Solution) -> Timetable:
    """Assignments from the solver's starts and panels; rooms and supervisors given
    greedily in start order (always possible under the cumulatives)."""
    phases = sorted(problem.phases, key=lambda p: (solution.starts[_key(p)], p.candidate, p.index))
    room_free: dict[str, int] = dict.fromkeys(problem.rooms, clock.windows[0][0])
    last_room: dict[str, str] = {}
    watching: dict[str, list[int]] = {s: [] for s in problem.supervisors}
    assignments = []
    for p in phases:
        start = solution.starts[_key(p)]
        end = start + p.minutes
        free = [r for r in problem.rooms if room_free[r] <= start]
        preferred = last_room.get(p.candidate)
        room = preferred if preferred in free else free[0] if free else None
        if room is None:
            raise RuntimeError(f"Aucune salle libre pour {p.describe()} : modèle incohérent.")
        room_free[room] = end
        last_room[p.candidate] = room
        supervisor = None
        if _supervised(p):
            supervisor = next(
                s
                for s, ends in watching.items()
                if sum(1 for e in ends if e > start) < problem.supervision_capacity
            )
            watching[supervisor].append(end)
        jury = solution.panels[p.candidate] if p.needs_jury else None
        assignments.append(Assignment(p, clock.at(start), clock.at(end), room, jury, supervisor))
    assignments.sort(key=lambda a: (a.phase.candidate, a.phase.index))
    return Timetable(assignments=assignments)


def _tightest(problem: Problem, clock: _Clock) -> str:
    """Explanation when the counts allow a timetable and the solver proves there is none."""
    loads = []
    total = clock.total
    jury = sum(p.minutes for p in problem.phases if p.needs_jury)
    if jury:
        loads.append(f"jurys occupés à {jury / (len(problem.juries) * total):.0%}")
    rooms = sum(p.minutes for p in problem.phases)
    loads.append(f"salles occupées à {rooms / (len(problem.rooms) * total):.0%}")
    return (
        f"Aucun planning ne place les {len(problem.candidates())} candidats "
        f"({', '.join(loads)}) : un jury suit chaque candidat sur toutes ses phases, "
        "une phase ne déborde pas de sa journée et le battement sépare deux candidats ; "
        "il faut plus de journées ou plus de jurys."
    )


def _schedule(
    problem: Problem,
    timetable: Timetable,
    status: Status,
    bound: int,
    began: float,
    explanation: str,
) -> Schedule:
    found = figures(timetable, problem)
    if not explanation:
        gap = found["makespan_minutes"] / bound - 1 if bound else 0.0
        explanation = (
            f"Planning {'optimal' if status == 'optimal' else 'réalisable'} : "
            f"{len(problem.candidates())} candidats sur {found['days_used']} jour(s), "
            f"{found['makespan_minutes']} min de session (borne inférieure {bound} min, "
            f"écart {_decimal(gap * 100)} %), {_decimal(found['jury_hours'])} h de jury, "
            f"{found['waiting_minutes']} min d'attente des candidats."
        )
    return Schedule(
        timetable=timetable,
        status=status,
        makespan_minutes=found["makespan_minutes"],
        lower_bound_minutes=bound,
        jury_hours=found["jury_hours"],
        waiting_minutes=found["waiting_minutes"],
        days_used=found["days_used"],
        solver_seconds=time.perf_counter() - began,
        explanation=explanation,
    )


def _nothing(problem: Problem, reason: str) -> Timetable:
    return Timetable([], [Unplaced(p, reason) for p in problem.phases])


def _supervised(phase: Phase) -> bool:
    """Needs a supervisor: where the jury is present, it supervises."""
    return phase.needs_supervision and not phase.needs_jury


def _key(phase: Phase) -> Key:
    return (phase.candidate, phase.index)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02}" if rest else f"{hours} h"
