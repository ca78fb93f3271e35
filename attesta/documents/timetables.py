"""A session's whole timetable, for its managers: a PDF (A4 landscape, one table per day)
and an iCalendar file (one event per phase).

The exam session code passes the session's facts and its phases; nothing here reads the
database. Extra time appears only as durations, never with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from attesta.documents.calendars import add_event, new_calendar, to_ics
from attesta.documents.formats import by_day, french_date, french_duration, french_time
from attesta.documents.pdf import render_pdf

TEMPLATE = "documents/timetable.html"
PRODID = "-//Attesta//Planning de session//FR"


class Phase(Protocol):
    """One candidate's phase as placed; aware datetimes, shown in Europe/Paris."""

    @property
    def uid(self) -> str: ...  # stable across re-plannings: session, seat, rank
    @property
    def candidate(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def room(self) -> str: ...
    @property
    def jury(self) -> str: ...  # "" without jury
    @property
    def supervisor(self) -> str: ...
    @property
    def equipment(self) -> str: ...  # « téléphone 1, ordinateur portable 2 », or ""
    @property
    def minutes(self) -> int: ...  # extra time included
    @property
    def base_minutes(self) -> int: ...
    @property
    def pinned(self) -> bool: ...


@dataclass(frozen=True)
class SessionTimetable:
    reference: str  # « PLAN-2027-0042 »
    organisation: str
    session_label: str
    certification: str  # « Conseiller commercial (TP-00115) »
    scope_label: str
    centre_address: str  # several lines
    period: str  # « le mardi 12 janvier 2027 »
    phases: Sequence[Phase]  # chronological
    issued_on: date

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.centre_address.splitlines() if line.strip()]


def timetable_context(t: SessionTimetable) -> dict[str, object]:
    """Template context of `documents/timetable.html`: facts already formatted in French."""
    return {
        "document_title": f"Planning – {t.session_label}",
        "organisation_name": t.organisation,
        "document_reference": t.reference,
        "timetable": t,
        "issued_on": french_date(t.issued_on),
        "days": [
            {
                "date": french_date(day),
                "rows": [
                    {
                        "start": french_time(p.start),
                        "end": french_time(p.end),
                        "candidate": p.candidate,
                        "title": p.title,
                        "duration": french_duration(p.minutes, p.base_minutes),
                        "room": p.room,
                        "jury": p.jury or "—",
                        "supervisor": p.supervisor or "—",
                        "equipment": p.equipment,
                        "pinned": "Oui" if p.pinned else "Non",
                    }
                    for p in phases
                ],
            }
            for day, phases in by_day(t.phases).items()
        ],
    }


def timetable_pdf(t: SessionTimetable) -> bytes:
    return render_pdf(TEMPLATE, timetable_context(t))


def _description(t: SessionTimetable, p: Phase) -> str:
    lines = [
        f"{t.session_label} – {t.certification}",
        f"Candidat : {p.candidate}",
        f"Épreuve : {p.title} ({french_duration(p.minutes, p.base_minutes)})",
        f"Jury : {p.jury or 'sans jury'}",
        f"Surveillant : {p.supervisor or '—'}",
    ]
    if p.equipment:
        lines.append(f"Équipement : {p.equipment}")
    if p.pinned:
        lines.append("Phase épinglée : gardée telle quelle quand le planning est refait.")
    return "\n".join(lines)


def timetable_ics(t: SessionTimetable) -> bytes:
    """One VEVENT per phase, in Europe/Paris. UIDs come from the phases, so that a newer
    export updates the events already imported instead of duplicating them."""
    if not t.phases:
        raise ValueError("Le planning ne compte aucune phase.")
    calendar = new_calendar(PRODID)
    for p in t.phases:
        add_event(
            calendar,
            uid=f"{p.uid}@attesta",
            issued_on=t.issued_on,
            start=p.start,
            end=p.end,
            summary=f"{p.candidate} – {p.title}",
            location=", ".join([p.room, *t.address_lines]),
            description=_description(t, p),
        )
    return to_ics(calendar, first=min(p.start for p in t.phases), last=max(p.end for p in t.phases))
