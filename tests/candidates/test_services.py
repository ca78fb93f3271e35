"""Candidates and enrolments in the database: registration, duplicates, transitions, files."""

from __future__ import annotations

import datetime as dt

import pytest

from attesta.candidates import services
from attesta.candidates.models import Candidate, EnrolmentEvent, TransitionError
from attesta.core.models import AuditEvent
from attesta.referentiels.services import store_referentiel
from tests.candidates.files import pdf, pptx
from tests.conftest import parsed_seed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cc(organisation, manager):
    return store_referentiel(
        referentiel=parsed_seed("cc"), organisation=organisation, actor=manager, publish=True
    )


def register(organisation, manager, **overrides):
    data = {
        "last_name": "Martin",
        "first_names": "Léa  Marie",
        "birth_date": dt.date(1998, 4, 2),
        "birth_place": "Lyon",
    }
    return services.register_candidate(
        organisation=organisation, actor=manager, **{**data, **overrides}
    )


def test_a_second_candidate_with_the_same_identity_is_flagged_not_merged(organisation, manager):
    first = register(organisation, manager)
    second = register(organisation, manager, last_name="MARTIN", first_names="Léa Marie")
    assert Candidate.objects.count() == 2
    assert list(second.possible_duplicates()) == [first]
    assert second.first_names == "Léa Marie"


def test_same_identity_in_another_organisation_is_not_a_duplicate(
    organisation, other_organisation, manager, outsider
):
    register(organisation, manager)
    other = register(other_organisation, outsider)
    assert not other.possible_duplicates().exists()


def test_birth_place_or_country_is_required(organisation, manager):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        register(organisation, manager, birth_place="")


def test_enrolment_on_blocks_with_capitalised_ones(organisation, manager, cc):
    candidate = register(organisation, manager)
    enrolment = services.enrol_candidate(
        candidate=candidate,
        version=cc,
        path="capitalisation",
        actor=manager,
        target_block_codes=("CCP2",),
        capitalised=(("CCP1", dt.date(2024, 6, 1), "Session du 1er juin 2024, centre démo"),),
    )
    assert [b.code for b in enrolment.target_blocks.all()] == ["CCP2"]
    assert enrolment.capitalised_blocks.get().block.code == "CCP1"
    assert services.eligibility_of(enrolment).requirements.scopes == ("CCP2",)


def test_enrolment_on_an_unknown_block_or_a_draft_is_refused(organisation, manager, cc):
    candidate = register(organisation, manager)
    with pytest.raises(ValueError, match="CCP7"):
        services.enrol_candidate(
            candidate=candidate,
            version=cc,
            path="training",
            actor=manager,
            target_block_codes=("CCP7",),
        )
    draft = store_referentiel(
        referentiel=parsed_seed("ntc"), organisation=organisation, actor=manager
    )
    with pytest.raises(ValueError, match="publié"):
        services.enrol_candidate(candidate=candidate, version=draft, path="training", actor=manager)


def test_eligibility_review_moves_the_status_and_keeps_the_history(organisation, manager, cc):
    candidate = register(organisation, manager)
    enrolment = services.enrol_candidate(
        candidate=candidate, version=cc, path="training", actor=manager
    )
    result = services.review_eligibility(enrolment=enrolment, actor=manager)
    assert not result.eligible
    assert enrolment.status == "not_eligible"
    enrolment.company_period_done = 280
    enrolment.save()
    services.add_document(
        enrolment=enrolment,
        kind="company_period_proof",
        data=b"%PDF-1.4",
        filename="stage.pdf",
        actor=manager,
    )
    services.add_document(
        enrolment=enrolment,
        kind="production",
        production_title="Diaporama",
        data=pptx(30),
        filename="diaporama.pptx",
        actor=manager,
    )
    for n in range(5):
        services.add_document(
            enrolment=enrolment,
            kind="production",
            production_title="Fiches techniques de produits ou de services",
            data=pdf(1),
            filename=f"fiche-{n}.pdf",
            actor=manager,
        )
    assert services.review_eligibility(enrolment=enrolment, actor=manager).eligible
    assert enrolment.status == "eligible"
    history = [(e.from_status, e.to_status, e.actor.username) for e in services.history(enrolment)]
    assert history == [
        ("registered", "not_eligible", "responsable"),
        ("not_eligible", "eligible", "responsable"),
    ]
    assert "Preuve de la période en entreprise non déposée." in services.history(enrolment)[0].note
    assert AuditEvent.objects.filter(action="enrolment.document_added").count() == 7


def test_transitions_outside_the_table_are_refused(organisation, manager, cc):
    enrolment = services.enrol_candidate(
        candidate=register(organisation, manager), version=cc, path="vae", actor=manager
    )
    with pytest.raises(TransitionError, match="« Inscrit » à « Clos » impossible"):
        enrolment.change_status("closed", actor=manager)
    assert enrolment.status == "registered"
    assert not EnrolmentEvent.objects.exists()


def test_status_history_is_append_only(organisation, manager, cc):
    enrolment = services.enrol_candidate(
        candidate=register(organisation, manager), version=cc, path="vae", actor=manager
    )
    event = enrolment.change_status("eligible", actor=manager)
    event.note = "réécrit"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        event.save()


def test_visibility_of_candidates_by_role(organisation, other_organisation, manager, outsider, cc):
    candidate = register(organisation, manager)
    referent = UserFactory(referent=True, organisation=organisation)
    assessor = UserFactory(assessor=True, organisation=organisation)
    account = UserFactory(organisation=organisation)
    candidate.user = account
    candidate.save()
    other = register(organisation, manager, last_name="Durand")
    visible = Candidate.objects.visible_to
    assert set(visible(manager)) == {candidate, other}
    assert set(visible(referent)) == {candidate, other}
    assert set(visible(assessor)) == set()
    assert set(visible(outsider)) == set()
    assert set(visible(account)) == {candidate}


def test_eligibility_is_no_longer_reviewed_once_convened(organisation, manager, cc):
    enrolment = services.enrol_candidate(
        candidate=register(organisation, manager), version=cc, path="vae", actor=manager
    )
    enrolment.change_status("eligible", actor=manager)
    enrolment.change_status("convened", actor=manager)
    with pytest.raises(TransitionError, match="ne se réexamine plus"):
        services.review_eligibility(enrolment=enrolment, actor=manager)
    assert enrolment.status == "convened"
