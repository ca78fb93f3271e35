"""Storing référentiels: database round trip, millésimes, immutability, transactions, audit."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from attesta.core.models import AuditEvent
from attesta.referentiels import models
from attesta.referentiels.importers import canonical as c
from attesta.referentiels.services import (
    ReferentielConflict,
    load_referentiel,
    publish_version,
    store_referentiel,
)
from tests.conftest import SEED_FILES, parsed_seed
from tests.referentiels.builders import small_referentiel

pytestmark = pytest.mark.django_db


def test_stored_referentiel_comes_back_identical(organisation, manager):
    referentiel = small_referentiel()
    version = store_referentiel(referentiel=referentiel, organisation=organisation, actor=manager)
    assert load_referentiel(version) == referentiel


@pytest.mark.parametrize("key", SEED_FILES)
def test_each_seed_survives_the_database_round_trip(key, organisation, manager):
    referentiel = parsed_seed(key)
    version = store_referentiel(referentiel=referentiel, organisation=organisation, actor=manager)
    assert load_referentiel(version) == referentiel


def test_loading_a_version_takes_a_fixed_number_of_queries(
    organisation, manager, django_assert_max_num_queries
):
    version = store_referentiel(
        referentiel=parsed_seed("ntc"), organisation=organisation, actor=manager
    )
    version = models.CertificationVersion.objects.select_related("certification").get(pk=version.pk)
    with django_assert_max_num_queries(12):
        load_referentiel(version)


def test_a_new_millesime_makes_a_new_version_and_keeps_the_old(organisation, manager):
    first = store_referentiel(
        referentiel=small_referentiel(version="01"),
        organisation=organisation,
        actor=manager,
        publish=True,
    )
    second = store_referentiel(
        referentiel=small_referentiel(version="02", extra_criterion="Nouveau critère"),
        organisation=organisation,
        actor=manager,
    )
    assert first.certification_id == second.certification_id
    assert list(
        models.CertificationVersion.objects.order_by("imported_at", "id").values_list(
            "version", "status"
        )
    ) == [("01", "published"), ("02", "draft")]
    assert [c.text for c in load_referentiel(first).blocks[0].competencies[0].criteria] == [
        "La veille est organisée",
        "Les sources sont fiables",
    ]


def test_reimporting_a_draft_millesime_replaces_the_draft(organisation, manager):
    store_referentiel(referentiel=small_referentiel(), organisation=organisation, actor=manager)
    again = store_referentiel(
        referentiel=small_referentiel(extra_criterion="Ajouté"),
        organisation=organisation,
        actor=manager,
    )
    assert models.CertificationVersion.objects.count() == 1
    assert load_referentiel(again).blocks[0].competencies[0].criteria[-1].text == "Ajouté"


def test_reimporting_a_published_millesime_is_refused_and_changes_nothing(organisation, manager):
    store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager, publish=True
    )
    with pytest.raises(ReferentielConflict, match="déjà publiée"):
        store_referentiel(
            referentiel=small_referentiel(extra_criterion="Ajouté"),
            organisation=organisation,
            actor=manager,
        )
    assert models.Criterion.objects.filter(text="Ajouté").count() == 0


def test_a_published_version_cannot_be_changed_or_deleted(organisation, manager):
    version = store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager, publish=True
    )
    version.level = 5
    with pytest.raises(models.PublishedVersionError):
        version.save()
    with pytest.raises(models.PublishedVersionError):
        version.delete()
    with pytest.raises(ReferentielConflict):
        publish_version(version=version, actor=manager)


def test_another_organisations_certification_cannot_be_overwritten(
    organisation, other_organisation, manager, outsider
):
    store_referentiel(referentiel=small_referentiel(), organisation=organisation, actor=manager)
    with pytest.raises(ReferentielConflict, match="autre organisation"):
        store_referentiel(
            referentiel=small_referentiel(version="02"),
            organisation=other_organisation,
            actor=outsider,
        )
    assert models.CertificationVersion.objects.count() == 1


def test_an_incoherent_referentiel_is_refused_before_anything_is_written(organisation, manager):
    referentiel = small_referentiel()
    referentiel.exams[1].methods[0].competencies = ["CP404"]
    with pytest.raises(ValueError, match="code inconnu CP404"):
        store_referentiel(referentiel=referentiel, organisation=organisation, actor=manager)
    assert models.Certification.objects.count() == 0


def test_a_failure_midway_leaves_nothing_written(organisation, manager):
    referentiel = small_referentiel()
    # 40 to 30 pages breaks a database constraint after blocks and competencies are written.
    referentiel.exams[0].productions[0].min_units = 40
    referentiel.exams[0].productions[0].max_units = 30
    with pytest.raises(IntegrityError):
        store_referentiel(referentiel=referentiel, organisation=organisation, actor=manager)
    assert models.Certification.objects.count() == 0
    assert models.Block.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_import_and_publication_are_audited_with_their_author(organisation, manager):
    version = store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager
    )
    publish_version(version=version, actor=manager)
    events = list(AuditEvent.objects.order_by("id").values_list("action", "actor__username"))
    assert events == [
        ("referentiel.imported", "responsable"),
        ("referentiel.published", "responsable"),
    ]


def test_audit_events_are_append_only(organisation, manager):
    store_referentiel(referentiel=small_referentiel(), organisation=organisation, actor=manager)
    event = AuditEvent.objects.get()
    event.action = "rewritten"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        event.save()
    with pytest.raises(ValueError, match="ne se supprime pas"):
        event.delete()


def test_visibility_drafts_for_the_owner_organisation_only(
    organisation, manager, colleague, outsider
):
    draft = store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager
    )
    published = store_referentiel(
        referentiel=small_referentiel(code="TP-88888"),
        organisation=organisation,
        actor=manager,
        publish=True,
    )
    visible = models.CertificationVersion.objects.visible_to
    assert set(visible(manager)) == {draft, published}
    assert set(visible(colleague)) == {draft, published}
    assert set(visible(outsider)) == {published}
    assert set(models.Certification.objects.visible_to(outsider)) == {published.certification}


def test_search_text_ignores_accents_and_case(organisation, manager):
    store_referentiel(referentiel=small_referentiel(), organisation=organisation, actor=manager)
    competency = models.Competency.objects.get(code="CP2")
    assert competency.search_text == "elaborer un plan d'actions"


def test_exam_scope_and_kinds_are_stored_with_their_choices(organisation, manager):
    version = store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager
    )
    exam = version.exams.get(block__code="CCP1")
    method = exam.methods.get()
    assert exam.scope == "CCP1"
    assert method.get_kind_display() == "Entretien technique"
    assert c.MethodKind(method.kind) is c.MethodKind.TECHNICAL_INTERVIEW
