"""The documents of the jury assessment, printed and issued once each."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from attesta.core.models import AuditEvent
from attesta.credentials import services
from attesta.credentials.models import IssuedDocument
from attesta.evaluation import services as evaluation
from tests.credentials.conftest import ABSENCE_REASON, DISABILITY, JUSTIFICATION, pdf_text, sign

pytestmark = pytest.mark.django_db


def test_a_blank_grid_lists_the_criteria_and_prints_an_exemption_without_its_reason(
    marked, manager
):
    document = services.grid_document(seat=marked[0], method_index=0, filled=False, actor=manager)

    text = pdf_text(document)
    assert document.kind == "grid_blank"
    assert document.code in text
    assert f"/verifier/{document.code}/" in text
    assert "Alex Martin" in text
    assert "Grille d'évaluation vierge" in text
    assert "CP3" in text
    assert "Dispensé" in text
    assert DISABILITY not in text
    assert "Satisfait" in text  # the boxes' headings
    assert "Démarche structurée" not in text  # a blank grid has no comment
    facts = dict(document.statement["facts"])
    assert facts["Candidat"] == "Alex Martin"
    assert facts["Session"] == "CC – janvier 2027"
    assert document.statement["items"] == []
    assert document.pdf_sha256
    assert len(document.fingerprint) == 64


def test_a_filled_grid_prints_each_assessor_marks_comments_and_consolidation(marked, manager):
    document = services.grid_document(seat=marked[0], method_index=0, filled=True, actor=manager)

    text = pdf_text(document)
    assert "Juré0" in text
    assert "Juré1" in text
    assert "Démarche structurée." in text
    assert "Relevé incomplet." in text
    assert "Concordant : Satisfait" in text
    assert "Divergent" in text
    assert "Dispensé" in text
    assert DISABILITY not in text
    public = str(document.statement)
    assert "Satisfait" not in public
    assert "Divergent" not in public
    assert "Relevé" not in public


def test_a_filled_grid_without_marks_says_so_and_a_method_without_competency_has_no_grid(
    marked, manager
):
    durand = marked[1]

    document = services.grid_document(seat=durand, method_index=0, filled=True, actor=manager)

    assert "Aucune appréciation" in pdf_text(document)
    with pytest.raises(services.CredentialError, match="n'évalue aucune compétence"):
        services.grid_document(seat=durand, method_index=3, filled=False, actor=manager)


def test_the_same_content_gives_the_same_document_and_code(marked, manager, member):
    first = services.grid_document(seat=marked[0], method_index=0, filled=True, actor=manager)
    again = services.grid_document(seat=marked[0], method_index=0, filled=True, actor=member)

    assert again.pk == first.pk
    assert again.code == first.code
    assert IssuedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="credentials.document_issued").count() == 1

    evaluation.record_mark(
        seat=marked[0],
        assessor=member,
        method_index=0,
        criterion_key="CP3#1",
        mark="not_met",
        expected_version=1,
    )
    changed = services.grid_document(seat=marked[0], method_index=0, filled=True, actor=manager)

    assert changed.pk != first.pk
    assert changed.code != first.code
    assert services.is_superseded(first)
    assert not services.is_superseded(changed)


def test_issued_documents_are_append_only(marked, manager):
    document = services.grid_document(seat=marked[0], method_index=0, filled=False, actor=manager)

    with pytest.raises(ValueError, match="non modifiable"):
        document.save()
    with pytest.raises(ValueError, match="non supprimable"):
        document.delete()
    with pytest.raises(ValueError, match="ne se modifient pas"):
        IssuedDocument.objects.update(statement={})
    with pytest.raises(ValueError, match="ne se suppriment pas"):
        IssuedDocument.objects.all().delete()
    assert IssuedDocument.objects.get().statement == document.statement


def test_draft_minutes_print_as_a_project_and_signed_ones_as_final(drafted, member, president):
    draft = services.minutes_document(minutes=drafted, actor=president)

    text = pdf_text(draft)
    assert "Projet – en attente de signatures" in text
    assert drafted.content_hash in text.replace(" ", "")
    assert "Juré0" in text
    assert "Juré1" in text
    assert "Alex Martin" in text
    assert "Alex Durand" in text
    assert "Absent excusé" in text
    assert ABSENCE_REASON not in text
    assert DISABILITY not in text
    assert "CP3#2" in text  # the exempted criterion, without a reason
    assert draft.statement["facts"][-1] == ["État", "Projet – en attente de signatures"]

    sign(drafted, member, president)
    final = services.minutes_document(minutes=drafted, actor=president)

    text = pdf_text(final)
    assert final.code != draft.code
    assert "Définitif – signé par tous les membres du jury" in text
    assert "Projet" not in text
    assert services.is_superseded(draft)
    assert not services.is_superseded(final)
    assert final.minutes == drafted
    assert final.session == drafted.session
    names = [c["name"] for c in drafted.content["candidates"]]
    assert not any(name in str(final.statement) for name in names)


def test_the_attestation_lists_the_blocks_obtained_at_the_session(deliberated):
    _martin, durand, petit = deliberated.seats

    document = services.attestation_document(seat=durand, actor=deliberated.manager)

    text = pdf_text(document)
    assert document.kind == "attestation"
    assert document.code in text
    assert "Alex Durand" in text
    assert "CCP1" in text
    assert "obtenu à la session « CC – janvier 2027 »" in text
    assert "CCP2" not in text
    assert document.statement["items"][0].startswith("CCP1 – ")
    assert document.candidate == durand.enrolment.candidate
    assert document.seat == durand
    assert document.minutes == deliberated.minutes
    with pytest.raises(services.CredentialError, match="aucun bloc"):
        services.attestation_document(seat=petit, actor=deliberated.manager)


def test_a_titre_professionnel_gets_a_results_summary_not_a_certificate(deliberated):
    martin, durand, petit = deliberated.seats

    summary = services.certificate_document(seat=martin, actor=deliberated.manager)
    partial = services.certificate_document(seat=durand, actor=deliberated.manager)

    text = pdf_text(summary)
    assert summary.kind == partial.kind == "results_summary"
    assert "délivré par le ministère chargé de l'emploi" in text
    assert "Certification obtenue" in text
    assert "CCP1" in text
    assert "CCP2" in text
    assert dict(partial.statement["facts"])["Résultat"] == "Réussite partielle"
    with pytest.raises(services.CredentialError, match="absent excusé"):
        services.certificate_document(seat=petit, actor=deliberated.manager)


def test_no_result_document_before_every_jury_member_signed(drafted, marked, manager):
    with pytest.raises(services.CredentialError, match="pas encore signé"):
        services.attestation_document(seat=marked[0], actor=manager)
    with pytest.raises(services.CredentialError, match="pas encore signé"):
        services.certificate_document(seat=marked[0], actor=manager)


def test_the_livret_lists_every_capitalised_block_with_date_source_and_version(deliberated):
    candidate = deliberated.seats[0].enrolment.candidate

    document = services.livret_document(candidate=candidate, actor=deliberated.manager)

    text = pdf_text(document)
    assert "Alex Martin" in text
    assert "CCP1" in text
    assert "CCP2" in text
    assert "CC – janvier 2027" in text
    assert "révision 1" in text
    assert len(document.statement["items"]) == 2
    assert document.session is None
    assert document.candidate == candidate


def test_a_result_changed_by_a_new_revision_is_replaced_and_an_unchanged_one_stays(
    deliberated,
):
    martin, durand, _ = deliberated.seats
    president, member = deliberated.president, deliberated.member
    kept = services.attestation_document(seat=martin, actor=president)
    replaced = services.attestation_document(seat=durand, actor=president)
    old_minutes = services.minutes_document(minutes=deliberated.minutes, actor=president)

    for code in ("CP5", "CP6", "CP7", "CP8"):
        decision = evaluation.current_decisions(durand)[code]
        evaluation.correct_decision(
            decision=decision,
            acquired=True,
            justification=JUSTIFICATION,
            reason="Erreur de report des grilles de CCP2.",
            actor=president,
        )
    second = evaluation.draft_minutes(
        session=deliberated.session, actor=president, reason="Erreur de report (CCP2)."
    )
    # Not signed yet: the results and the minutes in force are still revision 1's.
    assert not services.is_superseded(replaced)
    assert not services.is_superseded(old_minutes)
    draft = services.minutes_document(minutes=second, actor=president)
    assert "Projet – en attente de signatures" in pdf_text(draft)
    sign(second, member, president)

    assert services.is_superseded(replaced)
    assert services.is_superseded(old_minutes)
    assert services.is_superseded(draft)
    reprinted = services.minutes_document(minutes=deliberated.minutes, actor=president)
    assert "Remplacé par la révision 2" in pdf_text(reprinted)
    assert services.is_superseded(reprinted)
    assert not services.is_superseded(kept)
    assert services.attestation_document(seat=martin, actor=president).pk == kept.pk
    new = services.attestation_document(seat=durand, actor=president)
    assert new.pk != replaced.pk
    assert new.minutes == second
    assert "CCP2" in " ".join(new.statement["items"])
    assert not services.is_superseded(new)


def test_a_certifier_title_obtained_gets_a_certificate(certifier_deliberated, manager):
    camille, sam = certifier_deliberated

    certificate = services.certificate_document(seat=camille, actor=manager)

    text = pdf_text(certificate)
    assert certificate.kind == "certificate"
    assert "Certificat" in text
    assert "Camille Bernard" in text
    assert "ATTACHE-COMMERCIAL" in text
    assert "BC01" in text
    assert "BC03" in text
    assert "ministère" not in text
    assert certificate.code in text
    facts = dict(certificate.statement["facts"])
    assert facts["Résultat"] == "Certification obtenue"
    assert facts["Certificateur"] == "Certificateur A"
    with pytest.raises(services.CredentialError, match="n'a pas obtenu la certification"):
        services.certificate_document(seat=sam, actor=manager)
    attestation = services.attestation_document(seat=sam, actor=manager)
    assert [item.split(" – ")[0] for item in attestation.statement["items"]] == ["BC01"]


def test_every_pdf_is_french_a4_titled_and_prints_its_code(deliberated):
    from django.template.loader import render_to_string
    from django.utils import timezone

    draft = services.attestation_draft(seat=deliberated.seats[0])
    html = render_to_string(
        draft.template,
        services.print_context(draft, code="7KQ2-M9XD-4TNB", issued_at=timezone.now()),
    )
    assert '<html lang="fr">' in html
    assert "<title>Attestation de blocs de compétences</title>" in html
    assert "7KQ2-M9XD-4TNB" in html
    assert "/verifier/7KQ2-M9XD-4TNB/" in html

    document = services.attestation_document(seat=deliberated.seats[0], actor=deliberated.manager)
    document.pdf.open("rb")
    reader = PdfReader(io.BytesIO(document.pdf.read()))
    document.pdf.close()
    assert reader.metadata.title == "Attestation de blocs de compétences"
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (210, 297)
    assert document.pdf_sha256 == hashlib.sha256(document.pdf.open("rb").read()).hexdigest()


def test_visible_to_lists_the_issued_documents_each_role_may_download(deliberated, outsider):
    from attesta.credentials.models import IssuedDocument

    martin, durand, _ = deliberated.seats
    manager = deliberated.manager
    grid = services.grid_document(seat=martin, method_index=0, filled=False, actor=manager)
    minutes = services.minutes_document(minutes=deliberated.minutes, actor=manager)
    own = services.attestation_document(seat=martin, actor=manager)
    other = services.attestation_document(seat=durand, actor=manager)
    livret = services.livret_document(candidate=martin.enrolment.candidate, actor=manager)

    def visible(user):
        return set(IssuedDocument.objects.visible_to(user))

    assert visible(manager) == {grid, minutes, own, other, livret}
    assert visible(deliberated.member) == {grid, minutes}
    assert visible(deliberated.candidate_user) == {own, livret}
    assert visible(outsider) == set()


def test_the_command_issues_the_minutes_and_the_results_and_prints_their_codes(
    deliberated, tmp_path
):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("issue_documents", deliberated.session.pk, "--output", tmp_path, stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 1 + 2 + 2  # minutes; Martin and Durand: attestation, summary
    assert "Procès-verbal de délibération" in lines[0]
    assert lines[1].endswith("Alex Martin")
    assert len(list(tmp_path.glob("*.pdf"))) == 5
    assert IssuedDocument.objects.count() == 5
    again = io.StringIO()
    call_command("issue_documents", deliberated.session.pk, stdout=again)
    assert again.getvalue() == out.getvalue()
    assert IssuedDocument.objects.count() == 5
