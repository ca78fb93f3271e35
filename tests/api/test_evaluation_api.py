"""Jury assessment API: grids and marks with optimistic locking, decisions and their
corrections, conditions, attendance, exemptions, minutes and their signatures; scoped by role
(404 outside one's scope), refusals in French from the services."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token

from attesta.candidates.models import Accommodation, ExemptionRequest
from attesta.evaluation import services
from attesta.evaluation.models import CompetencyDecision, CriterionMark, MinutesSignature
from attesta.referentiels.models import Criterion
from tests.api.conftest import FINAL_INTERVIEW, JUSTIFICATION, PERSONAS, deliberate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CCP1 = ["CP1", "CP2", "CP3", "CP4"]
CCP2 = ["CP5", "CP6", "CP7", "CP8"]
OPINION = "Surdité profonde : l'échange oral du critère n'est pas accessible."


def post(client, url, payload, **kwargs):
    return client.post(url, json.dumps(payload), content_type="application/json", **kwargs)


def mark_payload(key="CP3#1", mark="met", version=0, comment=""):
    return {
        "method_index": 0,
        "criterion_key": key,
        "mark": mark,
        "comment": comment,
        "expected_version": version,
    }


@pytest.fixture
def exemption_request(seat):
    """The referent's request to exempt the candidate from CP3#2, with a motivated opinion."""
    accommodation = Accommodation.objects.create(
        enrolment=seat.enrolment, disability="Surdité profonde"
    )
    criterion = Criterion.objects.filter(
        competency__version=seat.session.version, competency__code="CP3"
    ).order_by("position", "id")[1]
    return ExemptionRequest.objects.create(
        accommodation=accommodation,
        criterion=criterion,
        opinion=OPINION,
        keeps_overall_capacity=True,
        not_needed_in_future_practice=True,
    )


# --- grids and marks -----------------------------------------------------------------------


def test_an_assessor_reads_the_grid_and_marks_a_criterion_with_a_token(client, seat, member):
    token = Token.objects.create(user=member)
    auth = {"Authorization": f"Token {token.key}"}
    url = f"/api/seats/{seat.pk}/grids/0/"

    grid = client.get(url, headers=auth).json()

    assert (grid["method_title"], grid["method_kind"], grid["frozen"]) == (
        "Mise en situation professionnelle",
        "professional_situation",
        False,
    )
    assert [c["code"] for c in grid["competencies"]] == ["CP3", "CP5", "CP6", "CP7"]
    first = grid["competencies"][0]["criteria"][0]
    assert (first["key"], first["mark"], first["version"], first["exempted"]) == (
        "CP3#1",
        None,
        0,
        False,
    )
    assert first["text"]
    assert grid["transversals"][3]["code"] == "CT4"
    assert grid["transversals"][3]["through"] == ["CP5"]

    response = post(
        client,
        f"/api/seats/{seat.pk}/marks/",
        mark_payload(comment="Démarche structurée."),
        headers=auth,
    )

    assert response.status_code == 200, response.content
    assert (response.json()["mark"], response.json()["version"]) == ("met", 1)
    first = client.get(url, headers=auth).json()["competencies"][0]["criteria"][0]
    assert (first["mark"], first["version"], first["comment"]) == (
        "met",
        1,
        "Démarche structurée.",
    )


def test_a_stale_mark_answers_409_with_the_french_message_and_writes_nothing(client, seat, member):
    client.force_login(member)
    url = f"/api/seats/{seat.pk}/marks/"
    assert post(client, url, mark_payload()).status_code == 200
    assert post(client, url, mark_payload(mark="not_met", version=1)).status_code == 200

    response = post(client, url, mark_payload(mark="met", version=1))  # from another tab

    assert response.status_code == 409
    assert "modifié entre-temps par Juré1" in response.json()["detail"]
    assert "rechargez la grille" in response.json()["detail"]
    stored = CriterionMark.objects.get()
    assert (stored.mark, stored.version) == ("not_met", 2)


def test_invalid_marks_are_refused_with_the_reason(client, seat, member):
    client.force_login(member)
    url = f"/api/seats/{seat.pk}/marks/"

    unknown = post(client, url, mark_payload(key="CP1#1"))  # CP1 is not assessed by method 0
    exempted = post(client, url, mark_payload(mark="exempted"))

    assert unknown.status_code == 400
    assert unknown.json() == {"detail": "Critère CP1#1 absent de la grille."}
    assert exempted.status_code == 400
    assert "mark" in exempted.json()
    assert client.get(f"/api/seats/{seat.pk}/grids/9/").status_code == 404
    assert not CriterionMark.objects.exists()


def test_consolidation_shows_each_assessor_and_the_agreement(
    client, seat, president, member, manager
):
    for who, value in ((president, "met"), (member, "not_met")):
        client.force_login(who)
        post(client, f"/api/seats/{seat.pk}/marks/", mark_payload(mark=value))
    client.force_login(manager)

    data = client.get(f"/api/seats/{seat.pk}/consolidation/").json()

    assert [m["method_title"] for m in data["methods"]][:2] == [
        "Mise en situation professionnelle",
        "Entretien technique",
    ]
    row = data["methods"][0]["criteria"][0]
    assert row == {
        "key": "CP3#1",
        "agreement": "disagreed",
        "agreed_mark": None,
        "marks": [{"assessor": "jure0", "mark": "met"}, {"assessor": "jure1", "mark": "not_met"}],
    }
    assert data["methods"][0]["disagreements"] == ["CP3#1"]
    assert {"key": "CP3#1", "mark": None} in data["evidence"]


# --- exemptions: disability information stays with the president ----------------------------


def test_the_president_exempts_on_the_referent_opinion_which_assessors_never_see(
    client, seat, president, member, personas, exemption_request
):
    client.force_login(president)
    listed = client.get(f"/api/seats/{seat.pk}/exemptions/").json()
    assert listed["exemptions"] == []
    [request] = listed["requests"]
    assert (request["criterion_key"], request["opinion"]) == ("CP3#2", OPINION)

    response = post(
        client,
        f"/api/seats/{seat.pk}/exemptions/",
        {"criterion_key": "CP3#2", "request": exemption_request.pk},
    )

    assert response.status_code == 201, response.content
    assert response.json()["referent_opinion"] == OPINION
    client.force_login(member)
    seen = client.get(f"/api/seats/{seat.pk}/exemptions/")
    assert [e["criterion_key"] for e in seen.json()["exemptions"]] == ["CP3#2"]
    assert "referent_opinion" not in seen.json()["exemptions"][0]
    assert "requests" not in seen.json()
    grid = client.get(f"/api/seats/{seat.pk}/grids/0/")
    criterion = grid.json()["competencies"][0]["criteria"][1]
    assert (criterion["key"], criterion["exempted"], criterion["mark"]) == (
        "CP3#2",
        True,
        "exempted",
    )
    for response in (seen, grid, client.get(f"/api/seats/{seat.pk}/")):
        assert "Surdité" not in response.content.decode()
    client.force_login(personas.manager)  # reads the measures, not the disability
    assert "Surdité" not in client.get(f"/api/seats/{seat.pk}/exemptions/").content.decode()
    client.force_login(personas.administrator)  # reads the disability itself
    exemption = client.get(f"/api/seats/{seat.pk}/exemptions/").json()["exemptions"][0]
    assert exemption["referent_opinion"] == OPINION


def test_only_the_president_exempts(client, seat, member):
    client.force_login(member)

    response = post(client, f"/api/seats/{seat.pk}/exemptions/", {"criterion_key": "CP3#2"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Seul le président du jury peut le faire."}


# --- decisions, conditions, attendance -----------------------------------------------------


def test_jury_members_decide_and_a_decision_is_changed_by_correction_only(
    client, seat, president, member
):
    client.force_login(member)
    url = f"/api/seats/{seat.pk}/decisions/"
    missing = post(client, url, {"competency_code": "CP1", "acquired": True})
    assert missing.status_code == 400
    assert "justification obligatoire" in missing.json()["detail"]

    created = post(
        client, url, {"competency_code": "CP1", "acquired": True, "justification": JUSTIFICATION}
    )
    again = post(
        client, url, {"competency_code": "CP1", "acquired": False, "justification": "Non."}
    )

    assert created.status_code == 201, created.content
    assert again.status_code == 400
    assert "seul le président peut la corriger" in again.json()["detail"]
    data = client.get(url).json()
    assert [c["code"] for c in data["competencies"]] == CCP1 + CCP2
    cp1 = data["competencies"][0]
    assert (cp1["criteria_support_acquired"], cp1["decision"]["acquired"]) == (False, True)
    assert cp1["decision"]["decided_by"].startswith("Juré1")
    assert data["competencies"][1]["decision"] is None


def test_the_president_corrects_a_decision_with_a_reason_after_the_minutes(
    client, seat, president, member, drafted
):
    decision = services.current_decisions(seat)["CP8"]
    url = f"/api/decisions/{decision.pk}/correct/"
    payload = {"acquired": False, "justification": "Critères non satisfaits.", "reason": ""}
    client.force_login(member)
    assert post(client, url, {**payload, "reason": "Erreur"}).json() == {
        "detail": "Seul le président du jury peut le faire."
    }
    client.force_login(president)
    assert post(client, url, payload).json() == {"detail": "Indiquez le motif de la correction."}

    response = post(client, url, {**payload, "reason": "Erreur de report de la grille."})

    assert response.status_code == 201, response.content
    correction = response.json()
    assert (correction["supersedes"], correction["acquired"]) == (decision.pk, False)
    assert CompetencyDecision.objects.count() == 3 * 8 + 1
    data = client.get(f"/api/seats/{seat.pk}/decisions/").json()
    assert data["competencies"][-1]["decision"]["id"] == correction["id"]
    history = [d for d in data["history"] if d["competency_code"] == "CP8"]
    assert [(d["id"], d["superseded_by"]) for d in history] == [
        (decision.pk, correction["id"]),
        (correction["id"], None),
    ]
    assert client.get(f"/api/decisions/{decision.pk}/").json()["superseded_by"] == correction["id"]


def test_conditions_are_recorded_then_corrected_by_the_president(client, seat, president, member):
    client.force_login(member)
    url = f"/api/seats/{seat.pk}/conditions/"
    listed = client.get(url).json()
    assert [(c["key"], c["label"], c["finding"]) for c in listed["conditions"]] == [
        (FINAL_INTERVIEW, "Entretien final", None)
    ]
    finding = post(client, url, {"condition_key": FINAL_INTERVIEW, "met": False}).json()
    unknown = post(client, url, {"condition_key": "method:x", "met": True})
    assert unknown.status_code == 400
    assert "Condition inconnue" in unknown.json()["detail"]
    correct_url = f"/api/conditions/{finding['id']}/correct/"
    assert post(client, correct_url, {"met": True, "reason": "Vu"}).status_code == 400

    client.force_login(president)
    fixed = post(client, correct_url, {"met": True, "reason": "Entretien tenu, mal reporté."})

    assert fixed.status_code == 201, fixed.content
    current = client.get(url).json()["conditions"][0]["finding"]
    assert (current["id"], current["met"], current["supersedes"]) == (
        fixed.json()["id"],
        True,
        finding["id"],
    )


def test_attendance_is_recorded_by_the_jury_or_the_manager(client, seat, manager, member):
    client.force_login(manager)
    url = f"/api/seats/{seat.pk}/attendance/"
    assert client.get(url).json()["attendance"] == "present"
    refused = post(client, url, {"attendance": "excused"})
    assert refused.json() == {"detail": "Indiquez le motif de l'absence excusée."}

    response = post(client, url, {"attendance": "excused", "reason": "Certificat reçu"})

    assert response.status_code == 201, response.content
    client.force_login(member)
    data = client.get(url).json()
    assert data["attendance"] == "excused"
    assert [(r["attendance"], r["reason"]) for r in data["history"]] == [
        ("excused", "Certificat reçu")
    ]
    decided = post(
        client,
        f"/api/seats/{seat.pk}/decisions/",
        {"competency_code": "CP1", "acquired": True, "justification": JUSTIFICATION},
    )
    assert decided.status_code == 400
    assert "Absent excusé" in decided.json()["detail"]


# --- minutes, signatures, results ----------------------------------------------------------


def test_the_jury_draws_up_and_signs_the_minutes_and_the_candidate_then_reads_the_result(
    client, seat, president, member, personas
):
    session = seat.session
    client.force_login(president)
    url = f"/api/sessions/{session.pk}/minutes/"
    before = client.get(url).json()
    assert (before["latest"], before["frozen"], len(before["problems"])) == (None, False, 6)
    incomplete = post(client, url, {})
    assert incomplete.status_code == 400
    assert incomplete.json()["detail"].startswith("Délibération incomplète.")
    deliberate(session, president)
    client.force_login(member)
    assert post(client, url, {}).json() == {
        "detail": "Seul le président du jury établit le procès-verbal."
    }

    client.force_login(president)
    drawn = post(client, url, {})

    assert drawn.status_code == 201, drawn.content
    minutes = drawn.json()
    assert minutes["revision"] == 1
    assert minutes["content"]["candidates"][0]["result_label"] == "Certification obtenue"
    assert [p["president"] for p in minutes["pending_signers"]] == [True, False]
    client.force_login(personas.own_candidate)
    assert client.get(f"/api/seats/{seat.pk}/").json()["result"] is None

    client.force_login(member)
    sign_url = f"/api/minutes/{minutes['id']}/sign/"
    wrong = post(client, sign_url, {"content_hash": "0" * 64, "password": PASSWORD})
    assert wrong.status_code == 400
    assert "ne correspond pas au procès-verbal" in wrong.json()["detail"]
    unconfirmed = post(client, sign_url, {"content_hash": minutes["content_hash"]})
    assert unconfirmed.status_code == 400
    assert "password" in unconfirmed.json()
    guessed = post(
        client, sign_url, {"content_hash": minutes["content_hash"], "password": "devine"}
    )
    assert guessed.status_code == 400
    assert guessed.json()["password"] == [
        "Mot de passe incorrect : le procès-verbal n'est pas signé."
    ]
    assert not MinutesSignature.objects.exists()
    signed = post(client, sign_url, {"content_hash": minutes["content_hash"], "password": PASSWORD})
    assert signed.status_code == 201, signed.content
    assert signed.json()["signer_name"].startswith("Juré1")
    assert "password" not in signed.json()
    client.force_login(president)
    confirmed = {"content_hash": minutes["content_hash"], "password": PASSWORD}
    assert post(client, sign_url, confirmed).status_code == 201

    after = client.get(url).json()
    assert (after["frozen"], after["signed_revision"], after["latest"]["signed"]) == (
        True,
        1,
        True,
    )
    assert after["latest"]["pending_signers"] == []
    assert [r["revision"] for r in after["revisions"]] == [1]
    client.force_login(personas.own_candidate)
    own = client.get(f"/api/seats/{seat.pk}/").json()
    assert own["outcome"] is None
    assert own["attendance"] is None
    assert (own["result"]["revision"], own["result"]["result_label"]) == (
        1,
        "Certification obtenue",
    )
    assert [(b["code"], b["obtained"]) for b in own["result"]["blocks"]] == [
        ("CCP1", True),
        ("CCP2", True),
    ]


def test_decisions_and_marks_are_frozen_once_the_minutes_are_drawn_up(
    client, seat, president, member, drafted
):
    client.force_login(member)

    mark = post(client, f"/api/seats/{seat.pk}/marks/", mark_payload())
    decision = post(
        client, f"/api/seats/{seat.pk}/decisions/", {"competency_code": "CP1", "acquired": True}
    )
    condition = post(
        client, f"/api/seats/{seat.pk}/conditions/", {"condition_key": FINAL_INTERVIEW, "met": 0}
    )

    for response in (mark, decision, condition):
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Procès-verbal établi")
    assert client.get(f"/api/seats/{seat.pk}/grids/0/").json()["frozen"] is True
    assert client.get(f"/api/seats/{seat.pk}/").json()["frozen"] is True


def test_the_staff_read_the_live_outcome_and_the_minutes_revisions(
    client, seat, president, manager, drafted
):
    client.force_login(manager)
    data = client.get(f"/api/seats/{seat.pk}/").json()
    assert (data["attendance"], data["outcome"]["obtained"], data["result"]) == (
        "present",
        True,
        None,
    )
    assert [m["title"] for m in data["methods"]][-1] == "Entretien final"
    listed = client.get("/api/minutes/", {"session": seat.session_id}).json()
    assert [(m["revision"], m["content_hash"]) for m in listed["results"]] == [
        (1, drafted.content_hash)
    ]
    detail = client.get(f"/api/minutes/{drafted.pk}/").json()
    assert detail["content"] == drafted.content
    assert detail["signed"] is False


# --- scope ---------------------------------------------------------------------------------


def test_each_role_lists_the_seats_of_its_scope(client, seat, personas):
    expected = {
        "administrator": 3,
        "manager": 3,
        "outsider": 0,
        "president": 3,
        "member": 3,
        "off_jury": 0,
        "referent": 0,
        "own_candidate": 1,
        "other_candidate": 1,
    }
    for name, count in expected.items():
        client.force_login(personas.get(name))
        assert client.get("/api/seats/").json()["count"] == count, name
    client.force_login(personas.own_candidate)
    [own] = client.get("/api/seats/").json()["results"]
    assert own["id"] == seat.pk
    client.logout()
    assert client.get("/api/seats/").status_code == 403


# Role × endpoint → status. 404 outside one's scope (never 403 telling it exists), 400 with
# the service's French reason when the role may see the object but not do this, 403 anonymous.
OPEN_MATRIX = [
    # method, path under /api                    anon adm  mgr  out  pres mem  off  ref  own  oth
    ("get", "/seats/{seat}/",                   (403, 200, 200, 404, 200, 200, 404, 404, 200, 404)),
    ("get", "/seats/{seat}/grids/0/",           (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/seats/{seat}/consolidation/",     (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/seats/{seat}/decisions/",         (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/seats/{seat}/conditions/",        (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/seats/{seat}/attendance/",        (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/seats/{seat}/exemptions/",        (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/decisions/{decision}/",           (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/conditions/{finding}/",           (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("get", "/sessions/{session}/minutes/",     (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("post", "/seats/{seat}/marks/",            (403, 400, 400, 404, 200, 200, 404, 404, 404, 404)),
    ("post", "/seats/{seat}/decisions/",        (403, 400, 400, 404, 201, 201, 404, 404, 404, 404)),
    ("post", "/seats/{seat}/conditions/",       (403, 400, 400, 404, 201, 201, 404, 404, 404, 404)),
    ("post", "/seats/{seat}/attendance/",       (403, 201, 201, 404, 201, 201, 404, 404, 404, 404)),
    ("post", "/seats/{seat}/exemptions/",       (403, 400, 400, 404, 201, 400, 404, 404, 404, 404)),
    ("post", "/decisions/{decision}/correct/",  (403, 400, 400, 404, 201, 400, 404, 404, 404, 404)),
    ("post", "/conditions/{finding}/correct/",  (403, 400, 400, 404, 201, 400, 404, 404, 404, 404)),
    ("post", "/sessions/{session}/minutes/",    (403, 400, 400, 404, 400, 400, 404, 404, 404, 404)),
]  # fmt: skip
FROZEN_MATRIX = [
    ("get", "/minutes/{minutes}/",              (403, 200, 200, 404, 200, 200, 404, 404, 404, 404)),
    ("post", "/minutes/{minutes}/sign/",        (403, 400, 400, 404, 201, 201, 404, 404, 404, 404)),
    ("get", "/seats/{seat}/",                   (403, 200, 200, 404, 200, 200, 404, 404, 200, 404)),
    ("post", "/seats/{seat}/marks/",            (403, 400, 400, 404, 400, 400, 404, 404, 404, 404)),
]  # fmt: skip
PAYLOADS = {
    "marks": mark_payload(),
    "decisions": {"competency_code": "CP2", "acquired": True, "justification": JUSTIFICATION},
    "conditions": {"condition_key": FINAL_INTERVIEW, "met": True},
    "attendance": {"attendance": "present"},
    "exemptions": {"criterion_key": "CP3#2"},
    "correct": {"acquired": False, "met": False, "reason": "Erreur de report."},
    "minutes": {"reason": ""},
    "sign": {},
}


def check_matrix(client, personas, matrix, ids, sign_hash=""):
    """Every request runs in a transaction rolled back afterwards: each persona meets the
    same state."""
    failures = []
    for method, template, statuses in matrix:
        path = "/api" + template.format(**ids)
        payload = PAYLOADS[path.rstrip("/").rsplit("/", 1)[-1]] if method == "post" else None
        if path.endswith("/sign/"):
            payload = {"content_hash": sign_hash, "password": PASSWORD}
        for name, expected in zip(PERSONAS, statuses, strict=True):
            user = personas.get(name)
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            with transaction.atomic():
                response = client.get(path) if method == "get" else post(client, path, payload)
                transaction.set_rollback(True)
            if response.status_code != expected:
                failures.append(f"{method.upper()} {template} {name}: {response.status_code}")
    assert failures == []


def test_permission_matrix_while_the_jury_deliberates(client, seat, president, personas):
    decision = services.decide_competency(
        seat=seat, competency_code="CP1", acquired=True, justification="x", actor=president
    )
    finding = services.record_condition(
        seat=seat, condition_key=FINAL_INTERVIEW, met=True, actor=president
    )
    ids = {
        "seat": seat.pk,
        "session": seat.session_id,
        "decision": decision.pk,
        "finding": finding.pk,
    }
    check_matrix(client, personas, OPEN_MATRIX, ids)


def test_permission_matrix_once_the_minutes_are_drawn_up(client, seat, personas, drafted):
    ids = {"seat": seat.pk, "minutes": drafted.pk}
    check_matrix(client, personas, FROZEN_MATRIX, ids, sign_hash=drafted.content_hash)


def test_list_endpoints_only_hold_the_users_scope(client, seat, president, outsider, drafted):
    client.force_login(outsider)
    for path in ("/api/seats/", "/api/decisions/", "/api/conditions/", "/api/minutes/"):
        assert client.get(path).json()["count"] == 0, path
    client.force_login(president)
    assert client.get("/api/decisions/", {"seat": seat.pk}).json()["count"] == 8
    assert client.get("/api/conditions/").json()["count"] == 3


def test_list_queries_do_not_grow_with_rows(
    client, seat, manager, drafted, django_assert_max_num_queries
):
    client.force_login(manager)
    for path in ("/api/seats/", "/api/decisions/", "/api/conditions/", "/api/minutes/"):
        with django_assert_max_num_queries(6):
            response = client.get(path)
        assert response.json()["count"] > 0, path


def test_the_api_root_still_lists_the_sessions(client, manager):
    client.force_login(manager)
    root = client.get("/api/").json()
    assert root["sessions"].endswith("/api/sessions/")
    assert root["seats"].endswith("/api/seats/")


def test_openapi_schema_documents_the_jury_endpoints(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path in [
        "/api/seats/",
        "/api/seats/{id}/",
        "/api/seats/{id}/grids/{method_index}/",
        "/api/seats/{id}/marks/",
        "/api/seats/{id}/consolidation/",
        "/api/seats/{id}/decisions/",
        "/api/seats/{id}/conditions/",
        "/api/seats/{id}/attendance/",
        "/api/seats/{id}/exemptions/",
        "/api/decisions/{id}/correct/",
        "/api/conditions/{id}/correct/",
        "/api/sessions/{id}/minutes/",
        "/api/minutes/{id}/sign/",
    ]:
        assert path in paths, path
    assert "409" in paths["/api/seats/{id}/marks/"]["post"]["responses"]
    sign = schema["components"]["schemas"]["SignMinutes"]["properties"]["content_hash"]
    assert "confirme que vous signez ce contenu" in sign["description"]


def test_an_assessor_attaches_evidence_through_the_api_and_only_the_jury_lists_it(
    seat, member, manager
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    from tests.candidates.files import pdf

    client = APIClient()
    client.force_authenticate(member)
    url = f"/api/seats/{seat.pk}/evidence/"
    created = client.post(
        url,
        {
            "method_index": 0,
            "criterion_key": "CP3#1",
            "file": SimpleUploadedFile("fiche.pdf", pdf(1)),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    assert created.json()["file_kind"] == "pdf"
    refused = client.post(
        url,
        {"method_index": 0, "criterion_key": "CP3#1", "file": SimpleUploadedFile("a.txt", b"x")},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "format non accepté" in refused.json()["detail"]
    listed = client.get(url).json()
    assert [row["original_name"] for row in listed] == ["fiche.pdf"]
    client.force_authenticate(manager)
    assert client.get(url).status_code == 404
