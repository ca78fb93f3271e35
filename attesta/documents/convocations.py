"""Exam convocations: one per candidate, as a PDF, an iCalendar file and an e-mail text.

The exam session models build a `Convocation` and call these functions; nothing here reads
the database. Everything is pure apart from the template rendering of the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from attesta.documents.calendars import add_event, new_calendar, to_ics
from attesta.documents.formats import (
    by_day,
    french_date,
    french_datetime,
    french_period,
    french_time,
    local,
)
from attesta.documents.pdf import render_pdf

TEMPLATE = "documents/convocation.html"
PRODID = "-//Attesta//Convocations//FR"
IDENTITY_REMINDER = "la présente convocation et une pièce d'identité en cours de validité"


@dataclass(frozen=True)
class ConvocationSlot:
    """One exam activity of the candidate: aware datetimes, shown in Europe/Paris."""

    start: datetime
    end: datetime
    method_title: str
    room: str
    with_jury: bool

    def __post_init__(self) -> None:
        local(self.start)  # refuses naive datetimes
        local(self.end)
        if self.end <= self.start:
            raise ValueError(f"« {self.method_title} » se termine avant d'avoir commencé.")

    @property
    def jury_label(self) -> str:
        return "devant le jury" if self.with_jury else "sans jury"


@dataclass(frozen=True)
class Convocation:
    """What a candidate's convocation says.

    `accommodations` lists the measures applied (« Temps majoré : +33 % »), never the
    disability or situation that justifies them. `schedule` is chronological and the
    candidate's slots do not overlap.
    """

    reference: str  # « CONV-2027-000123 »
    organisation: str  # issuing organisation, printed in the header
    candidate_name: str
    certification_title: str
    certification_code: str  # « RNCP37717 », « TP-00115 »
    scope_label: str  # « Titre complet », « CCP1 – … »
    centre_name: str
    centre_address: str  # several lines
    session_start: date
    session_end: date
    schedule: list[ConvocationSlot]
    bring: list[str]
    accommodations: list[str]
    contact: str
    issued_on: date

    def __post_init__(self) -> None:
        if not self.schedule:
            raise ValueError("Une convocation comporte au moins une épreuve.")
        if self.session_end < self.session_start:
            raise ValueError("La session se termine avant d'avoir commencé.")
        for previous, slot in zip(self.schedule, self.schedule[1:], strict=False):
            if slot.start < previous.end:
                raise ValueError(
                    f"« {slot.method_title} » commence avant la fin de « {previous.method_title} »"
                    " : le programme doit être chronologique, sans chevauchement."
                )
        for slot in self.schedule:
            if not self.session_start <= local(slot.start).date() <= self.session_end:
                raise ValueError(f"« {slot.method_title} » a lieu hors des dates de la session.")

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.centre_address.splitlines() if line.strip()]

    @property
    def first_start(self) -> datetime:
        return self.schedule[0].start


def _programme(schedule: list[ConvocationSlot]) -> list[dict[str, object]]:
    """The slots grouped by day (Europe/Paris), one table per day."""
    return [
        {
            "date": french_date(day),
            "rows": [
                {
                    "start": french_time(slot.start),
                    "end": french_time(slot.end),
                    "method_title": slot.method_title,
                    "room": slot.room,
                    "jury": "Oui" if slot.with_jury else "Non",
                }
                for slot in slots
            ],
        }
        for day, slots in by_day(schedule).items()
    ]


def convocation_context(c: Convocation) -> dict[str, object]:
    """Template context of `documents/convocation.html`: facts already formatted in French."""
    return {
        "document_title": f"Convocation {c.reference}",
        "organisation_name": c.organisation,
        "document_reference": c.reference,
        "convocation": c,
        "address_lines": c.address_lines,
        "session_period": french_period(c.session_start, c.session_end),
        "first_start": french_datetime(c.first_start),
        "days": _programme(c.schedule),
        "identity_reminder": IDENTITY_REMINDER,
        "issued_on": french_date(c.issued_on),
    }


def convocation_pdf(c: Convocation) -> bytes:
    return render_pdf(TEMPLATE, convocation_context(c))


def _location(c: Convocation, slot: ConvocationSlot) -> str:
    return ", ".join([f"{slot.room} – {c.centre_name}", *c.address_lines])


def _description(c: Convocation, slot: ConvocationSlot) -> str:
    # Accommodations stay out of calendars: those are often shared with colleagues.
    lines = [
        f"Convocation {c.reference}",
        f"{c.certification_title} ({c.certification_code}) – {c.scope_label}",
        f"Épreuve : {slot.method_title} ({slot.jury_label})",
        "",
        "À apporter :",
        *(f"- {item}" for item in [*c.bring, IDENTITY_REMINDER]),
        "",
        f"Contact : {c.contact}",
    ]
    return "\n".join(lines)


def convocation_ics(c: Convocation) -> bytes:
    """One VEVENT per slot, times in Europe/Paris with its VTIMEZONE.

    UIDs derive from the reference and the slot's rank, so a convocation issued again
    updates the candidate's events instead of duplicating them; DTSTAMP is the issue date.
    """
    calendar = new_calendar(PRODID)
    for index, slot in enumerate(c.schedule, start=1):
        add_event(
            calendar,
            uid=f"{c.reference}-{index}@attesta",
            issued_on=c.issued_on,
            start=slot.start,
            end=slot.end,
            summary=f"Examen – {slot.method_title}",
            location=_location(c, slot),
            description=_description(c, slot),
        )
    return to_ics(calendar, first=c.schedule[0].start, last=c.schedule[-1].end)


def convocation_email(c: Convocation) -> tuple[str, str]:
    """Subject and plain-text body; the PDF and the .ics are attached by the caller."""
    subject = f"Convocation à l'examen – {c.certification_title} – {french_date(c.first_start)}"
    lines = [
        f"Bonjour {c.candidate_name},",
        "",
        "Vous trouverez ci-joint votre convocation à l'examen de la certification "
        f"« {c.certification_title} » ({c.certification_code}), {c.scope_label}.",
        "",
        f"Lieu : {c.centre_name}",
        *(f"  {line}" for line in c.address_lines),
        "",
        "Programme :",
        *(
            f"- {french_date(slot.start)}, {french_time(slot.start)} – "
            f"{french_time(slot.end)} : {slot.method_title} ({slot.room}, {slot.jury_label})"
            for slot in c.schedule
        ),
        "",
        "À apporter :",
        *(f"- {item}" for item in [*c.bring, IDENTITY_REMINDER]),
    ]
    if c.accommodations:
        lines += ["", "Les aménagements qui vous sont accordés figurent sur la convocation jointe."]
    lines += [
        "",
        f"En cas d'empêchement ou pour toute question : {c.contact}",
        "",
        f"Référence : {c.reference}",
        c.organisation,
    ]
    return subject, "\n".join(lines) + "\n"
