"""Accommodations: recorded by the disability referent; the disability is read by the referent
and the administrator only; the manager reads the measures; assessors never the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from attesta.candidates import rules, services
from attesta.candidates.models import Accommodation, ExemptionRequest
from attesta.core.models import AuditEvent
from attesta.referentiels.models import Criterion
from attesta.referentiels.services import store_referentiel
from tests.conftest import parsed_seed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Surdité profonde bilatérale"


@pytest.fixture
def referent(organisation):
    return UserFactory(username="referente", referent=True, organisation=organisation)


@pytest.fixture
def administrator(organisation):
    return UserFactory(username="admin-org", administrator=True, organisation=organisation)


@pytest.fixture
def candidate_account(organisation):
    return UserFactory(username="lea", organisation=organisation)


def enrol(organisation, manager, seed, account=None):
    version = store_referentiel(
        referentiel=parsed_seed(seed), organisation=organisation, actor=manager, publish=True
    )
    candidate = services.register_candidate(
        organisation=organisation,
        actor=manager,
        last_name="Martin",
        first_names="Léa",
        birth_date=dt.date(1998, 4, 2),
        birth_place="Lyon",
    )
    if account is not None:
        candidate.user = account
        candidate.save()
    return services.enrol_candidate(
        candidate=candidate, version=version, path="training", actor=manager
    )


@pytest.fixture
def enrolment(organisation, manager, candidate_account):
    return enrol(organisation, manager, "devco", account=candidate_account)


def test_the_referent_records_accommodations_through_the_form(client, referent, enrolment):
    client.force_login(referent)
    response = client.post(
        reverse("candidates:accommodation", args=[enrolment.pk]),
        {
            "disability": SECRET,
            "extra_time_percent": 33,
            "written_exchange": "on",
            "assistant": "Interprète en LSF",
            "adapted_equipment": "",
            "postponed_to": "",
        },
        follow=True,
    )
    assert "Aménagements enregistrés." in response.content.decode()
    accommodation = Accommodation.objects.get()
    assert (accommodation.extra_time_percent, accommodation.written_exchange) == (33, True)
    event = AuditEvent.objects.get(action="accommodation.recorded")
    assert SECRET not in str(event.details)


@pytest.mark.parametrize(
    ("persona", "status", "sees_disability", "sees_measures"),
    [
        ("referent", 200, True, True),
        ("administrator", 200, True, True),
        ("manager", 200, False, True),
        ("candidate_account", 200, False, True),
        ("colleague", 404, False, False),  # an assessor: no access to the file at all
        ("outsider", 404, False, False),
    ],
)
def test_who_reads_what_on_the_enrolment_page(
    client, request, referent, enrolment, persona, status, sees_disability, sees_measures
):
    services.record_accommodation(
        enrolment=enrolment,
        actor=referent,
        disability=SECRET,
        extra_time_percent=33,
        written_exchange=True,
        assistant="Interprète en LSF",
    )
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("candidates:enrolment", args=[enrolment.pk]))
    html = response.content.decode()
    assert response.status_code == status
    assert (SECRET in html) is sees_disability
    assert ("Temps majoré : +33 %" in html) is sees_measures
    assert ("Interprète en LSF" in html) is sees_measures


@pytest.mark.parametrize("persona", ["manager", "colleague", "outsider", "candidate_account"])
def test_only_the_referent_opens_the_accommodation_form(client, request, enrolment, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("candidates:accommodation", args=[enrolment.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("candidates:accommodation", args=[enrolment.pk]),
        {"disability": "x", "extra_time_percent": 33},
    )
    assert response.status_code == 403
    assert not Accommodation.objects.exists()


def test_assessors_see_only_the_measures_that_change_their_role():
    measures = rules.Measures(
        extra_time_percent=33,
        adapted_equipment="Fauteuil adapté",
        written_exchange=True,
        assistant="Interprète en LSF",
        postponed_to="12/06/2027",
    )
    assert rules.assessor_measures(measures) == [
        "Temps majoré : +33 %",
        "Échange écrit au lieu de l'oral",
        "Présence d'un assistant ou d'un interprète",
    ]
    assert rules.visible_measures(measures, rules.disclosure_for("assessor")) == (
        rules.assessor_measures(measures)
    )
    assert "Fauteuil adapté" in " ".join(rules.manager_measures(measures))
    assert rules.visible_measures(measures, rules.disclosure_for("inconnu")) == []


@pytest.mark.parametrize(
    ("duration", "percent", "extra"), [(105, 33, 35), (60, 33, 20), (55, 50, 28), (10, 0, 0)]
)
def test_extra_time_is_rounded_up_to_the_minute(duration, percent, extra):
    assert rules.extra_minutes(duration, percent) == extra


def test_extra_time_can_differ_per_method():
    measures = rules.Measures(extra_time_percent=33, extra_time_by_method={"oral_defence": 50})
    assert rules.extra_percent(measures, "oral_defence") == 50
    assert rules.extra_percent(measures, "written_case_study") == 33
    assert "Temps majoré pour « Soutenance orale » : +50 %" in rules.manager_measures(measures)


def test_an_exemption_needs_both_conditions_and_a_motivated_opinion(referent, enrolment):
    accommodation = services.record_accommodation(
        enrolment=enrolment, actor=referent, disability=SECRET
    )
    criterion = Criterion.objects.filter(competency__version=enrolment.version).first()
    with pytest.raises(ValueError, match="deux conditions cumulatives"):
        services.request_exemption(
            accommodation=accommodation,
            criterion=criterion,
            opinion="Avis",
            keeps_overall_capacity=True,
            not_needed_in_future_practice=False,
            actor=referent,
        )
    with pytest.raises(ValueError, match="avis motivé"):
        services.request_exemption(
            accommodation=accommodation,
            criterion=criterion,
            opinion="  ",
            keeps_overall_capacity=True,
            not_needed_in_future_practice=True,
            actor=referent,
        )
    services.request_exemption(
        accommodation=accommodation,
        criterion=criterion,
        opinion="Le critère porte sur l'échange oral, que la situation empêche.",
        keeps_overall_capacity=True,
        not_needed_in_future_practice=True,
        actor=referent,
    )
    assert ExemptionRequest.objects.get().criterion == criterion


def test_exemptions_are_for_certifier_referentiels_and_their_own_criteria(
    organisation, manager, referent, enrolment
):
    titre = enrol(organisation, manager, "cc")
    accommodation = services.record_accommodation(
        enrolment=titre, actor=referent, disability=SECRET
    )
    criterion = Criterion.objects.filter(competency__version=titre.version).first()
    with pytest.raises(ValueError, match="pas par les titres professionnels"):
        services.request_exemption(
            accommodation=accommodation,
            criterion=criterion,
            opinion="Avis",
            keeps_overall_capacity=True,
            not_needed_in_future_practice=True,
            actor=referent,
        )
    devco = services.record_accommodation(enrolment=enrolment, actor=referent, disability=SECRET)
    with pytest.raises(ValueError, match="n'appartient pas au référentiel"):
        services.request_exemption(
            accommodation=devco,
            criterion=criterion,
            opinion="Avis",
            keeps_overall_capacity=True,
            not_needed_in_future_practice=True,
            actor=referent,
        )


def test_the_exemption_form_is_offered_on_a_certifier_referentiel(client, referent, enrolment):
    services.record_accommodation(enrolment=enrolment, actor=referent, disability=SECRET)
    client.force_login(referent)
    html = client.get(reverse("candidates:accommodation", args=[enrolment.pk])).content.decode()
    assert (
        "Demandes d&#x27;exemption de critères" in html
        or "Demandes d'exemption de critères" in html
    )
    criterion = Criterion.objects.filter(competency__version=enrolment.version).first()
    response = client.post(
        reverse("candidates:exemption", args=[enrolment.pk]),
        {
            "criterion": criterion.pk,
            "opinion": "Avis motivé",
            "keeps_overall_capacity": "on",
            "not_needed_in_future_practice": "on",
        },
        follow=True,
    )
    assert "Demande d&#x27;exemption enregistrée" in response.content.decode()
    assert ExemptionRequest.objects.count() == 1


def test_extra_time_can_be_set_per_method_through_the_form(client, referent, enrolment):
    client.force_login(referent)
    url = reverse("candidates:accommodation", args=[enrolment.pk])
    html = client.get(url).content.decode()
    assert "Temps majoré pour « Production écrite » (%)" in html
    client.post(
        url,
        {
            "disability": SECRET,
            "extra_time_percent": 33,
            "method_extra_written_production": 50,
            "method_extra_professional_situation": "",
        },
    )
    accommodation = Accommodation.objects.get()
    assert accommodation.extra_time_by_method == {"written_production": 50}
    assert 'value="50"' in client.get(url).content.decode()
