"""The référentiel journey in a real browser, with an axe WCAG 2.1 A/AA check on every page."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from attesta.referentiels.models import CertificationVersion
from tests.conftest import SEED_FILES, SEEDS
from tests.factories import OrganisationFactory, UserFactory

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PASSWORD = "motdepasse-test"


class AccessibilityAudit:
    def __init__(self) -> None:
        self.axe = Axe()
        self.pages: list[str] = []

    def check(self, page) -> None:
        results = self.axe.run(page, options=WCAG_21_AA)
        self.pages.append(page.url)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def audit():
    return AccessibilityAudit()


@pytest.fixture
def manager(transactional_db):
    organisation = OrganisationFactory(name="Centre Navigateur", slug="centre-navigateur")
    return UserFactory(username="navigatrice", manager=True, organisation=organisation)


def login(page, live_server, username):
    page.goto(f"{live_server.url}/")
    assert "/comptes/connexion/" in page.url
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def test_manager_uploads_reviews_publishes_browses_and_searches(page, live_server, manager, audit):
    page.goto(f"{live_server.url}/comptes/connexion/")
    audit.check(page)
    login(page, live_server, "navigatrice")
    assert page.get_by_role("heading", level=1).inner_text() == "Bienvenue sur Attesta"
    audit.check(page)

    page.get_by_role("link", name="Importer un référentiel").first.click()
    audit.check(page)
    page.get_by_label("Document du référentiel").set_input_files(str(SEEDS / SEED_FILES["ntc"]))
    page.get_by_role("button", name="Importer").click()

    # Review: the draft with its import report and the NTC CCP 1 competency no exam assesses.
    page.wait_for_url(re.compile(r"/referentiels/TP-00338/v/"))
    assert "Référentiel importé" in page.get_by_role("status").inner_text()
    report = page.locator("#avertissements")
    assert "n'est évaluée par aucune modalité" in report.inner_text()
    assert page.get_by_text("brouillon", exact=False).first.is_visible()
    audit.check(page)

    page.get_by_role("button", name="Publier ce millésime").click()
    page.wait_for_load_state()
    assert "publié" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Publier ce millésime").count() == 0
    assert CertificationVersion.objects.get().is_published

    # Browse: list → certification page → a competency and the exam matrix.
    page.get_by_role("link", name="Référentiels", exact=True).click()
    audit.check(page)
    page.get_by_role("link", name=re.compile("Négociateur technico-commercial")).click()
    assert page.get_by_role("heading", level=2, name=re.compile("^CCP1 – ")).is_visible()
    assert page.locator("table.matrix").count() == 3
    page.get_by_role("link", name=re.compile("^CCP2 – ")).first.click()
    assert page.url.endswith("#CCP2")
    audit.check(page)

    # Search as you type (HTMX), accent-insensitive.
    page.get_by_role("link", name="Recherche", exact=True).click()
    audit.check(page)
    page.get_by_label("Compétence ou critère").fill("negocier")
    results = page.locator("#resultats")
    results.get_by_role("heading", name=re.compile(r"^Compétences \(\d+\)")).wait_for()
    assert "Négocier" in results.inner_text()
    audit.check(page)
    assert len(audit.pages) == 8


def test_a_bad_upload_shows_the_error_accessibly(page, live_server, manager, audit, tmp_path):
    bad = tmp_path / "vide.txt"
    bad.write_bytes(b"")
    login(page, live_server, "navigatrice")
    page.goto(f"{live_server.url}/referentiels/importer/")
    page.get_by_label("Document du référentiel").set_input_files(str(bad))
    page.get_by_role("button", name="Importer").click()
    alert = page.get_by_role("alert")
    assert "vide.txt" in alert.inner_text()
    audit.check(page)
    assert CertificationVersion.objects.count() == 0
