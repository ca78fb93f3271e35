"""The « Paramètres du planning » page in a real browser, with an axe WCAG 2.1 A/AA check in
every state: a certifier référentiel whose exam gives no durations (the Chargé de
développement commercial's BC03), the manager sets them with the keyboard, a wrong value
first, then plans the session; the options and an equipment item on the same page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from attesta.candidates import services as candidate_services
from attesta.exams import services as exam_services
from attesta.exams.models import TimetableEntry
from attesta.referentiels.services import store_referentiel
from tests.browser.test_referentiel_journey import AccessibilityAudit
from tests.browser.test_session_journey import login, manager  # noqa: F401 (fixture)
from tests.conftest import parsed_seed
from tests.factories import UserFactory

LABEL = "CDC BC03 – mars 2027"


@pytest.fixture
def cdc_session(manager):  # noqa: F811
    organisation = manager.organisation
    version = store_referentiel(
        referentiel=parsed_seed("charge"), organisation=organisation, actor=manager, publish=True
    )
    session = exam_services.create_session(
        organisation=organisation,
        actor=manager,
        version=version,
        block=version.blocks.get(code="BC03"),
        label=LABEL,
        starts_on=dt.date(2027, 3, 9),
        ends_on=dt.date(2027, 3, 9),
        address="Lyon",
        rooms=["Salle A", "Salle B"],
    )
    enrolments = []
    for n, name in enumerate(["Roux", "Blanc"]):
        candidate = candidate_services.register_candidate(
            organisation=organisation,
            actor=manager,
            last_name=name,
            first_names="Sam",
            birth_date=dt.date(1990, 2, n + 1),
            birth_place="Lyon",
        )
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate,
            version=version,
            path="block",
            actor=manager,
            target_block_codes=("BC03",),
        )
        enrolment.change_status("eligible", actor=manager)
        enrolments.append(enrolment)
    exam_services.seat_candidates(session=session, enrolments=enrolments, actor=manager)
    for n in range(2):
        user = UserFactory(username=f"jure{n}", assessor=True, organisation=organisation)
        exam_services.add_jury_member(session=session, user=user, actor=manager)
    return session


def test_the_manager_sets_the_missing_durations_then_plans_the_session(
    page, live_server, cdc_session
):
    audit = AccessibilityAudit()
    login(page, live_server, "navigatrice")
    page.goto(f"{live_server.url}/sessions/{cdc_session.pk}/")
    page.get_by_role("link", name="Fixer sa durée").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Paramètres du planning : {LABEL}")
    expect(page.get_by_role("heading", name="Durées des modalités")).to_be_visible()
    audit.check(page)

    written = page.get_by_label("Durée : E3 – Production écrite")
    written.fill("2")  # neither 0 (handed in before) nor 5 minutes or more
    page.get_by_label("Durée : Le candidat soutient oralement").fill("40")
    page.get_by_role("button", name="Enregistrer les durées").click()
    refusal = page.get_by_text("Au moins 5 minutes, ou 0 pour une remise avant la session.")
    expect(refusal.first).to_be_visible()
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {}  # nothing written
    audit.check(page)

    written = page.get_by_label("Durée : E3 – Production écrite")
    written.fill("0")  # the written production is handed in before the session
    written.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("40")
    page.keyboard.press("Enter")  # the form is sent from the keyboard
    expect(page.get_by_text("Durées des modalités enregistrées.")).to_be_visible()
    audit.check(page)
    cdc_session.refresh_from_db()
    assert cdc_session.method_minutes == {"0": 0, "1": 40}

    page.get_by_role("link", name="Retour à la session").click()
    expect(page.get_by_text("remise avant la session, hors planning")).to_be_visible()
    page.get_by_role("button", name="Établir le planning").click()
    expect(page.get_by_text("Planning établi : 2 phase(s) placée(s).")).to_be_visible()
    assert TimetableEntry.objects.filter(session=cdc_session).count() == 2
    audit.check(page)
