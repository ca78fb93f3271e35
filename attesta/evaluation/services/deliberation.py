"""Deliberation and minutes: what the minutes state, drawing them up, the jury's signatures,
and the effects of signed minutes (blocks capitalised, enrolments moved on)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from attesta.candidates.enums import EnrolmentStatus
from attesta.candidates.models import CapitalisedBlock
from attesta.core.models import record_event
from attesta.evaluation import rules
from attesta.evaluation.enums import Attendance
from attesta.evaluation.models import Minutes, MinutesSignature
from attesta.evaluation.services.assessment import (
    EvaluationError,
    _origin,
    _session_member,
    attendance_of,
    current_conditions,
    current_decisions,
    exempted_keys,
    latest_attendance,
    latest_minutes,
    required_competencies,
    seat_conditions,
    seat_outcome,
)
from attesta.exams.models import ExamSession, JuryMember, SessionCandidate
from attesta.referentiels.importers.canonical import Competency, Referentiel
from attesta.referentiels.services import load_referentiel


def deliberation_problems(session: ExamSession) -> list[str]:
    """What is missing before the minutes can be drawn up (empty: ready)."""
    seats = list(
        session.candidates.select_related("enrolment__candidate").order_by("position", "id")
    )
    if not seats:
        return ["Aucun candidat dans la session."]
    problems = []
    for seat in seats:
        if attendance_of(seat) != Attendance.PRESENT:
            continue
        decided = current_decisions(seat)
        missing = [c.code for c in required_competencies(seat) if c.code not in decided]
        if missing:
            problems.append(f"{seat} : compétence(s) sans décision : {', '.join(missing)}.")
        found = current_conditions(seat)
        unrecorded = [c.label for c in seat_conditions(seat) if c.key not in found]
        if unrecorded:
            problems.append(f"{seat} : condition(s) non constatée(s) : {', '.join(unrecorded)}.")
    return problems


def minutes_content(session: ExamSession) -> dict[str, Any]:
    """What the minutes state, as plain JSON: the session, the jury, each candidate with
    attendance, decisions, conditions, exempted criteria, blocks and result."""
    referentiel = load_referentiel(session.version)
    competencies = {c.code: c for c in referentiel.competencies()}
    scope_label = "Titre complet"
    if session.block is not None:
        scope_label = f"{session.block.code} – {session.block.title}"
    jury = [
        {
            "user_id": m.user_id,
            "name": m.user.get_full_name() or m.user.username,
            "panel": m.panel,
            "president": m.is_president,
            "profile": m.profile,
        }
        for m in session.jury.select_related("user").order_by("-is_president", "panel", "id")
    ]
    candidates = [
        _seat_content(seat, referentiel, competencies)
        for seat in session.candidates.select_related("enrolment__candidate").order_by(
            "position", "id"
        )
    ]
    return {
        "session": {
            "id": session.pk,
            "label": session.label,
            "starts_on": session.starts_on.isoformat(),
            "ends_on": session.ends_on.isoformat(),
            "centre": session.organisation.name,
            "address": session.address,
            "scope": session.scope,
            "scope_label": scope_label,
        },
        "certification": {
            "code": referentiel.code,
            "title": referentiel.title,
            "version": referentiel.version,
            "kind": referentiel.kind.value,
            "kind_label": referentiel.kind.label,
            "level": referentiel.level,
        },
        "jury": jury,
        "candidates": candidates,
    }


def _seat_content(
    seat: SessionCandidate, referentiel: Referentiel, competencies: dict[str, Competency]
) -> dict[str, Any]:
    candidate = seat.enrolment.candidate
    latest = latest_attendance(seat)
    attendance = latest.status if latest is not None else Attendance.PRESENT
    entry: dict[str, Any] = {
        "seat_id": seat.pk,
        "candidate_id": candidate.pk,
        "name": f"{candidate.first_names} {candidate.last_name}",
        "birth_date": candidate.birth_date.isoformat(),
        "attendance": attendance,
        "attendance_label": Attendance(attendance).label,
        "attendance_reason": latest.reason if latest is not None else "",
        "decisions": [],
        "conditions": [],
        "exempted_criteria": sorted(exempted_keys(seat)),
        "blocks": [],
        "certification_obtained": False,
        "partial": False,
        "result_label": Attendance(attendance).label,
    }
    if attendance != Attendance.PRESENT:
        return entry
    for code, decision in sorted(current_decisions(seat).items()):
        block = referentiel.block_of(code)
        entry["decisions"].append(
            {
                "code": code,
                "title": competencies[code].title if code in competencies else "",
                "block": block.code if block is not None else "",
                "acquired": decision.acquired,
                "justification": decision.justification,
                "corrects": decision.supersedes_id is not None,
                "reason": decision.reason,
            }
        )
    found = current_conditions(seat)
    entry["conditions"] = [
        {
            "key": c.key,
            "label": c.label,
            "scope": c.scope,
            "met": found[c.key].met if c.key in found else None,
        }
        for c in seat_conditions(seat)
    ]
    outcome = seat_outcome(seat)
    entry["blocks"] = [
        {
            "code": b.code,
            "title": b.title,
            "obtained": b.obtained,
            "source": b.source.value if b.source is not None else None,
            "extension": b.extension,
        }
        for b in outcome.blocks
    ]
    entry["certification_obtained"] = outcome.obtained
    entry["partial"] = outcome.partial
    entry["result_label"] = _result_label(seat, outcome)
    return entry


def _result_label(seat: SessionCandidate, outcome: rules.Outcome) -> str:
    if seat.session.block is not None:
        block = next(b for b in outcome.blocks if b.code == seat.session.block.code)
        if outcome.obtained:
            return f"{block.code} obtenu – titre complet obtenu"
        return f"{block.code} obtenu" if block.obtained else f"{block.code} non obtenu"
    if outcome.obtained:
        return "Certification obtenue"
    return "Réussite partielle" if outcome.partial else "Non obtenue"


def content_digest(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the minutes' content: what the jury signs."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def draft_minutes(*, session: ExamSession, actor: Any, reason: str = "") -> Minutes:
    """The jury president draws up the minutes: their content is frozen with its hash and the
    session's decisions can then only be corrected. After corrections, a new revision with
    its reason; nothing new is drawn up when nothing changed."""
    member = _session_member(session, actor)
    if member is None or not member.is_president:
        raise EvaluationError("Seul le président du jury établit le procès-verbal.")
    ExamSession.objects.select_for_update().filter(pk=session.pk).first()
    problems = deliberation_problems(session)
    if problems:
        raise EvaluationError("Délibération incomplète. " + " ".join(problems))
    body = minutes_content(session)
    previous = latest_minutes(session)
    revision = 1
    if previous is not None:
        unchanged = {k: v for k, v in previous.content.items() if k not in ("revision", "reason")}
        if content_digest(unchanged) == content_digest(body):
            raise EvaluationError(
                f"Rien n'a changé depuis la révision {previous.revision} du procès-verbal."
            )
        if not reason.strip():
            raise EvaluationError("Indiquez le motif de la nouvelle révision du procès-verbal.")
        revision = previous.revision + 1
    content = {"revision": revision, "reason": reason.strip() if previous else "", **body}
    minutes = Minutes.objects.create(
        session=session,
        revision=revision,
        content=content,
        content_hash=content_digest(content),
        reason=content["reason"],
        drafted_by=actor,
    )
    record_event(
        actor=actor,
        action="evaluation.minutes_drafted",
        target=f"session:{session.pk}",
        minutes=minutes.pk,
        revision=revision,
        content_hash=minutes.content_hash,
    )
    return minutes


def pending_signers(minutes: Minutes) -> list[JuryMember]:
    signed = set(minutes.signatures.values_list("signer_id", flat=True))
    return [
        m
        for m in minutes.session.jury.select_related("user").order_by("-is_president", "id")
        if m.user_id not in signed
    ]


def minutes_signed(minutes: Minutes) -> bool:
    return not pending_signers(minutes)


def signed_minutes(session: ExamSession) -> Minutes | None:
    """The latest revision every jury member signed: the one results are read from."""
    for minutes in Minutes.objects.filter(session=session).order_by("-revision"):
        if minutes_signed(minutes):
            return minutes
    return None


@transaction.atomic
def sign_minutes(*, minutes: Minutes, actor: Any, content_hash: str) -> MinutesSignature:
    """A jury member signs the minutes whose hash they were shown (the caller has
    authenticated them). When the last member signs, the blocks obtained are capitalised on
    the candidates' records and the enrolments move on."""
    session = minutes.session
    member = _session_member(session, actor)
    if member is None:
        raise EvaluationError(f"{actor} ne siège pas au jury de cette session.")
    ExamSession.objects.select_for_update().filter(pk=session.pk).first()
    latest = latest_minutes(session)
    if latest is None or latest.pk != minutes.pk:
        raise EvaluationError("Une révision plus récente du procès-verbal est à signer.")
    if content_hash.strip().lower() != minutes.content_hash:
        raise EvaluationError(
            "L'empreinte confirmée ne correspond pas au procès-verbal : relisez-le et signez "
            "à nouveau."
        )
    if minutes.signatures.filter(signer_id=member.user_id).exists():
        raise EvaluationError("Vous avez déjà signé ce procès-verbal.")
    signature = MinutesSignature.objects.create(
        minutes=minutes,
        signer=member.user,
        signer_name=member.user.get_full_name() or member.user.username,
        president=member.is_president,
        content_hash=minutes.content_hash,
    )
    record_event(
        actor=actor,
        action="evaluation.minutes_signed",
        target=f"session:{session.pk}",
        minutes=minutes.pk,
        revision=minutes.revision,
        content_hash=minutes.content_hash,
    )
    if minutes_signed(minutes):
        _apply_results(minutes, actor)
    return signature


def _apply_results(minutes: Minutes, actor: Any) -> None:
    """The signed minutes take effect: blocks capitalised (with session, date and version),
    blocks a correction took back removed, enrolments moved on (first revision only)."""
    session = minutes.session
    origin = _origin(session)
    today = timezone.localdate()
    source = (
        f"Session « {session.label} » du {session.starts_on:%d/%m/%Y}, "
        f"procès-verbal révision {minutes.revision} signé le {today:%d/%m/%Y}"
    )
    blocks = {b.code: b for b in session.version.blocks.all()}
    seats = {s.pk: s for s in session.candidates.select_related("enrolment__candidate")}
    for entry in minutes.content["candidates"]:
        seat = seats[entry["seat_id"]]
        enrolment = seat.enrolment
        obtained = {b["code"] for b in entry["blocks"] if b["source"] == "session"}
        mine = CapitalisedBlock.objects.filter(enrolment=enrolment, origin=origin)
        for row in mine.exclude(block__code__in=obtained).select_related("block"):
            record_event(
                actor=actor,
                action="candidate.capitalised_block_withdrawn",
                target=f"enrolment:{enrolment.pk}",
                block=row.block.code,
                minutes=minutes.pk,
            )
            row.delete()
        held = set(mine.values_list("block__code", flat=True))
        for code in sorted(obtained - held):
            CapitalisedBlock.objects.create(
                enrolment=enrolment,
                block=blocks[code],
                obtained_on=today,
                source=source,
                origin=origin,
            )
            record_event(
                actor=actor,
                action="candidate.block_capitalised",
                target=f"enrolment:{enrolment.pk}",
                block=code,
                minutes=minutes.pk,
            )
        if minutes.revision == 1:
            _move_enrolment(enrolment, entry, session, actor)


def _move_enrolment(
    enrolment: Any, entry: dict[str, Any], session: ExamSession, actor: Any
) -> None:
    note = f"Session « {session.label} »"
    if entry["attendance"] != Attendance.PRESENT:
        if enrolment.status == EnrolmentStatus.CONVENED:
            enrolment.change_status(
                EnrolmentStatus.ELIGIBLE, actor=actor, note=f"{entry['attendance_label']} – {note}"
            )
        return
    if enrolment.status == EnrolmentStatus.CONVENED:
        enrolment.change_status(EnrolmentStatus.ASSESSED, actor=actor, note=note)
    if enrolment.status != EnrolmentStatus.ASSESSED:
        return
    enrolment.change_status(
        EnrolmentStatus.DELIBERATED, actor=actor, note=f"{entry['result_label']} – {note}"
    )
    targets = set(enrolment.target_blocks.values_list("code", flat=True))
    held = {b["code"] for b in entry["blocks"] if b["obtained"]}
    done = entry["certification_obtained"] or (bool(targets) and targets <= held)
    if done:
        enrolment.change_status(EnrolmentStatus.CLOSED, actor=actor, note=note)
    else:
        missing = sorted(b["code"] for b in entry["blocks"] if not b["obtained"])
        enrolment.change_status(
            EnrolmentStatus.ELIGIBLE,
            actor=actor,
            note="Blocs restant à obtenir : " + ", ".join(missing),
        )
