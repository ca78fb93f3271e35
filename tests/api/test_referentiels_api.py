"""Read-only référentiel API: scoped like the pages, documented by OpenAPI."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attesta.referentiels.services import store_referentiel
from tests.referentiels.builders import small_referentiel

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(organisation, manager):
    draft = store_referentiel(
        referentiel=small_referentiel(), organisation=organisation, actor=manager
    )
    published = store_referentiel(
        referentiel=small_referentiel(code="TP-88888"),
        organisation=organisation,
        actor=manager,
        publish=True,
    )
    return draft, published


def codes(response):
    return [item["code"] for item in response.json()["results"]]


def test_anonymous_requests_are_refused(client, versions):
    response = client.get("/api/certifications/")
    assert response.status_code == 403


def test_owner_lists_drafts_and_published_certifications(client, manager, versions):
    client.force_login(manager)
    assert codes(client.get("/api/certifications/")) == ["TP-88888", "TP-99999"]


def test_outsider_sees_published_only_and_gets_404_on_a_draft(client, outsider, versions):
    draft, published = versions
    client.force_login(outsider)
    assert codes(client.get("/api/certifications/")) == ["TP-88888"]
    assert client.get("/api/certifications/TP-99999/").status_code == 404
    assert client.get(f"/api/versions/{draft.pk}/").status_code == 404
    assert client.get(f"/api/versions/{published.pk}/").status_code == 200
    block_versions = {b["version"] for b in client.get("/api/blocks/").json()["results"]}
    assert block_versions == {published.pk}
    competency_versions = {c["version"] for c in client.get("/api/competencies/").json()["results"]}
    assert competency_versions == {published.pk}


def test_version_detail_nests_blocks_with_competency_codes(client, manager, versions):
    _, published = versions
    client.force_login(manager)
    data = client.get(f"/api/versions/{published.pk}/").json()
    assert data["certification"] == "TP-88888"
    assert data["status"] == "published"
    assert [(b["code"], b["competencies"], b["extension"]) for b in data["blocks"]] == [
        ("CCP1", ["CP1", "CP2"], False),
        ("CCP2", ["CP3"], False),
        ("CCS1", ["CP4"], True),
    ]


def test_competencies_carry_their_ordered_criteria(client, manager, versions):
    _, published = versions
    client.force_login(manager)
    data = client.get("/api/competencies/", {"version": published.pk}).json()
    first = data["results"][0]
    assert first["code"] == "CP1"
    assert [c["text"] for c in first["criteria"]] == [
        "La veille est organisée",
        "Les sources sont fiables",
    ]
    assert first["criteria"][0]["group"] == "Qualité de la veille"


def test_api_is_read_only(client, manager, versions):
    client.force_login(manager)
    assert client.post("/api/certifications/", {"code": "X"}).status_code in (403, 405)
    assert client.delete("/api/certifications/TP-88888/").status_code in (403, 405)


def test_list_queries_do_not_grow_with_rows(
    client, manager, versions, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        client.get("/api/competencies/")
    with django_assert_max_num_queries(8):
        client.get("/api/versions/")


def test_openapi_schema_describes_the_referentiel_endpoints(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/certifications/",
        "/api/certifications/{code}/",
        "/api/versions/",
        "/api/blocks/",
        "/api/competencies/",
        "/api/candidates/",
        "/api/enrolments/",
        "/api/enrolments/{id}/eligibility/",
        "/api/sessions/",
        "/api/timetable/",
        "/api/convocations/",
    ]:
        assert path in paths
    assert "tokenAuth" in response.json()["components"]["securitySchemes"]
