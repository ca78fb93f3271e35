"""Exam session timetable optimiser: OR-Tools CP-SAT over the plain timetable data.

Pure, no Django. :func:`optimise` reads a :class:`~attesta.exams.timetable.Problem` and
returns a :class:`Schedule` whose ``timetable`` is made of the same ``Assignment`` and
``Unplaced`` as first fit's, so :func:`~attesta.exams.validity.conflicts` judges it. The
model in full is described in docs/scheduler.md; in short:

Time. Minutes counted from the first day's start, on the wall clock. Each phase has one
start variable whose domain is the union of the day windows it fits in, less (for a jury
phase) the starts that would overlap a break, or the single pinned start; and one boolean
per such day: a phase never straddles two days. Figures count working minutes (inside the
day windows): a session ending at 12:00 on its second 08:00-18:00 day has a makespan of
600 + 240 = 840 min; :func:`figures` computes them for any timetable.

Constraints, exactly those of ``conflicts``: rooms in two classes (individual rooms for
jury phases, collective rooms with their capacities for the others when the session has
any), supervision and each declared equipment as cumulatives, then given out greedily in
start order (always possible on interval data; pinned phases keep their room); phases in
order, ``follows_previous`` as an equality, phases taken together with equal starts; one
boolean per (candidate, allowed panel); per panel a no-overlap of the candidate's jury
runs (jury phases without a gap between them), each extended by ``min(changeover, gap to
the candidate's next run)``, and another of the runs alone with the panel's unavailable
periods.

Objective, lexicographic, by successive solves, each hinted with the previous solution and
forbidden to worsen the earlier stages: (re-planning only) fewest convened candidates
moved; fewest days then earliest end, ``days × (session minutes + 1) + makespan``; jury
minutes (per panel and day, last end minus first start); candidates' waiting. The start
is the best of the greedy timetables (first fit, the same blocks placed earliest first
across candidates, by first minute or by first jury minute, and the panel-led ones of
:func:`_pulled`), made to respect the symmetry breaking between identical candidates; its
makespan caps the solve, so the result is never later than first fit. Every phase ends by
the wall-clock minute of the makespan (redundant, for propagation). Sessions with more
than ``DECOMPOSE_ABOVE`` phases to place are improved by large-neighbourhood search from
the best greedy timetable (:func:`_repair`: the last days, one panel's candidates).

Lower bound (:func:`lower_bound`), proven, the largest of: each candidate's earliest end
alone; the jury load from the first possible jury minute over the panels' available
minutes, with the idle time the panels cannot avoid (changeovers between sittings,
preparations inside one); long jury runs one per stretch; room, supervision and equipment
loads over their capacities.

Infeasibility is first checked by counts that name the constraint in French; when they
pass and the solver proves there is no timetable, the explanation gives the loads and the
rules that make them too tight.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from ortools.sat.python import cp_model

from attesta.exams.bounds import (
    MINUTE,
    Clock,
    Figures,
    figures,
    impossibility,
    is_supervised,
    jury_runs,
    lower_bound,
    shared_pools,
)
from attesta.exams.timetable import (
    Assignment,
    Busy,
    Key,
    Phase,
    Problem,
    Timetable,
    Unplaced,
    chained,
    first_fit,
    place_block,
    place_group,
)

DECOMPOSE_ABOVE = 200  # phases to place: beyond, panel by panel
STAGE_SHARES = (0.3, 0.4, 0.6, 1.0)  # of the remaining time, per stage (the last ones)
PULL_SHARE = 0.35  # of the time limit, at most, for the greedy timetables
# Of the remaining time, for a large-neighbourhood step on the last days: where a day and
# the makespan are won (a share of a fifth left NTC 10 minutes into a 10th day in 3 runs
# of 4; 0.65 ended on 9 days in 4 of 4, docs/performance.md).
DAYS_SHARE = 0.65
# Minutes of earliness worth a block's jury minute, and whether a panel goes straight on
# with its candidate, in the order tried (then at random).
PULL_VARIANTS = ((0.25, False), (0.35, True), (0.25, True), (0.15, False), (0.5, False))
PULL_BONUS = tuple(bonus for bonus, _ in PULL_VARIANTS)
PULL_RUNS = 24  # greedy timetables at most
PULL_AT_LEAST = 2  # whatever the time (first fit's own may have used it up, under load)
CONTINUE = 10_000  # priority of a block the panel can take straight on with its candidate

Status = Literal["optimal", "feasible", "infeasible", "unknown"]


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
    moved: tuple[str, ...] = ()  # convened candidates whose phases changed (re-planning)

    @property
    def gap(self) -> float:
        """How far the makespan is above its lower bound, as a fraction."""
        if not self.lower_bound_minutes:
            return 0.0
        return self.makespan_minutes / self.lower_bound_minutes - 1


# --- optimiser ---------------------------------------------------------------------------


def optimise(
    problem: Problem,
    *,
    time_limit_seconds: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    previous: Timetable | None = None,
    convened: frozenset[str] = frozenset(),
    waiting: bool = True,
    decompose: bool = True,
    start: Timetable | None = None,
    rooms_for: Problem | None = None,
) -> Schedule:
    """The best timetable CP-SAT finds within the time limit (see the module docstring).

    Re-planning: ``previous`` is the timetable in force and ``convened`` the candidates
    already convened to it; the first stage then moves as few of them as possible, and
    ``Schedule.moved`` lists those whose phases changed (time, room or panel).
    ``waiting=False`` skips the last stage (candidates' waiting); ``decompose=False``
    solves as one model whatever the size (each panel of a decomposition does). ``start``:
    a complete valid timetable to start from instead of the greedy ones; ``rooms_for``:
    the problem whose pins bind the rooms given out at the end (a large-neighbourhood step
    pins the other candidates' times and panels, not their rooms)."""
    began = time.perf_counter()
    clock = Clock(problem)
    bound = lower_bound(problem)
    if not problem.phases:
        return _schedule(problem, Timetable([]), "optimal", bound, began, "Aucune phase.")
    reason = impossibility(problem)
    if reason is not None:
        return _schedule(problem, _nothing(problem, reason), "infeasible", bound, began, reason)
    kept = _kept(problem, previous, convened)
    baseline = start
    if baseline is None:
        greedy = [
            first_fit(problem),
            first_fit(problem, by_phase=True),
            first_fit(problem, by_phase=True, jury_first=True),
        ]
        if not kept:  # re-planning starts from the plan in force
            greedy += _pulls(problem, began + time_limit_seconds * PULL_SHARE, seed)
        baseline = _best(problem, *greedy)
    complete = not baseline.unplaced
    # A margin for reading the solution and giving out rooms: the limit is the whole call's.
    deadline = began + max(time_limit_seconds - 0.4, time_limit_seconds * 0.85)
    free = len(problem.phases) - len(problem.pins())
    if decompose and free > DECOMPOSE_ABOVE and not kept and len(problem.juries) > 1:
        if not complete:
            return _by_panels(problem, baseline, bound, began, deadline, workers, seed)
        plan = _repair(problem, baseline, deadline, workers, seed)
        return _schedule(problem, plan, "feasible", bound, began, "")
    model = _Model(problem, clock, kept)
    model.cp.add(model.makespan >= bound)
    if kept:
        model.hint_from(previous or Timetable([]))
    if complete:
        if not kept:
            model.hint_from(baseline)
        model.cap(figures(baseline, problem))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solution: _Solution | None = None
    proven = True
    stages = model.stages() if waiting else model.stages()[:-1]
    shares = STAGE_SHARES[-len(stages) :]
    for stage, (objective, share) in enumerate(zip(stages, shares, strict=True)):
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
            note = "Délai atteint avant toute amélioration : meilleur planning glouton."
            return _schedule(
                problem, baseline, "feasible", bound, began, note, _moved(baseline, kept)
            )
        note = (
            "Délai atteint sans planning plaçant tous les candidats : planning glouton "
            f"partiel, {len(baseline.unplaced)} phases non placées."
        )
        return _schedule(problem, baseline, "unknown", bound, began, note)
    result = _timetable(rooms_for or problem, clock, solution, kept)
    return _schedule(
        problem,
        result,
        "optimal" if proven else "feasible",
        bound,
        began,
        "",
        _moved(result, kept),
    )


def _by_panels(
    problem: Problem,
    baseline: Timetable,
    bound: int,
    began: float,
    deadline: float,
    workers: int,
    seed: int,
) -> Schedule:
    """Large sessions, panel by panel: candidates shared out between the panels (their
    jury minutes balanced, forbidden panels avoided), then each panel's candidates
    optimised in turn, with the candidates already planned pinned, so the rooms,
    supervisors and equipment they hold are respected. Valid by construction; first fit's
    timetable is kept instead when it is better."""
    panels = _share_out(problem)
    pins = list(problem.pinned)
    done: set[str] = {a.phase.candidate for a in pins}
    result: Timetable | None = None
    for n, panel in enumerate(problem.juries):
        mine = [c for c, j in panels.items() if j == panel]
        if not mine:
            continue
        done |= set(mine)
        others = {c: set(problem.juries) - {panel} for c in mine}
        sub = replace(
            problem,
            phases=[p for p in problem.phases if p.candidate in done],
            pinned=pins,
            forbidden=problem.forbidden | others,
        )
        remaining = deadline - time.perf_counter()
        left = sum(1 for j in problem.juries[n:] if j in panels.values())
        step = optimise(
            sub,
            time_limit_seconds=max(remaining / left, 0.2),
            workers=workers,
            seed=seed,
            waiting=left == 1,  # the candidates' waiting once, at the end
            decompose=False,
        )
        if step.status not in ("optimal", "feasible"):
            result = None
            break
        result = step.timetable
        pins = list(result.assignments)
    if result is not None and len(result.assignments) == len(problem.phases):
        plan = result
        if not baseline.unplaced and _rank(figures(baseline, problem)) <= _rank(
            figures(result, problem)
        ):
            plan = baseline
    elif not baseline.unplaced:
        plan = baseline
    else:
        note = (
            "Délai atteint sans planning plaçant tous les candidats : planning glouton "
            f"partiel, {len(baseline.unplaced)} phases non placées."
        )
        return _schedule(problem, baseline, "unknown", bound, began, note)
    return _schedule(problem, plan, "feasible", bound, began, "")


def _repair(
    problem: Problem, incumbent: Timetable, deadline: float, workers: int, seed: int
) -> Timetable:
    """Large-neighbourhood search on a complete timetable, starting from the incumbent (a
    valid start for every sub-problem, so never worse). Neighbourhoods, in turn: the last
    days (every phase starting before them pinned as it is; ``DAYS_SHARE`` of the time
    left), then one panel's candidates
    (every other candidate pinned), the panel whose jury ends last first; then again with
    one more day. The sub-problem keeps every phase, so its figures are the session's; an
    improvement (lexicographic figures) becomes the incumbent. Pins bind times and panels;
    rooms are given out at the end for the session itself."""
    best, rank = incumbent, _rank(figures(incumbent, problem))
    clock = Clock(problem)
    kept = {a.phase.key for a in problem.pinned}
    panel_of = {a.phase.candidate: a.jury for a in incumbent.assignments if a.jury is not None}
    ends: dict[str, datetime] = {}
    for a in incumbent.assignments:
        if a.jury is not None and (a.jury not in ends or a.end > ends[a.jury]):
            ends[a.jury] = a.end
    order = sorted(ends, key=lambda j: (ends[j], -problem.juries.index(j)), reverse=True)
    neighbourhoods = [("days", "2"), *(("panel", j) for j in order)]
    neighbourhoods += [("days", "3"), *(("panel", j) for j in order)]
    size = len(neighbourhoods) // 2
    for n, (kind, value) in enumerate(neighbourhoods):
        remaining = deadline - time.perf_counter()
        if remaining < 0.5:
            break
        forbidden = problem.forbidden
        if kind == "days":
            last = max(clock.day_of(*_span(a, clock)) for a in best.assignments)
            since = clock.at(clock.windows[max(last - int(value) + 1, 0)][0])
            pins = [a for a in best.assignments if a.start < since or a.phase.key in kept]
        else:
            mine = {c for c, j in panel_of.items() if j == value}
            pins = [
                a for a in best.assignments if a.phase.candidate not in mine or a.phase.key in kept
            ]
            forbidden = forbidden | {c: set(problem.juries) - {value} for c in mine}
        if len(pins) == len(best.assignments):
            continue
        step = optimise(
            replace(problem, pinned=pins, forbidden=forbidden),
            time_limit_seconds=max(
                remaining * DAYS_SHARE if kind == "days" else remaining / (size - n % size),
                0.5,
            ),
            workers=workers,
            seed=seed,
            decompose=False,
            start=best,
            rooms_for=problem,
        )
        if step.status in ("optimal", "feasible") and not step.timetable.unplaced:
            found = _rank(figures(step.timetable, problem))
            if found < rank:
                best, rank = step.timetable, found
                panel_of = {
                    a.phase.candidate: a.jury for a in best.assignments if a.jury is not None
                }
    return best


def _pulls(problem: Problem, until: float, seed: int) -> list[Timetable]:
    """More greedy starting points while time allows (``until``, a ``perf_counter``
    instant; the first ``PULL_AT_LEAST`` in any case): :func:`_pulled` with each variant,
    candidates shared out between the panels or given the first free one, then with the
    candidates' priority shuffled."""
    found: list[Timetable] = []
    if problem.pinned:
        return found
    shared = _share_out(problem)
    rng = random.Random(seed)
    order = problem.candidates()
    variants: list[tuple[dict[str, str] | None, float, list[str], bool]] = [
        (shared, bonus, order, straight) for bonus, straight in PULL_VARIANTS
    ]
    variants += [(None, bonus, order, False) for bonus in (0.25, 0.5)]
    slowest = 0.0
    for n in range(PULL_RUNS):
        if n >= len(variants):
            order = rng.sample(order, len(order))
            variants.append((shared, rng.choice(PULL_BONUS), order, rng.random() < 0.5))
        panels, bonus, ranked, straight = variants[n]
        began = time.perf_counter()
        if n >= PULL_AT_LEAST and began + slowest > until:
            break
        pulled = _pulled(problem, panels, bonus, ranked, straight)
        slowest = max(slowest, time.perf_counter() - began)
        if pulled is not None:
            found.append(pulled)
    return found


def _pulled(
    problem: Problem,
    panels: dict[str, str] | None,
    bonus: float,
    order: list[str],
    straight: bool = False,
) -> Timetable | None:
    """A greedy timetable led by the panels' time: phases taken together first (as
    first fit), then, of all the candidates' next blocks, the one whose first jury minute
    (its first minute when it has no jury) comes first, less ``bonus`` × its jury minutes
    (long blocks first when they start a little later), each candidate before the panel
    ``panels`` gives them (else the first free). Earliest starts only grow as blocks are
    booked, so the smallest key is computed again before booking (lazy evaluation). Every
    block is booked through first fit's bookkeeping, so the timetable is valid by
    construction; None when a block finds no slot or phases are pinned."""
    if problem.pinned:
        return None
    busy = Busy(problem)
    fixed: dict[Key, Assignment] = {}
    groups: dict[str, list[Phase]] = defaultdict(list)
    for p in problem.phases:
        if p.together:
            groups[p.together].append(p)
    for members in groups.values():
        together = place_group(problem, busy, members, fixed)
        if together is None:
            return None
        for a in together:
            fixed[a.phase.key] = a
    origin = problem.days[0][0]
    blocks = {c: chained(problem.phases_of(c)) for c in order}
    rank = {c: n for n, c in enumerate(order)}
    panel = {c: (panels or {}).get(c) for c in blocks}
    step = dict.fromkeys(blocks, 0)

    def weight(block: list[Phase]) -> float:
        return bonus * sum(p.minutes for p in block if p.needs_jury)

    queue = [(-weight(bs[0]), rank[c], c, origin) for c, bs in blocks.items() if bs]
    heapq.heapify(queue)
    placed: list[Assignment] = []
    sat: dict[str, datetime] = {}  # end of each candidate's last jury phase
    while queue:
        key, _, candidate, lowest = heapq.heappop(queue)
        block = blocks[candidate][step[candidate]]
        result, _ = place_block(problem, busy, block, problem.days, lowest, panel[candidate], fixed)
        if result is None:
            return None
        first = next((a.start for a in result if a.jury is not None), result[0].start)
        actual = (first - origin) / MINUTE - weight(block)
        if straight and sat.get(candidate) == first:  # on with the same candidate
            actual -= CONTINUE
        if queue and actual > key and (actual, rank[candidate]) > queue[0][:2]:
            heapq.heappush(queue, (actual, rank[candidate], candidate, result[0].start))
            continue
        for a in result:
            if a.phase.key not in fixed:
                busy.add(a)
        placed += result
        panel[candidate] = panel[candidate] or next(
            (a.jury for a in result if a.jury is not None), None
        )
        for a in result:
            if a.jury is not None:
                sat[candidate] = a.end
        step[candidate] += 1
        if step[candidate] < len(blocks[candidate]):
            end = result[-1].end
            following = blocks[candidate][step[candidate]]
            lower = (end - origin) / MINUTE - weight(following) - CONTINUE * straight
            heapq.heappush(queue, (lower, rank[candidate], candidate, end))
    return Timetable(assignments=placed)


def _best(problem: Problem, *timetables: Timetable) -> Timetable:
    """The best complete greedy timetable (lexicographic figures), else the first."""
    complete = [t for t in timetables if not t.unplaced]
    if not complete:
        return timetables[0]
    return min(complete, key=lambda t: _rank(figures(t, problem)))


def _share_out(problem: Problem) -> dict[str, str]:
    """Candidates → panels, the heaviest first to the least loaded allowed panel."""
    pinned = {a.phase.candidate: a.jury for a in problem.pinned if a.jury is not None}
    load = dict.fromkeys(problem.juries, 0)
    minutes = {
        c: sum(p.minutes for p in problem.phases_of(c) if p.needs_jury)
        for c in problem.candidates()
    }
    shared: dict[str, str] = {}
    for c in sorted(minutes, key=lambda c: (c not in pinned, -minutes[c])):
        if not minutes[c]:
            continue
        options = [pinned[c]] if c in pinned else problem.allowed_juries(c)
        panel = min(options, key=lambda j: (load[j], problem.juries.index(j)))
        shared[c] = panel
        load[panel] += minutes[c]
    return shared


def _rank(found: Figures) -> tuple[int, int, float, int]:
    return (
        found["days_used"],
        found["makespan_minutes"],
        found["jury_hours"],
        found["waiting_minutes"],
    )


def _kept(
    problem: Problem, previous: Timetable | None, convened: frozenset[str]
) -> dict[Key, Assignment]:
    """The convened candidates' assignments in force, for the phases still to place."""
    if previous is None:
        return {}
    known = {p.key: p for p in problem.phases}
    return {
        a.phase.key: a
        for a in previous.assignments
        if a.phase.candidate in convened and a.phase.key in known
    }


def _moved(timetable: Timetable, kept: dict[Key, Assignment]) -> list[str]:
    """Convened candidates whose phases changed (time, room or panel)."""
    moved = set()
    placed = {a.phase.key: a for a in timetable.assignments}
    for key, before in kept.items():
        now = placed.get(key)
        if now is None or (now.start, now.end, now.room, now.jury) != (
            before.start,
            before.end,
            before.room,
            before.jury,
        ):
            moved.add(key[0])
    return sorted(moved)


@dataclass(frozen=True)
class _Solution:
    starts: dict[Key, int]
    days: dict[Key, int]
    panels: dict[str, str]  # candidate → jury panel


class _Model:
    """The CP-SAT model of a problem: variables, constraints, the stages' objectives."""

    def __init__(self, problem: Problem, clock: Clock, kept: dict[Key, Assignment]) -> None:
        self.problem = problem
        self.clock = clock
        self.kept = kept
        cp = self.cp = cp_model.CpModel()
        self.start: dict[Key, cp_model.IntVar] = {}
        self.on_day: dict[Key, dict[int, cp_model.IntVar]] = {}
        self.panel: dict[str, dict[str, cp_model.IntVar]] = {}
        pins = problem.pins()
        breaks = [
            (clock.minute(s), math.ceil((e - clock.origin) / MINUTE)) for s, e in problem.breaks
        ]
        intervals: dict[Key, cp_model.IntervalVar] = {}
        work_start: dict[Key, cp_model.LinearExpr] = {}
        work_end: dict[Key, cp_model.LinearExpr] = {}
        for p in problem.phases:
            key = p.key
            fits = clock.fits(p.minutes)
            ranges = [[clock.windows[d][0], clock.windows[d][1] - p.minutes] for d in fits]
            if p.needs_jury:
                for b_start, b_end in breaks:  # no start making the phase overlap a break
                    ranges = [
                        piece
                        for s, e in ranges
                        for piece in ([s, min(e, b_start - p.minutes)], [max(s, b_end), e])
                        if piece[0] <= piece[1]
                    ]
            if key in pins:
                at = clock.minute(pins[key].start)
                ranges = [[at, at]]
            domain = cp_model.Domain.from_intervals(ranges)
            start = self.start[key] = cp.new_int_var_from_domain(domain, f"start {key}")
            intervals[key] = cp.new_fixed_size_interval_var(start, p.minutes, f"phase {key}")
            fits = [d for d in fits if any(_within(r, clock.windows[d]) for r in ranges)]
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
        # Rooms (two classes), supervisors, equipment: interchangeable, assigned after.
        for phases, capacity in shared_pools(problem):
            if phases:
                booked = [intervals[p.key] for p in phases]
                cp.add_cumulative(booked, [1] * len(booked), capacity)
        # Phases taken together start together.
        groups: dict[str, list[Phase]] = defaultdict(list)
        for p in problem.phases:
            if p.together:
                groups[p.together].append(p)
        for members in groups.values():
            for a, b in itertools.pairwise(members):
                cp.add(self.start[a.key] == self.start[b.key])
        # Each candidate: phases in order, one panel.
        by_panel: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        sitting: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        waiting: list[cp_model.LinearExpr] = []
        self.jury_blocks: list[tuple[str, Key, int]] = []  # candidate, first phase, minutes
        first_free: dict[str, cp_model.IntVar] = {}
        for candidate in problem.candidates():
            phases = problem.phases_of(candidate)
            for before, after in itertools.pairwise(phases):
                done = self.start[before.key] + before.minutes
                if after.follows_previous:
                    cp.add(self.start[after.key] == done)
                else:
                    cp.add(self.start[after.key] >= done)
            wait = cp.new_int_var(0, clock.total, f"waiting {candidate}")
            cp.add(
                wait
                == work_end[phases[-1].key]
                - work_start[phases[0].key]
                - sum(p.minutes for p in phases)
            )
            waiting.append(wait)
            free = [p for p in phases if not p.together]
            if free:
                first_free[candidate] = self.start[free[0].key]
            blocks = _jury_blocks(phases)
            if not blocks:
                continue
            allowed = problem.allowed_juries(candidate)
            pinned_panels = {pins[p.key].jury for p in phases if p.key in pins and p.needs_jury}
            panels = self.panel[candidate] = {
                j: cp.new_bool_var(f"panel {candidate} {j}") for j in allowed
            }
            cp.add_exactly_one(panels.values())
            for j in pinned_panels:
                if j in panels:
                    cp.add(panels[j] == 1)
            for i, block in enumerate(blocks):
                head = block[0]
                minutes = sum(p.minutes for p in block)
                following = blocks[i + 1][0] if i + 1 < len(blocks) else None
                tail = self._tail(head, minutes, following)
                start = self.start[head.key]
                end: cp_model.LinearExpr | cp_model.IntVar = start + minutes + tail
                if not isinstance(tail, int):  # an interval's end must be affine
                    end = cp.new_int_var(
                        0, clock.windows[-1][1] + problem.changeover_minutes, "end"
                    )
                    cp.add(end == start + minutes + tail)
                for j, lit in panels.items():
                    by_panel[j].append(
                        cp.new_optional_interval_var(
                            start, minutes + tail, end, lit, f"{head.key} {j}"
                        )
                    )
                    if problem.unavailable.get(j):
                        sitting[j].append(
                            cp.new_optional_fixed_size_interval_var(
                                start, minutes, lit, f"{head.key} {j} sitting"
                            )
                        )
                self.jury_blocks.append((candidate, head.key, minutes))
        for j in problem.juries:
            cp.add_no_overlap(by_panel[j])
            # Unavailability against the blocks themselves: the changeover only separates
            # two candidates.
            away = [
                cp.new_fixed_size_interval_var(s, e - s, f"away {j}")
                for s, e in _unavailable(problem, clock, j)
            ]
            if away:
                cp.add_no_overlap(sitting[j] + away)
        self._symmetry(first_free, kept)
        # Objectives.
        used = [cp.new_bool_var(f"used {d}") for d in range(len(clock.windows))]
        for days in self.on_day.values():
            for d, lit in days.items():
                cp.add_implication(lit, used[d])
        self.makespan = cp.new_int_var(0, clock.total, "makespan")
        for end in work_end.values():
            cp.add(self.makespan >= end)
        self._wall_end()
        spans: list[cp_model.LinearExpr] = []
        for j in problem.juries:
            # Redundant, for the relaxation: a panel's spans hold its candidates' jury minutes.
            panel_spans: list[cp_model.LinearExpr] = []
            mine = [(c, k, m) for c, k, m in self.jury_blocks if j in self.panel[c]]
            load = cp_model.LinearExpr.weighted_sum(
                [self.panel[c][j] for c, _, _ in mine], [m for _, _, m in mine]
            )
            for d, (s, e) in enumerate(clock.windows):
                here = [(c, k, m) for c, k, m in mine if d in self.on_day[k]]
                if not here:
                    continue
                first = cp.new_int_var(s, e, f"first {j} {d}")
                last = cp.new_int_var(s, e, f"last {j} {d}")
                cp.add(last >= first)
                spans.append(last - first)
                panel_spans.append(last - first)
                for c, k, m in here:
                    both = [self.on_day[k][d], self.panel[c][j]]
                    cp.add(first <= self.start[k]).only_enforce_if(both)
                    cp.add(last >= self.start[k] + m).only_enforce_if(both)
            if panel_spans:
                cp.add(cp_model.LinearExpr.sum(panel_spans) >= load)
        self.days_used = cp_model.LinearExpr.sum(used)
        self.jury_minutes = cp_model.LinearExpr.sum(spans)
        self.waiting = cp_model.LinearExpr.sum(waiting)
        self.moves = self._moves()

    def _wall_end(self) -> None:
        """Redundant, for propagation: every phase ends by the wall-clock minute of the
        makespan. ``makespan >= working end`` alone goes through the phase's day booleans
        and barely bounds the starts; the working makespan maps to the wall clock by a
        monotone function (the nights added back), so ``end <= wall(makespan)`` holds in
        every solution and cuts every start's domain as soon as the makespan is capped.
        ``after[d]``: the makespan lies beyond day ``d``."""
        clock, cp = self.clock, self.cp
        windows = clock.windows
        if any(b[0] < a[1] for a, b in itertools.pairwise(windows)):
            return  # overlapping days: no such mapping
        wall: cp_model.LinearExpr = self.makespan + windows[0][0]
        for d in range(len(windows) - 1):
            through = clock.before[d + 1]  # working minutes up to the end of day d
            after = cp.new_bool_var(f"after day {d}")
            cp.add(self.makespan >= through + 1).only_enforce_if(after)
            cp.add(self.makespan <= through).only_enforce_if(after.Not())
            wall += (windows[d + 1][0] - windows[d][1]) * after
        for p in self.problem.phases:
            if p.minutes > 0:  # a phase of no time at a day's start has the previous day's
                cp.add(self.start[p.key] + p.minutes <= wall)

    def _tail(
        self, head: Phase, minutes: int, following: Phase | None
    ) -> cp_model.LinearExpr | int:
        """Changeover kept after a jury block on its panel (see the module docstring)."""
        changeover = self.problem.changeover_minutes
        if not changeover or following is None:
            return changeover
        tail = self.cp.new_int_var(0, changeover, f"tail {head.key}")
        gap = self.start[following.key] - self.start[head.key] - minutes
        self.cp.add_min_equality(tail, [changeover, gap])
        return tail

    def _symmetry(
        self, first_free: dict[str, cp_model.IntVar], kept: dict[Key, Assignment]
    ) -> None:
        """Identical candidates (same phases, same forbidden panels, nothing pinned or
        convened) are interchangeable: they start in their given order."""
        pinned = {k[0] for k in self.problem.pins()} | {k[0] for k in kept}
        alike: dict[tuple[object, ...], list[str]] = defaultdict(list)
        for candidate in self.problem.candidates():
            if candidate in pinned or candidate not in first_free:
                continue
            shape = tuple(
                (
                    p.minutes,
                    p.needs_jury,
                    p.needs_supervision,
                    p.together,
                    p.follows_previous,
                    p.uses,
                )
                for p in self.problem.phases_of(candidate)
            )
            banned = frozenset(self.problem.forbidden.get(candidate, set()))
            alike[shape, banned].append(candidate)
        self.alike = [group for group in alike.values() if len(group) > 1]
        for group in self.alike:
            for a, b in itertools.pairwise(group):
                self.cp.add(first_free[a] <= first_free[b])

    def _canonical(self, solution: _Solution) -> _Solution:
        """The same timetable with identical candidates swapped into their given order, so
        that it meets the symmetry breaking (first fit's, a previous plan…)."""
        starts, days, panels = dict(solution.starts), dict(solution.days), dict(solution.panels)
        first = {
            c: next(p.key for p in self.problem.phases_of(c) if not p.together)
            for c in self.problem.candidates()
        }
        for group in self.alike:
            if any(first[c] not in solution.starts for c in group):
                continue
            order = sorted(group, key=lambda c: (solution.starts[first[c]], group.index(c)))
            for target, source in zip(group, order, strict=True):
                for p in self.problem.phases_of(target):
                    twin = (source, p.index)
                    if twin in solution.starts:
                        starts[p.key] = solution.starts[twin]
                        days[p.key] = solution.days[twin]
                if source in solution.panels:
                    panels[target] = solution.panels[source]
        return _Solution(starts, days, panels)

    def _moves(self) -> cp_model.LinearExpr | None:
        """Convened candidates moved: one boolean each, forced when a phase changes."""
        if not self.kept:
            return None
        moved: dict[str, cp_model.IntVar] = {}
        for key, before in self.kept.items():
            candidate = key[0]
            if candidate not in moved:
                moved[candidate] = self.cp.new_bool_var(f"moved {candidate}")
            at = self.clock.minute(before.start)
            same = self.cp.new_bool_var(f"same {key}")
            self.cp.add(self.start[key] == at).only_enforce_if(same)
            if before.jury is not None and before.jury in self.panel.get(candidate, {}):
                self.cp.add_implication(same, self.panel[candidate][before.jury])
            elif before.jury is not None:
                self.cp.add(same == 0)
            self.cp.add_implication(same.Not(), moved[candidate])
        return cp_model.LinearExpr.sum(list(moved.values()))

    def stages(self) -> list[cp_model.LinearExpr]:
        stages = [
            self.days_used * (self.clock.total + 1) + self.makespan,
            self.jury_minutes,
            self.waiting,
        ]
        if self.moves is not None:
            stages.insert(0, self.moves)
        return stages

    def cap(self, baseline: Figures) -> None:
        """Never later than first fit (used when it places everyone)."""
        if not self.kept:
            self.cp.add(self.makespan <= baseline["makespan_minutes"])

    def hint(self, solution: _Solution) -> None:
        solution = self._canonical(solution)
        self.cp.clear_hints()
        for key, start in solution.starts.items():
            if key not in self.start:
                continue
            self.cp.add_hint(self.start[key], start)
            for d, lit in self.on_day[key].items():
                self.cp.add_hint(lit, d == solution.days.get(key))
        for candidate, panels in self.panel.items():
            for j, lit in panels.items():
                self.cp.add_hint(lit, solution.panels.get(candidate) == j)

    def hint_from(self, timetable: Timetable) -> None:
        starts, days, panels = {}, {}, {}
        for a in timetable.assignments:
            key = a.phase.key
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


def _within(piece: list[int], window: tuple[int, int]) -> bool:
    return piece[0] <= piece[1] and window[0] <= piece[0] and piece[0] <= window[1]


def _jury_blocks(phases: list[Phase]) -> list[list[Phase]]:
    return jury_runs(phases)


def _unavailable(problem: Problem, clock: Clock, panel: str) -> list[tuple[int, int]]:
    horizon = clock.windows[-1][1] + problem.changeover_minutes
    periods = []
    for s, e in problem.unavailable.get(panel, []):
        start = max(clock.minute(s), 0)
        end = min(math.ceil((e - clock.origin) / MINUTE), horizon)
        if end > start:
            periods.append((start, end))
    return periods


def _timetable(
    problem: Problem, clock: Clock, solution: _Solution, kept: dict[Key, Assignment]
) -> Timetable:
    """Assignments from the solver's starts and panels; rooms and supervisors given
    greedily in start order (always possible under the cumulatives): a pinned phase keeps
    its room, a convened candidate their room where it is free, the others the room of
    their previous phase where free."""
    pins = problem.pins()
    phases = sorted(
        problem.phases, key=lambda p: (solution.starts[p.key], p.key not in pins, p.key)
    )
    running: dict[str, list[int]] = {r: [] for r in problem.rooms}  # ends of phases in the room
    reserved: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pin in pins.values():
        reserved[pin.room].append((clock.minute(pin.start), clock.minute(pin.end)))
    last_room: dict[str, str] = {}
    watching: dict[str, list[int]] = {s: [] for s in problem.supervisors}
    assignments = []
    for p in phases:
        start = solution.starts[p.key]
        end = start + p.minutes

        def free(room: str, start: int = start, end: int = end, key: Key = p.key) -> bool:
            taken = sum(1 for e in running[room] if e > start)
            ahead = sum(
                1
                for s, e in reserved[room]
                if s < end and start < e and not (key in pins and (s, e) == _span(pins[key], clock))
            )
            return taken + ahead < problem.capacity(room)

        if p.key in pins:
            room = pins[p.key].room
        else:
            options = [r for r in problem.rooms_for(p) if free(r)]
            wished = [kept[p.key].room] if p.key in kept else []
            wished.append(last_room.get(p.candidate, ""))
            room = next((r for r in wished if r in options), options[0] if options else "")
            if not room:
                raise RuntimeError(f"Aucune salle libre pour {p.describe()} : modèle incohérent.")
        running[room].append(end)
        if p.key in pins:
            reserved[room].remove(_span(pins[p.key], clock))
        last_room[p.candidate] = room
        supervisor = None
        if is_supervised(p):
            supervisor = next(
                s
                for s, ends in watching.items()
                if sum(1 for e in ends if e > start) < problem.supervision_capacity
            )
            watching[supervisor].append(end)
        jury = solution.panels[p.candidate] if p.needs_jury else None
        assignments.append(Assignment(p, clock.at(start), clock.at(end), room, jury, supervisor))
    assignments.sort(key=lambda a: a.phase.key)
    return Timetable(assignments=assignments)


def _span(a: Assignment, clock: Clock) -> tuple[int, int]:
    return (clock.minute(a.start), clock.minute(a.end))


def _tightest(problem: Problem, clock: Clock) -> str:
    """Explanation when the counts allow a timetable and the solver proves there is none."""
    loads = []
    total = clock.total
    jury = sum(p.minutes for p in problem.phases if p.needs_jury)
    if jury:
        loads.append(f"jurys occupés à {jury / (len(problem.juries) * total):.0%}")
    rooms = sum(p.minutes for p in problem.phases)
    loads.append(
        f"salles occupées à {rooms / (sum(map(problem.capacity, problem.rooms)) * total):.0%}"
    )
    rules = [
        "un jury suit chaque candidat sur toutes ses phases",
        "une phase ne déborde pas de sa journée",
        "le battement sépare deux candidats",
    ]
    if problem.breaks:
        rules.append("le jury ne siège pas pendant les pauses")
    if problem.unavailable:
        rules.append("chaque jury respecte ses indisponibilités")
    if problem.pinned:
        rules.append("les phases épinglées restent en place")
    if any(p.follows_previous for p in problem.phases):
        rules.append("une préparation est suivie sans attente de son épreuve")
    return (
        f"Aucun planning ne place les {len(problem.candidates())} candidats "
        f"({', '.join(loads)}) : {', '.join(rules[:-1])} et {rules[-1]} ; "
        "il faut plus de journées ou plus de jurys."
    )


def _schedule(
    problem: Problem,
    timetable: Timetable,
    status: Status,
    bound: int,
    began: float,
    explanation: str,
    moved: list[str] | None = None,
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
        if moved:
            explanation += f" {len(moved)} candidat(s) convoqué(s) à reconvoquer."
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
        moved=tuple(moved or ()),
    )


def _nothing(problem: Problem, reason: str) -> Timetable:
    return Timetable([], [Unplaced(p, reason) for p in problem.phases])


def _key(phase: Phase) -> Key:
    return (phase.candidate, phase.index)


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
