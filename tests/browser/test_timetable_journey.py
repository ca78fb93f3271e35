"""The session timetable page in a real browser, with an axe WCAG 2.1 A/AA check: from the
session to its grid, a phase pinned through htmx without reloading the page (focus kept on
the button), the grid redrawn every 30 minutes, and the grid still usable at 200 % zoom."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from attesta.exams import services as exam_services
from attesta.exams.models import TimetableEntry
from tests.browser.test_referentiel_journey import AccessibilityAudit
from tests.browser.test_session_journey import (  # noqa: F401 (fixtures)
    ASSESSORS,
    LABEL,
    assessors,
    cc,
    eligible,
    login,
    manager,
)


@pytest.fixture
def planned_session(manager, cc, eligible, assessors):  # noqa: F811
    session = exam_services.create_session(
        organisation=manager.organisation,
        actor=manager,
        version=cc,
        block=None,
        label=LABEL,
        starts_on=dt.date(2027, 1, 12),
        ends_on=dt.date(2027, 1, 12),
        address="12 rue des Examens\n69000 Lyon",
        rooms=["Salle A", "Salle B", "Salle C"],
    )
    exam_services.seat_candidates(session=session, enrolments=eligible, actor=manager)
    for user, (*_, panel) in zip(assessors, ASSESSORS, strict=True):
        exam_services.add_jury_member(session=session, user=user, actor=manager, panel=panel)
    exam_services.add_supervisor(session=session, name="Paul Surveillant", actor=manager)
    exam_services.build_timetable(session=session, actor=manager)
    return session


def test_the_manager_reads_the_grid_and_pins_a_phase_in_place(page, live_server, planned_session):
    audit = AccessibilityAudit()
    login(page, live_server, "navigatrice")
    page.goto(f"{live_server.url}/sessions/{planned_session.pk}/")
    page.get_by_role("link", name="Grille par jour et par candidat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Planning : {LABEL}")
    grid = page.get_by_role("table", name="Mardi 12 janvier 2027")
    expect(grid).to_be_visible()
    expect(page.get_by_role("region", name="Mardi 12 janvier 2027")).to_have_attribute(
        "tabindex", "0"
    )
    audit.check(page)

    page.evaluate("window.notReloaded = true")
    martin = page.get_by_role("table", name="Martin Alex")
    first = martin.get_by_role("button", name="Épingler").first
    first.click()
    expect(page.get_by_role("status")).to_contain_text("épinglée")
    assert page.evaluate("window.notReloaded === true")  # swapped by htmx, not reloaded
    martin = page.get_by_role("table", name="Martin Alex")
    freed = martin.get_by_role("button", name="Libérer")
    expect(freed).to_be_focused()
    expect(martin.get_by_text("Épinglée", exact=True)).to_have_count(1)  # text, icon aside
    expect(page.get_by_role("img", name="Épinglée").first).to_be_visible()
    assert TimetableEntry.objects.filter(pinned=True).count() == 1
    audit.check(page)

    page.get_by_label("Une colonne toutes les", exact=True).select_option(label="30 minutes")
    page.get_by_role("button", name="Afficher la grille").click()
    expect(page.get_by_role("table", name="Mardi 12 janvier 2027")).to_contain_text(
        "une colonne toutes les 30 minutes"
    )

    page.set_viewport_size({"width": 640, "height": 900})  # 1 280 px at 200 %
    region = page.get_by_role("region", name="Mardi 12 janvier 2027")
    region.focus()
    page.keyboard.press("ArrowRight")  # the keyboard scrolls the grid sideways
    assert region.evaluate("element => element.scrollLeft") > 0
    audit.check(page)
