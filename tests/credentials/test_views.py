"""Downloads by role, and the public verification page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attesta.credentials import access, services
from attesta.credentials.models import IssuedDocument
from tests.credentials.conftest import ABSENCE_REASON, DISABILITY, sign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def grid_url(seat, variant="filled", method_index=0):
    return reverse("credentials:grid_pdf", args=[seat.session_id, seat.pk, method_index, variant])


def result_url(seat, kind):
    return reverse("credentials:candidate_document", args=[seat.pk, kind])


# --- downloads -----------------------------------------------------------------------------


def test_the_session_manager_downloads_every_document_of_the_session(client, deliberated):
    martin = deliberated.seats[0]
    client.force_login(deliberated.manager)

    for url in (
        grid_url(martin, "blank"),
        grid_url(martin, "filled"),
        reverse("credentials:minutes_pdf", args=[deliberated.minutes.pk]),
        result_url(martin, "attestation"),
        result_url(martin, "results_summary"),
        reverse("credentials:livret", args=[martin.enrolment.candidate_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert IssuedDocument.objects.count() == 6


def test_a_jury_member_gets_the_grids_and_minutes_but_no_result(client, deliberated, assessors):
    martin = deliberated.seats[0]
    client.force_login(deliberated.member)

    assert client.get(grid_url(martin)).status_code == 200
    minutes = reverse("credentials:minutes_pdf", args=[deliberated.minutes.pk])
    assert client.get(minutes).status_code == 200
    assert client.get(result_url(martin, "attestation")).status_code == 404
    assert client.get(result_url(martin, "results_summary")).status_code == 404
    livret = reverse("credentials:livret", args=[martin.enrolment.candidate_id])
    assert client.get(livret).status_code == 404
    client.force_login(assessors[2])  # an assessor who does not sit on this jury
    assert client.get(grid_url(martin)).status_code == 404
    assert client.get(minutes).status_code == 404


def test_a_candidate_gets_only_their_own_results_and_livret(client, deliberated):
    martin, durand, _ = deliberated.seats
    client.force_login(deliberated.candidate_user)

    assert client.get(result_url(martin, "attestation")).status_code == 200
    assert client.get(result_url(martin, "results_summary")).status_code == 200
    livret = reverse("credentials:livret", args=[martin.enrolment.candidate_id])
    assert client.get(livret).status_code == 200
    assert client.get(result_url(martin, "certificate")).status_code == 404  # a TP: no certificate
    assert client.get(result_url(durand, "attestation")).status_code == 404
    other_livret = reverse("credentials:livret", args=[durand.enrolment.candidate_id])
    assert client.get(other_livret).status_code == 404
    assert client.get(grid_url(martin)).status_code == 404
    minutes = reverse("credentials:minutes_pdf", args=[deliberated.minutes.pk])
    assert client.get(minutes).status_code == 404


def test_a_candidate_waits_for_the_signed_minutes(client, drafted, marked, manager):
    candidate = marked[0].enrolment.candidate
    candidate.user = UserFactory(username="alex", organisation=candidate.organisation)
    candidate.save()
    client.force_login(candidate.user)

    response = client.get(result_url(marked[0], "attestation"))

    assert response.status_code == 404
    assert "pas encore signé" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_outsiders_get_404_and_anonymous_users_the_login_page(client, deliberated, outsider):
    martin = deliberated.seats[0]
    urls = [
        grid_url(martin),
        reverse("credentials:minutes_pdf", args=[deliberated.minutes.pk]),
        result_url(martin, "attestation"),
        reverse("credentials:livret", args=[martin.enrolment.candidate_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    assert not IssuedDocument.objects.exists()


def test_a_wrong_session_variant_or_method_is_not_found(client, deliberated):
    martin = deliberated.seats[0]
    client.force_login(deliberated.manager)
    wrong_session = reverse(
        "credentials:grid_pdf", args=[martin.session_id + 1, martin.pk, 0, "filled"]
    )

    assert client.get(wrong_session).status_code == 404
    assert client.get(grid_url(martin, "rempli")).status_code == 404
    response = client.get(grid_url(martin, method_index=9))
    assert response.status_code == 404
    assert "modalité 9 inconnue" in response.content.decode()
    assert client.get(result_url(martin, "livret")).status_code == 404


def test_documents_for_lists_what_each_role_may_download(deliberated, assessors, outsider):
    session = deliberated.session
    manager_links = access.documents_for(deliberated.manager, session)
    jury_links = access.documents_for(deliberated.member, session)
    own_links = access.documents_for(deliberated.candidate_user, session)

    grids = [link for link in manager_links if link.kind == "grid_blank"]
    assert len(grids) == 3 * 3  # three candidates, three methods with a grid (no final interview)
    assert all("Entretien final" not in link.label for link in manager_links)
    kinds = {link.kind for link in manager_links}
    assert kinds == {"minutes", "grid_blank", "grid_filled", "attestation", "results_summary"}
    assert {link.kind for link in jury_links} == {"minutes", "grid_blank", "grid_filled"}
    assert [(link.kind, link.candidate) for link in own_links] == [
        ("attestation", "Alex Martin"),
        ("results_summary", "Alex Martin"),
    ]
    assert access.documents_for(outsider, session) == []
    assert access.documents_for(assessors[2], session) == []


# --- public verification -------------------------------------------------------------------


def test_the_public_page_shows_what_the_document_states_without_login(client, deliberated):
    document = services.attestation_document(seat=deliberated.seats[0], actor=deliberated.manager)

    response = client.get(reverse("credentials:verify_code", args=[document.code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Valide" in html
    assert "Alex Martin" in html
    assert "Attestation de blocs de compétences" in html
    assert "CCP1 – " in html
    assert "CCP2 – " in html
    assert document.pdf_sha256 in html
    assert "Remplacé" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_public_page_of_a_grid_shows_no_mark_and_no_disability(client, deliberated):
    grid = services.grid_document(
        seat=deliberated.seats[0], method_index=0, filled=True, actor=deliberated.manager
    )
    minutes = services.minutes_document(minutes=deliberated.minutes, actor=deliberated.manager)

    for document in (grid, minutes):
        html = client.get(reverse("credentials:verify_code", args=[document.code])).content
        text = html.decode()
        for secret in ("Satisfait", "Divergent", "Démarche", "Dispensé", DISABILITY):
            assert secret not in text
        assert ABSENCE_REASON not in text
    text = client.get(reverse("credentials:verify_code", args=[minutes.code])).content.decode()
    assert "Alex Durand" not in text  # the minutes' page names no candidate
    assert "Définitif" in text


def test_an_unknown_or_malformed_code_is_not_found_with_a_clear_message(client, db):
    for code in ("0000-0000-0000", "pas-un-code"):
        response = client.get(reverse("credentials:verify_code", args=[code]))
        assert response.status_code == 404
        assert "Code inconnu" in response.content.decode()
        assert "n'a pas été délivré par Attesta" in response.content.decode()


def test_the_form_sends_a_typed_code_to_its_page(client, deliberated):
    document = services.livret_document(
        candidate=deliberated.seats[0].enrolment.candidate, actor=deliberated.manager
    )
    url = reverse("credentials:verify")

    assert client.get(url).status_code == 200
    response = client.get(url, {"code": document.code.lower().replace("-", " ")})
    assert response.status_code == 302
    assert response["Location"] == reverse("credentials:verify_code", args=[document.code])
    typed = client.get(reverse("credentials:verify_code", args=[document.code.lower()]))
    assert typed.status_code == 302
    wrong = client.get(url, {"code": "123"})
    assert wrong.status_code == 400
    assert "pas la forme attendue" in wrong.content.decode()


def test_a_replaced_document_shows_as_replaced(client, deliberated):
    durand = deliberated.seats[1]
    president, member = deliberated.president, deliberated.member
    old = services.attestation_document(seat=durand, actor=president)
    from attesta.evaluation import services as evaluation

    decision = evaluation.current_decisions(durand)["CP1"]
    evaluation.correct_decision(
        decision=decision,
        acquired=False,
        justification="Critère essentiel non satisfait.",
        reason="Erreur de report",
        actor=president,
    )
    second = evaluation.draft_minutes(
        session=deliberated.session, actor=president, reason="Erreur de report"
    )
    sign(second, member, president)

    html = client.get(reverse("credentials:verify_code", args=[old.code])).content.decode()
    assert "Remplacé" in html
    assert "ne fait plus foi" in html


def test_the_verification_page_queries_stay_bounded(
    client, deliberated, django_assert_max_num_queries
):
    """One query finds the document; telling whether it was replaced rebuilds what it would
    state now: a fixed number of queries, whatever the number of candidates of the session."""
    documents = [
        services.attestation_document(seat=deliberated.seats[0], actor=deliberated.manager),
        services.livret_document(
            candidate=deliberated.seats[0].enrolment.candidate, actor=deliberated.manager
        ),
        services.minutes_document(minutes=deliberated.minutes, actor=deliberated.manager),
        services.grid_document(
            seat=deliberated.seats[0], method_index=0, filled=True, actor=deliberated.manager
        ),
    ]
    for document in documents:
        with django_assert_max_num_queries(15):
            response = client.get(reverse("credentials:verify_code", args=[document.code]))
        assert response.status_code == 200
    with django_assert_max_num_queries(1):
        response = client.get(reverse("credentials:verify_code", args=["0000-0000-0000"]))
    assert response.status_code == 404
