"""Exam session timetable: who sits which phase, when, where, before which jury panel.

Pure data and functions, no Django, no database. The shapes are plain so that another
scheduler (the CP-SAT optimiser) can fill a :class:`Timetable` from the same
:class:`Problem`, and :func:`attesta.exams.validity.conflicts` judges any timetable
whoever built it. First fit's bookkeeping (:class:`Busy`, :func:`place_block`,
:func:`place_group`) also books the optimiser's greedy timetables.

The exam's methods become phases in :mod:`attesta.exams.phases`.

Rules chosen for placing:
- a candidate sits their phases in order; a phase starts when the previous one ends, or
  later (possibly on a later day), except a phase that follows the previous one without a
  gap; phases taken together (same ``together`` key) start at the same time;
- rooms: a room of capacity 1 hosts one candidate at a time; a room of larger capacity
  hosts up to that many candidates at once in phases without the jury, never a jury phase
  (the jury hears one candidate in a quiet room). When the session has such collective
  rooms, phases without the jury go there; otherwise every phase takes a room of its own;
- a phase needing the jury takes one jury panel, and the same panel assesses every jury
  phase of a candidate; panels listed in ``forbidden`` for a candidate (their trainer…)
  may not assess them; a panel sits nothing while ``unavailable``; no jury phase overlaps a
  break (the jury's lunch);
- a phase needing supervision and not the jury takes one supervisor, who watches up to
  ``supervision_capacity`` candidates at once; where the jury is present, it supervises;
- shared equipment declared in ``equipment`` (name → candidates at once: number of items ×
  candidates sharing one) is never used by more candidates at once; equipment the session
  does not declare is not scarce;
- a panel needs ``changeover_minutes`` between two phases of different candidates (none
  between the phases of one candidate);
- a phase lies within one day of the session; pinned assignments stay as they are;
- first_fit keeps a candidate's phases on one day where it can, and spreads them over the
  days only when no single day fits them.
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from attesta.exams.phases import PHONE as PHONE
from attesta.exams.phases import PRINTER as PRINTER
from attesta.exams.phases import Key as Key
from attesta.exams.phases import Part as Part
from attesta.exams.phases import Phase as Phase
from attesta.exams.phases import method_parts as method_parts
from attesta.exams.phases import phases_for as phases_for

STEP = timedelta(minutes=5)

Period = tuple[datetime, datetime]


@dataclass(frozen=True)
class Problem:
    """The session's resources and the phases to place."""

    days: list[Period]  # (start, end) of each day of the session
    rooms: list[str]
    juries: list[str]  # jury panels
    supervisors: list[str]
    phases: list[Phase]
    supervision_capacity: int = 1  # candidates one supervisor watches at once
    changeover_minutes: int = 0  # between two candidates before the same panel
    forbidden: dict[str, set[str]] = field(default_factory=dict)  # candidate → panels
    room_capacity: dict[str, int] = field(default_factory=dict)  # room → candidates (1)
    breaks: list[Period] = field(default_factory=list)  # no jury phase during a break
    equipment: dict[str, int] = field(default_factory=dict)  # name → candidates at once
    # name → candidates at once on one item (a printer for 12); absent: one item for all
    equipment_sharing: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, list[Period]] = field(default_factory=dict)  # panel → periods
    pinned: list[Assignment] = field(default_factory=list)  # kept as they are

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
        if any(n < 1 for n in self.room_capacity.values()):
            raise ValueError("Une salle accueille au moins un candidat.")
        if any(n < 1 for n in self.equipment.values()):
            raise ValueError("Un équipement partagé sert au moins un candidat à la fois.")
        for name, sharing in self.equipment_sharing.items():
            if sharing < 1 or self.equipment.get(name, 0) % sharing:
                raise ValueError(
                    f"Équipement « {name} » : {self.equipment.get(name, 0)} candidats à la "
                    f"fois ne font pas un nombre entier d'exemplaires pour {sharing} chacun."
                )
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

    def capacity(self, room: str) -> int:
        return self.room_capacity.get(room, 1)

    def rooms_for(self, phase: Phase) -> list[str]:
        """The rooms a phase may take (see the module docstring)."""
        single = [r for r in self.rooms if self.capacity(r) == 1]
        shared = [r for r in self.rooms if self.capacity(r) > 1]
        if phase.needs_jury or not shared:
            return single
        return shared

    def scarce(self, phase: Phase) -> list[str]:
        """The declared shared equipment the phase uses."""
        return [name for name in phase.uses if name in self.equipment]

    def pins(self) -> dict[Key, Assignment]:
        return {a.phase.key: a for a in self.pinned}

    def items(self, name: str) -> tuple[int, int]:
        """(items, candidates at once on each) of declared equipment."""
        sharing = self.equipment_sharing.get(name, self.equipment[name])
        return self.equipment[name] // sharing, sharing


@dataclass(frozen=True)
class Assignment:
    phase: Phase
    start: datetime
    end: datetime
    room: str
    jury: str | None = None
    supervisor: str | None = None
    # the equipment the phase uses: « imprimante 2 » for a declared item, the name alone
    # for equipment the session does not count (see :func:`give_out_equipment`)
    equipment: tuple[str, ...] = ()

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


def give_out_equipment(timetable: Timetable, problem: Problem) -> Timetable:
    """Each phase's equipment named item by item, as the centre hands it out: in start
    order, the first item of the kind with room for one more candidate (« imprimante 1 »
    for the first twelve candidates printing at once, « imprimante 2 » for the next…).
    Always possible when the planner kept each kind within ``count × sharing`` at once,
    which every planner here does: when a phase starts, fewer than that are running, so an
    item has room, and those who start later check again at their own start. Equipment
    the session does not declare is named without a number."""
    running: dict[str, list[list[datetime]]] = {
        name: [[] for _ in range(problem.items(name)[0])] for name in problem.equipment
    }
    given: dict[Key, tuple[str, ...]] = {}
    for a in sorted(timetable.assignments, key=lambda a: (a.start, a.phase.key)):
        labels = []
        for name in a.phase.uses:
            if name not in running:
                labels.append(name)
                continue
            sharing = problem.items(name)[1]
            item = next(
                (
                    n
                    for n, ends in enumerate(running[name])
                    if sum(e > a.start for e in ends) < sharing
                ),
                None,
            )
            if item is None:
                raise ValueError(f"{a.describe()} : aucun exemplaire libre de « {name} ».")
            running[name][item].append(a.end)
            labels.append(f"{name} {item + 1}")
        given[a.phase.key] = tuple(labels)
    return Timetable(
        [dataclasses.replace(a, equipment=given[a.phase.key]) for a in timetable.assignments],
        timetable.unplaced,
    )


# --- first fit ---------------------------------------------------------------------------


def first_fit(problem: Problem, *, by_phase: bool = False, jury_first: bool = False) -> Timetable:
    """A valid timetable, greedily. Pinned assignments are kept; phases taken together are
    placed first, at the earliest start that suits them all; then candidates in the given
    order, each candidate's phases one after the other at the earliest start that has a
    room, the jury panel, a supervisor and the equipment free, in 5-minute steps (phases
    following each other without a gap are placed as one block). A candidate whose phases
    do not all fit is left out entirely (every phase in ``unplaced``), so no one gets half
    a session. A candidate sits every phase on the same day when some day allows it, else
    across the days.

    ``by_phase``: the blocks are placed earliest first across the candidates instead (the
    next block, of any candidate, that can start the soonest), over all the days. Panels
    then fill the holes a candidate's preparations leave with other candidates' blocks, at
    the cost of candidates' waiting: the optimiser uses it as a second starting point.
    With ``jury_first``, "soonest" is the block's first minute with the jury rather than
    its first minute (a preparation before it does not count)."""
    busy = Busy(problem)
    known = {p.key for p in problem.phases}
    fixed: dict[Key, Assignment] = {}
    for pin in problem.pinned:
        if pin.phase.key in known:
            busy.add(pin)
            fixed[pin.phase.key] = pin
    pinned = set(fixed)
    failed: dict[str, tuple[Phase, str]] = {}
    groups: dict[str, list[Phase]] = defaultdict(list)
    for p in problem.phases:
        if p.together and p.key not in fixed:
            groups[p.together].append(p)
    for members in groups.values():
        together = place_group(problem, busy, members, fixed)
        if together is None:
            reason = (
                f"Aucun créneau commun pour « {members[0].title} » des {len(members)} candidats "
                "(salles, surveillants ou équipements insuffisants)."
            )
            for m in members:
                failed.setdefault(m.candidate, (m, reason))
            continue
        for a in together:
            fixed[a.phase.key] = a
    assignments: list[Assignment] = []
    unplaced: list[Unplaced] = []
    rounds = _rounds(problem, busy, fixed, failed, pinned, jury_first) if by_phase else {}
    for candidate in problem.candidates():
        phases = problem.phases_of(candidate)
        failure = failed.get(candidate)
        placed: list[Assignment] = []
        if by_phase and failure is None:
            assignments.extend(rounds[candidate])
            continue
        if failure is None:
            for days in _attempts(problem, phases, fixed):
                placed, failure = _place_candidate(problem, busy, phases, days, fixed)
                if failure is None:
                    break
        if failure is None:
            for assignment in placed:
                if assignment.phase.key not in fixed:
                    busy.add(assignment)
            assignments.extend(placed)
            continue
        for p in phases:  # what was booked for them in advance is given back
            if p.key in fixed and p.key not in pinned:
                busy.remove(fixed.pop(p.key))
        failed_phase, reason = failure
        for phase in phases:
            if phase == failed_phase:
                unplaced.append(Unplaced(phase, reason))
            else:
                unplaced.append(
                    Unplaced(
                        phase, f"Non placée : « {failed_phase.title} » ne trouve pas de créneau."
                    )
                )
    return Timetable(assignments=assignments, unplaced=unplaced)


def _rounds(
    problem: Problem,
    busy: Busy,
    fixed: dict[Key, Assignment],
    failed: dict[str, tuple[Phase, str]],
    pinned: set[Key],
    jury_first: bool,
) -> dict[str, list[Assignment]]:
    """Blocks placed earliest first across the candidates (see ``first_fit``), booked as
    they are placed. A candidate's earliest start only grows as others book, so a start
    computed earlier is a lower bound: the smallest is computed again before placing
    (lazy evaluation). A candidate who fails gets their bookings back and is recorded in
    ``failed``."""
    blocks = {c: chained(problem.phases_of(c)) for c in problem.candidates() if c not in failed}
    index = {c: n for n, c in enumerate(blocks)}
    placed: dict[str, list[Assignment]] = {c: [] for c in blocks}
    earliest = dict.fromkeys(blocks, problem.days[0][0])

    def order(c: str) -> int:  # at equal start, in the given order
        return index[c]

    panel: dict[str, str | None] = {
        c: next((fixed[p.key].jury for b in bs for p in b if p.key in fixed), None)
        for c, bs in blocks.items()
    }
    step = dict.fromkeys(blocks, 0)
    # (first jury minute, order, candidate, earliest block start): both only grow.
    start = problem.days[0][0]
    queue = [(start, order(c), c, start) for c, bs in blocks.items() if bs]
    heapq.heapify(queue)
    while queue:
        at, _, candidate, lowest = heapq.heappop(queue)
        block = blocks[candidate][step[candidate]]
        result, failure = place_block(
            problem, busy, block, problem.days, lowest, panel[candidate], fixed
        )
        if result is None:
            failed[candidate] = failure
            for a in placed[candidate]:
                if a.phase.key not in fixed:
                    busy.remove(a)
            for b in blocks[candidate]:
                for p in b:
                    if p.key in fixed and p.key not in pinned:
                        busy.remove(fixed.pop(p.key))
            continue
        key = result[0].start
        if jury_first:
            key = next((a.start for a in result if a.jury is not None), key)
        if queue and key > at and (key, order(candidate)) > queue[0][:2]:
            heapq.heappush(queue, (key, order(candidate), candidate, result[0].start))
            continue
        for a in result:
            if a.phase.key not in fixed:
                busy.add(a)
        placed[candidate] += result
        earliest[candidate] = result[-1].end
        panel[candidate] = panel[candidate] or next(
            (a.jury for a in result if a.jury is not None), None
        )
        step[candidate] += 1
        if step[candidate] < len(blocks[candidate]):
            heapq.heappush(
                queue, (earliest[candidate], order(candidate), candidate, earliest[candidate])
            )
    return placed


def _attempts(
    problem: Problem, phases: list[Phase], fixed: dict[Key, Assignment]
) -> list[list[Period]]:
    """The days to try for a candidate: each day alone, then all of them."""
    anchored = {_day_index(problem, fixed[p.key].start) for p in phases if p.key in fixed}
    attempts = [[day] for d, day in enumerate(problem.days) if not anchored or {d} == anchored]
    if len(problem.days) > 1:
        attempts.append(problem.days)
    return attempts


def _day_index(problem: Problem, moment: datetime) -> int:
    return next((d for d, (s, e) in enumerate(problem.days) if s <= moment <= e), len(problem.days))


def place_group(
    problem: Problem, busy: Busy, members: list[Phase], fixed: dict[Key, Assignment]
) -> list[Assignment] | None:
    """Everyone's phase at the same start, the earliest that suits them all, after what
    each member must sit before it."""
    before = max(
        sum(p.minutes for p in problem.phases_of(m.candidate)[: _position(problem, m)])
        for m in members
    )
    longest = max(m.minutes for m in members)
    earliest = problem.days[0][0] + timedelta(minutes=before)
    for day_start, day_end in problem.days:
        for start in _starts(day_start, day_end - timedelta(minutes=longest), earliest):
            booked: list[Assignment] = []
            for m in members:
                a = busy.fit(m, start, problem.allowed_juries(m.candidate))
                if a is None:
                    break
                busy.add(a)
                booked.append(a)
            if len(booked) == len(members):
                return booked
            for a in booked:
                busy.remove(a)
    return None


def _position(problem: Problem, phase: Phase) -> int:
    return [p.key for p in problem.phases_of(phase.candidate)].index(phase.key)


class Busy:
    """What first_fit has already booked, per resource."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.rooms: dict[str, list[Assignment]] = defaultdict(list)
        self.juries: dict[str, list[Assignment]] = defaultdict(list)
        self.supervisors: dict[str, list[Assignment]] = defaultdict(list)
        self.equipment: dict[str, list[Assignment]] = defaultdict(list)

    def _lists(self, a: Assignment) -> list[list[Assignment]]:
        lists = [self.rooms[a.room]]
        if a.jury is not None:
            lists.append(self.juries[a.jury])
        if a.supervisor is not None:
            lists.append(self.supervisors[a.supervisor])
        lists += [self.equipment[name] for name in self.problem.scarce(a.phase)]
        return lists

    def add(self, assignment: Assignment) -> None:
        for booked in self._lists(assignment):
            bisect.insort(booked, assignment, key=_start)

    def remove(self, assignment: Assignment) -> None:
        for booked in self._lists(assignment):
            booked.remove(assignment)

    def room(self, phase: Phase, start: datetime, end: datetime) -> str | None:
        for room in self.problem.rooms_for(phase):
            capacity = self.problem.capacity(room)
            if capacity == 1:
                if not _clash(self.rooms[room], start, end):
                    return room
            elif _peak(self.rooms[room], start, end) < capacity:
                return room
        return None

    def panel_free(self, panel: str, candidate: str, start: datetime, end: datetime) -> bool:
        if any(_overlaps(s, e, start, end) for s, e in self.problem.unavailable.get(panel, [])):
            return False
        return not _clash(self.juries[panel], start, end, self.problem.changeover, candidate)

    def supervisor(self, start: datetime, end: datetime) -> str | None:
        capacity = self.problem.supervision_capacity
        for supervisor in self.problem.supervisors:
            if _peak(self.supervisors[supervisor], start, end) < capacity:
                return supervisor
        return None

    def fit(self, phase: Phase, start: datetime, panels: list[str]) -> Assignment | None:
        """The phase at ``start`` with free resources, or None."""
        end = start + timedelta(minutes=phase.minutes)
        jury = None
        if phase.needs_jury:
            if any(_overlaps(s, e, start, end) for s, e in self.problem.breaks):
                return None
            jury = next(
                (j for j in panels if self.panel_free(j, phase.candidate, start, end)), None
            )
            if jury is None:
                return None
        for name in self.problem.scarce(phase):
            if _peak(self.equipment[name], start, end) >= self.problem.equipment[name]:
                return None
        room = self.room(phase, start, end)
        if room is None:
            return None
        supervisor = None
        if phase.needs_supervision and not phase.needs_jury:
            supervisor = self.supervisor(start, end)
            if supervisor is None:
                return None
        return Assignment(phase, start, end, room, jury, supervisor)


def chained(phases: list[Phase]) -> list[list[Phase]]:
    """Phases following each other without a gap, together."""
    blocks: list[list[Phase]] = []
    for phase in phases:
        if phase.follows_previous and blocks:
            blocks[-1].append(phase)
        else:
            blocks.append([phase])
    return blocks


def _place_candidate(
    problem: Problem,
    busy: Busy,
    phases: list[Phase],
    days: list[Period],
    fixed: dict[Key, Assignment],
) -> tuple[list[Assignment], tuple[Phase, str] | None]:
    placed: list[Assignment] = []
    earliest = days[0][0]
    panel = next((fixed[p.key].jury for p in phases if p.key in fixed and fixed[p.key].jury), None)
    for block in chained(phases):
        result, failure = place_block(problem, busy, block, days, earliest, panel, fixed)
        if result is None:
            return placed, failure
        placed += result
        earliest = result[-1].end
        panel = panel or next((a.jury for a in result if a.jury is not None), None)
    return placed, None


def place_block(
    problem: Problem,
    busy: Busy,
    block: list[Phase],
    days: list[Period],
    earliest: datetime,
    panel: str | None,
    fixed: dict[Key, Assignment],
) -> tuple[list[Assignment] | None, tuple[Phase, str]]:
    """The block at its earliest start from ``earliest`` in ``days``, or which phase
    cannot be placed and why."""
    panels = [panel] if panel is not None else problem.allowed_juries(block[0].candidate)
    for phase in block:
        reason = _impossible(problem, phase, panels)
        if reason is not None:
            return None, (phase, reason)
    failure = (block[0], _no_slot(block[0], panel))
    total = timedelta(minutes=sum(p.minutes for p in block))
    anchor = next((i for i, p in enumerate(block) if p.key in fixed), None)
    if anchor is not None:
        start = fixed[block[anchor].key].start - timedelta(
            minutes=sum(p.minutes for p in block[:anchor])
        )
        if start >= earliest and any(s <= start and start + total <= e for s, e in days):
            result = _try_block(busy, block, start, panels, fixed)
            if result is not None:
                return result, failure
        return None, failure
    for day_start, day_end in days:
        for start in _starts(day_start, day_end - total, earliest):
            result = _try_block(busy, block, start, panels, fixed)
            if result is not None:
                return result, failure
    return None, failure


def _try_block(
    busy: Busy,
    block: list[Phase],
    start: datetime,
    panels: list[str],
    fixed: dict[Key, Assignment],
) -> list[Assignment] | None:
    """The block's phases one after the other from ``start``, before one panel."""
    offsets = list(
        itertools.accumulate([timedelta(0)] + [timedelta(minutes=p.minutes) for p in block])
    )
    judged = [
        (p, start + offsets[i]) for i, p in enumerate(block) if p.needs_jury and p.key not in fixed
    ]
    choices = [[j] for j in panels] if judged else [panels]
    for choice in choices:
        # The jury first: cheap, and most often what is busy.
        if any(
            not busy.panel_free(choice[0], p.candidate, t, t + timedelta(minutes=p.minutes))
            for p, t in judged
        ):
            continue
        result = []
        for i, phase in enumerate(block):
            at = start + offsets[i]
            if phase.key in fixed:
                a: Assignment | None = fixed[phase.key]
                if a is None or a.start != at or (a.jury is not None and a.jury not in choice):
                    break
            else:
                a = busy.fit(phase, at, choice)
                if a is None:
                    break
            result.append(a)
        else:
            return result
    return None


def _impossible(problem: Problem, phase: Phase, panels: list[str]) -> str | None:
    """Why the phase can never be placed, whatever the others do."""
    duration = timedelta(minutes=phase.minutes)
    if not any(end - start >= duration for start, end in problem.days):
        return f"Durée de {phase.minutes} min plus longue que chaque journée de la session."
    if not problem.rooms:
        return "Aucune salle."
    if not problem.rooms_for(phase):
        return "Aucune salle individuelle pour une phase avec le jury."
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


def _clash(
    booked: list[Assignment],
    start: datetime,
    end: datetime,
    gap: timedelta = timedelta(0),
    candidate: str | None = None,
) -> bool:
    """Whether [start, end) overlaps one of ``booked`` (sorted by start, disjoint), with
    ``gap`` kept on both sides except with the phases of ``candidate``."""
    k = bisect.bisect_left(booked, end + gap, key=_start)
    while k > 0:
        k -= 1
        a = booked[k]
        if a.end + gap <= start:
            return False
        margin = timedelta(0) if a.phase.candidate == candidate else gap
        if a.start < end + margin and start < a.end + margin:
            return True
    return False


def _overlaps(start_a: datetime, end_a: datetime, start_b: datetime, end_b: datetime) -> bool:
    return start_a < end_b and start_b < end_a


def _any_overlap(booked: list[Assignment], start: datetime, end: datetime) -> bool:
    return any(_overlaps(a.start, a.end, start, end) for a in booked)


def _peak(booked: list[Assignment], start: datetime, end: datetime) -> int:
    """The most intervals of ``booked`` running at once within [start, end)."""
    k = bisect.bisect_left(booked, end, key=_start) if _sorted(booked) else len(booked)
    inside = [a for a in booked[:k] if a.end > start and a.start < end]
    instants = {start} | {a.start for a in inside if a.start > start}
    return max((sum(1 for a in inside if a.start <= t < a.end) for t in instants), default=0)


def _sorted(booked: list[Assignment]) -> bool:
    return all(a.start <= b.start for a, b in itertools.pairwise(booked[:2]))


def _index(phase: Phase) -> int:
    return phase.index


def _start(assignment: Assignment) -> datetime:
    return assignment.start
