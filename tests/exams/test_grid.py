"""The timetable as a grid per day and as each candidate's sequence: pure functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from attesta.exams.grid import PlannedPhase, candidate_runs, day_grids, days_between

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2027, 1, 12)
NEXT_DAY = date(2027, 1, 13)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def phase(
    key: int,
    start: datetime,
    end: datetime,
    *,
    room: str = "Salle A",
    jury: str = "",
    seat: int = 1,
    candidate: str = "MARTIN Alex",
    minutes: int = 0,
    base_minutes: int = 0,
) -> PlannedPhase:
    return PlannedPhase(
        key=key,
        seat=seat,
        position=key,
        candidate=candidate,
        title=f"Phase {key}",
        start=start,
        end=end,
        room=room,
        jury=jury,
        minutes=minutes or (end - start) // timedelta(minutes=1),
        base_minutes=base_minutes or (end - start) // timedelta(minutes=1),
    )


def grid(phases: list[PlannedPhase], **options: object) -> list:
    settings: dict[str, object] = {"days": [DAY], "opens": time(8), "closes": time(10)}
    settings.update(options)
    return day_grids(phases, **settings)  # type: ignore[arg-type]


def shape(row) -> list[tuple[int, int | None]]:
    """A row as (span, phase key or None) per cell."""
    return [(cell.span, cell.phase.key if cell.phase else None) for cell in row.cells]


def test_an_empty_day_has_one_free_cell_per_step_and_a_row_per_resource():
    [day] = grid([], rooms=["Salle A", "Salle B"], juries=["Jury 1"], step_minutes=30)
    assert [h.label for h in day.headings] == ["08 h 00", "08 h 30", "09 h 00", "09 h 30"]
    assert [(r.kind_label, r.label) for r in day.rows] == [
        ("Jury", "Jury 1"),
        ("Salle", "Salle A"),
        ("Salle", "Salle B"),
    ]
    assert all(shape(r) == [(1, None)] * 4 for r in day.rows)
    assert day.width == 4
    assert day.phase_count == 0


@pytest.mark.parametrize(
    ("phases", "headings", "row"),
    [
        pytest.param(
            [phase(1, at(8), at(9))],
            [1, 1, 1, 1],
            [(2, 1), (1, None), (1, None)],
            id="a phase on the steps spans its steps",
        ),
        pytest.param(
            [phase(1, at(8), at(8, 20)), phase(2, at(8, 20), at(9, 34))],
            [2, 1, 1, 2],
            [(1, 1), (4, 2), (1, None)],
            id="phases off the steps cut the columns exactly, without overlap",
        ),
        pytest.param(
            [phase(1, at(8, 40), at(9, 10))],
            [1, 2, 2, 1],
            [(1, None), (1, None), (2, 1), (1, None), (1, None)],
            id="free time before a phase stops at each heading",
        ),
    ],
)
def test_phases_span_exactly_their_columns(phases, headings, row):
    [day] = grid(phases, rooms=["Salle A"], step_minutes=30)
    assert [h.span for h in day.headings] == headings
    assert shape(day.rows[0]) == row
    assert day.width == sum(headings)


def test_a_phase_shows_on_its_jury_row_and_on_its_room_row():
    phases = [
        phase(1, at(8), at(9), room="Salle B", jury="Jury 2"),
        phase(2, at(8), at(8, 30), room="Salle A", seat=2, candidate="DURAND Alex"),
    ]
    [day] = grid(phases, rooms=["Salle A", "Salle B"], juries=["Jury 1", "Jury 2"])
    rows = {r.label: shape(r) for r in day.rows}
    assert list(rows) == ["Jury 1", "Jury 2", "Salle A", "Salle B"]
    assert rows["Jury 1"] == [(1, None)] * 8
    assert rows["Jury 2"][0] == (4, 1)
    assert rows["Salle A"][0] == (2, 2)
    assert rows["Salle B"][0] == (4, 1)
    assert day.phase_count == 2


def test_resources_named_only_by_phases_follow_the_given_ones_in_natural_order():
    phases = [
        phase(1, at(8), at(9), room="Salle 10", jury="Jury 10"),
        phase(2, at(8), at(9), room="Salle 2", jury="Jury 2", seat=2),
    ]
    [day] = grid(phases, rooms=["Atelier"])
    assert [r.label for r in day.rows] == ["Jury 2", "Jury 10", "Atelier", "Salle 2", "Salle 10"]


def test_the_day_widens_to_phases_outside_its_hours_and_rounds_to_the_step():
    [day] = grid([phase(1, at(7, 50), at(10, 5))], rooms=["Salle A"], step_minutes=15)
    assert day.headings[0].label == "07 h 45"
    assert day.headings[-1].label == "10 h 00"
    assert [h.span for h in day.headings] == [2, *[1] * 8, 2]
    assert shape(day.rows[0]) == [(1, None), (10, 1), (1, None)]


def test_overlapping_phases_on_one_room_go_on_a_second_line_instead_of_vanishing():
    phases = [phase(1, at(8), at(9)), phase(2, at(8, 30), at(9, 30), seat=2)]
    [day] = grid(phases, rooms=["Salle A"], step_minutes=30)
    assert [r.label for r in day.rows] == ["Salle A", "Salle A (ligne 2)"]
    assert shape(day.rows[0]) == [(2, 1), (1, None), (1, None)]
    assert shape(day.rows[1]) == [(1, None), (2, 2), (1, None)]


def test_every_session_day_gets_a_grid_and_phases_go_to_their_paris_day():
    late_utc = datetime(2027, 1, 13, 7, 0, tzinfo=UTC)  # 08 h 00 in Paris
    phases = [phase(1, at(8), at(9)), phase(2, late_utc, at(9, day=NEXT_DAY), seat=2)]
    grids = grid(phases, days=[DAY, NEXT_DAY, date(2027, 1, 14)], rooms=["Salle A"])
    assert [g.day for g in grids] == [DAY, NEXT_DAY, date(2027, 1, 14)]
    assert [g.phase_count for g in grids] == [1, 1, 0]
    assert grids[1].label == "mercredi 13 janvier 2027"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"step_minutes": 0}, "Pas de 0 min"),
        ({"step_minutes": 7}, "Pas de 7 min"),
        ({"opens": time(18), "closes": time(8)}, "se termine avant"),
    ],
)
def test_bad_grid_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        grid([], **options)


def test_a_phase_needs_aware_ordered_times():
    with pytest.raises(ValueError, match="sans fuseau"):
        phase(1, datetime(2027, 1, 12, 8), at(9), minutes=60, base_minutes=60)
    with pytest.raises(ValueError, match="avant d'avoir commencé"):
        phase(1, at(9), at(8))


@pytest.mark.parametrize(
    ("minutes", "base", "expected"),
    [(105, 105, "105 min"), (140, 105, "140 min (105 prévues)")],
)
def test_extra_time_shows_as_durations_only(minutes, base, expected):
    p = phase(1, at(8), at(10, 20), minutes=minutes, base_minutes=base)
    assert p.duration == expected
    assert p.hours == "08 h 00 – 10 h 20"
    assert p.uid == "planning-1-1"


def test_each_candidate_has_their_phases_in_order_with_the_waits_between():
    phases = [
        phase(3, at(10), at(10, 30), seat=1),
        phase(1, at(8), at(9), seat=1),
        phase(2, at(9, 15), at(9, 45), seat=1),
        phase(4, at(8, day=NEXT_DAY), at(9, day=NEXT_DAY), seat=1),
        phase(5, at(7, 30), at(8), seat=2, candidate="DURAND Alex"),
    ]
    runs = candidate_runs(phases)
    assert [r.name for r in runs] == ["DURAND Alex", "MARTIN Alex"]
    martin = runs[1]
    assert [s.phase.key for s in martin.steps] == [1, 2, 3, 4]
    assert [s.wait_minutes for s in martin.steps] == [None, 15, 15, None]
    assert [s.wait_label for s in martin.steps] == ["—", "15 min", "15 min", "—"]
    assert martin.wait_minutes == 30
    assert (martin.first_start, martin.last_end) == (at(8), at(9, day=NEXT_DAY))


def test_no_phase_means_no_candidate_sequence():
    assert candidate_runs([]) == []


@pytest.mark.parametrize(
    ("first", "last", "count"),
    [(DAY, DAY, 1), (DAY, NEXT_DAY, 2), (date(2027, 2, 27), date(2027, 3, 2), 4)],
)
def test_a_session_runs_every_day_from_its_first_to_its_last(first, last, count):
    days = days_between(first, last)
    assert (len(days), days[0], days[-1]) == (count, first, last)
