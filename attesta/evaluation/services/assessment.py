"""Jury assessment operations: marks and evidence, exemptions, decisions and their
corrections, conditions and attendance, outcome, who may act. One transaction each, audited;
the rules themselves are in ``attesta.evaluation.rules``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from attesta.candidates.models import CapitalisedBlock, ExemptionRequest
from attesta.core.models import record_event
from attesta.evaluation import rules
from attesta.evaluation.enums import Attendance
from attesta.evaluation.models import (
    AttendanceRecord,
    CompetencyDecision,
    ConditionFinding,
    CriterionExemption,
    CriterionMark,
    MarkEvidence,
    Minutes,
)
from attesta.exams.models import ExamSession, JuryMember, SessionCandidate
from attesta.referentiels.importers.canonical import Competency, Referentiel
from attesta.referentiels.models import Criterion
from attesta.referentiels.services import load_referentiel


class EvaluationError(ValueError):
    """An operation the assessment rules refuse, with the reason in French."""


class StaleMark(EvaluationError):
    """The mark was saved by someone else since the grid was loaded."""


# --- marks ---------------------------------------------------------------------------------


@transaction.atomic
def record_mark(
    *,
    seat: SessionCandidate,
    assessor: Any,
    method_index: int,
    criterion_key: str,
    mark: str,
    comment: str = "",
    expected_version: int,
) -> CriterionMark:
    """Save one assessor's mark. ``expected_version`` is the version the assessor's grid
    showed (0 for a criterion not marked yet): a different stored version means the mark was
    changed meanwhile, and nothing is written."""
    _panel_member(seat, assessor, method_index)
    _open(seat.session)
    _present(seat)
    try:
        value = rules.Mark(mark)
    except ValueError:
        raise EvaluationError(f"Appréciation inconnue : « {mark} ».") from None
    if value not in rules.ASSESSOR_MARKS:
        raise EvaluationError("Seul le jury peut dispenser d'un critère.")
    referentiel = load_referentiel(seat.session.version)
    grid = _grid(referentiel, seat, method_index)
    exempted = exempted_keys(seat) & {criterion_key}
    problems = rules.mark_problems(grid, {criterion_key: value}, exempted=exempted)
    if problems:
        raise EvaluationError(" ".join(problems))
    stored = (
        CriterionMark.objects.select_for_update()
        .select_related("assessor")
        .filter(
            seat=seat, assessor=assessor, method_index=method_index, criterion_key=criterion_key
        )
        .first()
    )
    found = stored.version if stored is not None else 0
    if found != expected_version:
        raise StaleMark(_stale_message(criterion_key, stored))
    if stored is None:
        try:
            with transaction.atomic():
                stored = CriterionMark.objects.create(
                    seat=seat,
                    assessor=assessor,
                    method_index=method_index,
                    criterion_key=criterion_key,
                    mark=value.value,
                    comment=comment,
                )
        except IntegrityError:  # saved concurrently since the lookup above
            raise StaleMark(_stale_message(criterion_key, None)) from None
    else:
        stored.mark = value.value
        stored.comment = comment
        stored.version += 1
        stored.save(update_fields=["mark", "comment", "version", "updated_at"])
    record_event(
        actor=assessor,
        action="evaluation.mark_recorded",
        target=f"seat:{seat.pk}",
        method_index=method_index,
        criterion=criterion_key,
        mark=value.value,
        version=stored.version,
    )
    return stored


def _stale_message(criterion_key: str, stored: CriterionMark | None) -> str:
    who = "un autre enregistrement"
    if stored is not None:
        who = stored.assessor.get_full_name() or stored.assessor.username
    return (
        f"Critère {criterion_key} modifié entre-temps par {who} ; "
        "rechargez la grille avant de l'enregistrer à nouveau."
    )


def marks_of(
    *, seat: SessionCandidate, assessor: Any, method_index: int
) -> dict[str, rules.Mark | None]:
    """One assessor's grid as shown: exempted criteria exempted, others as marked (or empty)."""
    grid = _grid(load_referentiel(seat.session.version), seat, method_index)
    exempted = exempted_keys(seat)
    shown = rules.initial_marks(grid, exempted=exempted)
    for row in CriterionMark.objects.filter(
        seat=seat, assessor=assessor, method_index=method_index
    ):
        if row.criterion_key in shown and row.criterion_key not in exempted:
            shown[row.criterion_key] = rules.Mark(row.mark)
    return shown


def consolidation(seat: SessionCandidate, method_index: int) -> rules.Consolidation:
    """Every assessor's marks on one method, consolidated per criterion."""
    referentiel = load_referentiel(seat.session.version)
    return _consolidations(referentiel, seat, exempted_keys(seat))[method_index]


def evidence_of(seat: SessionCandidate) -> dict[str, rules.Mark | None]:
    """The criterion evidence over every method of the seat's exam."""
    referentiel = load_referentiel(seat.session.version)
    exempted = exempted_keys(seat)
    return rules.criterion_evidence(
        _consolidations(referentiel, seat, exempted).values(), exempted=exempted
    )


def _consolidations(
    referentiel: Referentiel, seat: SessionCandidate, exempted: frozenset[str]
) -> dict[int, rules.Consolidation]:
    exam = referentiel.exam_for(seat.session.scope)
    if exam is None:
        raise EvaluationError(f"Aucune épreuve « {seat.session.scope} » dans le référentiel.")
    by_method: dict[int, dict[str, dict[str, rules.Mark]]] = {}
    rows = (
        CriterionMark.objects.filter(seat=seat)
        .select_related("assessor")
        .order_by("method_index", "assessor_id", "id")
    )
    for row in rows:
        marks = by_method.setdefault(row.method_index, {}).setdefault(row.assessor.username, {})
        marks[row.criterion_key] = rules.Mark(row.mark)
    out = {}
    for index in range(len(exam.methods)):
        grid = rules.grid_for(referentiel, scope=seat.session.scope, method_index=index)
        assessors = by_method.get(index, {})
        for marks in assessors.values():
            marks.update(dict.fromkeys(exempted & set(grid.criterion_keys()), rules.Mark.EXEMPTED))
        out[index] = rules.consolidate(grid, assessors)
    return out


# --- evidence ------------------------------------------------------------------------------


@transaction.atomic
def attach_evidence(
    *,
    seat: SessionCandidate,
    assessor: Any,
    method_index: int,
    criterion_key: str,
    data: bytes,
    filename: str,
) -> MarkEvidence:
    """An assessor attaches a file (PDF, PNG or JPEG, 5 Mo at most) to a criterion of their
    grid, under the same conditions as a mark."""
    _panel_member(seat, assessor, method_index)
    _open(seat.session)
    _present(seat)
    grid = _grid(load_referentiel(seat.session.version), seat, method_index)
    if criterion_key not in grid.criterion_keys():
        raise EvaluationError(
            f"Critère {criterion_key} absent de la grille « {grid.method_title} »."
        )
    if criterion_key in exempted_keys(seat):
        raise EvaluationError(f"Critère {criterion_key} : le candidat en est dispensé.")
    name = Path(filename).name[:255] or "piece"
    try:
        kind = rules.evidence_kind(data, name)
    except rules.EvidenceError as error:
        raise EvaluationError(str(error)) from error
    evidence = MarkEvidence(
        seat=seat,
        assessor=assessor,
        method_index=method_index,
        criterion_key=criterion_key,
        original_name=name,
        file_kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    evidence.file.save(f"{criterion_key.replace('#', '-')}.{kind}", ContentFile(data), save=False)
    evidence.save()
    record_event(
        actor=assessor,
        action="evaluation.evidence_attached",
        target=f"seat:{seat.pk}",
        method_index=method_index,
        criterion=criterion_key,
        evidence=evidence.pk,
        sha256=evidence.sha256,
    )
    return evidence


def criterion_key_of(criterion: Criterion) -> str | None:
    """The grid's key (``rules.criterion_key``) of a stored référentiel criterion; None for a
    transversal competency's criterion, which no grid marks. Uses prefetched criteria."""
    competency = criterion.competency
    if competency is None:
        return None
    siblings = sorted(competency.criteria.all(), key=lambda c: (c.position, c.pk))
    position = [c.pk for c in siblings].index(criterion.pk) + 1
    return rules.criterion_key(competency.code, position)


# --- exemptions ----------------------------------------------------------------------------


def exempted_keys(seat: SessionCandidate) -> frozenset[str]:
    return frozenset(
        CriterionExemption.objects.filter(seat=seat).values_list("criterion_key", flat=True)
    )


@transaction.atomic
def exempt_criterion(
    *,
    seat: SessionCandidate,
    criterion_key: str,
    actor: Any,
    request: ExemptionRequest | None = None,
) -> CriterionExemption:
    """The jury president exempts the candidate from a criterion, with the referent's opinion
    copied from the candidate's request when there is one."""
    _president(seat, actor)
    _open(seat.session)
    referentiel = load_referentiel(seat.session.version)
    known = {key for c in referentiel.competencies() for key in rules.criterion_keys(c)}
    if criterion_key not in known:
        raise EvaluationError(f"Critère {criterion_key} inconnu dans {referentiel.code}.")
    opinion = ""
    if request is not None:
        criterion = request.criterion
        if request.accommodation.enrolment_id != seat.enrolment_id:
            raise EvaluationError("Cette demande d'exemption concerne un autre candidat.")
        requested = criterion_key_of(criterion)
        if requested is None:
            raise EvaluationError("Un critère de compétence transversale ne se dispense pas.")
        if requested != criterion_key:
            raise EvaluationError(f"La demande porte sur le critère {requested}.")
        opinion = request.opinion
    if CriterionExemption.objects.filter(seat=seat, criterion_key=criterion_key).exists():
        raise EvaluationError(f"Le candidat est déjà dispensé du critère {criterion_key}.")
    exemption = CriterionExemption.objects.create(
        seat=seat, criterion_key=criterion_key, referent_opinion=opinion, decided_by=actor
    )
    record_event(
        actor=actor,
        action="evaluation.criterion_exempted",
        target=f"seat:{seat.pk}",
        criterion=criterion_key,
        request=request.pk if request is not None else None,
    )
    return exemption


# --- decisions -----------------------------------------------------------------------------


@transaction.atomic
def decide_competency(
    *,
    seat: SessionCandidate,
    competency_code: str,
    acquired: bool,
    justification: str = "",
    actor: Any,
) -> CompetencyDecision:
    """Record the jury's decision on a competency; one departing from the criteria needs a
    justification. A decision already recorded is changed by ``correct_decision`` only."""
    _jury_member(seat, actor)
    SessionCandidate.objects.select_for_update().filter(pk=seat.pk).first()
    _open(seat.session)
    _present(seat)
    if (
        CompetencyDecision.objects.current()
        .filter(seat=seat, competency_code=competency_code)
        .exists()
    ):
        raise EvaluationError(
            f"{competency_code} : décision déjà prise ; seul le président peut la corriger."
        )
    _check_decision(seat, competency_code, acquired, justification)
    decision = CompetencyDecision.objects.create(
        seat=seat,
        competency_code=competency_code,
        acquired=acquired,
        justification=justification.strip(),
        decided_by=actor,
    )
    record_event(
        actor=actor,
        action="evaluation.competency_decided",
        target=f"seat:{seat.pk}",
        competency=competency_code,
        acquired=acquired,
        decision=decision.pk,
    )
    return decision


@transaction.atomic
def correct_decision(
    *,
    decision: CompetencyDecision,
    acquired: bool,
    justification: str = "",
    reason: str,
    actor: Any,
) -> CompetencyDecision:
    """The jury president replaces a decision by a new one that supersedes it, with a reason."""
    seat = decision.seat
    _president(seat, actor)
    if not reason.strip():
        raise EvaluationError("Indiquez le motif de la correction.")
    locked = CompetencyDecision.objects.select_for_update().get(pk=decision.pk)
    if CompetencyDecision.objects.filter(supersedes=locked).exists():
        raise EvaluationError("Cette décision a déjà été corrigée : corrigez la plus récente.")
    _check_decision(seat, locked.competency_code, acquired, justification)
    correction = CompetencyDecision.objects.create(
        seat=seat,
        competency_code=locked.competency_code,
        acquired=acquired,
        justification=justification.strip(),
        decided_by=actor,
        supersedes=locked,
        reason=reason.strip(),
    )
    record_event(
        actor=actor,
        action="evaluation.decision_corrected",
        target=f"seat:{seat.pk}",
        competency=locked.competency_code,
        acquired=acquired,
        decision=correction.pk,
        supersedes=locked.pk,
        reason=reason.strip(),
    )
    return correction


def _check_decision(
    seat: SessionCandidate, competency_code: str, acquired: bool, justification: str
) -> None:
    referentiel = load_referentiel(seat.session.version)
    if competency_code not in {c.code for c in required_competencies(seat)}:
        if seat.session.block is not None:
            raise EvaluationError(
                f"{competency_code} : hors du bloc {seat.session.block.code} de la session."
            )
        raise EvaluationError(
            f"{competency_code} : compétence inconnue ou d'un bloc déjà acquis par le candidat."
        )
    problems = rules.decision_problems(
        referentiel,
        [rules.CompetencyDecision(competency_code, acquired, justification)],
        evidence_of(seat),
    )
    if problems:
        raise EvaluationError(" ".join(problems))


def _block_competencies(referentiel: Referentiel, code: str) -> tuple[Competency, ...]:
    for block in referentiel.blocks:
        if block.code == code:
            return tuple(block.competencies)
    return ()


# --- outcome -------------------------------------------------------------------------------


def current_decisions(seat: SessionCandidate) -> dict[str, CompetencyDecision]:
    return {
        d.competency_code: d
        for d in CompetencyDecision.objects.current().filter(seat=seat).order_by("id")
    }


def current_conditions(seat: SessionCandidate) -> dict[str, ConditionFinding]:
    return {
        f.condition_key: f
        for f in ConditionFinding.objects.current().filter(seat=seat).order_by("id")
    }


def _held_blocks(seat: SessionCandidate) -> tuple[list[str], list[str]]:
    """Blocks the candidate held before this session: (this version, older versions of the same
    certification). Blocks capitalised by this very session do not count as held before."""
    version = seat.session.version
    rows = CapitalisedBlock.objects.filter(
        enrolment__candidate_id=seat.enrolment.candidate_id,
        block__version__certification_id=version.certification_id,
    ).exclude(origin=_origin(seat.session))
    same: list[str] = []
    older: list[str] = []
    for block_code, version_id in rows.values_list("block__code", "block__version_id"):
        (same if version_id == version.pk else older).append(block_code)
    return same, older


def required_competencies(seat: SessionCandidate) -> list[Competency]:
    """What the jury decides for this seat: the session's block, or every required block of
    the certification the candidate does not already hold (extension blocks when targeted)."""
    referentiel = load_referentiel(seat.session.version)
    if seat.session.block is not None:
        return list(_block_competencies(referentiel, seat.session.block.code))
    same, older = _held_blocks(seat)
    held = set(same) | rules.credited_blocks(referentiel, older)
    targeted = set(seat.enrolment.target_blocks.values_list("code", flat=True))
    return [
        competency
        for block in referentiel.blocks
        if block.code not in held and (not block.extension or block.code in targeted)
        for competency in block.competencies
    ]


def seat_conditions(seat: SessionCandidate) -> list[rules.Condition]:
    """The conditions the jury records for this seat (its session's scope)."""
    referentiel = load_referentiel(seat.session.version)
    scope = seat.session.scope
    if scope != rules.CERTIFICATION:
        return [c for c in rules.conditions_for(referentiel) if c.scope == scope]
    same, older = _held_blocks(seat)
    held = set(same) | rules.credited_blocks(referentiel, older)
    return [c for c in rules.conditions_for(referentiel) if c.scope not in held]


def seat_outcome(seat: SessionCandidate) -> rules.Outcome:
    """Blocks and title after the jury's current decisions and condition findings, counting
    the blocks the candidate already held (this version, or an older one through the
    correspondences)."""
    met = [key for key, f in current_conditions(seat).items() if f.met]
    return outcome_of(seat, conditions_met=met)


def outcome_of(seat: SessionCandidate, *, conditions_met: Iterable[str] = ()) -> rules.Outcome:
    """Blocks and title after the jury's current decisions. ``conditions_met``: keys of
    ``rules.conditions_for`` the jury found satisfied (the final interview held, …)."""
    referentiel = load_referentiel(seat.session.version)
    decisions = [
        rules.CompetencyDecision(d.competency_code, d.acquired, d.justification)
        for d in current_decisions(seat).values()
    ]
    same, older = _held_blocks(seat)
    return rules.certification_outcome(
        referentiel,
        decisions=decisions,
        conditions_met=conditions_met,
        capitalised=same,
        old_version_blocks=older,
    )


# --- conditions and attendance -------------------------------------------------------------


@transaction.atomic
def record_condition(
    *, seat: SessionCandidate, condition_key: str, met: bool, note: str = "", actor: Any
) -> ConditionFinding:
    """A jury member records whether a condition holds (the final interview was held, the
    dossier is satisfactory, …). Before the minutes, a new finding replaces the previous one."""
    _jury_member(seat, actor)
    SessionCandidate.objects.select_for_update().filter(pk=seat.pk).first()
    _open(seat.session)
    _present(seat)
    if condition_key not in {c.key for c in seat_conditions(seat)}:
        raise EvaluationError(f"Condition inconnue pour ce candidat : « {condition_key} ».")
    previous = current_conditions(seat).get(condition_key)
    finding = ConditionFinding.objects.create(
        seat=seat,
        condition_key=condition_key,
        met=met,
        note=note.strip(),
        decided_by=actor,
        supersedes=previous,
        reason="Constat modifié pendant la délibération." if previous is not None else "",
    )
    record_event(
        actor=actor,
        action="evaluation.condition_recorded",
        target=f"seat:{seat.pk}",
        condition=condition_key,
        met=met,
        finding=finding.pk,
    )
    return finding


@transaction.atomic
def correct_condition(
    *, finding: ConditionFinding, met: bool, reason: str, actor: Any
) -> ConditionFinding:
    """The jury president replaces a finding, with a reason (also after the minutes)."""
    seat = finding.seat
    _president(seat, actor)
    if not reason.strip():
        raise EvaluationError("Indiquez le motif de la correction.")
    locked = ConditionFinding.objects.select_for_update().get(pk=finding.pk)
    if ConditionFinding.objects.filter(supersedes=locked).exists():
        raise EvaluationError("Ce constat a déjà été corrigé : corrigez le plus récent.")
    correction = ConditionFinding.objects.create(
        seat=seat,
        condition_key=locked.condition_key,
        met=met,
        note=locked.note,
        decided_by=actor,
        supersedes=locked,
        reason=reason.strip(),
    )
    record_event(
        actor=actor,
        action="evaluation.condition_corrected",
        target=f"seat:{seat.pk}",
        condition=locked.condition_key,
        met=met,
        finding=correction.pk,
        supersedes=locked.pk,
        reason=reason.strip(),
    )
    return correction


def latest_attendance(seat: SessionCandidate) -> AttendanceRecord | None:
    """The attendance record in force (none: the candidate is present)."""
    return AttendanceRecord.objects.filter(seat=seat).order_by("-recorded_at", "-id").first()


def attendance_of(seat: SessionCandidate) -> str:
    latest = latest_attendance(seat)
    return latest.status if latest is not None else Attendance.PRESENT


@transaction.atomic
def record_attendance(
    *, seat: SessionCandidate, status: str, reason: str = "", actor: Any
) -> AttendanceRecord:
    """Record a candidate as present, absent or excused (a jury member or the session's
    manager). An absent candidate gets no decision; marks already given stay on record."""
    if not (_sits_on_jury(seat, actor) or _manages(seat, actor)):
        raise EvaluationError(f"{actor} ne peut pas enregistrer la présence de ce candidat.")
    SessionCandidate.objects.select_for_update().filter(pk=seat.pk).first()
    _open(seat.session)
    if status not in Attendance.values:
        raise EvaluationError(f"Présence inconnue : « {status} ».")
    if status != Attendance.PRESENT and current_decisions(seat):
        raise EvaluationError(
            "Des décisions sont déjà prises pour ce candidat : il ne peut être noté absent."
        )
    if status == Attendance.EXCUSED and not reason.strip():
        raise EvaluationError("Indiquez le motif de l'absence excusée.")
    record = AttendanceRecord.objects.create(
        seat=seat, status=status, reason=reason.strip(), recorded_by=actor
    )
    record_event(
        actor=actor,
        action="evaluation.attendance_recorded",
        target=f"seat:{seat.pk}",
        status=status,
    )
    return record


# --- freeze --------------------------------------------------------------------------------


def latest_minutes(session: ExamSession) -> Minutes | None:
    return Minutes.objects.filter(session=session).order_by("-revision").first()


def is_frozen(session: ExamSession) -> bool:
    """Once the minutes are drawn up, only the president's corrections change a decision."""
    return Minutes.objects.filter(session=session).exists()


def _origin(session: ExamSession) -> str:
    return f"session:{session.pk}"


# --- who may act ---------------------------------------------------------------------------


def _jury_member(seat: SessionCandidate, user: Any) -> JuryMember:
    pk = getattr(user, "pk", None)
    member = None
    if pk is not None:
        member = JuryMember.objects.filter(session_id=seat.session_id, user_id=pk).first()
    if member is None:
        raise EvaluationError(f"{user} ne siège pas au jury de cette session.")
    return member


def _session_member(session: ExamSession, user: Any) -> JuryMember | None:
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return JuryMember.objects.filter(session=session, user_id=pk).select_related("user").first()


def _sits_on_jury(seat: SessionCandidate, user: Any) -> bool:
    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and JuryMember.objects.filter(session_id=seat.session_id, user_id=pk).exists()
    )


def _manages(seat: SessionCandidate, user: Any) -> bool:
    """A session manager or administrator of the session's centre."""
    return bool(
        getattr(user, "is_authenticated", False) and user.manages(seat.session.organisation_id)
    )


def _open(session: ExamSession) -> None:
    if is_frozen(session):
        raise EvaluationError(
            "Procès-verbal établi : les décisions sont arrêtées ; seul le président du jury "
            "peut les corriger, avec un motif."
        )


def _present(seat: SessionCandidate) -> None:
    status = attendance_of(seat)
    if status != Attendance.PRESENT:
        raise EvaluationError(f"{seat} est enregistré « {Attendance(status).label} ».")


def _president(seat: SessionCandidate, user: Any) -> JuryMember:
    member = _jury_member(seat, user)
    if not member.is_president:
        raise EvaluationError("Seul le président du jury peut le faire.")
    return member


def _panel_member(seat: SessionCandidate, user: Any, method_index: int) -> JuryMember:
    """The member of the panel that assesses this candidate on this method: the timetable's
    panel once planned, any panel of the session before. A trainer never assesses their own
    candidate."""
    member = _jury_member(seat, user)
    planned = seat.phases.filter(position=method_index).exclude(jury_panel="").first()
    if planned is not None and planned.jury_panel != member.panel:
        raise EvaluationError(
            f"{user} n'est pas du jury qui évalue ce candidat ({planned.jury_panel})."
        )
    if member.trained.filter(pk=seat.pk).exists():
        raise EvaluationError(f"{user} a formé ce candidat et ne peut pas l'évaluer.")
    return member


def _grid(referentiel: Referentiel, seat: SessionCandidate, method_index: int) -> rules.Grid:
    try:
        return rules.grid_for(referentiel, scope=seat.session.scope, method_index=method_index)
    except ValueError as error:
        raise EvaluationError(str(error)) from error
