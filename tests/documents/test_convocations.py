from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from icalendar import Calendar
from pypdf import PdfReader

from attesta.documents.convocations import (
    PRODID,
    TEMPLATE,
    Convocation,
    ConvocationSlot,
    convocation_context,
    convocation_email,
    convocation_ics,
    convocation_pdf,
)
from attesta.documents.formats import french_date, french_datetime, french_period
from attesta.documents.pdf import PrintResourceError, render_pdf

PARIS = ZoneInfo("Europe/Paris")


def at(hour: int, minute: int) -> datetime:
    return datetime(2027, 1, 12, hour, minute, tzinfo=PARIS)


PRODUCT_SHEETS = [f"Fiche technique de produit ou de service n° {n}" for n in range(1, 6)]

SCHEDULE = [
    ConvocationSlot(
        # Given in UTC on purpose: printed and exported in Europe/Paris (08 h 30).
        start=datetime(2027, 1, 12, 7, 30, tzinfo=UTC),
        end=at(9, 15),
        method_title="Mise en situation professionnelle – prise de connaissance du contexte",
        room="Salle B12",
        with_jury=False,
    ),
    ConvocationSlot(
        start=at(9, 15),
        end=at(10, 15),
        method_title="Mise en situation professionnelle – stand et entretiens de vente",
        room="Plateau commercial",
        with_jury=True,
    ),
    ConvocationSlot(
        start=at(10, 45),
        end=at(11, 55),
        method_title="Questionnement à partir de productions",
        room="Salle B14",
        with_jury=True,
    ),
    ConvocationSlot(
        start=at(14, 0),
        end=at(14, 20),
        method_title="Entretien final",
        room="Salle B14",
        with_jury=True,
    ),
]

CONVOCATION = Convocation(
    reference="CONV-2027-000123",
    organisation="Certificateur A",
    candidate_name="Camille Lefèvre-N'Diaye",
    certification_title="Conseiller commercial",
    certification_code="TP-00115",
    scope_label="Titre complet",
    centre_name="Centre de formation Les Tanneurs",
    centre_address="12 rue des Tanneurs\nBâtiment B, 2e étage\n69007 Lyon",
    session_start=date(2027, 1, 11),
    session_end=date(2027, 1, 13),
    schedule=SCHEDULE,
    bring=["Diaporama de présentation (clé USB et version papier)", *PRODUCT_SHEETS],
    accommodations=["Temps majoré : +33 %", "Salle au rez-de-chaussée"],
    contact="Responsable de session, 04 72 00 00 00, sessions@tanneurs.example",
    issued_on=date(2026, 12, 1),
)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return convocation_pdf(CONVOCATION)


# French formatting


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(8, 30), "mardi 12 janvier 2027 à 08 h 30"),
        (datetime(2027, 1, 12, 7, 30, tzinfo=UTC), "mardi 12 janvier 2027 à 08 h 30"),
        (datetime(2027, 7, 1, 12, 5, tzinfo=UTC), "jeudi 1er juillet 2027 à 14 h 05"),
        (datetime(2027, 3, 28, 23, 0, tzinfo=UTC), "lundi 29 mars 2027 à 01 h 00"),
    ],
)
def test_datetimes_are_written_in_french_in_paris_time(moment, expected):
    assert french_datetime(moment) == expected


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="sans fuseau"):
        french_datetime(datetime(2027, 1, 12, 8, 30))


def test_a_period_of_one_day_reads_le_and_of_several_days_du_au():
    assert french_period(date(2027, 1, 12), date(2027, 1, 12)) == "le mardi 12 janvier 2027"
    assert french_period(date(2027, 1, 11), date(2027, 1, 13)) == (
        "du lundi 11 janvier 2027 au mercredi 13 janvier 2027"
    )
    assert french_date(date(2027, 8, 15)) == "dimanche 15 août 2027"


# Invariants


def test_a_slot_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="avant d'avoir commencé"):
        dataclasses.replace(SCHEDULE[0], end=SCHEDULE[0].start)


def test_a_slot_with_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="sans fuseau"):
        dataclasses.replace(SCHEDULE[0], start=datetime(2027, 1, 12, 8, 0))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"schedule": []}, "au moins une épreuve"),
        ({"schedule": [SCHEDULE[1], SCHEDULE[0]]}, "chronologique"),
        ({"session_start": date(2027, 1, 13)}, "hors des dates"),
        ({"session_end": date(2027, 1, 10)}, "se termine avant"),
    ],
)
def test_an_inconsistent_convocation_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(CONVOCATION, **changes)


# HTML


def test_the_html_states_who_where_when_and_what_to_bring():
    html = render_to_string(TEMPLATE, convocation_context(CONVOCATION))

    assert "<h1>Convocation</h1>" in html
    assert "Camille Lefèvre-N&#x27;Diaye" in html
    assert "Conseiller commercial (TP-00115)" in html
    assert "Titre complet" in html
    assert "Centre de formation Les Tanneurs" in html
    assert "Bâtiment B, 2e étage" in html
    assert "du lundi 11 janvier 2027 au mercredi 13 janvier 2027" in html
    assert "le mardi 12 janvier 2027 à 08 h 30" in html
    assert "08 h 30 – 09 h 15" in html
    assert "14 h 00 – 14 h 20" in html
    assert html.count("<tr>") == 1 + len(SCHEDULE)  # one day: one table
    assert "<caption>Mardi 12 janvier 2027</caption>" in html
    assert "Diaporama de présentation" in html
    for sheet in PRODUCT_SHEETS:
        assert sheet in html
    assert "une pièce d’identité" in html or "une pièce d&#x27;identité" in html
    assert "Aménagements accordés" in html
    assert "Temps majoré : +33 %" in html
    assert "sessions@tanneurs.example" in html
    assert "Réf. CONV-2027-000123" in html
    assert "<title>Convocation CONV-2027-000123</title>" in html


def test_no_accommodation_renders_no_accommodation_section():
    html = render_to_string(
        TEMPLATE, convocation_context(dataclasses.replace(CONVOCATION, accommodations=[]))
    )

    assert "Aménagements" not in html
    assert "amenagements" not in html


def test_the_base_template_prints_a_verification_code_when_given():
    context = {**convocation_context(CONVOCATION), "verification_code": "ATT-7K2Q-9XPM"}

    assert "Code de vérification" not in render_to_string(
        TEMPLATE, convocation_context(CONVOCATION)
    )
    assert "ATT-7K2Q-9XPM" in render_to_string(TEMPLATE, context)


# PDF


def test_the_pdf_carries_the_key_facts(pdf):
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)

    assert "Camille Lefèvre-N'Diaye" in text
    assert "mardi 12 janvier 2027" in text
    for time in ("08 h 30", "09 h 15", "10 h 45", "11 h 55", "14 h 00", "14 h 20"):
        assert time in text
    assert "Diaporama" in text
    assert "Temps majoré : +33 %" in text
    assert "page 1 / " in text


def test_the_pdf_has_a4_pages_and_the_document_title(pdf):
    reader = PdfReader(io.BytesIO(pdf))

    assert reader.metadata is not None
    assert reader.metadata.title == "Convocation CONV-2027-000123"
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)


def test_the_pdf_is_tagged_for_screen_readers(pdf):
    """A structure tree in French, headings and tables included, over marked content."""
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "fr"
    kinds: set[str] = set()

    def walk(element: object) -> None:
        element = element.get_object() if hasattr(element, "get_object") else element
        if isinstance(element, dict):
            if "/S" in element:
                kinds.add(str(element["/S"]))
            walk(element.get("/K"))
        elif isinstance(element, list):
            for child in element:
                walk(child)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/P", "/Table", "/TR", "/TD"} <= kinds


# Calendar


def test_the_ics_has_one_event_per_slot_in_paris_time():
    calendar = Calendar.from_ical(convocation_ics(CONVOCATION))

    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert len(events) == len(SCHEDULE)
    for event, slot in zip(events, SCHEDULE, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None
        assert (start, end) == (slot.start, slot.end)
        assert str(event["SUMMARY"]) == f"Examen – {slot.method_title}"
        assert str(event["LOCATION"]).startswith(f"{slot.room} – Centre de formation Les Tanneurs")
        assert "69007 Lyon" in str(event["LOCATION"])
        description = str(event["DESCRIPTION"])
        assert "Diaporama de présentation" in description
        assert PRODUCT_SHEETS[4] in description
        assert "Temps majoré" not in description  # calendars get shared: no accommodations
    assert str(events[0]["DTSTART"].to_ical(), "ascii") == "20270112T083000"
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_ics_uids_are_unique_and_stable_across_issues():
    uids = [str(e["UID"]) for e in Calendar.from_ical(convocation_ics(CONVOCATION)).walk("VEVENT")]
    reissued = dataclasses.replace(CONVOCATION, issued_on=date(2026, 12, 20))
    reissued_uids = [
        str(e["UID"])
        for e in Calendar.from_ical(convocation_ics(reissued)).walk()
        if e.name == "VEVENT"
    ]

    assert len(set(uids)) == len(SCHEDULE)
    assert uids[0] == "CONV-2027-000123-1@attesta"
    assert reissued_uids == uids


# E-mail


def test_the_email_gives_subject_programme_and_what_to_bring():
    subject, body = convocation_email(CONVOCATION)

    assert subject == "Convocation à l'examen – Conseiller commercial – mardi 12 janvier 2027"
    assert body.startswith("Bonjour Camille Lefèvre-N'Diaye,\n")
    assert "- mardi 12 janvier 2027, 08 h 30 – 09 h 15 : Mise en situation professionnelle" in body
    assert "(Salle B14, devant le jury)" in body
    assert "- Fiche technique de produit ou de service n° 5" in body
    assert "69007 Lyon" in body
    assert "aménagements qui vous sont accordés figurent sur la convocation jointe" in body
    assert "Temps majoré" not in body
    assert "CONV-2027-000123" in body


def test_the_email_does_not_mention_accommodations_when_there_are_none():
    _, body = convocation_email(dataclasses.replace(CONVOCATION, accommodations=[]))

    assert "aménagement" not in body


# No network


@pytest.fixture
def print_templates(settings, tmp_path):
    """An extra template directory for documents written by the test."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    def write(name: str, body: str) -> str:
        (tmp_path / name).write_text(
            '{% extends "documents/base_print.html" %}{% block content %}'
            + body
            + "{% endblock content %}",
            encoding="utf-8",
        )
        return name

    return write


BASE_CONTEXT: dict[str, object] = {
    "document_title": "Essai",
    "organisation_name": "Certificateur A",
}


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.org/logo.png",
        "http://127.0.0.1:8000/static/attesta/favicon.svg",
        "//cdn.example.org/logo.png",
        "ftp://example.org/logo.png",
        "file:///etc/hostname",
        "attesta/../../../../../../../etc/hostname",
    ],
)
def test_a_resource_outside_the_project_is_refused_before_any_fetch(print_templates, url):
    name = print_templates("external.html", f'<p>Logo</p><img src="{url}" alt="Logo">')

    with pytest.raises(PrintResourceError, match="refusé"):
        render_pdf(name, BASE_CONTEXT)


def test_an_external_stylesheet_is_refused(print_templates):
    name = print_templates(
        "external_css.html", '<link rel="stylesheet" href="https://cdn.example.org/x.css">'
    )

    with pytest.raises(PrintResourceError, match="ressource externe refusée"):
        render_pdf(name, BASE_CONTEXT)


def test_a_missing_local_file_stops_the_rendering(print_templates):
    name = print_templates("missing.html", '<img src="attesta/absent.png" alt="Logo">')

    with pytest.raises(PrintResourceError, match=r"absent\.png"):
        render_pdf(name, BASE_CONTEXT)


def test_project_static_files_and_data_urls_are_printed(print_templates):
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    name = print_templates(
        "local.html",
        f'<img src="attesta/favicon.svg" alt="Logo"><img src="{pixel}" alt=""><p>Bonjour</p>',
    )

    pdf = render_pdf(name, BASE_CONTEXT)

    assert "Bonjour" in pdf_text(pdf)
