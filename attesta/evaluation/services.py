"""Jury assessment operations: marks, exemptions, decisions and their corrections, outcome.
One transaction each, audited; the rules themselves are in ``attesta.evaluation.rules``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from attesta.candidates.models import ExemptionRequest
from attesta.core.models import record_event
from attesta.evaluation import rules
from attesta.evaluation.models import CompetencyDecision, CriterionExemption, CriterionMark
from attesta.exams.models import JuryMember, SessionCandidate
from attesta.referentiels.importers.canonical import Competency, Referentiel
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
    referentiel = load_referentiel(seat.session.version)
    known = {key for c in referentiel.competencies() for key in rules.criterion_keys(c)}
    if criterion_key not in known:
        raise EvaluationError(f"Critère {criterion_key} inconnu dans {referentiel.code}.")
    opinion = ""
    if request is not None:
        criterion = request.criterion
        if request.accommodation.enrolment_id != seat.enrolment_id:
            raise EvaluationError("Cette demande d'exemption concerne un autre candidat.")
        competency = criterion.competency
        if competency is None:
            raise EvaluationError("Un critère de compétence transversale ne se dispense pas.")
        positions = list(
            competency.criteria.order_by("position", "id").values_list("pk", flat=True)
        )
        requested = rules.criterion_key(competency.code, positions.index(criterion.pk) + 1)
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
    if seat.session.block is not None:
        codes = {c.code for c in _block_competencies(referentiel, seat.session.block.code)}
        if competency_code not in codes:
            raise EvaluationError(
                f"{competency_code} : hors du bloc {seat.session.block.code} de la session."
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


def outcome_of(seat: SessionCandidate, *, conditions_met: Iterable[str] = ()) -> rules.Outcome:
    """Blocks and title after the jury's current decisions. ``conditions_met``: keys of
    ``rules.conditions_for`` the jury found satisfied (the final interview held, …)."""
    version = seat.session.version
    referentiel = load_referentiel(version)
    decisions = [
        rules.CompetencyDecision(d.competency_code, d.acquired, d.justification)
        for d in CompetencyDecision.objects.current().filter(seat=seat)
    ]
    capitalised = []
    old_version = []
    for row in seat.enrolment.capitalised_blocks.select_related("block"):
        if row.block.version_id == version.pk:
            capitalised.append(row.block.code)
        else:
            old_version.append(row.block.code)
    return rules.certification_outcome(
        referentiel,
        decisions=decisions,
        conditions_met=conditions_met,
        capitalised=capitalised,
        old_version_blocks=old_version,
    )


# --- who may act ---------------------------------------------------------------------------


def _jury_member(seat: SessionCandidate, user: Any) -> JuryMember:
    pk = getattr(user, "pk", None)
    member = None
    if pk is not None:
        member = JuryMember.objects.filter(session_id=seat.session_id, user_id=pk).first()
    if member is None:
        raise EvaluationError(f"{user} ne siège pas au jury de cette session.")
    return member


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
