"""The independent judge of a timetable: :func:`conflicts` lists, in French, everything
that makes a timetable invalid for its :class:`~attesta.exams.timetable.Problem`, whoever
built it (first fit, the CP-SAT optimiser, a manager by hand). It shares no code with the
planners, only the data shapes, so a planner's mistake cannot hide from it: rooms, panels
(changeover, breaks, unavailability, forbidden panels), supervisors and equipment within
their capacities, day windows, durations with extra time, order, phases following without
a gap or taken together, pinned phases (docs/scheduler.md).

Pure, no Django."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from attesta.exams.timetable import Assignment, Problem, Timetable


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
        found += _room_conflicts(room, booked, problem.capacity(room))
    for jury, booked in by_jury.items():
        found += _jury_conflicts(jury, booked, problem.changeover)
    for supervisor, booked in by_supervisor.items():
        found += _supervision_conflicts(supervisor, booked, problem.supervision_capacity)
    for name, capacity in problem.equipment.items():
        using = [a for a in assignments if name in a.phase.uses]
        found += _sharing_conflicts(f"Équipement {name}", using, capacity)
    found += _item_conflicts(assignments, problem)
    for candidate, booked in by_candidate.items():
        found += _candidate_conflicts(candidate, booked)
    found += _together_conflicts(assignments)
    found += _pin_conflicts(assignments, problem)
    return found


def _room_conflicts(room: str, booked: list[Assignment], capacity: int) -> list[str]:
    """One candidate at a time, or up to ``capacity`` at once without the jury; a jury
    phase alone in its room."""
    if capacity == 1:
        return [
            f"Salle {room} : {a.describe()} et {b.describe()} se chevauchent."
            for a, b in _overlapping_pairs(booked)
        ]
    found = _sharing_conflicts(f"Salle {room}", booked, capacity)
    for a, b in _overlapping_pairs(booked):
        if a.phase.needs_jury or b.phase.needs_jury:
            found.append(
                f"Salle {room} : {a.describe()} et {b.describe()} se chevauchent "
                "(une phase avec le jury a la salle pour elle seule)."
            )
    return found


def _sharing_conflicts(what: str, booked: list[Assignment], capacity: int) -> list[str]:
    found = []
    for instant in sorted({a.start for a in booked}):
        using = sum(1 for a in booked if a.start <= instant < a.end)
        if using > capacity:
            found.append(
                f"{what} : {using} candidats à la fois à {instant:%d/%m %H:%M} "
                f"(au plus {capacity})."
            )
    return found


def _item_conflicts(assignments: list[Assignment], problem: Problem) -> list[str]:
    """When items are named (``give_out_equipment``): each of the phase's equipment, an
    item that exists, shared by no more candidates at once than one item serves."""
    found = []
    by_item: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        if not a.equipment:
            continue
        kinds = [
            label.rpartition(" ")[0] if label not in a.phase.uses else label
            for label in a.equipment
        ]
        if sorted(kinds) != sorted(a.phase.uses):
            given, needed = ", ".join(a.equipment), ", ".join(a.phase.uses)
            found.append(f"{a.describe()} : équipement {given} au lieu de {needed}.")
        for label in a.equipment:
            if label not in a.phase.uses:
                by_item[label].append(a)
    for label, using in sorted(by_item.items()):
        name, _, number = label.rpartition(" ")
        if name not in problem.equipment or not number.isdigit():
            found.append(f"Équipement {label} : inconnu de la session.")
            continue
        count, sharing = problem.items(name)
        if not 1 <= int(number) <= count:
            found.append(f"Équipement {label} : la session n'en compte que {count}.")
        found += _sharing_conflicts(f"Équipement {label}", using, sharing)
    return found


def _together_conflicts(assignments: list[Assignment]) -> list[str]:
    found = []
    starts: dict[str, set[datetime]] = defaultdict(set)
    for a in assignments:
        if a.phase.together:
            starts[a.phase.together].add(a.start)
    for key, moments in sorted(starts.items()):
        if len(moments) > 1:
            found.append(
                f"« {key} » : les candidats ne commencent pas ensemble "
                f"({', '.join(f'{m:%d/%m %H:%M}' for m in sorted(moments))})."
            )
    return found


def _pin_conflicts(assignments: list[Assignment], problem: Problem) -> list[str]:
    found = []
    placed = {a.phase.key: a for a in assignments}
    for key, pin in problem.pins().items():
        a = placed.get(key)
        if a is not None and (a.start, a.end, a.room, a.jury) != (
            pin.start,
            pin.end,
            pin.room,
            pin.jury,
        ):
            found.append(f"{a.describe()} : phase épinglée déplacée (prévue {pin.describe()}).")
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
    if a.jury is not None:
        if any(_overlaps(s, e, a.start, a.end) for s, e in problem.breaks):
            found.append(f"{what} : jury pendant la pause.")
        if any(_overlaps(s, e, a.start, a.end) for s, e in problem.unavailable.get(a.jury, [])):
            found.append(f"{what} : le jury {a.jury} n'est pas disponible.")
    if a.room in problem.rooms and a.room not in problem.rooms_for(phase):
        kind = "collective" if problem.capacity(a.room) > 1 else "individuelle"
        found.append(f"{what} : salle {kind} {a.room} non prévue pour cette phase.")
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
    for previous, following in itertools.pairwise(in_order):
        if following.phase.follows_previous and following.start != previous.end:
            found.append(
                f"Candidat {candidate} : « {following.phase.title} » ne suit pas "
                f"« {previous.phase.title} » sans attente."
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


def _start(assignment: Assignment) -> datetime:
    return assignment.start
