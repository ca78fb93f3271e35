"""iCalendar files of exam activities: one VEVENT per activity, in Europe/Paris.

Shared by the candidate's convocation and the session's whole timetable, so that both
files read the same in a calendar application.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from icalendar import Calendar, Event

from attesta.documents.formats import PARIS, local


def new_calendar(prodid: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def stamp(issued_on: date) -> datetime:
    """DTSTAMP of a document issued on a day: midnight in Paris, written in UTC."""
    return datetime.combine(issued_on, time(), tzinfo=PARIS).astimezone(UTC)


def add_event(
    calendar: Calendar,
    *,
    uid: str,
    issued_on: date,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    description: str,
) -> None:
    """A confirmed, busy event, with Paris times (naive datetimes are refused)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp(issued_on))
    event.add("dtstart", local(start))
    event.add("dtend", local(end))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)


def to_ics(calendar: Calendar, *, first: datetime, last: datetime) -> bytes:
    """The calendar's bytes, with the VTIMEZONE rules of the years concerned only (not 1970
    to 2038)."""
    first, last = local(first), local(last)
    calendar.add_missing_timezones(date(first.year - 1, 1, 1), date(last.year + 1, 12, 31))
    ics: bytes = calendar.to_ical()
    return ics
