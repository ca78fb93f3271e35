"""Documents API: issued documents by role, what a session offers each user, the PDFs with
their verification code; candidates get results from signed minutes only."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from attesta.credentials.models import IssuedDocument
from attesta.evaluation import services
from tests.api.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def pdf_document(response) -> tuple[IssuedDocument, str]:
    """The issued document a PDF answer names in its header, and the PDF's text."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get(code=response["X-Verification-Code"])
    assert response["X-Verification-Url"].endswith(f"/verifier/{document.code}/")
    reader = PdfReader(io.BytesIO(response.getvalue()))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert document.code in text.replace(" ", "")
    return document, text


def test_the_candidate_gets_the_results_summary_once_the_minutes_are_signed(
    client, seat, personas, drafted, president, member
):
    url = f"/api/documents/results/{seat.pk}/results_summary/"
    token = Token.objects.create(user=personas.own_candidate)
    auth = {"Authorization": f"Token {token.key}"}

    before = client.get(url, headers=auth)

    assert before.status_code == 404
    assert before.json()["detail"]  # the reason, in French
    for user in (member, president):
        services.sign_minutes(minutes=drafted, actor=user, content_hash=drafted.content_hash)

    response = client.get(url, headers=auth | {"Accept": "application/pdf"})

    document, text = pdf_document(response)
    assert document.kind == "results_summary"
    assert "Martin" in text
    listed = client.get("/api/documents/", headers=auth).json()["results"]
    assert [(d["kind"], d["code"], d["superseded"]) for d in listed] == [
        ("results_summary", document.code, None)
    ]
    detail = client.get(f"/api/documents/{document.pk}/", headers=auth).json()
    assert (detail["superseded"], detail["statement"]["title"]) == (
        False,
        document.statement["title"],
    )
    again = client.get(detail["download"], headers=auth)
    assert again["X-Verification-Code"] == document.code
    # a titre professionnel has a results summary, not a certificate of the certifier
    certificate = client.get(f"/api/documents/results/{seat.pk}/certificate/", headers=auth)
    assert certificate.status_code == 404


def test_the_jury_downloads_grids_and_minutes_but_no_result(client, seat, member, signed):
    client.force_login(member)

    grid = client.get(f"/api/documents/grids/{seat.pk}/0/filled/")
    minutes = client.get(f"/api/documents/minutes/{signed.pk}/")

    document, text = pdf_document(grid)
    assert document.kind == "grid_filled"
    assert "Mise en situation professionnelle" in text
    assert pdf_document(minutes)[0].kind == "minutes"
    assert client.get(f"/api/documents/results/{seat.pk}/attestation/").status_code == 404
    livret = f"/api/documents/livrets/{seat.enrolment.candidate_id}/"
    assert client.get(livret).status_code == 404
    assert client.get(f"/api/documents/grids/{seat.pk}/9/blank/").status_code == 404
    kinds = {d["kind"] for d in client.get("/api/documents/").json()["results"]}
    assert kinds == {"grid_filled", "minutes"}


def test_a_document_asked_again_is_the_one_already_issued(client, seat, manager, signed):
    client.force_login(manager)
    url = f"/api/documents/livrets/{seat.enrolment.candidate_id}/"

    first = client.get(url)
    second = client.get(url)

    assert pdf_document(first)[0].kind == "livret"
    assert first["X-Verification-Code"] == second["X-Verification-Code"]
    assert IssuedDocument.objects.count() == 1


def test_available_documents_point_to_the_api(client, seat, personas, signed):
    url = "/api/documents/available/"
    client.force_login(personas.manager)
    offered = client.get(url, {"session": seat.session_id}).json()
    assert offered[0]["kind"] == "minutes"
    assert offered[0]["download"] == f"/api/documents/minutes/{signed.pk}/"
    assert f"/api/documents/grids/{seat.pk}/0/blank/" in {d["download"] for d in offered}
    assert {"attestation", "results_summary"} <= {d["kind"] for d in offered}

    client.force_login(personas.member)
    kinds = {d["kind"] for d in client.get(url, {"session": seat.session_id}).json()}
    assert kinds == {"minutes", "grid_blank", "grid_filled"}

    client.force_login(personas.own_candidate)
    mine = client.get(url, {"session": seat.session_id}).json()
    assert {(d["kind"], d["download"]) for d in mine} == {
        ("attestation", f"/api/documents/results/{seat.pk}/attestation/"),
        ("results_summary", f"/api/documents/results/{seat.pk}/results_summary/"),
    }

    for name in ("outsider", "off_jury", "referent"):
        client.force_login(personas.get(name))
        assert client.get(url, {"session": seat.session_id}).status_code == 404, name
    assert client.get(url).status_code == 400


def test_the_candidate_sees_nothing_before_the_minutes_are_signed(client, seat, personas, drafted):
    client.force_login(personas.own_candidate)

    assert client.get("/api/documents/available/", {"session": seat.session_id}).json() == []
    assert client.get(f"/api/documents/results/{seat.pk}/attestation/").status_code == 404


# Role × document → status: 404 outside one's scope, 403 anonymous.
MATRIX = [
    # path under /api/documents/        anon adm  mgr  out  pres mem  off  ref  own  oth
    ("grids/{seat}/0/blank/",          (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("minutes/{minutes}/",             (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("results/{seat}/attestation/",    (403, 200, 200, 404, 404, 404, 404, 404, 200, 404)),
    ("livrets/{candidate}/",           (403, 200, 200, 404, 404, 404, 404, 404, 200, 404)),
    ("available/?session={session}",   (403, 200, 200, 404, 200, 200, 404, 404, 200, 200)),
]  # fmt: skip


def test_permission_matrix_of_the_documents(client, seat, personas, signed):
    ids = {
        "seat": seat.pk,
        "minutes": signed.pk,
        "candidate": seat.enrolment.candidate_id,
        "session": seat.session_id,
    }
    failures = []
    for template, statuses in MATRIX:
        path = "/api/documents/" + template.format(**ids)
        for name, expected in zip(PERSONAS, statuses, strict=True):
            user = personas.get(name)
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            with transaction.atomic():
                status = client.get(path).status_code
                transaction.set_rollback(True)
            if status != expected:
                failures.append(f"{template} {name}: {status}")
    assert failures == []


def test_issued_documents_are_listed_in_each_users_scope(
    client, seat, personas, signed, django_assert_max_num_queries
):
    client.force_login(personas.manager)
    for path in (
        f"/api/documents/grids/{seat.pk}/0/blank/",
        f"/api/documents/minutes/{signed.pk}/",
        f"/api/documents/results/{seat.pk}/attestation/",
        f"/api/documents/livrets/{seat.enrolment.candidate_id}/",
    ):
        assert client.get(path).status_code == 200, path

    with django_assert_max_num_queries(5):
        listed = client.get("/api/documents/").json()

    assert listed["count"] == 4
    expected = {
        "administrator": 4,
        "outsider": 0,
        "member": 2,
        "off_jury": 0,
        "referent": 0,
        "own_candidate": 2,
        "other_candidate": 0,
    }
    for name, count in expected.items():
        client.force_login(personas.get(name))
        assert client.get("/api/documents/").json()["count"] == count, name
    client.force_login(personas.outsider)
    document = IssuedDocument.objects.filter(kind="minutes").get()
    assert client.get(f"/api/documents/{document.pk}/").status_code == 404
    assert client.get(f"/api/documents/{document.pk}/pdf/").status_code == 404


def test_openapi_schema_documents_the_pdf_endpoints(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path in [
        "/api/documents/",
        "/api/documents/{id}/",
        "/api/documents/{id}/pdf/",
        "/api/documents/available/",
        "/api/documents/grids/{seat}/{method_index}/{variant}/",
        "/api/documents/minutes/{minutes}/",
        "/api/documents/results/{seat}/{kind}/",
        "/api/documents/livrets/{candidate}/",
    ]:
        assert path in paths, path
    grid = paths["/api/documents/grids/{seat}/{method_index}/{variant}/"]["get"]["responses"]
    assert "application/pdf" in grid["200"]["content"]
    assert "X-Verification-Code" in grid["200"]["headers"]
