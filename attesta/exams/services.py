"""Operations on exam sessions: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from attesta.accounts.models import Organisation, User
from attesta.candidates import rules as candidate_rules
from attesta.candidates.enums import EnrolmentStatus
from attesta.candidates.models import Enrolment
from attesta.candidates.services import measures_of, requirements_of
from attesta.core.models import record_event
from attesta.documents import convocations
from attesta.exams import rules, scheduler, timetable
from attesta.exams.models import (
    ConvocationRecord,
    ExamSession,
    JuryMember,
    JuryUnavailability,
    SessionCandidate,
    Supervisor,
    TimetableEntry,
)
from attesta.referentiels.models import Block, CertificationVersion
from attesta.referentiels.services import load_referentiel


class SessionError(ValueError):
    """An operation the session's rules refuse, with the reason in French."""


@transaction.atomic
def create_session(
    *,
    organisation: Organisation,
    actor: Any,
    version: CertificationVersion,
    block: Block | None,
    label: str,
    starts_on: dt.date,
    ends_on: dt.date,
    address: str,
    rooms: list[str],
    day_start: dt.time = dt.time(8, 0),
    day_end: dt.time = dt.time(18, 0),
) -> ExamSession:
    if not version.is_published:
        raise SessionError("Une session se fonde sur un référentiel publié.")
    if block is not None and block.version_id != version.pk:
        raise SessionError(f"Le bloc {block.code} n'appartient pas à ce référentiel.")
    scope = block.code if block else "certification"
    if load_referentiel(version).exam_for(scope) is None:
        raise SessionError(f"Le référentiel ne décrit pas d'épreuve pour « {scope} ».")
    if not rooms:
        raise SessionError("Indiquez au moins une salle.")
    session = ExamSession.objects.create(
        organisation=organisation,
        version=version,
        block=block,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
        address=address,
        rooms=rooms,
        day_start=day_start,
        day_end=day_end,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(actor=actor, action="session.created", target=f"session:{session.pk}")
    return session


@transaction.atomic
def seat_candidates(
    *, session: ExamSession, enrolments: list[Enrolment], actor: Any
) -> list[SessionCandidate]:
    """Seat eligible enrolments of the session's référentiel and scope; refuse the others."""
    problems = []
    for enrolment in enrolments:
        targets = {b.code for b in enrolment.target_blocks.all()}
        if enrolment.version_id != session.version_id:
            problems.append(f"{enrolment.candidate} : inscrit sur un autre référentiel.")
        elif session.block is None and targets:
            problems.append(f"{enrolment.candidate} : vise des blocs, pas le titre complet.")
        elif session.block is not None and targets and session.block.code not in targets:
            problems.append(f"{enrolment.candidate} : ne vise pas {session.block.code}.")
        elif enrolment.status != EnrolmentStatus.ELIGIBLE:
            problems.append(
                f"{enrolment.candidate} : dossier « {enrolment.get_status_display()} », "
                "il doit être recevable."
            )
        elif enrolment.candidate.organisation_id != session.organisation_id:
            problems.append(f"{enrolment.candidate} : candidat d'un autre centre.")
    if problems:
        raise SessionError(" ".join(problems))
    start = session.candidates.aggregate(last=Max("position"))["last"] or 0
    seats = [
        SessionCandidate.objects.create(session=session, enrolment=enrolment, position=start + i)
        for i, enrolment in enumerate(enrolments, 1)
    ]
    record_event(
        actor=actor,
        action="session.candidates_seated",
        target=f"session:{session.pk}",
        enrolments=[e.pk for e in enrolments],
    )
    return seats


@transaction.atomic
def add_jury_member(
    *,
    session: ExamSession,
    user: User,
    actor: Any,
    panel: str = "Jury 1",
    profile: str = "",
    is_president: bool = False,
    trained: list[SessionCandidate] | None = None,
) -> JuryMember:
    if user.role != "assessor":
        raise SessionError(f"{user} n'a pas le rôle de membre du jury.")
    member = JuryMember.objects.create(
        session=session, user=user, panel=panel, profile=profile, is_president=is_president
    )
    member.trained.set(trained or [])
    record_event(actor=actor, action="session.jury_added", target=f"session:{session.pk}")
    return member


@transaction.atomic
def add_supervisor(*, session: ExamSession, name: str, actor: Any) -> Supervisor:
    supervisor = Supervisor.objects.create(session=session, name=name.strip())
    record_event(actor=actor, action="session.supervisor_added", target=f"session:{session.pk}")
    return supervisor


def jury_members(session: ExamSession) -> list[rules.Member]:
    return [
        rules.Member(
            name=member.user.get_full_name() or member.user.username,
            panel=member.panel,
            profile=member.profile,
            trained=frozenset(str(seat.pk) for seat in member.trained.all()),
        )
        for member in session.jury.select_related("user").prefetch_related("trained")
    ]


def jury_problems(session: ExamSession) -> list[str]:
    """The jury composition rules, with the référentiel's own requirements for the scope."""
    exam = load_referentiel(session.version).exam_for(session.scope)
    seats = list(session.candidates.select_related("enrolment__candidate"))
    problems = rules.jury_problems(
        jury_members(session),
        candidates=[str(seat.pk) for seat in seats],
        required=exam.jury if exam else None,
    )
    names = {str(seat.pk): str(seat) for seat in seats}
    return [_named(problem, names) for problem in problems]


def _named(problem: str, names: dict[str, str]) -> str:
    key, sep, rest = problem.partition(" : ")
    return f"{names[key]} : {rest}" if sep and key in names else problem


def timetable_problem(session: ExamSession) -> timetable.Problem:
    """The session as a scheduling problem: days and the jury's break, rooms and their
    capacities, jury panels and their unavailabilities, supervisors, shared equipment, the
    pinned phases, and each candidate's phases with their extra time (withdrawn candidates
    left out). The methods are cut into parts when the session asks for detailed phases
    and has supervisors (docs/scheduler.md); otherwise one phase per method, the jury
    present throughout as the référentiel is parsed."""
    exam = load_referentiel(session.version).exam_for(session.scope)
    if exam is None:
        raise SessionError(f"Le référentiel ne décrit pas d'épreuve pour « {session.scope} ».")
    zone = timezone.get_current_timezone()
    days = []
    breaks = []
    day = session.starts_on
    while day <= session.ends_on:
        days.append(
            (
                dt.datetime.combine(day, session.day_start, tzinfo=zone),
                dt.datetime.combine(day, session.day_end, tzinfo=zone),
            )
        )
        if session.break_start is not None and session.break_end is not None:
            breaks.append(
                (
                    dt.datetime.combine(day, session.break_start, tzinfo=zone),
                    dt.datetime.combine(day, session.break_end, tzinfo=zone),
                )
            )
        day += dt.timedelta(days=1)
    members = jury_members(session)
    supervisors = [s.name for s in session.supervisors.all()]
    phases = []
    seats = (
        session.candidates.filter(withdrawn_at__isnull=True)
        .select_related("enrolment__accommodation")
        .order_by("position", "id")
    )
    for seat in seats:
        accommodation = getattr(seat.enrolment, "accommodation", None)
        measures = measures_of(accommodation) if accommodation else None
        try:
            phases += timetable.phases_for(
                str(seat.pk), exam, measures, split=session.detailed_phases and bool(supervisors)
            )
        except ValueError as error:
            raise SessionError(str(error)) from error
    unavailable: dict[str, list[timetable.Period]] = {}
    for period in session.jury_unavailabilities.all():
        unavailable.setdefault(period.panel, []).append((period.starts_at, period.ends_at))
    rooms = list(session.rooms)
    capacities = session.room_capacities or {}
    return timetable.Problem(
        days=days,
        rooms=rooms,
        juries=sorted({m.panel for m in members}),
        supervisors=supervisors,
        phases=phases,
        supervision_capacity=session.supervision_capacity,
        changeover_minutes=session.changeover_minutes,
        forbidden=rules.forbidden_panels(members),
        room_capacity={r: int(capacities[r]) for r in rooms if int(capacities.get(r, 1)) > 1},
        breaks=breaks,
        equipment={e.name: e.capacity for e in session.equipment.all()},
        unavailable=unavailable,
        pinned=_entries_as_assignments(session, phases, pinned_only=True).assignments,
    )


def _entries_as_assignments(
    session: ExamSession, phases: list[timetable.Phase], *, pinned_only: bool = False
) -> timetable.Timetable:
    """The timetable kept for the session, for the phases still to place (same candidate,
    rank and duration)."""
    known = {p.key: p for p in phases}
    entries = session.timetable.all()
    if pinned_only:
        entries = entries.filter(pinned=True)
    assignments = []
    for entry in entries:
        phase = known.get((str(entry.seat_id), entry.position))
        if phase is None or phase.minutes != entry.minutes:
            continue
        assignments.append(
            timetable.Assignment(
                phase,
                entry.starts_at,
                entry.ends_at,
                entry.room,
                entry.jury_panel or None,
                entry.supervisor or None,
            )
        )
    return timetable.Timetable(assignments)


@transaction.atomic
def build_timetable(*, session: ExamSession, actor: Any) -> timetable.Timetable:
    """Place every phase first-fit and keep the result (a plan: rebuilt on demand)."""
    problem = timetable_problem(session)
    result = timetable.first_fit(problem)
    _keep_timetable(session, problem, result)
    record_event(
        actor=actor,
        action="session.timetable_built",
        target=f"session:{session.pk}",
        placed=len(result.assignments),
        unplaced=len(result.unplaced),
    )
    return result


@transaction.atomic
def optimise_timetable(
    *, session: ExamSession, actor: Any, time_limit_seconds: float = 10.0
) -> scheduler.Schedule:
    """The best timetable CP-SAT finds within the limit (never later than first fit); kept
    unless the request is infeasible, in which case the explanation says why."""
    problem = timetable_problem(session)
    schedule = scheduler.optimise(problem, time_limit_seconds=time_limit_seconds)
    if schedule.status != "infeasible":
        _keep_timetable(session, problem, schedule.timetable)
    record_event(
        actor=actor,
        action="session.timetable_optimised",
        target=f"session:{session.pk}",
        status=schedule.status,
        makespan_minutes=schedule.makespan_minutes,
        lower_bound_minutes=schedule.lower_bound_minutes,
        jury_hours=schedule.jury_hours,
    )
    return schedule


@dataclass(frozen=True)
class Replanning:
    """A re-optimised timetable and the convened candidates it moves."""

    schedule: scheduler.Schedule
    reconvene: list[SessionCandidate]  # convened seats whose phases changed


@transaction.atomic
def replan_timetable(
    *, session: ExamSession, actor: Any, time_limit_seconds: float = 10.0
) -> Replanning:
    """Re-optimise after a withdrawal or a panel becoming unavailable, once convocations
    are out: first move as few convened candidates as possible (time, room or panel), then
    the usual objectives. Pinned phases stay. The new timetable is kept unless infeasible;
    the seats listed in ``reconvene`` need a new convocation."""
    problem = timetable_problem(session)
    previous = _entries_as_assignments(session, problem.phases)
    convened = frozenset(
        str(pk)
        for pk in ConvocationRecord.objects.filter(
            seat__session=session, seat__withdrawn_at__isnull=True
        ).values_list("seat_id", flat=True)
    )
    schedule = scheduler.optimise(
        problem, time_limit_seconds=time_limit_seconds, previous=previous, convened=convened
    )
    reconvene: list[SessionCandidate] = []
    if schedule.status != "infeasible":
        _keep_timetable(session, problem, schedule.timetable)
        moved = [int(key) for key in schedule.moved]
        reconvene = list(
            session.candidates.filter(pk__in=moved).select_related("enrolment__candidate")
        )
    record_event(
        actor=actor,
        action="session.timetable_replanned",
        target=f"session:{session.pk}",
        status=schedule.status,
        makespan_minutes=schedule.makespan_minutes,
        reconvene=[seat.pk for seat in reconvene],
    )
    return Replanning(schedule=schedule, reconvene=reconvene)


@transaction.atomic
def withdraw_seat(*, seat: SessionCandidate, actor: Any) -> None:
    """The candidate withdraws from the session: out of the timetable (their convocation
    stays on record); re-plan with :func:`replan_timetable`."""
    if seat.withdrawn_at is not None:
        raise SessionError(f"{seat} s'est déjà désisté.")
    seat.withdrawn_at = timezone.now()
    seat.save(update_fields=["withdrawn_at"])
    seat.phases.all().delete()
    record_event(
        actor=actor, action="session.candidate_withdrawn", target=f"session:{seat.session_id}"
    )


@transaction.atomic
def add_jury_unavailability(
    *,
    session: ExamSession,
    panel: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: Any,
    reason: str = "",
) -> JuryUnavailability:
    """A panel cannot sit during a period; re-plan with :func:`replan_timetable`."""
    if ends_at <= starts_at:
        raise SessionError("L'indisponibilité doit finir après son début.")
    if not session.jury.filter(panel=panel).exists():
        raise SessionError(f"Aucun jury « {panel} » dans la session.")
    period = JuryUnavailability.objects.create(
        session=session, panel=panel, starts_at=starts_at, ends_at=ends_at, reason=reason
    )
    record_event(
        actor=actor, action="session.jury_unavailable", target=f"session:{session.pk}", panel=panel
    )
    return period


def _keep_timetable(
    session: ExamSession, problem: timetable.Problem, result: timetable.Timetable
) -> None:
    conflicts = timetable.conflicts(result, problem)
    if conflicts:  # neither planner produces any; refuse to keep a plan that would
        raise SessionError("Planning incohérent : " + " ; ".join(conflicts))
    pinned = set(problem.pins())
    session.timetable.all().delete()
    seats = {str(seat.pk): seat for seat in session.candidates.all()}
    TimetableEntry.objects.bulk_create(
        TimetableEntry(
            session=session,
            seat=seats[a.phase.candidate],
            position=a.phase.index,
            method_title=a.phase.title,
            method_kind=a.phase.kind,
            base_minutes=a.phase.base_minutes,
            minutes=a.phase.minutes,
            starts_at=a.start,
            ends_at=a.end,
            room=a.room,
            jury_panel=a.jury or "",
            supervisor=a.supervisor or "",
            pinned=a.phase.key in pinned,
        )
        for a in result.assignments
    )


@transaction.atomic
def send_convocations(*, session: ExamSession, actor: Any) -> list[ConvocationRecord]:
    """One convocation per seated candidate, from the timetable: PDF and calendar kept, sent
    by e-mail once the transaction commits, and the enrolment marked convened."""
    entries = list(session.timetable.order_by("starts_at", "position"))
    seats = list(
        session.candidates.select_related("enrolment__candidate", "enrolment__accommodation")
    )
    missing = [str(seat) for seat in seats if not any(e.seat_id == seat.pk for e in entries)]
    if not seats:
        raise SessionError("Aucun candidat dans la session.")
    if missing:
        raise SessionError("Sans place au planning : " + ", ".join(missing) + ".")
    referentiel = load_referentiel(session.version)
    scope_label = "Titre complet"
    if session.block is not None:
        scope_label = f"{session.block.code} – {session.block.title}"
    records = []
    for seat in seats:
        enrolment = seat.enrolment
        candidate = enrolment.candidate
        accommodation = getattr(enrolment, "accommodation", None)
        requirements = requirements_of(enrolment, referentiel)
        number = ConvocationRecord.objects.filter(seat=seat).count() + 1
        reference = f"CONV-{session.starts_on:%Y}-{session.pk:04d}-{seat.pk:05d}-{number}"
        convocation = convocations.Convocation(
            reference=reference,
            organisation=session.organisation.name,
            candidate_name=f"{candidate.first_names} {candidate.last_name}",
            certification_title=referentiel.title,
            certification_code=referentiel.code,
            scope_label=scope_label,
            centre_name=session.organisation.name,
            centre_address=session.address,
            session_start=session.starts_on,
            session_end=session.ends_on,
            schedule=[
                convocations.ConvocationSlot(
                    start=e.starts_at,
                    end=e.ends_at,
                    method_title=e.method_title,
                    room=e.room,
                    with_jury=bool(e.jury_panel),
                )
                for e in entries
                if e.seat_id == seat.pk
            ],
            bring=[
                f"{p.title} ({p.quantity} exemplaires)" if p.quantity > 1 else p.title
                for p in requirements.productions
            ],
            accommodations=candidate_rules.manager_measures(measures_of(accommodation))
            if accommodation
            else [],
            contact=session.organisation.name,
            issued_on=timezone.localdate(),
        )
        record = ConvocationRecord(
            seat=seat,
            reference=reference,
            sent_to=candidate.email,
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        pdf = convocations.convocation_pdf(convocation)
        ics = convocations.convocation_ics(convocation)
        record.pdf.save(f"{reference}.pdf", ContentFile(pdf), save=False)
        record.ics.save(f"{reference}.ics", ContentFile(ics), save=False)
        record.save()
        records.append(record)
        if enrolment.status == EnrolmentStatus.ELIGIBLE:
            enrolment.change_status(
                EnrolmentStatus.CONVENED, actor=actor, note=f"Convocation {reference}"
            )
        if candidate.email:
            subject, body = convocations.convocation_email(convocation)
            message = EmailMessage(subject, body, to=[candidate.email])
            message.attach(f"{reference}.pdf", pdf, "application/pdf")
            message.attach(f"{reference}.ics", ics, "text/calendar")
            transaction.on_commit(message.send)
    record_event(
        actor=actor,
        action="session.convocations_sent",
        target=f"session:{session.pk}",
        references=[r.reference for r in records],
    )
    return records


@transaction.atomic
def pin_phase(*, entry: TimetableEntry, pinned: bool, actor: Any) -> TimetableEntry:
    """Pin a phase where it stands, so that re-planning keeps it there, or free it again.
    Asking for the state the phase already has changes nothing and records nothing."""
    if entry.pinned == pinned:
        return entry
    entry.pinned = pinned
    entry.save(update_fields=["pinned"])
    record_event(
        actor=actor,
        action="session.phase_pinned" if pinned else "session.phase_unpinned",
        target=f"session:{entry.session_id}",
        entry=entry.pk,
        seat=entry.seat_id,
        position=entry.position,
        starts_at=entry.starts_at.isoformat(),
        room=entry.room,
    )
    return entry
