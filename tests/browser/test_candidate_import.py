"""Importing a candidate list in the browser: htmx upload with progress, preview, import."""

from __future__ import annotations

import pytest

from attesta.candidates.models import Candidate
from attesta.referentiels.services import store_referentiel
from tests.browser.test_referentiel_journey import AccessibilityAudit, login
from tests.candidates.files import xlsx
from tests.conftest import parsed_seed
from tests.factories import OrganisationFactory, UserFactory

HEADER = ["Nom", "Prénoms", "Date de naissance", "Commune de naissance", "Code certification"]
ROWS = [
    ["Martin", "Léa", "02/04/1998", "Lyon", "TP-00115"],
    ["Durand", "Hugo", "15/01/2000", "Lille", "TP-00115"],
    ["Petit", "", "31/02/1999", "Nantes", "TP-00115"],
]


@pytest.fixture
def audit():
    return AccessibilityAudit()


@pytest.fixture
def cc(transactional_db):
    organisation = OrganisationFactory(name="Centre Import", slug="centre-import")
    manager = UserFactory(username="navigatrice", manager=True, organisation=organisation)
    return store_referentiel(
        referentiel=parsed_seed("cc"), organisation=organisation, actor=manager, publish=True
    )


@pytest.mark.usefixtures("cc")
def test_manager_previews_a_list_and_imports_the_valid_rows(page, live_server, audit, tmp_path):
    path = tmp_path / "candidats.xlsx"
    path.write_bytes(xlsx([HEADER, *ROWS]))
    login(page, live_server, "navigatrice")
    page.goto(f"{live_server.url}/candidats/importer/")
    audit.check(page)
    page.get_by_label("Liste de candidats (XLSX ou CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Relire le fichier").click()
    preview = page.get_by_role("status")
    preview.filter(has_text="3 lignes lues").wait_for()
    assert "2 valides, 1 en erreur." in preview.inner_text()
    assert page.url.endswith("/candidats/importer/")  # swapped in place by htmx
    assert page.locator("progress#progression").get_attribute("value") in ("100", None, "0")
    audit.check(page)
    assert not Candidate.objects.exists()
    page.get_by_role("button", name="Importer seulement les 2 lignes valides").click()
    page.wait_for_url(f"{live_server.url}/candidats/")
    assert "2 candidat(s) importé(s), 1 ligne(s) en erreur écartée(s)." in (
        page.get_by_role("status").inner_text()
    )
    assert sorted(Candidate.objects.values_list("last_name", flat=True)) == ["Durand", "Martin"]
    audit.check(page)
