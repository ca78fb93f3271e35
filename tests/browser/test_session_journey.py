"""The exam session journey in a real browser, with an axe WCAG 2.1 A/AA check on every page:
a session planned (an invalid form first), three eligible candidates seated, two jury panels
composed until the rules are met, a supervisor, the timetable with a candidate's extra time,
the convocations and their PDF; then an assessor of the jury sees the session, read-only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from attesta.candidates import services as candidate_services
from attesta.candidates.models import Enrolment
from attesta.exams import services as exam_services
from attesta.exams.models import ConvocationRecord, ExamSession, TimetableEntry
from attesta.referentiels.services import store_referentiel
from tests.browser.test_referentiel_journey import PASSWORD, AccessibilityAudit
from tests.conftest import parsed_seed
from tests.factories import OrganisationFactory, UserFactory

CERTIFICATION = "Conseiller commercial (TP-00115, millésime 09)"
LABEL = "CC – janvier 2027"
VALID_JURY = "La composition du jury respecte les règles."
ASSESSORS = [  # username, first name, last name, panel
    ("jure1", "Anne", "Ardent", "Jury 1"),
    ("jure2", "Bruno", "Bastide", "Jury 1"),
    ("jure3", "Chloé", "Carré", "Jury 2"),
    ("jure4", "David", "Dumas", "Jury 2"),
]
CANDIDATES = ["Martin", "Durand", "Petit"]


@pytest.fixture
def audit():
    return AccessibilityAudit()


@pytest.fixture
def manager(transactional_db):
    organisation = OrganisationFactory(name="Centre Navigateur", slug="centre-navigateur")
    return UserFactory(username="navigatrice", manager=True, organisation=organisation)


@pytest.fixture
def cc(manager):
    return store_referentiel(
        referentiel=parsed_seed("cc"),
        organisation=manager.organisation,
        actor=manager,
        publish=True,
    )


@pytest.fixture
def eligible(manager, cc):
    """Three eligible CC enrolments; Martin has an e-mail and a third more time; one more
    candidate, only registered, must not be offered."""
    organisation = manager.organisation
    enrolments = []
    for n, name in enumerate([*CANDIDATES, "Bernard"]):
        candidate = candidate_services.register_candidate(
            organisation=organisation,
            actor=manager,
            last_name=name,
            first_names="Alex",
            birth_date=dt.date(1995, 1, n + 1),
            birth_place="Lyon",
            email="martin@example.invalid" if name == "Martin" else "",
        )
        enrolment = candidate_services.enrol_candidate(
            candidate=candidate, version=cc, path="vae", actor=manager
        )
        if name != "Bernard":
            enrolment.change_status("eligible", actor=manager)
            enrolments.append(enrolment)
    referent = UserFactory(username="referente", referent=True, organisation=organisation)
    candidate_services.record_accommodation(
        enrolment=enrolments[0], actor=referent, disability="Confidentiel", extra_time_percent=33
    )
    return enrolments


@pytest.fixture
def assessors(manager):
    return [
        UserFactory(
            username=username,
            first_name=first,
            last_name=last,
            assessor=True,
            organisation=manager.organisation,
        )
        for username, first, last, _ in ASSESSORS
    ]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def open_sessions(page):
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Sessions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions d'examen")


def fill_session(page, *, ends_on, rooms):
    page.get_by_label("Certification").select_option(label=CERTIFICATION)
    page.get_by_label("Intitulé").fill(LABEL)
    page.get_by_label("Premier jour").fill("2027-01-12")
    page.get_by_label("Dernier jour").fill(ends_on)
    page.get_by_label("Adresse").fill("12 rue des Examens\n69000 Lyon")
    page.get_by_label("Salles").fill(rooms)
    page.get_by_role("button", name="Créer la session").click()


def add_jury_member(page, username, panel):
    jury = page.get_by_role("region", name="Jury", exact=True)
    jury.get_by_label("Membre du jury").select_option(label=username)
    jury.get_by_label("Jury", exact=True).fill(panel)
    jury.get_by_role("button", name="Ajouter au jury").click()
    expect(page.get_by_role("status")).to_have_text("Membre du jury ajouté.")


def test_manager_plans_composes_schedules_and_convenes_a_session(
    page, live_server, manager, eligible, assessors, audit, tmp_path
):
    login(page, live_server, "navigatrice")
    open_sessions(page)
    expect(page.get_by_text("Aucune session.")).to_be_visible()
    audit.check(page)
    page.get_by_role("link", name="Planifier une session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planifier une session d'examen")
    audit.check(page)

    # The last day before the first and no room: refused, each error announced at its field.
    fill_session(page, ends_on="2027-01-11", rooms="")
    alerts = page.get_by_role("alert")
    expect(alerts).to_have_count(2)
    expect(alerts.filter(has_text="Le dernier jour ne peut précéder le premier.")).to_have_count(1)
    expect(page.get_by_label("Dernier jour")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Salles")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Intitulé")).to_have_value(LABEL)
    audit.check(page)
    assert not ExamSession.objects.exists()

    fill_session(page, ends_on="2027-01-12", rooms="Salle A, Salle B, Salle C")
    expect(page.get_by_role("status")).to_have_text(f"Session créée : {LABEL}.")
    expect(page.get_by_role("heading", level=1)).to_have_text(LABEL)
    session = ExamSession.objects.get()
    assert session.rooms == ["Salle A", "Salle B", "Salle C"]
    page.wait_for_url(re.compile(rf"/{session.pk}/$"))
    audit.check(page)

    # Candidates: the three eligible files are offered, the merely registered one is not.
    offered = page.get_by_role("group", name="Candidats recevables à convoquer")
    expect(offered.get_by_role("checkbox")).to_have_count(3)
    expect(offered.get_by_role("checkbox", name=re.compile("^Bernard"))).to_have_count(0)
    for name in CANDIDATES:
        offered.get_by_role("checkbox", name=re.compile(f"^{name} Alex")).check()
    page.get_by_role("button", name="Ajouter à la session").click()
    expect(page.get_by_role("status")).to_have_text("3 candidat(s) ajouté(s) à la session.")
    seated = page.get_by_role("region", name="Candidats (3)")
    expect(seated.get_by_role("listitem")).to_have_count(3)
    for name in CANDIDATES:
        expect(seated.get_by_role("listitem").filter(has_text=f"{name} Alex")).to_have_count(1)
    expect(seated).to_contain_text("Aucun autre dossier recevable sur ce référentiel.")
    audit.check(page)

    # Jury: the composition is incomplete until each panel has two members.
    jury = page.get_by_role("region", name="Jury", exact=True)
    expect(jury).to_contain_text("Aucun membre de jury : il en faut au moins 2.")
    for (username, _, _, panel), n in zip(ASSESSORS, range(1, 5), strict=True):
        add_jury_member(page, username, panel)
        if n == 1:
            expect(jury).to_contain_text("Jury 1 : 1 membre(s), il en faut au moins 2.")
        if n == 3:
            expect(jury).to_contain_text("Jury 2 : 1 membre(s), il en faut au moins 2.")
            expect(jury.get_by_text(VALID_JURY)).to_have_count(0)
        audit.check(page)
    expect(jury.get_by_text(VALID_JURY)).to_be_visible()
    expect(jury.get_by_text("Composition à compléter")).to_have_count(0)
    members = jury.get_by_role("table", name="Membres du jury").locator("tbody tr")
    expect(members).to_have_count(4)
    expect(members.filter(has_text="Chloé Carré")).to_contain_text("Jury 2")

    supervisors = page.get_by_role("region", name="Surveillants")
    expect(supervisors).to_contain_text("Aucun surveillant.")
    supervisors.get_by_label("Surveillant").fill("Paul Surveillant")
    supervisors.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Surveillant ajouté.")
    expect(supervisors.get_by_role("listitem")).to_have_text(["Paul Surveillant"])
    audit.check(page)

    # Timetable: 3 candidates × 4 methods, Martin's extra time shown.
    planning = page.get_by_role("region", name="Planning")
    expect(planning).to_contain_text("Pas encore de planning.")
    expect(page.get_by_role("button", name="Établir et envoyer les convocations")).to_have_count(0)
    planning.get_by_role("button", name="Établir le planning").click()
    expect(page.get_by_role("status")).to_have_text("Planning établi : 12 phase(s) placée(s).")
    rows = planning.get_by_role("table", name="Planning de passage").locator("tbody tr")
    expect(rows).to_have_count(12)
    extra = rows.filter(has_text="140 min au lieu de 105")
    expect(extra).to_have_count(1)
    expect(extra).to_contain_text("Martin Alex")
    expect(extra).to_contain_text("Mise en situation professionnelle")
    expect(planning.get_by_role("button", name="Refaire le planning")).to_be_visible()
    audit.check(page)
    assert TimetableEntry.objects.filter(session=session).count() == 12

    # Convocations: one per candidate, Martin's sent by e-mail, each with PDF and calendar.
    convocations = page.get_by_role("region", name="Convocations")
    expect(convocations).to_contain_text("Aucune convocation pour l'instant.")
    convocations.get_by_role("button", name="Établir et envoyer les convocations").click()
    expect(page.get_by_role("status")).to_have_text(
        "3 convocation(s) établie(s), 1 envoyée(s) par courriel."
    )
    table = convocations.get_by_role("table", name="Convocations établies")
    expect(table.locator("tbody tr")).to_have_count(3)
    records = list(ConvocationRecord.objects.filter(seat__session=session))
    assert len(records) == 3
    for record in records:
        expect(table.get_by_role("link", name=f"PDF de {record.reference}")).to_be_visible()
        expect(table.get_by_role("link", name=f"Calendrier de {record.reference}")).to_be_visible()
    martin = next(r for r in records if r.sent_to)
    expect(table.get_by_role("row", name=re.compile(martin.reference))).to_contain_text(
        "martin@example.invalid"
    )
    audit.check(page)
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"convened", "registered"}

    with page.expect_download() as download_info:
        table.get_by_role("link", name=f"PDF de {martin.reference}").click()
    download = download_info.value
    assert download.suggested_filename == f"{martin.reference}.pdf"
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Path(saved).read_bytes().startswith(b"%PDF")

    with page.expect_download() as download_info:
        table.get_by_role("link", name=f"Calendrier de {martin.reference}").click()
    assert download_info.value.suggested_filename == f"{martin.reference}.ics"
    assert len(audit.pages) == 12


@pytest.fixture
def convened_session(manager, cc, eligible, assessors):
    """The same session, composed through the services up to its convocations."""
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
    exam_services.send_convocations(session=session, actor=manager)
    return session


def test_an_assessor_of_the_jury_reads_the_session_but_cannot_act(
    page, live_server, convened_session, audit
):
    login(page, live_server, "jure1")
    open_sessions(page)
    expect(page.get_by_role("link", name="Planifier une session")).to_have_count(0)
    audit.check(page)
    page.get_by_role("link", name=LABEL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LABEL)
    jury = page.get_by_role("region", name="Jury", exact=True)
    expect(jury.get_by_text(VALID_JURY)).to_be_visible()
    expect(page.get_by_role("table", name="Planning de passage").locator("tbody tr")).to_have_count(
        12
    )
    expect(page.get_by_role("table", name="Convocations établies")).to_be_visible()
    for name in [
        "Établir le planning",
        "Refaire le planning",
        "Établir et envoyer les convocations",
        "Ajouter à la session",
        "Ajouter au jury",
    ]:
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("main").locator("form")).to_have_count(0)
    audit.check(page)
