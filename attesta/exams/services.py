"""Operations on exam sessions: one transaction each, audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
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
from attesta.core.models import AuditEvent, record_event
from attesta.documents import convocations
from attesta.exams import phases as exam_phases
from attesta.exams import rules, scheduler, timetable, validity
from attesta.exams.models import (
    ConvocationRecord,
    ExamSession,
    JuryMember,
    JuryUnavailability,
    SessionCandidate,
    SessionEquipment,
    Supervisor,
    TimetableEntry,
)
from attesta.referentiels.importers.canonical import Exam
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


@transaction.atomic
def set_planning_options(
    *,
    session: ExamSession,
    actor: Any,
    day_start: dt.time,
    day_end: dt.time,
    break_start: dt.time | None,
    break_end: dt.time | None,
    changeover_minutes: int,
    supervision_capacity: int,
    room_capacities: dict[str, int],
    detailed_phases: bool,
) -> ExamSession:
    """The inputs of the timetable the session manager sets (docs/scheduler.md): the day
    window and the jury's break, the changeover, candidates per supervisor, each room's
    capacity (1 is not stored) and the detailed phases. Audited with what changed."""
    if day_end <= day_start:
        raise SessionError("Fin de journée : elle doit suivre le début de journée.")
    if (break_start is None) != (break_end is None):
        raise SessionError("Pause du jury : indiquez son début et sa fin, ou aucun des deux.")
    if break_start is not None and break_end is not None:
        if break_end <= break_start:
            raise SessionError("Fin de la pause du jury : elle doit suivre son début.")
        if break_start < day_start or break_end > day_end:
            raise SessionError("Pause du jury : elle doit tenir dans la journée.")
    if supervision_capacity < 1:
        raise SessionError("Candidats par surveillant : au moins 1.")
    unknown = sorted(set(room_capacities) - set(session.rooms))
    if unknown:
        raise SessionError("Capacité des salles : salle inconnue " + ", ".join(unknown) + ".")
    if any(capacity < 1 for capacity in room_capacities.values()):
        raise SessionError("Capacité des salles : au moins 1 candidat par salle.")
    values: dict[str, Any] = {
        "day_start": day_start,
        "day_end": day_end,
        "break_start": break_start,
        "break_end": break_end,
        "changeover_minutes": changeover_minutes,
        "supervision_capacity": supervision_capacity,
        "room_capacities": {r: c for r, c in room_capacities.items() if c > 1},
        "detailed_phases": detailed_phases,
    }
    changed = {
        name: _jsonable(value) for name, value in values.items() if getattr(session, name) != value
    }
    if not changed:
        return session
    for name, value in values.items():
        setattr(session, name, value)
    session.save(update_fields=list(values))
    record_event(
        actor=actor,
        action="session.planning_options_set",
        target=f"session:{session.pk}",
        **changed,
    )
    return session


# A duration the centre sets: 0 (handed in before the session, not timetabled) or 5 minutes
# to 12 hours.
METHOD_MINUTES = (5, 720)


def session_exam(session: ExamSession) -> Exam | None:
    """The session's exam as its référentiel describes it, with the durations the centre
    set for the methods whose référentiel gives none (:func:`set_method_durations`)."""
    exam = load_referentiel(session.version).exam_for(session.scope)
    set_by_centre = session.method_minutes or {}
    if exam is None or not set_by_centre:
        return exam
    methods = [
        dataclasses.replace(method, duration_minutes=int(set_by_centre[str(n)]))
        if method.duration_minutes is None and str(n) in set_by_centre
        else method
        for n, method in enumerate(exam.methods)
    ]
    return dataclasses.replace(exam, methods=methods)


@dataclass(frozen=True)
class MethodDuration:
    """A method of the session's exam and its duration: the référentiel's, else the
    centre's (None: not set yet, the exam cannot be timetabled)."""

    index: int  # rank of the method in the exam
    title: str
    code: str | None
    referentiel_minutes: int | None
    minutes: int | None

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}" if self.code else self.title


def method_durations(session: ExamSession) -> list[MethodDuration]:
    """Each method of the session's exam with the duration in force (:func:`session_exam`);
    those whose ``referentiel_minutes`` is None are the ones the centre sets."""
    official = load_referentiel(session.version).exam_for(session.scope)
    in_force = session_exam(session)
    if official is None or in_force is None:
        return []
    return [
        MethodDuration(
            index=n,
            title=method.title,
            code=method.code,
            referentiel_minutes=method.duration_minutes,
            minutes=in_force.methods[n].duration_minutes,
        )
        for n, method in enumerate(official.methods)
    ]


@transaction.atomic
def set_method_durations(
    *, session: ExamSession, actor: Any, minutes: Mapping[int, int | None]
) -> ExamSession:
    """The centre sets the duration of methods whose référentiel gives none (certifier
    référentiels in table form often do not): method rank → minutes, 0 for a production
    handed in before the session (not timetabled), ``None`` to clear it. A duration the
    référentiel gives is its own and is refused. Audited with the durations in force
    afterwards."""
    exam = load_referentiel(session.version).exam_for(session.scope)
    if exam is None:
        raise SessionError(f"Le référentiel ne décrit pas d'épreuve pour « {session.scope} ».")
    stored = {str(k): int(v) for k, v in (session.method_minutes or {}).items()}
    lowest, highest = METHOD_MINUTES
    for index, value in sorted(minutes.items()):
        if not 0 <= index < len(exam.methods):
            raise SessionError(
                f"Modalité n° {index + 1} : l'épreuve n'en compte que {len(exam.methods)}."
            )
        method = exam.methods[index]
        if method.duration_minutes is not None:
            raise SessionError(
                f"« {method.title} » : le référentiel en fixe la durée "
                f"({method.duration_minutes} min), elle ne se modifie pas."
            )
        if value is None:
            stored.pop(str(index), None)
        elif value != 0 and not lowest <= value <= highest:
            raise SessionError(
                f"« {method.title} » : une durée de {lowest} à {highest} minutes (0 : remise "
                f"avant la session), pas {value}."
            )
        else:
            stored[str(index)] = value
    if stored == (session.method_minutes or {}):
        return session
    session.method_minutes = stored
    session.save(update_fields=["method_minutes"])
    record_event(
        actor=actor,
        action="session.method_durations_set",
        target=f"session:{session.pk}",
        minutes=stored,
    )
    return session


def _jsonable(value: Any) -> Any:
    return value.strftime("%H:%M") if isinstance(value, dt.time) else value


@transaction.atomic
def add_equipment(
    *, session: ExamSession, actor: Any, name: str, count: int, shared_by: int
) -> SessionEquipment:
    """Declare shared equipment: ``count`` items, each for ``shared_by`` candidates at once.
    The name is the one the phases use (:data:`EQUIPMENT_NAMES`)."""
    if name not in EQUIPMENT_NAMES:
        raise SessionError(f"Équipement : « {name} » n'est utilisé par aucune phase.")
    if count < 1 or shared_by < 1:
        raise SessionError("Équipement : au moins un exemplaire, pour au moins un candidat.")
    if session.equipment.filter(name=name).exists():
        raise SessionError(
            f"Équipement : « {name} » est déjà déclaré ; retirez-le pour le modifier."
        )
    equipment = SessionEquipment.objects.create(
        session=session, name=name, count=count, shared_by=shared_by
    )
    record_event(
        actor=actor,
        action="session.equipment_added",
        target=f"session:{session.pk}",
        name=name,
        count=count,
        shared_by=shared_by,
    )
    return equipment


@transaction.atomic
def remove_equipment(*, equipment: SessionEquipment, actor: Any) -> None:
    """The equipment is no longer scarce: its phases take it whenever they need it."""
    session_id, name = equipment.session_id, equipment.name
    equipment.delete()
    record_event(
        actor=actor, action="session.equipment_removed", target=f"session:{session_id}", name=name
    )


# The shared equipment the phases name (attesta/exams/phases.py), the only names that count.
EQUIPMENT_NAMES: tuple[str, ...] = (exam_phases.PRINTER, *exam_phases.PHONE)


def equipment_needs(session: ExamSession) -> dict[str, list[str]]:
    """Each shared equipment name → the titles of the exam's phases that use it, when the
    methods are cut into detailed phases (a candidate without accommodations)."""
    needs: dict[str, list[str]] = {name: [] for name in EQUIPMENT_NAMES}
    exam = session_exam(session)
    if exam is None:
        return needs
    try:
        phases = timetable.phases_for("", exam, None, split=True)
    except ValueError:
        return needs
    for phase in phases:
        for name in phase.uses:
            needs.setdefault(name, []).append(phase.title)
    return needs


def seats_to_reconvene(session: ExamSession) -> list[SessionCandidate]:
    """The seats the last re-planning moved that have had no convocation since: their
    convocation no longer matches the timetable."""
    event = (
        AuditEvent.objects.filter(
            action="session.timetable_replanned", target=f"session:{session.pk}"
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
    if event is None or not event.details.get("reconvene"):
        return []
    return list(
        session.candidates.filter(pk__in=event.details["reconvene"], withdrawn_at__isnull=True)
        .exclude(convocations__sent_at__gt=event.occurred_at)
        .select_related("enrolment__candidate")
        .order_by("position", "id")
    )


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
    present throughout as the référentiel is parsed. Durations come from the référentiel, or
    from the centre where it gives none (:func:`session_exam`)."""
    exam = session_exam(session)
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
    declared = list(session.equipment.all())
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
        equipment={e.name: e.capacity for e in declared},
        equipment_sharing={e.name: e.shared_by for e in declared},
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


@transaction.atomic
def remove_jury_unavailability(*, period: JuryUnavailability, actor: Any) -> None:
    """The panel can sit during that period after all; re-plan with
    :func:`replan_timetable`."""
    session_id, panel = period.session_id, period.panel
    starts_at, ends_at = period.starts_at, period.ends_at
    period.delete()
    record_event(
        actor=actor,
        action="session.jury_available",
        target=f"session:{session_id}",
        panel=panel,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
    )


def _keep_timetable(
    session: ExamSession, problem: timetable.Problem, result: timetable.Timetable
) -> None:
    try:
        result = timetable.give_out_equipment(result, problem)
    except ValueError as error:
        raise SessionError(f"Planning incohérent : {error}") from error
    conflicts = validity.conflicts(result, problem)
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
            equipment=", ".join(a.equipment),
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
        session.candidates.filter(withdrawn_at__isnull=True).select_related(
            "enrolment__candidate", "enrolment__accommodation"
        )
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
