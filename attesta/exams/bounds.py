"""Time, figures, lower bound and impossibility of a session timetable: pure, no Django.

Minutes are counted from the first day's start on the wall clock; figures count working
minutes (inside the day windows). The lower bound and the impossibility counts are proven
(docs/scheduler.md, "Lower bound"); the optimiser (:mod:`attesta.exams.scheduler`) uses
both and reports the gap.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypedDict

from attesta.exams.timetable import Assignment, Phase, Problem, Timetable, chained

MINUTE = timedelta(minutes=1)


class Figures(TypedDict):
    days_used: int
    makespan_minutes: int
    jury_hours: float
    waiting_minutes: int


# --- time ---------------------------------------------------------------------------------


class Clock:
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
    clock = Clock(problem)
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


def _placed(clock: Clock, a: Assignment) -> tuple[Assignment, int, int, int]:
    start, end = clock.minute(a.start), clock.minute(a.end)
    return a, start, end, clock.day_of(start, end)


# --- lower bound and impossibility ---------------------------------------------------------


def lower_bound(problem: Problem) -> int:
    """A proven lower bound of the makespan in working minutes (see the module docstring)."""
    clock = Clock(problem)
    bounds = [0]
    first_jury: list[int] = []
    for candidate in problem.candidates():
        phases = problem.phases_of(candidate)
        placed = earliest_placement(problem, clock, phases)
        if placed is None:
            continue
        bounds.append(clock.work(placed[-1][1], placed[-1][2]))
        jury = [placed[i][0] for i, p in enumerate(phases) if p.needs_jury]
        if jury:
            first_jury.append(jury[0])
    if problem.juries and first_jury:
        bounds.append(_jury_bound(problem, clock, min(first_jury)))
        bounds.append(_long_blocks_bound(problem, clock, min(first_jury)))
    for phases, capacity in shared_pools(problem):
        if phases and capacity:
            bounds.append(ceil_div(sum(p.minutes for p in phases), capacity))
    return max(bounds)


def shared_pools(problem: Problem) -> list[tuple[list[Phase], int]]:
    """Phases and the capacity of what they share: room classes, supervision, equipment."""
    single = [r for r in problem.rooms if problem.capacity(r) == 1]
    shared = sum(problem.capacity(r) for r in problem.rooms if problem.capacity(r) > 1)
    in_single = [p for p in problem.phases if p.needs_jury or not shared]
    pools = [(in_single, len(single))]
    if shared:
        pools.append(([p for p in problem.phases if not p.needs_jury], shared))
    supervision = problem.supervision_capacity * len(problem.supervisors)
    pools.append(([p for p in problem.phases if is_supervised(p)], supervision))
    for name, capacity in problem.equipment.items():
        pools.append(([p for p in problem.phases if name in p.uses], capacity))
    return pools


def jury_windows(problem: Problem, clock: Clock, panel: str | None = None) -> list[tuple[int, int]]:
    """Minutes when a jury may sit: the day windows less the breaks (and the panel's
    unavailability)."""
    cuts = [(clock.minute(s), math.ceil((e - clock.origin) / MINUTE)) for s, e in problem.breaks]
    if panel is not None:
        cuts += [
            (clock.minute(s), math.ceil((e - clock.origin) / MINUTE))
            for s, e in problem.unavailable.get(panel, [])
        ]
    windows = []
    for start, end in clock.windows:
        pieces = [(start, end)]
        for cut_start, cut_end in cuts:
            pieces = [
                piece
                for s, e in pieces
                for piece in ((s, min(e, cut_start)), (max(s, cut_end), e))
                if piece[1] > piece[0]
            ]
        windows += pieces
    return sorted(windows)


def _jury_bound(problem: Problem, clock: Clock, release: int) -> int:
    """Earliest end of the jury load: from the earliest moment any jury phase can start,
    the panels' available stretches (pieces of day windows between breaks and
    unavailability) must hold every jury minute plus the panels' unavoidable idle time.

    Proof of the idle time counted (:func:`_idle`). Within one stretch of a panel, call
    *sitting* a maximal sequence of jury phases of one candidate that follow each other on
    the panel. Two consecutive sittings are of different candidates: a changeover ``co``
    separates them. Within a sitting, two consecutive phases separated in the candidate's
    order by phases without the jury (a preparation: an *interlude*) leave the panel idle
    at least that long, ``q`` at least (the shortest interlude of the session). Jury phases
    never straddle a stretch. So the stretches used hold every jury minute plus
    ``co × (sittings − stretches used)`` plus ``q ×`` (interludes inside a sitting). Let
    ``n`` be the candidates with a jury phase, ``B`` their interludes, ``y`` the places
    where a candidate's consecutive jury phases fall in different sittings: sittings
    ``≥ n + y`` and interludes inside a sitting ``≥ B − y``. A candidate in one sitting
    only (``y`` contributes nothing for them) has all their jury minutes ``J`` in one
    stretch; a stretch of length ``L`` holds at most ``w(L)`` such candidates, the most
    whose smallest ``J`` plus changeovers between them fit in ``L``; so ``y ≥ n − Σ w``.
    The idle time is at least the minimum over those ``y`` of
    ``co × max(0, n + y − S) + q × max(0, B − y)`` (``S`` stretches available)."""
    jury_minutes: dict[str, int] = defaultdict(int)
    interludes: list[int] = []
    for candidate in problem.candidates():
        gap: int | None = None  # minutes without the jury since the last jury phase
        for p in problem.phases_of(candidate):
            if p.needs_jury:
                jury_minutes[candidate] += p.minutes
                if gap:
                    interludes.append(gap)
                gap = 0
            elif gap is not None:
                gap += p.minutes
    load = sum(jury_minutes.values())
    smallest = list(itertools.accumulate(sorted(jury_minutes.values())))
    changeover = problem.changeover_minutes
    stretches = {j: jury_windows(problem, clock, j) for j in problem.juries}

    def whole(length: int) -> int:
        """Candidates whose jury minutes all fit in one stretch of ``length``, at most."""
        return sum(1 for m, total in enumerate(smallest) if total + m * changeover <= length)

    def enough(t: int) -> bool:
        minutes = used = fit = 0
        for windows in stretches.values():
            for s, e in windows:
                length = min(e, t) - max(s, release)
                if length > 0:
                    minutes += length
                    used += 1
                    fit += whole(length)
        idle = _idle(len(jury_minutes), used, fit, interludes, changeover)
        return minutes >= load + idle

    low, high = release, clock.windows[-1][1]
    if not enough(high):
        return clock.total
    while low < high:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle + 1
    day = max((d for d, (s, _) in enumerate(clock.windows) if s <= low), default=0)
    return clock.work(min(low, clock.windows[day][1]), day)


def _idle(candidates: int, stretches: int, whole: int, interludes: list[int], co: int) -> int:
    """The least idle time of the panels (see :func:`_jury_bound`): ``candidates`` with a
    jury phase, ``stretches`` available, at most ``whole`` candidates each within one
    stretch, the candidates' ``interludes`` between jury phases, changeover ``co``."""
    count = len(interludes)
    shortest = min(interludes, default=0)
    lowest = max(0, candidates - whole)  # places split between sittings, at least
    options = {lowest, max(lowest, stretches - candidates), max(lowest, count)}

    def idle(split: int) -> int:
        return co * max(0, candidates + split - stretches) + shortest * max(0, count - split)

    return min(idle(y) for y in options)


def _long_blocks_bound(problem: Problem, clock: Clock, release: int) -> int:
    """Long jury blocks do not share an available stretch of a panel: when two blocks of
    different candidates plus a changeover exceed the longest stretch, each stretch holds
    at most one of them. With B candidates having such a block, the B-th stretch (by start,
    over all panels, from the first possible jury minute) starts a long block, and its
    candidate still has the rest of their phases to sit."""
    stretches = sorted(
        max(s, release)
        for j in problem.juries
        for s, e in jury_windows(problem, clock, j)
        if e > release
    )
    if not stretches:
        return 0
    longest = max(e - max(s, release) for s, e in jury_windows(problem, clock) if e > release)
    changeover = problem.changeover_minutes
    tails: list[tuple[int, list[Phase]]] = []  # long block minutes, phases after it
    for candidate in problem.candidates():
        phases = problem.phases_of(candidate)
        found = None
        for block in jury_runs(phases):
            minutes = sum(p.minutes for p in block)
            if 2 * minutes + changeover > longest and (found is None or minutes > found[0]):
                after = phases[phases.index(block[-1]) + 1 :]
                found = (minutes, after)
        if found is not None:
            tails.append(found)
    if not tails:
        return 0
    if len(tails) > len(stretches):
        return clock.total
    start = stretches[len(tails) - 1]
    ends = []
    for minutes, after in tails:
        placed = earliest_placement(problem, clock, after, start + minutes)
        if placed is None:
            return clock.total
        day = max((d for d, (s, _) in enumerate(clock.windows) if s <= start + minutes), default=0)
        end = placed[-1] if placed else (0, start + minutes, day)
        ends.append(clock.work(min(end[1], clock.windows[end[2]][1]), end[2]))
    return min(ends)


def jury_runs(phases: Sequence[Phase]) -> list[list[Phase]]:
    """A candidate's jury phases following each other without a gap, together."""
    runs: list[list[Phase]] = []
    previous: Phase | None = None
    for p in phases:
        if p.needs_jury:
            if previous is not None and previous.needs_jury and p.follows_previous and runs:
                runs[-1].append(p)
            else:
                runs.append([p])
        previous = p
    return runs


def earliest_placement(
    problem: Problem, clock: Clock, phases: Sequence[Phase], now: int | None = None
) -> list[tuple[int, int, int]] | None:
    """(start, end, day) of each phase placed one after the other at the earliest, in the
    day windows, jury phases outside the breaks, no-gap phases as blocks, with nothing
    else in the way; None when they do not fit."""
    breaks = [(clock.minute(s), math.ceil((e - clock.origin) / MINUTE)) for s, e in problem.breaks]
    placed: list[tuple[int, int, int]] = []
    now = clock.windows[0][0] if now is None else now
    for block in chained(list(phases)):
        offsets = list(itertools.accumulate([0] + [p.minutes for p in block]))
        total = offsets[-1]
        options = {now} | {s for s, _ in clock.windows}
        options |= {e - offsets[i] for i, p in enumerate(block) if p.needs_jury for _, e in breaks}
        found = None
        for start in sorted(o for o in options if o >= now):
            day = next(
                (d for d, (s, e) in enumerate(clock.windows) if s <= start and start + total <= e),
                None,
            )
            if day is None:
                continue
            if any(
                p.needs_jury and start + offsets[i] < e and s < start + offsets[i + 1]
                for i, p in enumerate(block)
                for s, e in breaks
            ):
                continue
            found = (start, day)
            break
        if found is None:
            return None
        start, day = found
        for i, _ in enumerate(block):
            placed.append((start + offsets[i], start + offsets[i + 1], day))
        now = start + total
    return placed


def impossibility(problem: Problem) -> str | None:
    """Why no timetable can place every candidate, by counting alone; None when the counts
    allow one (the solver may still prove there is none)."""
    clock = Clock(problem)
    longest = clock.longest_day()
    for phase in problem.phases:
        if phase.minutes > longest:
            return (
                f"« {phase.title} » de {phase.candidate} dure {phase.minutes} min, plus que "
                f"la plus longue journée de la session ({hours_text(longest)})."
            )
    if problem.phases and not problem.rooms:
        return f"Aucune salle pour les {len(problem.phases)} phases à planifier."
    if any(p.needs_jury for p in problem.phases) and not any(
        problem.capacity(r) == 1 for r in problem.rooms
    ):
        return (
            "Aucune salle individuelle (capacité 1) pour les phases avec le jury : le jury "
            "entend un candidat à la fois dans une salle à part."
        )
    stretch = max((e - s for s, e in jury_windows(problem, clock)), default=0)
    for phase in problem.phases:
        if phase.needs_jury and phase.minutes > stretch:
            return (
                f"« {phase.title} » de {phase.candidate} dure {phase.minutes} min avec le "
                "jury, plus que le plus long temps de jury entre deux pauses "
                f"({hours_text(stretch)})."
            )
    for candidate in problem.candidates():
        phases = problem.phases_of(candidate)
        if any(p.needs_jury for p in phases) and not problem.allowed_juries(candidate):
            return f"Aucun jury autorisé à évaluer {candidate}."
        if earliest_placement(problem, clock, phases) is None:
            total = sum(p.minutes for p in phases)
            return (
                f"Les {len(phases)} phases de {candidate} ({total} min) ne tiennent pas, "
                "l'une après l'autre, dans les journées de la session."
            )
    supervised = [p for p in problem.phases if is_supervised(p)]
    if supervised and not problem.supervisors:
        return f"{len(supervised)} phases à surveiller et aucun surveillant."
    return (
        _crowd(problem)
        or _overload(problem, clock, "jury", "jurys", [p for p in problem.phases if p.needs_jury])
        or _overload(problem, clock, "salle", "salles", problem.phases)
        or _overload(problem, clock, "surveillance", "surveillants", supervised)
    )


def _crowd(problem: Problem) -> str | None:
    """A phase taken by all candidates together needs room, supervision and equipment
    for all of them at once."""
    groups: dict[str, list[Phase]] = defaultdict(list)
    for p in problem.phases:
        if p.together:
            groups[p.together].append(p)
    shared = sum(problem.capacity(r) for r in problem.rooms if problem.capacity(r) > 1)
    single = sum(1 for r in problem.rooms if problem.capacity(r) == 1)
    for members in groups.values():
        count = len(members)
        title = members[0].title
        limits = [(shared or single, "places en salle")]
        if any(is_supervised(m) for m in members):
            limits.append(
                (problem.supervision_capacity * len(problem.supervisors), "places de surveillance")
            )
        for name in {n for m in members for n in problem.scarce(m)}:
            limits.append((problem.equipment[name], f"places sur l'équipement « {name} »"))
        for capacity, what in limits:
            if count > capacity:
                return (
                    f"« {title} » réunit les {count} candidats en même temps, pour "
                    f"{capacity} {what} : il en faut au moins {count}."
                )
    return None


def _overload(
    problem: Problem, clock: Clock, what: str, resources: str, phases: list[Phase]
) -> str | None:
    count = {
        "jurys": len(problem.juries),
        "salles": len(problem.rooms),
        "surveillants": len(problem.supervisors) * problem.supervision_capacity,
    }[resources]
    if resources == "salles":
        count = sum(problem.capacity(r) for r in problem.rooms)
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
        span = f"{days} jour{'s' if days > 1 else ''} de {hours_text(lengths.pop())}"
    else:
        span = f"{days} jours ({hours_text(clock.total)} au total)"
    unit = "places de surveillance" if resources == "surveillants" else resources
    return (
        f"{load} = {hours_text(needed)} de {what} pour {count} {unit} sur {span} : il faut au "
        f"moins {ceil_div(needed, count * clock.longest_day())} jours "
        f"ou {ceil_div(needed, clock.total)} {unit}."
    )


def is_supervised(phase: Phase) -> bool:
    """Needs a supervisor: where the jury is present, it supervises."""
    return phase.needs_supervision and not phase.needs_jury


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def hours_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02}" if rest else f"{hours} h"
