"""French formatting for printed documents, independent of the active locale."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def local(moment: datetime) -> datetime:
    """`moment` in Europe/Paris; a naive datetime is refused (its instant is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"datetime sans fuseau horaire : {moment.isoformat()}")
    return moment.astimezone(PARIS)


def french_date(day: date) -> str:
    """« mardi 12 janvier 2027 », « vendredi 1er octobre 2027 »."""
    if isinstance(day, datetime):
        day = local(day).date()
    number = "1er" if day.day == 1 else str(day.day)
    return f"{_DAYS[day.weekday()]} {number} {_MONTHS[day.month - 1]} {day.year}"


def french_time(moment: datetime) -> str:
    """« 08 h 30 », in Europe/Paris."""
    moment = local(moment)
    return f"{moment:%H} h {moment:%M}"


def french_datetime(moment: datetime) -> str:
    """« mardi 12 janvier 2027 à 08 h 30 », in Europe/Paris."""
    return f"{french_date(local(moment).date())} à {french_time(moment)}"


def french_period(start: date, end: date) -> str:
    """« le mardi 12 janvier 2027 » or « du lundi 11 janvier 2027 au mardi 12 janvier 2027 »."""
    if start == end:
        return f"le {french_date(start)}"
    return f"du {french_date(start)} au {french_date(end)}"


def french_duration(minutes: int, planned: int | None = None) -> str:
    """« 105 min », or with extra time « 140 min (105 prévues) »: durations only, never the
    reason for the extra time."""
    if planned is None or planned == minutes:
        return f"{minutes} min"
    return f"{minutes} min ({planned} prévues)"


class Timed(Protocol):
    @property
    def start(self) -> datetime: ...


T = TypeVar("T", bound=Timed)


def by_day(items: Iterable[T]) -> dict[date, list[T]]:
    """`items` grouped by the day (Europe/Paris) they start on, in their given order."""
    days: dict[date, list[T]] = {}
    for item in items:
        days.setdefault(local(item.start).date(), []).append(item)
    return days
