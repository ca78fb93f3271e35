"""Candidate pages through the client: owner, read-only colleague, outsider."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attesta.candidates import services
from attesta.candidates.models import Candidate, Enrolment
from attesta.referentiels.services import store_referentiel
from tests.candidates.files import pdf, pptx
from tests.conftest import parsed_seed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDENTITY = {
    "last_name": "Martin",
    "first_names": "Léa",
    "birth_date": "1998-04-02",
    "birth_place": "Lyon",
    "birth_country": "",
    "email": "lea.martin@example.invalid",
    "phone": "06 12 34 56 78",
}


@pytest.fixture
def cc(organisation, manager):
    return store_referentiel(
        referentiel=parsed_seed("cc"), organisation=organisation, actor=manager, publish=True
    )


@pytest.fixture
def candidate(organisation, manager):
    return services.register_candidate(
        organisation=organisation,
        actor=manager,
        last_name="Martin",
        first_names="Léa",
        birth_date=dt.date(1998, 4, 2),
        birth_place="Lyon",
    )


@pytest.fixture
def enrolment(candidate, cc, manager):
    return services.enrol_candidate(candidate=candidate, version=cc, path="training", actor=manager)


@pytest.fixture
def referent(organisation):
    return UserFactory(username="referente", referent=True, organisation=organisation)


def test_candidate_pages_require_login(client, candidate, enrolment):
    for url in [
        reverse("candidates:list"),
        reverse("candidates:detail", args=[candidate.pk]),
        reverse("candidates:enrolment", args=[enrolment.pk]),
    ]:
        assert client.get(url).status_code == 302


def test_manager_registers_a_candidate(client, manager):
    client.force_login(manager)
    response = client.post(reverse("candidates:create"), IDENTITY, follow=True)
    html = response.content.decode()
    assert Candidate.objects.get().organisation == manager.organisation
    assert "Candidat enregistré : Martin Léa." in html
    assert "Doublon possible" not in html


def test_registering_the_same_identity_twice_warns_of_a_duplicate(client, manager, candidate):
    client.force_login(manager)
    html = client.post(reverse("candidates:create"), IDENTITY, follow=True).content.decode()
    assert Candidate.objects.count() == 2
    assert "1 autre(s) candidat(s) portent les mêmes nom" in html
    assert "Doublon possible" in html
    listing = client.get(reverse("candidates:list")).content.decode()
    assert listing.count("Oui (1)") == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"birth_place": ""}, "Indiquez la commune ou le pays de naissance"),
        ({"birth_date": "2999-01-01"}, "La date de naissance doit être passée."),
        ({"email": "pas-un-courriel"}, "Saisissez une adresse e-mail valide."),
        ({"last_name": ""}, "Ce champ est obligatoire."),
    ],
)
def test_invalid_identity_is_refused_with_its_reason(client, manager, change, message):
    client.force_login(manager)
    response = client.post(reverse("candidates:create"), {**IDENTITY, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Candidate.objects.exists()


def test_outsider_and_assessor_cannot_see_the_candidate(
    client, outsider, colleague, candidate, enrolment
):
    for user in (outsider, colleague):
        client.force_login(user)
        assert client.get(reverse("candidates:detail", args=[candidate.pk])).status_code == 404
        assert client.get(reverse("candidates:enrolment", args=[enrolment.pk])).status_code == 404
        assert "Martin" not in client.get(reverse("candidates:list")).content.decode()


def test_outsider_cannot_write_to_another_organisations_enrolment(client, outsider, enrolment):
    client.force_login(outsider)
    assert client.post(reverse("candidates:review", args=[enrolment.pk])).status_code == 404
    response = client.post(
        reverse("candidates:period", args=[enrolment.pk]), {"company_period_done": 500}
    )
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.company_period_done is None


def test_referent_reads_but_cannot_change_a_file(client, referent, candidate, enrolment):
    client.force_login(referent)
    assert client.get(reverse("candidates:detail", args=[candidate.pk])).status_code == 200
    assert client.get(reverse("candidates:create")).status_code == 403
    assert client.post(reverse("candidates:review", args=[enrolment.pk])).status_code == 403


def test_enrolment_on_the_whole_title_and_eligibility_page(client, manager, candidate, cc):
    client.force_login(manager)
    response = client.post(
        reverse("candidates:enrol", args=[candidate.pk]),
        {"version": cc.pk, "path": "training"},
        follow=True,
    )
    html = response.content.decode()
    enrolment = Enrolment.objects.get()
    assert not enrolment.target_blocks.exists()
    assert "Certification complète" in html
    assert "Il manque 4 éléments" in html
    assert "Période en entreprise non renseignée (durée exigée : 280 heures)." in html
    assert "Production « Diaporama » : 0 déposé(s), exigé." in html


def test_enrolment_refuses_a_block_of_another_certification(
    client, manager, candidate, cc, organisation
):
    ntc = store_referentiel(
        referentiel=parsed_seed("ntc"), organisation=organisation, actor=manager, publish=True
    )
    client.force_login(manager)
    foreign = ntc.blocks.get(code="CCP1")
    response = client.post(
        reverse("candidates:enrol", args=[candidate.pk]),
        {"version": cc.pk, "path": "training", "blocks": [foreign.pk]},
    )
    assert response.status_code == 400
    assert (
        "doivent appartenir à la certification choisie : TP-00338 CCP1" in response.content.decode()
    )
    assert not Enrolment.objects.exists()


def test_the_file_becomes_eligible_once_complete(client, manager, enrolment):
    client.force_login(manager)
    client.post(reverse("candidates:period", args=[enrolment.pk]), {"company_period_done": 280})
    uploads = [
        ("company_period_proof", "", "attestation.pdf", pdf(1)),
        ("production", "Diaporama", "diaporama.pptx", pptx(28)),
        *[
            ("production", "Fiches techniques de produits ou de services", f"fiche{n}.pdf", pdf(1))
            for n in range(5)
        ],
    ]
    for kind, title, name, data in uploads:
        client.post(
            reverse("candidates:document", args=[enrolment.pk]),
            {"kind": kind, "production_title": title, "file": SimpleUploadedFile(name, data)},
        )
    response = client.post(reverse("candidates:review", args=[enrolment.pk]), follow=True)
    html = response.content.decode()
    enrolment.refresh_from_db()
    assert services.eligibility_of(enrolment).missing == ()
    assert enrolment.status == "eligible"
    assert "Dossier recevable." in html
    assert "Inscrit → Recevable" in html
    assert "28 diapositives" in html
    assert html.count('<span class="status status-conform">') == 2


def test_a_slideshow_with_too_few_slides_keeps_the_file_not_eligible(client, manager, enrolment):
    client.force_login(manager)
    client.post(
        reverse("candidates:document", args=[enrolment.pk]),
        {
            "kind": "production",
            "production_title": "Diaporama",
            "file": SimpleUploadedFile("d.pptx", pptx(22)),
        },
    )
    html = client.get(reverse("candidates:enrolment", args=[enrolment.pk])).content.decode()
    assert "22 diapositives" in html
    assert "il en faut de 24 à 34" in html
    assert enrolment.documents.get().slides == 22
    assert not services.eligibility_of(enrolment).eligible


def test_an_unreadable_production_is_refused_and_not_kept(client, manager, enrolment):
    client.force_login(manager)
    response = client.post(
        reverse("candidates:document", args=[enrolment.pk]),
        {
            "kind": "production",
            "production_title": "Diaporama",
            "file": SimpleUploadedFile("d.pdf", b"%PDF-1.4 broken"),
        },
        follow=True,
    )
    assert "Fichier refusé : « d.pdf »" in response.content.decode()
    assert not enrolment.documents.exists()


def test_a_production_upload_must_name_its_production(client, manager, enrolment):
    client.force_login(manager)
    response = client.post(
        reverse("candidates:document", args=[enrolment.pk]),
        {
            "kind": "production",
            "production_title": "",
            "file": SimpleUploadedFile("x.pdf", b"%PDF"),
        },
        follow=True,
    )
    assert "Choisissez la production que ce fichier constitue." in response.content.decode()
    assert not enrolment.documents.exists()


def test_candidate_list_searches_and_paginates_with_fixed_queries(
    client, manager, organisation, django_assert_max_num_queries
):
    for n in range(30):
        services.register_candidate(
            organisation=organisation,
            actor=manager,
            last_name=f"Nom{n:02d}",
            first_names="Test",
            birth_date=dt.date(1990, 1, 1 + n % 28),
            birth_place="Paris",
        )
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("candidates:list")).content.decode()
    assert "page 1 sur 2" in html
    assert "Page suivante" in html
    html = client.get(reverse("candidates:list"), {"q": "nom07"}).content.decode()
    assert "Nom07" in html
    assert "Nom08" not in html
    partial = client.get(reverse("candidates:list"), {"q": "nom07"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_enrolment_list_filters_by_certification_status_and_path(
    client, manager, outsider, organisation, cc, candidate, django_assert_max_num_queries
):
    training = services.enrol_candidate(
        candidate=candidate, version=cc, path="training", actor=manager
    )
    vae = services.enrol_candidate(candidate=candidate, version=cc, path="vae", actor=manager)
    vae.change_status("eligible", actor=manager)
    client.force_login(manager)
    url = reverse("candidates:enrolments")
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert "Inscriptions (2)" in html
    html = client.get(url, {"status": "eligible"}).content.decode()
    assert "Inscriptions (1)" in html
    assert f'href="{reverse("candidates:enrolment", args=[vae.pk])}"' in html
    html = client.get(url, {"path": "training", "certification": "TP-00115"}).content.decode()
    assert f'href="{reverse("candidates:enrolment", args=[training.pk])}"' in html
    assert "Inscriptions (1)" in html
    assert (
        "Aucune inscription ne correspond."
        in client.get(url, {"certification": "X"}).content.decode()
    )
    client.force_login(outsider)
    assert "Aucune inscription ne correspond." in client.get(url).content.decode()


def test_a_capitalisation_enrolment_records_the_blocks_already_held(client, manager, candidate, cc):
    client.force_login(manager)
    ccp1, ccp2 = cc.blocks.get(code="CCP1"), cc.blocks.get(code="CCP2")
    url = reverse("candidates:enrol", args=[candidate.pk])
    data = {
        "version": cc.pk,
        "path": "capitalisation",
        "blocks": [ccp2.pk],
        "capitalised": [ccp1.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "indiquez leur date d&#x27;obtention et leur source" in refused.content.decode()
    both = client.post(
        url,
        {
            **data,
            "capitalised": [ccp2.pk],
            "capitalised_on": "2025-06-20",
            "capitalised_source": "x",
        },
    )
    assert "à la fois visé et déjà obtenu : CCP2" in both.content.decode()
    response = client.post(
        url,
        {**data, "capitalised_on": "2025-06-20", "capitalised_source": "Session de juin 2025"},
        follow=True,
    )
    html = response.content.decode()
    enrolment = Enrolment.objects.get()
    held = enrolment.capitalised_blocks.get()
    assert (held.block.code, held.obtained_on, held.source) == (
        "CCP1",
        dt.date(2025, 6, 20),
        "Session de juin 2025",
    )
    assert "CCP1 – Prospecter un secteur de vente, obtenu le 20/06/2025" in html
