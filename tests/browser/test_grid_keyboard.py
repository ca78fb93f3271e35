"""An assessor fills in a grid with the keyboard only, each criterion saved inline by htmx,
with an axe WCAG 2.1 A/AA check; then the same grid, stale in a second tab, says so."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from attesta.candidates import services as candidate_services
from attesta.candidates.models import Candidate
from attesta.credentials.services import certificate_document
from attesta.evaluation import services
from attesta.evaluation.models import CriterionMark, Minutes, MinutesSignature
from attesta.exams import services as exam_services
from attesta.referentiels.services import store_referentiel
from tests.browser.test_referentiel_journey import PASSWORD, AccessibilityAudit
from tests.browser.test_session_journey import login
from tests.conftest import parsed_seed
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def audit():
    return AccessibilityAudit()


@pytest.fixture
def session(transactional_db):
    """A CC session with one candidate and a jury of two (Anne presides)."""
    organisation = OrganisationFactory(name="Centre Navigateur", slug="centre-navigateur")
    manager = UserFactory(username="navigatrice", manager=True, organisation=organisation)
    version = store_referentiel(
        referentiel=parsed_seed("cc"), organisation=organisation, actor=manager, publish=True
    )
    session = exam_services.create_session(
        organisation=organisation,
        actor=manager,
        version=version,
        block=None,
        label="CC – janvier 2027",
        starts_on=dt.date(2027, 1, 12),
        ends_on=dt.date(2027, 1, 12),
        address="12 rue des Examens\n69000 Lyon",
        rooms=["Salle A"],
    )
    candidate = candidate_services.register_candidate(
        organisation=organisation,
        actor=manager,
        last_name="Martin",
        first_names="Alex",
        birth_date=dt.date(1995, 1, 1),
        birth_place="Lyon",
    )
    enrolment = candidate_services.enrol_candidate(
        candidate=candidate, version=version, path="vae", actor=manager
    )
    enrolment.change_status("eligible", actor=manager)
    exam_services.seat_candidates(session=session, enrolments=[enrolment], actor=manager)
    for username, first, president in (("jure1", "Anne", True), ("jure2", "Bruno", False)):
        user = UserFactory(
            username=username,
            first_name=first,
            last_name="Jurée",
            assessor=True,
            organisation=organisation,
        )
        exam_services.add_jury_member(
            session=session, user=user, actor=manager, is_president=president
        )
    return session


def test_an_assessor_fills_in_a_grid_with_the_keyboard_only(page, live_server, session, audit):
    login(page, live_server, "jure2")
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Mes candidats").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes candidats")
    audit.check(page)
    page.get_by_role("link", name="Mise en situation professionnelle – Martin Alex").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mise en situation professionnelle : Martin Alex"
    )
    audit.check(page)

    first = page.locator("#critere-1")
    second = page.locator("#critere-2")
    # The first radio of the first criterion, then Space to choose, Tab to the comment.
    first.get_by_role("radio", name="Satisfait", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(first.get_by_role("textbox")).to_be_focused()
    page.keyboard.type("Prospection structurée")
    # Tab into the next criterion's radio group: the first criterion is saved meanwhile.
    page.keyboard.press("Tab")
    expect(second.get_by_role("radio", name="Satisfait", exact=True)).to_be_focused()
    expect(first.get_by_role("status")).to_have_text("Enregistré : Satisfait.")
    # The arrow key moves within the group and chooses; focus stays on the radio.
    page.keyboard.press("ArrowDown")
    expect(second.get_by_role("radio", name="Non satisfait")).to_be_checked()
    expect(second.get_by_role("status")).to_have_text("Enregistré : Non satisfait.")
    expect(second.get_by_role("radio", name="Non satisfait")).to_be_focused()
    audit.check(page)
    marks = {m.criterion_key: (m.mark, m.comment) for m in CriterionMark.objects.all()}
    assert marks == {
        "CP3#1": ("met", "Prospection structurée"),
        "CP3#2": ("not_met", ""),
    }

    # Changed again: the version the page holds was updated by the previous save.
    page.keyboard.press("ArrowDown")
    expect(second.get_by_role("status")).to_have_text("Enregistré : Non observé.")
    assert CriterionMark.objects.get(criterion_key="CP3#2").version == 2

    # A second tab saved meanwhile: this one is stale and says so, nothing is written.
    other = page.context.new_page()
    other.goto(page.url)
    other.locator("#critere-2").get_by_role("radio", name="Satisfait", exact=True).check()
    expect(other.locator("#critere-2").get_by_role("status")).to_have_text(
        "Enregistré : Satisfait."
    )
    second.get_by_role("radio", name="Non observé").focus()
    page.keyboard.press("ArrowUp")
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("modifié entre-temps par Bruno Jurée")
    assert CriterionMark.objects.get(criterion_key="CP3#2").mark == "met"
    audit.check(page)


def test_the_president_deliberates_draws_up_and_the_jury_signs_the_minutes(
    page, live_server, session, audit
):
    """The deliberation and minutes pages, axe-checked, up to both signatures."""
    seat = session.candidates.get()
    president = session.jury.get(is_president=True).user
    for code in ["CP2", "CP3", "CP4", "CP5", "CP6", "CP7", "CP8"]:
        services.decide_competency(seat=seat, competency_code=code, acquired=False, actor=president)
    login(page, live_server, "jure1")
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name="Délibération").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Délibération : CC – janvier 2027")
    audit.check(page)
    page.get_by_role("link", name="Martin Alex", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Délibération : Martin Alex")
    audit.check(page)

    # Acquired against the criteria without a justification: refused, said at the form.
    decisions = page.get_by_role("region", name="Décisions par compétence")
    decisions.get_by_role("group", name="Décision du jury – CP1").get_by_label(
        "Acquise", exact=True
    ).check()
    decisions.get_by_role("button", name="Enregistrer la décision sur CP1").click()
    expect(page.get_by_role("alert")).to_contain_text("justification obligatoire")
    audit.check(page)
    decisions = page.get_by_role("region", name="Décisions par compétence")
    decisions.get_by_role("group", name="Décision du jury – CP1").get_by_label(
        "Non acquise"
    ).check()
    decisions.get_by_role("button", name="Enregistrer la décision sur CP1").click()
    expect(page.get_by_role("status")).to_have_text("CP1 : compétence non acquise.")
    conditions = page.get_by_role("region", name="Autres conditions")
    conditions.get_by_role("button", name="Enregistrer le constat : Entretien final").click()
    expect(page.get_by_role("status")).to_have_text("Entretien final : condition remplie.")
    expect(page.get_by_text("Certification non obtenue.")).to_be_visible()
    audit.check(page)

    page.get_by_role("link", name="Délibération de la session").click()
    page.get_by_role("link", name="Procès-verbal de délibération").click()
    audit.check(page)
    page.get_by_role("button", name="Établir le procès-verbal").click()
    expect(page.get_by_role("status")).to_contain_text("Procès-verbal établi (révision 1)")
    minutes = Minutes.objects.get()
    expect(page.get_by_text(minutes.content_hash).first).to_be_visible()
    audit.check(page)

    page.get_by_label("Votre mot de passe").fill("pas le bon")
    page.get_by_label("Je confirme avoir lu ce procès-verbal").check()
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.get_by_role("alert")).to_contain_text("Mot de passe incorrect")
    audit.check(page)
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_label("Je confirme avoir lu ce procès-verbal").check()
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.get_by_role("status")).to_have_text("Procès-verbal signé (révision 1).")
    expect(page.get_by_text("En attente de 1 signature(s).")).to_be_visible()

    page.context.clear_cookies()
    login(page, live_server, "jure2")
    page.goto(f"{live_server.url}/evaluation/sessions/{session.pk}/proces-verbal/")
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_label("Je confirme avoir lu ce procès-verbal").check()
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.get_by_text("Signé par tous les membres du jury.")).to_be_visible()
    audit.check(page)
    assert MinutesSignature.objects.filter(minutes=minutes).count() == 2

    # The session manager's results, the candidate's own results, the consolidation and the
    # public verification page of the results summary: axe-checked too.
    page.goto(f"{live_server.url}/evaluation/candidats/{seat.pk}/consolidation/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Martin Alex")
    audit.check(page)
    page.context.clear_cookies()
    login(page, live_server, "navigatrice")
    page.goto(f"{live_server.url}/evaluation/sessions/{session.pk}/resultats/")
    expect(page.get_by_role("cell", name="Non obtenue")).to_be_visible()
    audit.check(page)
    account = UserFactory(username="alex", organisation=session.organisation)
    Candidate.objects.filter(pk=seat.enrolment.candidate_id).update(user=account)
    page.context.clear_cookies()
    login(page, live_server, "alex")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes résultats"
    ).click()
    expect(page.get_by_text("Non obtenue").first).to_be_visible()
    audit.check(page)
    document = certificate_document(seat=seat, actor=account)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verifier/")
    page.get_by_label("Code de vérification").fill(document.code.lower())
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(document.code)
    audit.check(page)
