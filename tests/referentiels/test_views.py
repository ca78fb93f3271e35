"""Référentiel pages through the client: owner, colleague and outsider personas."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attesta.referentiels import models
from attesta.referentiels.importers.canonical_json import dumps
from attesta.referentiels.services import store_referentiel
from tests.conftest import SEED_FILES, parsed_seed, seed_bytes
from tests.factories import UserFactory
from tests.referentiels.builders import small_referentiel

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(organisation, manager):
    return store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager
    )


@pytest.fixture
def published(organisation, manager):
    return store_referentiel(
        referentiel=small_referentiel(code="TP-88888"),
        organisation=organisation,
        actor=manager,
        publish=True,
    )


def version_url(version, name="referentiels:version"):
    return reverse(name, args=[version.certification.code, version.version])


def test_every_page_requires_login(client, published):
    for url in [
        reverse("home"),
        reverse("referentiels:list"),
        reverse("referentiels:search"),
        reverse("referentiels:import"),
        version_url(published),
        version_url(published, "referentiels:export"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_login_page_is_public_and_labelled(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html


def test_login_with_demo_style_credentials_reaches_home(client, manager):
    response = client.post(
        reverse("accounts:login"),
        {"username": "responsable", "password": "motdepasse-test"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Importer un référentiel" in response.content.decode()


def test_list_shows_drafts_to_the_owner_only(client, manager, outsider, draft, published):
    client.force_login(manager)
    html = client.get(reverse("referentiels:list")).content.decode()
    assert "TP-99999" in html
    assert "TP-88888" in html
    client.force_login(outsider)
    html = client.get(reverse("referentiels:list")).content.decode()
    assert "TP-99999" not in html
    assert "TP-88888" in html


def test_outsider_gets_404_on_a_draft_its_export_and_its_publication(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(version_url(draft)).status_code == 404
    assert client.get(version_url(draft, "referentiels:export")).status_code == 404
    assert client.get(reverse("referentiels:certification", args=["TP-99999"])).status_code == 404
    assert client.post(version_url(draft, "referentiels:publish")).status_code == 404
    draft.refresh_from_db()
    assert not draft.is_published


def test_certification_page_shows_blocks_criteria_exams_and_matrix(client, colleague, draft):
    client.force_login(colleague)
    response = client.get(version_url(draft))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>" in html
    assert "Vendeur conseil d&#x27;essai" in html
    assert "CCP1 – Prospecter un secteur" in html
    assert "CP1 – Assurer une veille commerciale" in html
    assert "CCS1 – Vendre en ligne" in html
    assert "certificat complémentaire de spécialisation (CCS)" in html
    assert "Qualité de la veille" in html
    assert "Les sources sont fiables" in html
    assert "Communiquer" in html
    assert "Mise en situation professionnelle" in html
    assert "70 min" in html
    assert "40 min" in html
    assert "140 heures" in html
    assert "24 à 34" in html
    assert "diapositives" in html
    assert "Critères et compétences évalués par chaque modalité" in html
    assert "<summary>2 critères</summary>" in html
    assert html.count('<span class="visually-hidden">évaluée</span>') == 3
    assert "Rapport d'import : 1 avertissement" in html
    assert "n&#x27;est évaluée par aucune modalité" in html


def test_certification_url_redirects_to_the_latest_published_version(client, colleague, published):
    client.force_login(colleague)
    response = client.get(reverse("referentiels:certification", args=["TP-88888"]))
    assert response.status_code == 302
    assert response["Location"] == version_url(published)


def test_certification_page_queries_do_not_grow_with_the_referentiel(
    client, colleague, organisation, manager, django_assert_max_num_queries
):
    small = store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager
    )
    big = store_referentiel(
        referentiel=parsed_seed("ntc"), organisation=organisation, actor=manager
    )
    client.force_login(colleague)
    with django_assert_max_num_queries(20) as small_queries:
        client.get(version_url(small))
    with django_assert_max_num_queries(20) as big_queries:
        assert client.get(version_url(big)).status_code == 200
    assert len(big_queries.captured_queries) == len(small_queries.captured_queries)


def test_import_upload_stores_a_draft_and_shows_its_warnings(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("ntc.md", seed_bytes("ntc"), content_type="text/markdown")
    response = client.post(reverse("referentiels:import"), {"document": upload}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    version = models.CertificationVersion.objects.get()
    assert version.certification.code == "TP-00338"
    assert version.status == "draft"
    assert version.certification.organisation == manager.organisation
    assert "Référentiel importé" in html
    assert "Rapport d'import" in html
    assert "Publier ce millésime" in html


def test_import_of_a_bad_file_says_what_and_where_and_writes_nothing(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("notes.txt", "ligne 1\nligne é".encode("latin-1"))
    response = client.post(reverse("referentiels:import"), {"document": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "notes.txt, ligne 2" in html
    assert "pas en UTF-8" in html
    assert models.Certification.objects.count() == 0


def test_import_is_forbidden_to_a_read_only_role(client, colleague):
    client.force_login(colleague)
    assert client.get(reverse("referentiels:import")).status_code == 403
    upload = SimpleUploadedFile("cc.txt", seed_bytes("cc"))
    assert client.post(reverse("referentiels:import"), {"document": upload}).status_code == 403
    assert models.Certification.objects.count() == 0


def test_publish_makes_the_version_immutable(client, manager, draft):
    client.force_login(manager)
    response = client.post(version_url(draft, "referentiels:publish"), follow=True)
    assert "publié" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published
    assert "Publier ce millésime" not in response.content.decode()


def test_publish_is_refused_to_a_read_only_colleague(client, colleague, draft):
    client.force_login(colleague)
    assert client.post(version_url(draft, "referentiels:publish")).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published


def test_publish_requires_post(client, manager, draft):
    client.force_login(manager)
    assert client.get(version_url(draft, "referentiels:publish")).status_code == 405


def test_export_returns_the_canonical_json(client, colleague, draft):
    client.force_login(colleague)
    response = client.get(version_url(draft, "referentiels:export"))
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="TP-99999-01.json"' in response["Content-Disposition"]
    assert response.content.decode() == dumps(small_referentiel())
    assert json.loads(response.content)["exams"][0]["total_minutes"] == 70


def test_search_finds_competencies_and_criteria_without_accents(
    client, colleague, draft, published
):
    client.force_login(colleague)
    html = client.get(reverse("referentiels:search"), {"q": "ELABORER plan"}).content.decode()
    assert "CP2 – Élaborer un plan d’actions" in html
    html = client.get(reverse("referentiels:search"), {"q": "sources fiables"}).content.decode()
    assert html.count("Les sources sont fiables") == 2  # one per certification


def test_search_does_not_reveal_another_organisations_draft(client, outsider, draft):
    client.force_login(outsider)
    html = client.get(reverse("referentiels:search"), {"q": "sources fiables"}).content.decode()
    assert "Les sources sont fiables" not in html
    assert "Aucun critère ne correspond." in html


def test_search_htmx_request_returns_only_the_results_fragment(client, colleague, published):
    client.force_login(colleague)
    response = client.get(
        reverse("referentiels:search"), {"q": "veille"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Assurer une veille commerciale" in html


def test_compare_lists_added_criteria_between_millesimes(client, manager, organisation):
    store_referentiel(
        referentiel=small_referentiel(version="01"),
        organisation=organisation,
        actor=manager,
        publish=True,
    )
    store_referentiel(
        referentiel=small_referentiel(version="02", extra_criterion="Un critère nouveau"),
        organisation=organisation,
        actor=manager,
    )
    client.force_login(manager)
    url = reverse("referentiels:compare", args=["TP-99999"])
    html = client.get(url, {"old": "01", "new": "02"}).content.decode()
    assert "Différences (1)" in html
    assert "Un critère nouveau" in html
    assert client.get(url, {"old": "01", "new": "99"}).status_code == 400


def test_compare_of_an_invisible_certification_is_404(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(reverse("referentiels:compare", args=["TP-99999"])).status_code == 404


@pytest.mark.parametrize("key", SEED_FILES)
def test_each_seed_page_renders_with_all_its_competencies(client, organisation, manager, key):
    referentiel = parsed_seed(key)
    version = store_referentiel(referentiel=referentiel, organisation=organisation, actor=manager)
    client.force_login(manager)
    html = client.get(version_url(version)).content.decode()
    for competency in referentiel.competencies():
        assert f'id="{competency.code}"' in html


def test_a_user_without_organisation_sees_only_published_versions(client, draft, published):
    loner = UserFactory(username="seul", organisation=None)
    client.force_login(loner)
    assert client.get(version_url(draft)).status_code == 404
    assert client.get(version_url(published)).status_code == 200


def test_import_form_lets_the_manager_name_an_untitled_referentiel(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("002_01e514a4d1ef2582.txt", seed_bytes("devco"))
    data = {"document": upload, "title": "Développement commercial", "millesime": "2024"}
    response = client.post(reverse("referentiels:import"), data, follow=True)
    assert response.status_code == 200
    version = models.CertificationVersion.objects.select_related("certification").get()
    assert version.certification.title == "Développement commercial"
    assert version.version == "2024"
    assert version.source_filename == "002_01e514a4d1ef2582.txt"
