"""The session timetable as a document: context, PDF and calendar (pure, no database)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from attesta.documents.timetables import (
    SessionTimetable,
    timetable_context,
    timetable_ics,
    timetable_pdf,
)

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Phase:
    uid: str
    candidate: str
    title: str
    start: datetime
    end: datetime
    room: str
    jury: str = ""
    supervisor: str = ""
    equipment: str = ""
    minutes: int = 60
    base_minutes: int = 60
    pinned: bool = False


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=PARIS)


PHASES = [
    Phase("p-1-0", "MARTIN Alex", "Étude de cas", at(12, 8), at(12, 9, 20), "Salle A",
          supervisor="Paul", minutes=80, base_minutes=60),
    Phase("p-1-1", "MARTIN Alex", "Entretien", at(12, 9, 30), at(12, 10), "Salle A",
          jury="Jury 1", minutes=30, base_minutes=30, pinned=True,
          equipment="téléphone 1, ordinateur portable 2"),
    Phase("p-2-0", "DURAND Sam", "Étude de cas", at(13, 8), at(13, 9), "Salle B",
          supervisor="Paul"),
]  # fmt: skip


def document(phases=PHASES) -> SessionTimetable:
    return SessionTimetable(
        reference="PLAN-2027-0001",
        organisation="Centre A",
        session_label="CC – janvier 2027",
        certification="Conseiller commercial (TP-00115)",
        scope_label="Titre complet",
        centre_address="12 rue des Examens\n69000 Lyon",
        period="du mardi 12 janvier 2027 au mercredi 13 janvier 2027",
        phases=phases,
        issued_on=date(2026, 11, 24),
    )


def test_the_context_has_one_table_per_day_with_durations_and_pins():
    days = timetable_context(document())["days"]
    assert [d["date"] for d in days] == ["mardi 12 janvier 2027", "mercredi 13 janvier 2027"]
    first, second = days[0]["rows"]
    assert (first["start"], first["end"], first["duration"]) == (
        "08 h 00",
        "09 h 20",
        "80 min (60 prévues)",
    )
    assert (first["jury"], first["pinned"]) == ("—", "Non")
    assert (second["jury"], second["pinned"]) == ("Jury 1", "Oui")
    assert (first["equipment"], second["equipment"]) == ("", "téléphone 1, ordinateur portable 2")


def test_the_pdf_is_landscape_and_lists_every_phase():
    reader = PdfReader(io.BytesIO(timetable_pdf(document())))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "08 h 00 – 09 h 20 MARTIN Alex Étude de cas" in text
    assert "Mercredi 13 janvier 2027" in text
    assert "PLAN-2027-0001" in text
    assert "Téléphone 1, ordinateur portable 2" in text


def test_the_calendar_has_one_event_per_phase_with_stable_uids():
    calendar = Calendar.from_ical(timetable_ics(document()))
    events = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == ["p-1-0@attesta", "p-1-1@attesta", "p-2-0@attesta"]
    assert [e["DTSTART"].dt for e in events] == [p.start for p in PHASES]
    assert str(events[1]["SUMMARY"]) == "MARTIN Alex – Entretien"
    assert "Jury : Jury 1" in str(events[1]["DESCRIPTION"])
    assert "épinglée" in str(events[1]["DESCRIPTION"])
    assert "Équipement : téléphone 1, ordinateur portable 2" in str(events[1]["DESCRIPTION"])
    assert "Équipement" not in str(events[0]["DESCRIPTION"])
    assert str(events[0]["LOCATION"]) == "Salle A, 12 rue des Examens, 69000 Lyon"
    assert len(list(calendar.walk("VTIMEZONE"))) == 1


def test_an_empty_timetable_makes_no_calendar():
    with pytest.raises(ValueError, match="aucune phase"):
        timetable_ics(document(phases=[]))
