"""Importing a candidate list through the web: preview, all-or-nothing, or only valid rows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attesta.candidates.models import Candidate, Enrolment
from attesta.core.models import AuditEvent
from attesta.referentiels.services import store_referentiel
from tests.candidates.files import xlsx
from tests.conftest import parsed_seed

pytestmark = pytest.mark.django_db

HEADER = [
    "Nom",
    "Prénoms",
    "Date de naissance",
    "Commune de naissance",
    "Courriel",
    "Code certification",
    "Blocs",
    "Parcours",
]
GOOD = [
    ["Martin", "Léa", "02/04/1998", "Lyon", "lea@example.invalid", "TP-00115", "", "formation"],
    ["Durand", "Hugo", "15/01/2000", "Lille", "", "TP-00115", "CCP2", "VAE"],
    ["Petit", "Inès", "09/09/1999", "Nantes", "", "", "", ""],
]
BAD = [
    ["Bernard", "", "31/02/1999", "Paris", "pas-un-courriel", "TP-00115", "", ""],
    ["Leroy", "Zoé", "01/01/2001", "Brest", "", "TP-99999", "", ""],
]


@pytest.fixture
def cc(organisation, manager):
    return store_referentiel(
        referentiel=parsed_seed("cc"), organisation=organisation, actor=manager, publish=True
    )


def upload(client, rows, name="candidats.xlsx"):
    data = xlsx([HEADER, *rows])
    return client.post(reverse("candidates:import"), {"file": SimpleUploadedFile(name, data)})


def test_a_valid_list_is_previewed_then_imported_with_enrolments(client, manager, cc):
    client.force_login(manager)
    html = upload(client, GOOD).content.decode()
    assert "3 lignes lues : 3 valides, 0 en erreur." in html
    assert not Candidate.objects.exists()
    response = client.post(reverse("candidates:import"), {"confirm": "all"}, follow=True)
    assert "candidats.xlsx : 3 candidat(s) importé(s)." in response.content.decode()
    assert Candidate.objects.filter(organisation=manager.organisation).count() == 3
    vae = Enrolment.objects.get(candidate__last_name="Durand")
    assert (vae.path, [b.code for b in vae.target_blocks.all()]) == ("vae", ["CCP2"])
    assert Enrolment.objects.get(candidate__last_name="Martin").path == "training"
    assert not Enrolment.objects.filter(candidate__last_name="Petit").exists()
    assert AuditEvent.objects.get(action="candidates.imported").details["candidates"] == 3


def test_errors_are_shown_per_row_and_nothing_is_imported_until_chosen(client, manager, cc):
    client.force_login(manager)
    html = upload(client, [*GOOD, *BAD]).content.decode()
    assert "5 lignes lues : 3 valides, 2 en erreur." in html
    assert "certification inconnue : TP-99999" in html
    assert "Importer seulement les 3 lignes valides" in html
    assert "Importer les" not in html
    refused = client.post(reverse("candidates:import"), {"confirm": "all"}, follow=True)
    assert "2 ligne(s) en erreur : rien n&#x27;est importé." in refused.content.decode()
    assert not Candidate.objects.exists()
    upload(client, [*GOOD, *BAD])
    done = client.post(reverse("candidates:import"), {"confirm": "valid"}, follow=True)
    assert "3 candidat(s) importé(s), 2 ligne(s) en erreur écartée(s)." in done.content.decode()
    assert Candidate.objects.count() == 3


def test_a_file_that_is_not_a_list_is_refused_with_a_file_error(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("candidates:import"),
        {"file": SimpleUploadedFile("notes.txt", b"bonjour\\nau revoir")},
    )
    assert 'role="alert"' in response.content.decode()
    assert "Importer" not in response.content.decode().split("Aperçu")[-1]
    assert not Candidate.objects.exists()


def test_confirming_without_a_pending_list_says_so(client, manager):
    client.force_login(manager)
    response = client.post(reverse("candidates:import"), {"confirm": "all"}, follow=True)
    assert "Aucune liste en attente" in response.content.decode()


def test_import_is_for_editors_only(client, colleague, outsider):
    client.force_login(colleague)
    assert client.get(reverse("candidates:import")).status_code == 403
    referent_like = outsider
    client.force_login(referent_like)
    assert client.get(reverse("candidates:import")).status_code == 200


def test_importing_a_list_takes_a_fixed_number_of_queries(
    client, manager, cc, django_assert_max_num_queries
):
    rows = [
        [
            f"Nom{chr(65 + n // 26)}{chr(97 + n % 26)}",
            "Test",
            f"{1 + n % 28:02d}/01/1990",
            "Lyon",
            "",
            "TP-00115",
            "CCP1",
            "formation",
        ]
        for n in range(60)
    ]
    client.force_login(manager)
    preview = upload(client, rows).content.decode()
    assert "60 lignes lues : 60 valides, 0 en erreur." in preview, preview[
        preview.find("<ul class") :
    ][:400]
    with django_assert_max_num_queries(30):
        response = client.post(reverse("candidates:import"), {"confirm": "all"}, follow=True)
    html = response.content.decode()
    assert "60 candidat(s) importé(s)" in html
    assert Enrolment.objects.filter(target_blocks__code="CCP1").count() == 60


def test_the_htmx_upload_gets_its_errors_in_a_swappable_answer(client, manager):
    client.force_login(manager)
    response = client.post(reverse("candidates:import"), {}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert 'data-progress="progression"' in response.content.decode()
    assert client.post(reverse("candidates:import"), {}).status_code == 400
