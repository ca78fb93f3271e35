"""Candidates and enrolments API: organisation scope, token authentication, eligibility."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from attesta.candidates import services
from attesta.candidates.models import Candidate
from attesta.referentiels.services import store_referentiel
from tests.conftest import parsed_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(organisation, manager):
    version = store_referentiel(
        referentiel=parsed_seed("attache"), organisation=organisation, actor=manager, publish=True
    )
    candidate = services.register_candidate(
        organisation=organisation,
        actor=manager,
        last_name="Bernard",
        first_names="Hugo",
        birth_date=dt.date(2000, 1, 15),
        birth_country="Belgique",
    )
    return services.enrol_candidate(
        candidate=candidate,
        version=version,
        path="training",
        actor=manager,
        target_block_codes=("BC02",),
    )


def test_a_token_from_the_cli_authenticates_api_calls(client, manager, enrolment, capsys):
    call_command("drf_create_token", "responsable")
    token = Token.objects.get(user=manager).key
    assert token in capsys.readouterr().out
    response = client.get("/api/candidates/", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    assert [c["last_name"] for c in response.json()["results"]] == ["Bernard"]


def test_outsider_sees_no_candidate_and_gets_404(client, outsider, enrolment):
    client.force_login(outsider)
    assert client.get("/api/candidates/").json()["results"] == []
    assert client.get(f"/api/candidates/{enrolment.candidate_id}/").status_code == 404
    assert client.get(f"/api/enrolments/{enrolment.pk}/").status_code == 404
    assert client.get(f"/api/enrolments/{enrolment.pk}/eligibility/").status_code == 404


def test_enrolment_lists_its_target_and_eligibility(client, manager, enrolment):
    client.force_login(manager)
    data = client.get(f"/api/enrolments/{enrolment.pk}/").json()
    assert (data["certification"], data["target_blocks"], data["status"]) == (
        "ATTACHE-COMMERCIAL",
        ["BC02"],
        "registered",
    )
    eligibility = client.get(f"/api/enrolments/{enrolment.pk}/eligibility/").json()
    assert eligibility == {"eligible": True, "missing": []}


def test_manager_creates_a_candidate_through_the_api(client, manager):
    client.force_login(manager)
    payload = {
        "last_name": "Petit",
        "first_names": "Inès",
        "birth_date": "1999-09-09",
        "birth_place": "Nantes",
    }
    response = client.post("/api/candidates/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Candidate.objects.get().organisation == manager.organisation
    assert response.json()["possible_duplicates"] == []


def test_api_refuses_a_candidate_without_birth_place_or_country(client, manager):
    client.force_login(manager)
    payload = {"last_name": "Petit", "first_names": "Inès", "birth_date": "1999-09-09"}
    response = client.post("/api/candidates/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert "birth_place" in response.json()


def test_read_only_roles_cannot_create_candidates(client, colleague):
    client.force_login(colleague)
    payload = {"last_name": "X", "first_names": "Y", "birth_date": "1999-09-09", "birth_place": "Z"}
    response = client.post("/api/candidates/", json.dumps(payload), content_type="application/json")
    assert response.status_code == 403
    assert not Candidate.objects.exists()
