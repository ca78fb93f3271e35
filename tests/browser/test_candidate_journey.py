"""The candidate journey in a real browser, with an axe WCAG 2.1 A/AA check on every page:
registration (an error first, then a duplicate), enrolment on the CC, the file completed piece
by piece until the eligibility review says « Dossier recevable »."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from attesta.candidates import services
from attesta.candidates.models import Candidate, Enrolment
from attesta.referentiels.services import store_referentiel
from tests.browser.test_referentiel_journey import PASSWORD, AccessibilityAudit
from tests.candidates.files import pdf, pptx
from tests.conftest import parsed_seed
from tests.factories import OrganisationFactory, UserFactory

SHEETS = "Fiches techniques de produits ou de services"
MISSING_ON_ENROLMENT = [
    "Période en entreprise non renseignée (durée exigée : 280 heures).",
    "Preuve de la période en entreprise non déposée.",
    "Production « Diaporama » : 0 déposé(s), exigé.",
    f"Production « {SHEETS} » : 0 déposé(s), 5 exigé(s).",
]


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
def another_candidate(manager):
    return services.register_candidate(
        organisation=manager.organisation,
        actor=manager,
        last_name="Durand",
        first_names="Paul",
        birth_date=dt.date(1990, 11, 5),
        birth_place="Nantes",
    )


def login(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def open_candidates(page):
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Candidats", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidats")


def fill_identity(page, *, birth_place):
    page.get_by_label("Nom de naissance").fill("Martin")
    page.get_by_label("Prénoms").fill("Léa")
    page.get_by_label("Date de naissance").fill("1998-04-02")
    page.get_by_label("Commune de naissance").fill(birth_place)
    page.get_by_label("Courriel").fill("lea.martin@example.invalid")


def upload(page, tmp_path, *, kind, name, data, production=None):
    path = tmp_path / name
    path.write_bytes(data)
    pieces = page.get_by_role("region", name="Pièces du dossier")
    pieces.get_by_label("Nature de la pièce").select_option(label=kind)
    if production is not None:
        pieces.get_by_label("Production (pour une production exigée)").select_option(production)
    pieces.get_by_label("Fichier").set_input_files(str(path))
    pieces.get_by_role("button", name="Déposer").click()
    expect(page.get_by_role("status")).to_contain_text(f"Pièce déposée : {name}.")


def test_manager_registers_enrols_and_completes_a_candidate_file(
    page, live_server, manager, cc, another_candidate, audit, tmp_path
):
    login(page, live_server, "navigatrice")
    open_candidates(page)
    audit.check(page)
    page.get_by_role("link", name="Enregistrer un candidat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer un candidat")
    audit.check(page)

    # Neither birth place nor country: refused, the reason announced, what was typed kept.
    fill_identity(page, birth_place="")
    page.get_by_role("button", name="Enregistrer").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Indiquez la commune ou le pays de naissance")
    expect(page.get_by_label("Nom de naissance")).to_have_value("Martin")
    expect(page.get_by_label("Date de naissance")).to_have_value("1998-04-02")
    audit.check(page)
    assert not Candidate.objects.filter(last_name="Martin").exists()

    page.get_by_label("Commune de naissance").fill("Lyon")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_have_text("Candidat enregistré : Martin Léa.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Martin Léa")
    assert page.get_by_role("note").count() == 0
    audit.check(page)
    first = Candidate.objects.get(last_name="Martin")

    # The same identity again: registered (two people may share it), with a warning.
    open_candidates(page)
    page.get_by_role("link", name="Enregistrer un candidat").click()
    fill_identity(page, birth_place="Lyon")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Attention : 1 autre(s) candidat(s) portent les mêmes nom, prénoms et date de naissance."
    )
    note = page.get_by_role("note")
    expect(note).to_contain_text("Doublon possible")
    expect(note).to_contain_text("Rien n'a été fusionné.")
    audit.check(page)
    assert Candidate.objects.filter(last_name="Martin").count() == 2

    # The manager follows the link to the first file and enrols that one.
    note.get_by_role("link", name=f"ce dossier (n° {first.pk})").click()
    page.wait_for_url(re.compile(rf"/candidats/{first.pk}/$"))
    page.get_by_role("link", name="Nouvelle inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire Martin Léa")
    audit.check(page)
    page.get_by_label("Certification").select_option(
        label="Conseiller commercial (TP-00115, millésime 09)"
    )
    page.get_by_label("Parcours").select_option(label="Parcours de formation")
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_role("status")).to_have_text("Inscription enregistrée.")
    enrolment = Enrolment.objects.get(candidate=first)

    # The enrolment page says exactly what is missing.
    eligibility = page.get_by_role("region", name="Recevabilité")
    expect(eligibility).to_contain_text("Il manque 4 éléments :")
    expect(eligibility.locator(".notice li")).to_have_text(MISSING_ON_ENROLMENT)
    expect(page.get_by_role("region", name="Historique")).to_contain_text(
        "Inscrit, aucun changement de statut pour l'instant."
    )
    audit.check(page)

    period = page.get_by_role("region", name="Période en entreprise")
    period.get_by_label("Période en entreprise effectuée").fill("280")
    period.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_have_text("Période en entreprise enregistrée.")
    expect(page.get_by_role("region", name="Recevabilité")).to_contain_text(
        "280 heures (280 déclarées)"
    )

    upload(
        page,
        tmp_path,
        kind="Preuve de la période en entreprise",
        name="attestation.pdf",
        data=pdf(1),
    )
    upload(
        page,
        tmp_path,
        kind="Production exigée par le référentiel",
        production="Diaporama",
        name="diaporama.pptx",
        data=pptx(28),
    )
    for n in range(1, 6):
        upload(
            page,
            tmp_path,
            kind="Production exigée par le référentiel",
            production=SHEETS,
            name=f"fiche-{n}.pdf",
            data=pdf(1),
        )
    pieces = page.get_by_role("region", name="Pièces du dossier")
    expect(pieces.get_by_role("row")).to_have_count(1 + 7)
    expect(pieces.get_by_role("row", name=re.compile("diaporama.pptx"))).to_contain_text(
        "28 diapositives"
    )
    productions = page.get_by_role("region", name="Conformité des productions")
    expect(productions.locator(".status-conform")).to_have_count(2)
    expect(page.get_by_role("region", name="Recevabilité")).to_contain_text(
        "Le dossier est complet : rien ne manque pour se présenter."
    )
    audit.check(page)

    page.get_by_role("button", name="Examiner la recevabilité").click()
    expect(page.get_by_role("status")).to_have_text("Dossier recevable.")
    history = page.get_by_role("region", name="Historique").get_by_role("listitem")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Inscrit → Recevable par Prénom")
    audit.check(page)
    enrolment.refresh_from_db()
    assert enrolment.status == "eligible"
    assert len(audit.pages) == 9


def test_the_candidate_search_filters_the_list_as_you_type(
    page, live_server, manager, another_candidate, audit
):
    services.register_candidate(
        organisation=manager.organisation,
        actor=manager,
        last_name="Martin",
        first_names="Léa",
        birth_date=dt.date(1998, 4, 2),
        birth_place="Lyon",
    )
    login(page, live_server, "navigatrice")
    open_candidates(page)
    table = page.locator("#liste-candidats").get_by_role("table")
    expect(table.get_by_role("caption")).to_have_text("Candidats (2) — page 1 sur 1")
    audit.check(page)

    page.get_by_label("Rechercher un candidat").fill("DURAND")
    expect(table.get_by_role("caption")).to_have_text("Candidats (1) — page 1 sur 1")
    expect(table.get_by_role("link", name="Durand Paul")).to_be_visible()
    expect(table.get_by_role("link", name="Martin Léa")).to_have_count(0)
    page.wait_for_url(re.compile(r"\?q=DURAND$"))
    audit.check(page)

    page.get_by_label("Rechercher un candidat").fill("lea")  # accents ignored
    expect(table.get_by_role("caption")).to_have_text("Candidats (1) — page 1 sur 1")
    expect(table.get_by_role("link", name="Martin Léa")).to_be_visible()

    page.get_by_label("Rechercher un candidat").fill("personne")
    expect(page.locator("#liste-candidats")).to_have_text(
        "Aucun candidat ne correspond à « personne »."
    )
    audit.check(page)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page, live_server, manager, another_candidate, audit
):
    login(page, live_server, "navigatrice")
    open_candidates(page)
    page.get_by_role("link", name="Durand Paul").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Durand Paul")
    audit.check(page)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visible when focused, not only to screen readers
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    assert page.url.endswith("#contenu")
