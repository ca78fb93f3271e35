"""Deliberation: conditions, attendance, minutes drawn up and signed, freeze, corrections and
their new revision, capitalisation of the blocks obtained, a later session for the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from attesta.candidates import services as candidate_services
from attesta.candidates.models import CapitalisedBlock, EnrolmentEvent
from attesta.core.models import AuditEvent
from attesta.evaluation import services
from attesta.evaluation.models import Minutes, MinutesSignature
from attesta.exams import services as exam_services
from attesta.referentiels.importers.reader import override_identity
from attesta.referentiels.services import store_referentiel
from tests.conftest import parsed_seed

pytestmark = pytest.mark.django_db

CCP1 = ["CP1", "CP2", "CP3", "CP4"]
CCP2 = ["CP5", "CP6", "CP7", "CP8"]
FINAL_INTERVIEW = "method:certification:3"


def decide(seat, actor, codes, *, acquired=True):
    return [
        services.decide_competency(
            seat=seat,
            competency_code=code,
            acquired=acquired,
            justification="Au vu des épreuves et du dossier professionnel.",
            actor=actor,
        )
        for code in codes
    ]


@pytest.fixture
def seats(seat):
    """The session's three seats, the first one being ``seat``."""
    return list(seat.session.candidates.order_by("position"))


@pytest.fixture
def convened(seats, manager):
    for s in seats:
        s.enrolment.change_status("convened", actor=manager)
    return seats


def deliberate(seats, president, *, absent=()):
    """Every present candidate: all competencies acquired and the final interview held, except
    the second candidate who fails CCP2."""
    for i, s in enumerate(seats):
        if i in absent:
            continue
        decide(s, president, CCP1)
        decide(s, president, CCP2, acquired=i != 1)
        services.record_condition(seat=s, condition_key=FINAL_INTERVIEW, met=True, actor=president)


def test_the_minutes_wait_for_every_decision_and_condition(seats, president):
    problems = services.deliberation_problems(seats[0].session)
    assert len(problems) == 6
    assert "Martin : compétence(s) sans décision : CP1, CP2, CP3, CP4, CP5, CP6, CP7, CP8." in (
        problems[0].replace("Alex ", "")
    )
    assert "Entretien final" in problems[1]
    with pytest.raises(services.EvaluationError, match="Délibération incomplète"):
        services.draft_minutes(session=seats[0].session, actor=president)

    deliberate(seats, president)

    assert services.deliberation_problems(seats[0].session) == []


def test_only_the_president_draws_up_the_minutes_which_freeze_the_decisions(
    seats, president, member
):
    deliberate(seats, president)
    session = seats[0].session
    with pytest.raises(services.EvaluationError, match="Seul le président"):
        services.draft_minutes(session=session, actor=member)

    minutes = services.draft_minutes(session=session, actor=president)

    assert minutes.revision == 1
    assert minutes.content_hash == services.content_digest(minutes.content)
    results = [c["result_label"] for c in minutes.content["candidates"]]
    assert results == ["Certification obtenue", "Réussite partielle", "Certification obtenue"]
    partial = minutes.content["candidates"][1]
    assert [(b["code"], b["obtained"]) for b in partial["blocks"]] == [
        ("CCP1", True),
        ("CCP2", False),
    ]
    assert services.is_frozen(session)
    with pytest.raises(services.EvaluationError, match="Procès-verbal établi"):
        services.record_mark(
            seat=seats[0],
            assessor=member,
            method_index=0,
            criterion_key="CP3#1",
            mark="met",
            expected_version=0,
        )
    with pytest.raises(services.EvaluationError, match="Procès-verbal établi"):
        services.record_condition(
            seat=seats[0], condition_key=FINAL_INTERVIEW, met=False, actor=president
        )
    with pytest.raises(services.EvaluationError, match="Rien n'a changé"):
        services.draft_minutes(session=session, actor=president, reason="Relecture")
    with pytest.raises(ValueError, match="non modifiable"):
        minutes.save()


def test_signatures_need_the_hash_shown_and_capitalise_once_everyone_signed(
    convened, president, member, outsider
):
    deliberate(convened, president)
    minutes = services.draft_minutes(session=convened[0].session, actor=president)

    with pytest.raises(services.EvaluationError, match="ne correspond pas"):
        services.sign_minutes(minutes=minutes, actor=member, content_hash="0" * 64)
    with pytest.raises(services.EvaluationError, match="ne siège pas"):
        services.sign_minutes(minutes=minutes, actor=outsider, content_hash=minutes.content_hash)
    services.sign_minutes(minutes=minutes, actor=member, content_hash=minutes.content_hash)
    with pytest.raises(services.EvaluationError, match="déjà signé"):
        services.sign_minutes(minutes=minutes, actor=member, content_hash=minutes.content_hash)

    assert not services.minutes_signed(minutes)
    assert [m.user for m in services.pending_signers(minutes)] == [president]
    assert services.signed_minutes(minutes.session) is None
    assert not CapitalisedBlock.objects.exists()

    services.sign_minutes(minutes=minutes, actor=president, content_hash=minutes.content_hash)

    assert services.minutes_signed(minutes)
    assert services.signed_minutes(minutes.session) == minutes
    held = {
        (row.enrolment.candidate.last_name, row.block.code)
        for row in CapitalisedBlock.objects.select_related("enrolment__candidate", "block")
    }
    assert held == {
        ("Martin", "CCP1"),
        ("Martin", "CCP2"),
        ("Durand", "CCP1"),
        ("Petit", "CCP1"),
        ("Petit", "CCP2"),
    }
    row = CapitalisedBlock.objects.filter(enrolment__candidate__last_name="Durand").get()
    assert "CC – janvier 2027" in row.source
    assert "révision 1" in row.source
    assert row.block.version == minutes.session.version
    statuses = [s.enrolment.__class__.objects.get(pk=s.enrolment_id).status for s in convened]
    assert statuses == ["closed", "eligible", "closed"]
    note = EnrolmentEvent.objects.filter(enrolment=convened[1].enrolment).order_by("-id").first()
    assert note is not None
    assert "CCP2" in note.note
    assert AuditEvent.objects.filter(action="evaluation.minutes_signed").count() == 2
    assert MinutesSignature.objects.filter(minutes=minutes, president=True).count() == 1


def test_a_correction_after_signature_makes_a_new_revision_signed_again(
    convened, president, member
):
    deliberate(convened, president)
    session = convened[0].session
    first = services.draft_minutes(session=session, actor=president)
    for who in (president, member):
        services.sign_minutes(minutes=first, actor=who, content_hash=first.content_hash)
    wrong = services.current_decisions(convened[2])["CP8"]

    with pytest.raises(services.EvaluationError, match="Procès-verbal établi"):
        services.decide_competency(
            seat=convened[2], competency_code="CP8", acquired=False, actor=president
        )
    with pytest.raises(services.EvaluationError, match="Seul le président"):
        services.correct_decision(
            decision=wrong, acquired=False, justification="x", reason="Erreur", actor=member
        )
    services.correct_decision(
        decision=wrong,
        acquired=False,
        justification="Critères non satisfaits selon les grilles.",
        reason="Erreur de report de la grille de CP8.",
        actor=president,
    )
    with pytest.raises(services.EvaluationError, match="motif"):
        services.draft_minutes(session=session, actor=president)
    second = services.draft_minutes(
        session=session, actor=president, reason="Erreur de report de la grille de CP8."
    )
    with pytest.raises(services.EvaluationError, match="plus récente"):
        services.sign_minutes(minutes=first, actor=member, content_hash=first.content_hash)
    for who in (member, president):
        services.sign_minutes(minutes=second, actor=who, content_hash=second.content_hash)

    assert second.revision == 2
    assert second.content["candidates"][2]["result_label"] == "Réussite partielle"
    assert second.content["candidates"][2]["decisions"][-1]["corrects"] is True
    assert services.signed_minutes(session) == second
    petit = CapitalisedBlock.objects.filter(enrolment=convened[2].enrolment)
    assert list(petit.values_list("block__code", flat=True)) == ["CCP1"]
    assert AuditEvent.objects.filter(action="candidate.capitalised_block_withdrawn").count() == 1
    assert Minutes.objects.filter(session=session).count() == 2
    first.refresh_from_db()
    assert first.content["candidates"][2]["result_label"] == "Certification obtenue"


def test_a_condition_is_corrected_by_the_president_with_a_reason(seats, president, member):
    finding = services.record_condition(
        seat=seats[0], condition_key=FINAL_INTERVIEW, met=True, actor=member
    )
    again = services.record_condition(
        seat=seats[0], condition_key=FINAL_INTERVIEW, met=False, actor=member
    )
    assert again.supersedes == finding
    with pytest.raises(services.EvaluationError, match="Seul le président"):
        services.correct_condition(finding=again, met=True, reason="Vu", actor=member)
    with pytest.raises(services.EvaluationError, match="inconnue"):
        services.record_condition(seat=seats[0], condition_key="method:x", met=True, actor=member)

    fixed = services.correct_condition(
        finding=again, met=True, reason="Entretien tenu, mal reporté.", actor=president
    )

    assert services.current_conditions(seats[0]) == {FINAL_INTERVIEW: fixed}


def test_absent_and_excused_candidates_need_no_decision(convened, president, member, manager):
    with pytest.raises(services.EvaluationError, match="motif"):
        services.record_attendance(seat=convened[1], status="excused", actor=manager)
    services.record_attendance(seat=convened[1], status="absent", actor=member)
    services.record_attendance(
        seat=convened[2], status="excused", reason="Certificat médical", actor=manager
    )
    deliberate(convened, president, absent={1, 2})
    with pytest.raises(services.EvaluationError, match="Absent"):
        decide(convened[1], president, ["CP1"])

    minutes = services.draft_minutes(session=convened[0].session, actor=president)
    for who in (president, member):
        services.sign_minutes(minutes=minutes, actor=who, content_hash=minutes.content_hash)

    labels = [c["result_label"] for c in minutes.content["candidates"]]
    assert labels == ["Certification obtenue", "Absent", "Absent excusé"]
    assert minutes.content["candidates"][2]["attendance_reason"] == "Certificat médical"
    statuses = [s.enrolment.__class__.objects.get(pk=s.enrolment_id).status for s in convened]
    assert statuses == ["closed", "eligible", "eligible"]


def test_attendance_is_refused_to_outsiders_and_after_decisions(seats, president, outsider):
    with pytest.raises(services.EvaluationError, match="ne peut pas"):
        services.record_attendance(seat=seats[0], status="absent", actor=outsider)
    decide(seats[0], president, ["CP1"])
    with pytest.raises(services.EvaluationError, match="décisions sont déjà prises"):
        services.record_attendance(seat=seats[0], status="absent", actor=president)


def test_a_partial_success_is_completed_in_a_later_session(
    convened, president, member, manager, organisation
):
    first_session = convened[0].session
    deliberate(convened, president)
    minutes = services.draft_minutes(session=first_session, actor=president)
    for who in (president, member):
        services.sign_minutes(minutes=minutes, actor=who, content_hash=minutes.content_hash)
    enrolment = convened[1].enrolment
    enrolment.refresh_from_db()
    later = exam_services.create_session(
        organisation=organisation,
        actor=manager,
        version=first_session.version,
        block=None,
        label="CC – juin 2027",
        starts_on=dt.date(2027, 6, 8),
        ends_on=dt.date(2027, 6, 8),
        address="12 rue des Examens\n69000 Lyon",
        rooms=["Salle A"],
    )
    [seat] = exam_services.seat_candidates(session=later, enrolments=[enrolment], actor=manager)
    exam_services.add_jury_member(session=later, user=member, actor=manager, is_president=True)

    assert [c.code for c in services.required_competencies(seat)] == CCP2
    with pytest.raises(services.EvaluationError, match="déjà acquis"):
        decide(seat, member, ["CP1"])
    decide(seat, member, CCP2)
    services.record_condition(seat=seat, condition_key=FINAL_INTERVIEW, met=True, actor=member)
    outcome = services.seat_outcome(seat)
    assert outcome.obtained
    assert [(b.code, b.source.value) for b in outcome.blocks] == [
        ("CCP1", "capitalised"),
        ("CCP2", "session"),
    ]
    second = services.draft_minutes(session=later, actor=member)
    services.sign_minutes(minutes=second, actor=member, content_hash=second.content_hash)

    codes = CapitalisedBlock.objects.filter(enrolment=enrolment).values_list(
        "block__code", flat=True
    )
    assert sorted(codes) == ["CCP1", "CCP2"]
    assert second.content["candidates"][0]["result_label"] == "Certification obtenue"


def test_a_block_held_on_the_previous_version_is_credited_through_the_correspondences(
    seat, organisation, manager, member
):
    """CCP1 obtained on millésime 08 counts for CCP1 of millésime 09 (RE correspondences):
    the jury decides CCP2 only, and CCP1 shows as credited, not capitalised here."""
    new = seat.session.version
    old_referentiel = override_identity(parsed_seed("cc"), version="08")
    old_referentiel.correspondences = []
    old = store_referentiel(
        referentiel=old_referentiel, organisation=organisation, actor=manager, publish=True
    )
    candidate = seat.enrolment.candidate
    candidate_services.enrol_candidate(
        candidate=candidate,
        version=old,
        path="training",
        actor=manager,
        target_block_codes=("CCP2",),
        capitalised=(("CCP1", dt.date(2024, 6, 1), "Session de juin 2024, millésime 08"),),
    )
    assert seat.session.version == new

    assert [c.code for c in services.required_competencies(seat)] == CCP2
    decide(seat, member, CCP2)
    services.record_condition(seat=seat, condition_key=FINAL_INTERVIEW, met=True, actor=member)
    outcome = services.seat_outcome(seat)

    assert outcome.obtained
    assert [(b.code, b.source.value) for b in outcome.blocks] == [
        ("CCP1", "correspondence"),
        ("CCP2", "session"),
    ]
