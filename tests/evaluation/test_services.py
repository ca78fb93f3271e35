from __future__ import annotations

import datetime as dt

import pytest

from attesta.core.models import AuditEvent
from attesta.evaluation import services
from attesta.evaluation.models import CompetencyDecision, CriterionMark
from attesta.evaluation.rules import Agreement, Mark
from attesta.exams import services as exam_services
from attesta.exams.models import TimetableEntry

pytestmark = pytest.mark.django_db

CC_COMPETENCIES = ["CP1", "CP2", "CP3", "CP4", "CP5", "CP6", "CP7", "CP8"]
FINAL_INTERVIEW = "method:certification:3"


def mark(seat, assessor, key, value, *, version=0, method_index=0, comment=""):
    return services.record_mark(
        seat=seat,
        assessor=assessor,
        method_index=method_index,
        criterion_key=key,
        mark=value,
        comment=comment,
        expected_version=version,
    )


def test_marks_of_two_assessors_are_consolidated_per_criterion(seat, president, member):
    mark(seat, president, "CP3#1", "met")
    mark(seat, member, "CP3#1", "met")
    mark(seat, president, "CP3#2", "met")
    mark(seat, member, "CP3#2", "not_met")
    mark(seat, president, "CP3#3", "met")

    rows = {row.key: row for row in services.consolidation(seat, 0).criteria}

    assert rows["CP3#1"].agreement is Agreement.AGREED
    assert rows["CP3#1"].agreed_mark is Mark.MET
    assert rows["CP3#2"].agreement is Agreement.DISAGREED
    assert rows["CP3#3"].agreement is Agreement.INCOMPLETE
    evidence = services.evidence_of(seat)
    assert evidence["CP3#1"] is Mark.MET
    assert evidence["CP3#2"] is None
    assert services.marks_of(seat=seat, assessor=member, method_index=0)["CP3#2"] is Mark.NOT_MET
    assert AuditEvent.objects.filter(action="evaluation.mark_recorded").count() == 5


def test_an_edit_increments_the_version(seat, member):
    first = mark(seat, member, "CP3#1", "met")
    second = mark(seat, member, "CP3#1", "not_observed", version=first.version, comment="Absent")

    assert (first.version, second.version) == (1, 2)
    assert CriterionMark.objects.get().mark == "not_observed"


def test_a_stale_edit_is_refused_and_writes_nothing(seat, member):
    mark(seat, member, "CP3#1", "met")
    mark(seat, member, "CP3#1", "not_met", version=1)  # from another tab
    events = AuditEvent.objects.count()

    with pytest.raises(services.StaleMark, match=r"modifié entre-temps par Juré1.* ; rechargez"):
        mark(seat, member, "CP3#1", "met", version=1)

    stored = CriterionMark.objects.get()
    assert (stored.mark, stored.version) == ("not_met", 2)
    assert AuditEvent.objects.count() == events


def test_a_first_mark_saved_meanwhile_makes_the_blank_grid_stale(seat, member):
    mark(seat, member, "CP3#1", "met")

    with pytest.raises(services.StaleMark):
        mark(seat, member, "CP3#1", "not_met", version=0)

    assert CriterionMark.objects.get().mark == "met"


def test_an_assessor_off_the_jury_cannot_mark(seat, colleague, manager):
    for user in (colleague, manager):
        with pytest.raises(services.EvaluationError, match="ne siège pas au jury"):
            mark(seat, user, "CP3#1", "met")
    assert not CriterionMark.objects.exists()


def test_only_the_planned_panel_marks_a_planned_method(seat, member, assessors, manager):
    exam_services.add_jury_member(
        session=seat.session, user=assessors[2], actor=manager, panel="Jury 2"
    )
    start = dt.datetime(2027, 1, 12, 8, tzinfo=dt.UTC)
    TimetableEntry.objects.create(
        session=seat.session,
        seat=seat,
        position=0,
        method_title="Mise en situation professionnelle",
        method_kind="professional_situation",
        base_minutes=60,
        minutes=60,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        room="Salle A",
        jury_panel="Jury 2",
    )

    with pytest.raises(services.EvaluationError, match="n'est pas du jury"):
        mark(seat, member, "CP3#1", "met")
    mark(seat, assessors[2], "CP3#1", "met")
    mark(seat, member, "CP3#1", "met", method_index=1)  # not planned yet: any panel

    assert CriterionMark.objects.count() == 2


def test_a_trainer_cannot_mark_their_own_candidate(seat, member):
    member.jury_seats.get().trained.add(seat)

    with pytest.raises(services.EvaluationError, match="a formé ce candidat"):
        mark(seat, member, "CP3#1", "met")


def test_an_assessor_cannot_exempt_nor_mark_outside_the_grid(seat, member):
    with pytest.raises(services.EvaluationError, match="Seul le jury peut dispenser"):
        mark(seat, member, "CP3#1", "exempted")
    with pytest.raises(services.EvaluationError, match="absent de la grille"):
        mark(seat, member, "CP1#1", "met")  # CP1 is not assessed by method 0
    assert not CriterionMark.objects.exists()


def test_only_the_president_exempts_and_the_grid_shows_it_exempted(seat, president, member):
    mark(seat, member, "CP3#2", "not_met")
    with pytest.raises(services.EvaluationError, match="Seul le président"):
        services.exempt_criterion(seat=seat, criterion_key="CP3#2", actor=member)

    exemption = services.exempt_criterion(seat=seat, criterion_key="CP3#2", actor=president)

    assert exemption.decided_by == president
    shown = services.marks_of(seat=seat, assessor=member, method_index=0)
    assert shown["CP3#2"] is Mark.EXEMPTED
    assert services.evidence_of(seat)["CP3#2"] is Mark.EXEMPTED
    with pytest.raises(services.EvaluationError, match="dispensé"):
        mark(seat, member, "CP3#2", "met", version=1)
    assert AuditEvent.objects.filter(action="evaluation.criterion_exempted").count() == 1
    with pytest.raises(ValueError, match="non modifiable"):
        exemption.save()


def test_a_departing_decision_needs_a_justification(seat, president, member):
    for key in ("CP3#1", "CP3#2"):
        mark(seat, member, key, "met")
        mark(seat, president, key, "met")

    with pytest.raises(services.EvaluationError, match="justification obligatoire"):
        services.decide_competency(seat=seat, competency_code="CP3", acquired=True, actor=president)
    assert not CompetencyDecision.objects.exists()

    decision = services.decide_competency(
        seat=seat,
        competency_code="CP3",
        acquired=True,
        justification="Critères restants démontrés à l'entretien technique.",
        actor=president,
    )
    assert decision.acquired
    with pytest.raises(services.EvaluationError, match="déjà prise"):
        services.decide_competency(
            seat=seat, competency_code="CP3", acquired=False, actor=president
        )


def test_a_decision_following_the_criteria_needs_no_justification(seat, president):
    decision = services.decide_competency(
        seat=seat, competency_code="CP4", acquired=False, actor=president
    )
    assert decision.justification == ""


def test_a_correction_supersedes_the_decision_which_stays_as_it_was(seat, president, member):
    decision = services.decide_competency(
        seat=seat, competency_code="CP4", acquired=False, actor=member
    )
    with pytest.raises(services.EvaluationError, match="Seul le président"):
        services.correct_decision(
            decision=decision, acquired=True, justification="x", reason="Erreur", actor=member
        )
    with pytest.raises(services.EvaluationError, match="motif"):
        services.correct_decision(
            decision=decision, acquired=True, justification="x", reason=" ", actor=president
        )

    correction = services.correct_decision(
        decision=decision,
        acquired=True,
        justification="Preuves du dossier professionnel.",
        reason="Erreur de saisie en délibération.",
        actor=president,
    )

    assert correction.supersedes == decision
    assert list(CompetencyDecision.objects.current()) == [correction]
    decision.refresh_from_db()
    assert decision.acquired is False
    decision.acquired = True
    with pytest.raises(ValueError, match="non modifiable"):
        decision.save()
    with pytest.raises(ValueError, match="non supprimable"):
        decision.delete()
    with pytest.raises(ValueError, match="ne se suppriment pas"):
        CompetencyDecision.objects.all().delete()
    with pytest.raises(ValueError, match="ne se modifient pas"):
        CompetencyDecision.objects.update(acquired=False)
    assert CompetencyDecision.objects.count() == 2
    with pytest.raises(services.EvaluationError, match="déjà été corrigée"):
        services.correct_decision(
            decision=decision, acquired=False, reason="Encore", actor=president
        )
    assert AuditEvent.objects.filter(action="evaluation.decision_corrected").count() == 1


def test_the_title_needs_every_competency_and_the_final_interview(seat, president):
    for code in CC_COMPETENCIES:
        services.decide_competency(
            seat=seat,
            competency_code=code,
            acquired=True,
            justification="Compétence démontrée.",
            actor=president,
        )

    without = services.outcome_of(seat)
    held = services.outcome_of(seat, conditions_met=[FINAL_INTERVIEW])

    assert without.obtained_blocks() == ("CCP1", "CCP2")
    assert without.unmet_conditions == (FINAL_INTERVIEW,)
    assert not without.obtained
    assert held.obtained
    assert held.newly_obtained_blocks() == ("CCP1", "CCP2")


def test_a_missing_competency_leaves_a_partial_success(seat, president):
    for code in CC_COMPETENCIES[:4]:
        services.decide_competency(
            seat=seat, competency_code=code, acquired=True, justification="Oui.", actor=president
        )

    outcome = services.outcome_of(seat, conditions_met=[FINAL_INTERVIEW])

    assert outcome.obtained_blocks() == ("CCP1",)
    assert outcome.partial
