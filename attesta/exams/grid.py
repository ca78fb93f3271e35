"""A session's timetable as people read it: one grid per day (rows: jury panels then rooms,
columns: time) and each candidate's sequence of phases with the waits between them.

Pure: dataclasses in, dataclasses out, no Django, no database. Times are read in
Europe/Paris, like the printed documents.

The columns of a day are cut at every step (15 minutes…) and at every start and end of a
phase, so that a phase spans exactly its own columns (a `colspan`), whatever its duration:
extra time gives 74-minute phases ending at 11 h 34. Headings span the columns of one step.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from attesta.documents.formats import PARIS, french_date, french_duration, french_time, local

STEPS = (15, 30, 60)  # minutes a heading covers, offered to the reader


@dataclass(frozen=True)
class PlannedPhase:
    """One phase of one candidate as placed in the timetable."""

    key: int  # the timetable entry
    seat: int  # the candidate's seat in the session
    position: int  # rank of the phase in the candidate's sequence
    candidate: str
    title: str
    start: datetime  # aware
    end: datetime
    room: str
    jury: str = ""  # "" without jury
    supervisor: str = ""
    equipment: str = ""  # « téléphone 1, ordinateur portable 2 »
    minutes: int = 0  # extra time included
    base_minutes: int = 0
    pinned: bool = False

    def __post_init__(self) -> None:
        local(self.start)  # refuses naive datetimes
        local(self.end)
        if self.end <= self.start:
            raise ValueError(f"« {self.title} » se termine avant d'avoir commencé.")

    @property
    def uid(self) -> str:
        """Stable across re-plannings (entries are rebuilt, seats and ranks stay)."""
        return f"planning-{self.seat}-{self.position}"

    @property
    def day(self) -> date:
        return local(self.start).date()

    @property
    def day_label(self) -> str:
        return french_date(self.day)

    @property
    def hours(self) -> str:
        """« 08 h 00 – 10 h 20 »."""
        return f"{french_time(self.start)} – {french_time(self.end)}"

    @property
    def duration(self) -> str:
        """« 140 min (105 prévues) »: extra time as a duration, never its reason."""
        return french_duration(self.minutes, self.base_minutes)


# --- grid per day ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A column heading: one step of time, over the columns it is cut into."""

    start: datetime
    span: int

    @property
    def label(self) -> str:
        return french_time(self.start)


@dataclass(frozen=True)
class Cell:
    """A phase over `span` columns, or free time when `phase` is None."""

    span: int
    phase: PlannedPhase | None = None


@dataclass(frozen=True)
class Row:
    kind: Literal["jury", "room"]
    name: str
    lane: int  # 0; more when phases overlap on one resource: a room hosting several
    # candidates at once (a written test), or an inconsistent plan shown as it is
    cells: tuple[Cell, ...]

    @property
    def kind_label(self) -> str:
        return "Jury" if self.kind == "jury" else "Salle"

    @property
    def label(self) -> str:
        return self.name if self.lane == 0 else f"{self.name} (ligne {self.lane + 1})"


@dataclass(frozen=True)
class DayGrid:
    day: date
    step_minutes: int
    headings: tuple[Heading, ...]
    rows: tuple[Row, ...]

    @property
    def label(self) -> str:
        return french_date(self.day)

    @property
    def width(self) -> int:
        """Number of time columns."""
        return sum(h.span for h in self.headings)

    @property
    def phase_count(self) -> int:
        """Phases of the day (each counted once, though shown on its room and jury rows)."""
        return len({c.phase.key for r in self.rows for c in r.cells if c.phase is not None})


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_grids(
    phases: Iterable[PlannedPhase],
    *,
    days: Sequence[date],
    opens: time,
    closes: time,
    rooms: Sequence[str] = (),
    juries: Sequence[str] = (),
    step_minutes: int = 15,
) -> list[DayGrid]:
    """One grid per day of `days` (and per other day a phase falls on), from `opens` to
    `closes` widened to the phases of the day. Rows: the jury panels, then the rooms, in the
    given order, then those only the phases name; a phase shows on its room's row and on its
    jury's row."""
    if step_minutes <= 0 or 24 * 60 % step_minutes:
        raise ValueError(f"Pas de {step_minutes} min : il doit diviser la journée.")
    if closes <= opens:
        raise ValueError("La journée se termine avant d'avoir commencé.")
    by_day: dict[date, list[PlannedPhase]] = {day: [] for day in days}
    for phase in sorted(phases, key=_chronological):
        by_day.setdefault(phase.day, []).append(phase)
    step = timedelta(minutes=step_minutes)
    return [
        _day_grid(
            day,
            day_phases,
            opens=opens,
            closes=closes,
            rooms=_ordered(rooms, (p.room for p in day_phases)),
            juries=_ordered(juries, (p.jury for p in day_phases if p.jury)),
            step=step,
        )
        for day, day_phases in sorted(by_day.items())
    ]


def _day_grid(
    day: date,
    phases: list[PlannedPhase],
    *,
    opens: time,
    closes: time,
    rooms: list[str],
    juries: list[str],
    step: timedelta,
) -> DayGrid:
    midnight = datetime.combine(day, time(), tzinfo=PARIS)
    first = min([datetime.combine(day, opens, tzinfo=PARIS), *(local(p.start) for p in phases)])
    last = max([datetime.combine(day, closes, tzinfo=PARIS), *(local(p.end) for p in phases)])
    first = midnight + (first - midnight) // step * step
    last = midnight + -((midnight - last) // step) * step  # ceiling
    ticks = [first + n * step for n in range((last - first) // step + 1)]
    cuts = sorted({*ticks, *(local(p.start) for p in phases), *(local(p.end) for p in phases)})
    column = {moment: index for index, moment in enumerate(cuts)}
    tick_columns = [column[t] for t in ticks]
    headings = tuple(
        Heading(start=t, span=column[following] - column[t])
        for t, following in itertools.pairwise(ticks)
    )
    rows: list[Row] = []
    resources: list[tuple[Literal["jury", "room"], str]] = [
        *(("jury", name) for name in juries),
        *(("room", name) for name in rooms),
    ]
    for kind, name in resources:
        booked = [p for p in phases if (p.jury if kind == "jury" else p.room) == name]
        for lane, lane_phases in enumerate(_lanes(booked)):
            cells = _cells(lane_phases, column, tick_columns)
            rows.append(Row(kind=kind, name=name, lane=lane, cells=cells))
    return DayGrid(
        day=day, step_minutes=step // timedelta(minutes=1), headings=headings, rows=tuple(rows)
    )


def _lanes(phases: list[PlannedPhase]) -> list[list[PlannedPhase]]:
    """Phases in lines where none overlaps another: one line unless the resource hosts
    several candidates at once."""
    lanes: list[list[PlannedPhase]] = [[]]
    for phase in phases:  # chronological
        lane = next((lane for lane in lanes if not lane or lane[-1].end <= phase.start), None)
        if lane is None:
            lane = []
            lanes.append(lane)
        lane.append(phase)
    return lanes


def _cells(
    phases: list[PlannedPhase], column: dict[datetime, int], tick_columns: list[int]
) -> tuple[Cell, ...]:
    """The phases over their columns; free time in cells that stop at each heading."""
    cells: list[Cell] = []
    width = tick_columns[-1]
    index = 0
    pending = iter(phases)
    phase = next(pending, None)
    while index < width:
        if phase is not None and column[local(phase.start)] == index:
            span = column[local(phase.end)] - index
            cells.append(Cell(span=span, phase=phase))
            index += span
            phase = next(pending, None)
            continue
        stop = tick_columns[bisect.bisect_right(tick_columns, index)]
        if phase is not None:
            stop = min(stop, column[local(phase.start)])
        cells.append(Cell(span=stop - index))
        index = stop
    return tuple(cells)


def _ordered(given: Sequence[str], found: Iterable[str]) -> list[str]:
    """The given names in their order, then the others found, in natural order."""
    extra = set(found) - set(given)
    return [*dict.fromkeys(given), *sorted(extra, key=natural_key)]


def natural_key(name: str) -> list[object]:
    """« Jury 2 » before « Jury 10 »."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]


def _chronological(phase: PlannedPhase) -> tuple[datetime, datetime, int, int]:
    return phase.start, phase.end, phase.seat, phase.position


# --- each candidate's sequence ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    phase: PlannedPhase
    wait_minutes: int | None  # since the previous phase that day; None: first of its day

    @property
    def wait_label(self) -> str:
        if self.wait_minutes is None:
            return "—"
        return f"{self.wait_minutes} min"


@dataclass(frozen=True)
class CandidateRun:
    seat: int
    name: str
    steps: tuple[Step, ...]

    @property
    def wait_minutes(self) -> int:
        """Waiting between phases within a day; the nights between two days do not count."""
        return sum(s.wait_minutes or 0 for s in self.steps)

    @property
    def first_start(self) -> datetime:
        return self.steps[0].phase.start

    @property
    def last_end(self) -> datetime:
        return self.steps[-1].phase.end


def candidate_runs(phases: Iterable[PlannedPhase]) -> list[CandidateRun]:
    """Each candidate's phases in order, with the wait before each; candidates in the order
    of their first phase."""
    by_seat: dict[int, list[PlannedPhase]] = {}
    for phase in sorted(phases, key=_chronological):
        by_seat.setdefault(phase.seat, []).append(phase)
    runs = []
    for seat, seat_phases in by_seat.items():
        steps = [Step(seat_phases[0], None)]
        for previous, phase in itertools.pairwise(seat_phases):
            wait = None
            if phase.day == previous.day:
                wait = max((phase.start - previous.end) // timedelta(minutes=1), 0)
            steps.append(Step(phase, wait))
        runs.append(CandidateRun(seat=seat, name=seat_phases[0].candidate, steps=tuple(steps)))
    return sorted(runs, key=lambda run: (run.first_start, run.name.casefold(), run.seat))
