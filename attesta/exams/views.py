"""Exam session pages: list, planning, candidates, jury, timetable and convocations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attesta.accounts.enums import SESSION_MANAGERS, Role
from attesta.accounts.models import User, signed_in_user
from attesta.candidates.enums import EnrolmentStatus
from attesta.candidates.models import Enrolment
from attesta.documents import timetables
from attesta.documents.formats import french_period
from attesta.exams import grid, scheduler, services
from attesta.exams.forms import (
    EquipmentForm,
    JuryMemberForm,
    JuryUnavailabilityForm,
    MethodDurationsForm,
    PinForm,
    PlanningOptionsForm,
    SeatForm,
    SessionForm,
    SupervisorForm,
    TimetableGridForm,
)
from attesta.exams.models import (
    ConvocationRecord,
    ExamSession,
    SessionCandidate,
    SessionQuerySet,
)
from attesta.referentiels.models import CertificationVersion
from attesta.referentiels.services import load_referentiel


def _is_manager(user: User) -> bool:
    return user.is_superuser or bool(user.organisation_id and user.role in SESSION_MANAGERS)


def _manager(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not _is_manager(user):
        raise PermissionDenied("Seul un responsable de session organise les sessions.")
    return user


def _sessions(request: HttpRequest) -> SessionQuerySet:
    return ExamSession.objects.visible_to(request.user).select_related(
        "version__certification", "block", "organisation"
    )


def _managed_session(request: HttpRequest, pk: int) -> tuple[User, ExamSession]:
    user = _manager(request)
    return user, get_object_or_404(_sessions(request), pk=pk)


def _planning_session(request: HttpRequest, pk: int) -> tuple[User, ExamSession]:
    """The session, for its managers only: the whole timetable (extra time included) is
    theirs to see; to anyone else, an assessor on its jury too, the page does not exist."""
    user = signed_in_user(request)
    sessions = ExamSession.objects.managed_by(user).select_related(
        "version__certification", "block", "organisation"
    )
    return user, get_object_or_404(sessions, pk=pk)


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = _sessions(request).with_seat_count().order_by("-starts_on", "-id")
    when = request.GET.get("quand", "")
    today = timezone.localdate()
    if when == "a-venir":
        sessions = sessions.filter(ends_on__gte=today).order_by("starts_on", "id")
    elif when == "passees":
        sessions = sessions.filter(ends_on__lt=today)
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    user = signed_in_user(request)
    return render(
        request,
        "exams/session_list.html",
        {
            "page": page,
            "when": when,
            "query": f"quand={when}" if when else "",
            "can_manage": user.is_superuser or user.role in SESSION_MANAGERS,
        },
    )


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    versions = (
        CertificationVersion.objects.visible_to(user)
        .published()
        .select_related("certification")
        .order_by("certification__title")
    )
    form = SessionForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid() and user.organisation is not None:
        try:
            session = services.create_session(
                organisation=user.organisation, actor=user, **form.cleaned_data
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Session créée : {session.label}.")
            return redirect("exams:detail", pk=session.pk)
    return render(
        request, "exams/session_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(_sessions(request), pk=pk)
    user = signed_in_user(request)
    can_manage = user.manages(session.organisation_id)
    seats = list(
        session.candidates.select_related("enrolment__candidate").prefetch_related("trainers")
    )
    exam = services.session_exam(session)
    convocations = list(
        ConvocationRecord.objects.filter(seat__session=session)
        .select_related("seat__enrolment__candidate")
        .order_by("seat__position", "-sent_at")
    )
    context: dict[str, object] = {
        "session": session,
        "seats": seats,
        "present": sum(1 for seat in seats if seat.withdrawn_at is None),
        "withdrawn": sum(1 for seat in seats if seat.withdrawn_at is not None),
        "exam": exam,
        "centre_durations": [int(k) for k in session.method_minutes or {}],
        "jury": session.jury.select_related("user").order_by("panel", "-is_president", "id"),
        "supervisors": session.supervisors.all(),
        "jury_problems": services.jury_problems(session),
        "convocations": convocations,
        "timetable": session.timetable.select_related("seat__enrolment__candidate").order_by(
            "starts_at", "seat__position", "position"
        ),
        "can_manage": can_manage,
        "convened": bool(convocations),
        "reconvene": services.seats_to_reconvene(session) if can_manage and convocations else [],
    }
    if can_manage:
        seated = [seat.enrolment_id for seat in seats]
        eligible = (
            Enrolment.objects.visible_to(user)
            .filter(version=session.version, status=EnrolmentStatus.ELIGIBLE)
            .exclude(pk__in=seated)
            .select_related("candidate")
            .order_by("candidate__last_name", "candidate__first_names")
        )
        assessors = User.objects.filter(role=Role.ASSESSOR, organisation=session.organisation)
        context.update(
            {
                "seat_form": SeatForm(enrolments=eligible),
                "jury_form": JuryMemberForm(
                    assessors=assessors,
                    profiles=list(exam.jury.profiles) if exam and exam.jury else [],
                ),
                "supervisor_form": SupervisorForm(),
            }
        )
    return render(request, "exams/session_detail.html", context)


@require_POST
def session_seat(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    eligible = Enrolment.objects.visible_to(user).filter(version=session.version)
    form = SeatForm(request.POST, enrolments=eligible)
    if form.is_valid():
        try:
            seats = services.seat_candidates(
                session=session, enrolments=list(form.cleaned_data["enrolments"]), actor=user
            )
        except services.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{len(seats)} candidat(s) ajouté(s) à la session.")
    else:
        messages.error(request, "Cochez au moins un candidat recevable.")
    return redirect("exams:detail", pk=pk)


@require_POST
def session_jury(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    exam = load_referentiel(session.version).exam_for(session.scope)
    assessors = User.objects.filter(role=Role.ASSESSOR, organisation=session.organisation)
    form = JuryMemberForm(
        request.POST,
        assessors=assessors,
        profiles=list(exam.jury.profiles) if exam and exam.jury else [],
    )
    if form.is_valid():
        try:
            services.add_jury_member(session=session, actor=user, **form.cleaned_data)
        except services.SessionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Membre du jury ajouté.")
    else:
        messages.error(request, "Membre du jury : choisissez un membre et son jury.")
    return redirect("exams:detail", pk=pk)


@require_POST
def session_supervisor(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    form = SupervisorForm(request.POST)
    if form.is_valid():
        services.add_supervisor(session=session, name=form.cleaned_data["name"], actor=user)
        messages.success(request, "Surveillant ajouté.")
    return redirect("exams:detail", pk=pk)


@require_POST
def session_timetable(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    try:
        result = services.build_timetable(session=session, actor=user)
    except services.SessionError as error:
        messages.error(request, str(error))
        return redirect("exams:detail", pk=pk)
    messages.success(request, f"Planning établi : {len(result.assignments)} phase(s) placée(s).")
    names = {
        str(seat.pk): str(seat)
        for seat in session.candidates.select_related("enrolment__candidate")
    }
    for unplaced in result.unplaced:
        who = names.get(unplaced.phase.candidate, "?")
        messages.warning(request, f"{who} – {unplaced.phase.title} : {unplaced.reason}")
    return redirect("exams:detail", pk=pk)


@require_POST
def session_convocations(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    try:
        records = services.send_convocations(session=session, actor=user)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        sent = sum(1 for r in records if r.sent_to)
        messages.success(
            request, f"{len(records)} convocation(s) établie(s), {sent} envoyée(s) par courriel."
        )
    return redirect("exams:detail", pk=pk)


@require_GET
def convocation_file(request: HttpRequest, pk: int, reference: str, kind: str) -> FileResponse:
    session = get_object_or_404(_sessions(request), pk=pk)
    user = signed_in_user(request)
    if not (user.is_superuser or user.role in SESSION_MANAGERS):
        raise PermissionDenied("Les convocations sont remises par le responsable de session.")
    record = get_object_or_404(ConvocationRecord, seat__session=session, reference=reference)
    stored = record.pdf if kind == "pdf" else record.ics
    content_type = "application/pdf" if kind == "pdf" else "text/calendar"
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"{reference}.{kind}",
        content_type=content_type,
    )


@require_POST
def session_optimise(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    try:
        schedule = services.optimise_timetable(session=session, actor=user)
    except services.SessionError as error:
        messages.error(request, str(error))
        return redirect("exams:detail", pk=pk)
    if schedule.status == "infeasible":
        messages.error(request, f"Aucun planning possible : {schedule.explanation}")
    else:
        messages.success(request, figures_sentence(schedule))
        for unplaced in schedule.timetable.unplaced:
            messages.warning(request, f"{unplaced.phase.title} : {unplaced.reason}")
    # From the timetable page, back to it; from anywhere else, to the session.
    if request.POST.get("retour") == "planning":
        return redirect("exams:planning", pk=pk)
    return redirect("exams:detail", pk=pk)


def figures_sentence(schedule: scheduler.Schedule) -> str:
    quality = "optimal" if schedule.status == "optimal" else f"écart {schedule.gap:.0%} à la borne"
    return (
        f"Planning optimisé ({quality}) : {schedule.days_used} jour(s), fin à "
        f"{schedule.makespan_minutes} min de session (borne inférieure "
        f"{schedule.lower_bound_minutes} min), {schedule.jury_hours:.1f} h de jury, "
        f"{schedule.waiting_minutes} min d'attente des candidats ; calcul en "
        f"{schedule.solver_seconds:.1f} s."
    )


# --- the timetable: grid per day, each candidate's sequence, pins, exports ------------------


def _planned(session: ExamSession) -> list[grid.PlannedPhase]:
    entries = session.timetable.select_related("seat__enrolment__candidate").order_by(
        "starts_at", "seat__position", "position"
    )
    return [
        grid.PlannedPhase(
            key=entry.pk,
            seat=entry.seat_id,
            position=entry.position,
            candidate=str(entry.seat),
            title=entry.method_title,
            start=entry.starts_at,
            end=entry.ends_at,
            room=entry.room,
            jury=entry.jury_panel,
            supervisor=entry.supervisor,
            equipment=entry.equipment,
            minutes=entry.minutes,
            base_minutes=entry.base_minutes,
            pinned=entry.pinned,
        )
        for entry in entries
    ]


def _planning_context(session: ExamSession, *, step: int) -> dict[str, object]:
    phases = _planned(session)
    seated = {p.seat for p in phases}
    days = grid.days_between(session.starts_on, session.ends_on)
    panels = set(session.jury.values_list("panel", flat=True))
    return {
        "session": session,
        "column_minutes": step,
        "notice": None,
        "grids": grid.day_grids(
            phases,
            days=days,
            opens=session.day_start,
            closes=session.day_end,
            rooms=list(session.rooms),
            juries=sorted(panels, key=grid.natural_key),
            step_minutes=step,
        ),
        "runs": grid.candidate_runs(phases),
        "several_days": len(days) > 1,
        "pinned": sum(p.pinned for p in phases),
        "unplaced": [
            str(seat)
            for seat in session.candidates.filter(withdrawn_at__isnull=True).select_related(
                "enrolment__candidate"
            )
            if seat.pk not in seated
        ],
    }


def _step(form: TimetableGridForm) -> int:
    """Minutes per grid column: the reader's choice, else the finest."""
    chosen = form.cleaned_data["pas"] if form.is_valid() else None
    return int(chosen or grid.STEPS[0])


@require_GET
def session_planning(request: HttpRequest, pk: int) -> HttpResponse:
    _, session = _planning_session(request, pk)
    form = TimetableGridForm(request.GET)
    context = _planning_context(session, step=_step(form))
    context["form"] = form
    context["convened"] = ConvocationRecord.objects.filter(seat__session=session).exists()
    return render(
        request, "exams/session_planning.html", context, status=400 if form.errors else 200
    )


@require_POST
def phase_pin(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    user, session = _planning_session(request, pk)
    phase = get_object_or_404(
        session.timetable.select_related("seat__enrolment__candidate"), pk=entry
    )
    step = _step(TimetableGridForm(request.POST))
    form = PinForm(request.POST)
    if form.is_valid():
        services.pin_phase(entry=phase, pinned=form.cleaned_data["pinned"], actor=user)
        notice = f"{phase.seat} – {phase.method_title} : " + (
            "épinglée, re-planifier la gardera à sa place." if phase.pinned else "libérée."
        )
        level = messages.SUCCESS
    else:
        notice, level = "Épinglage : choisissez d'épingler ou de libérer la phase.", messages.ERROR
    if request.headers.get("HX-Request"):
        # htmx swaps the timetable in place (a 200 even for a refusal: it swaps no error).
        context = _planning_context(session, step=step)
        context["notice"] = {"text": notice, "error": level == messages.ERROR}
        return render(request, "exams/session_planning.html#planning", context)
    messages.add_message(request, level, notice)
    url = reverse("exams:planning", args=[pk])
    return redirect(f"{url}?pas={step}#phase-{phase.pk}")


@require_POST
def session_replan(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-plan once convocations are out: moves as few convened candidates as possible and
    says who must be convened again. Back to the page it was asked from."""
    user, session = _planning_session(request, pk)
    back = "exams:detail" if request.POST.get("retour") == "session" else "exams:planning"
    try:
        replanning = services.replan_timetable(session=session, actor=user)
    except services.SessionError as error:
        messages.error(request, str(error))
        return redirect(back, pk=pk)
    schedule = replanning.schedule
    if schedule.status == "infeasible":
        messages.error(request, f"Aucun planning possible : {schedule.explanation}")
        return redirect(back, pk=pk)
    messages.success(request, figures_sentence(schedule))
    if replanning.reconvene:
        names = ", ".join(str(seat) for seat in replanning.reconvene)
        messages.warning(
            request,
            f"À reconvoquer ({len(replanning.reconvene)}) : {names}. Leur convocation ne "
            "correspond plus au planning.",
        )
    else:
        messages.info(request, "Aucun candidat convoqué ne change d'horaire, de salle ni de jury.")
    for unplaced in schedule.timetable.unplaced:
        messages.warning(request, f"{unplaced.phase.title} : {unplaced.reason}")
    return redirect(back, pk=pk)


def _planning_document(
    session: ExamSession, phases: list[grid.PlannedPhase]
) -> timetables.SessionTimetable:
    certification = session.version.certification
    scope_label = "Titre complet"
    if session.block is not None:
        scope_label = f"{session.block.code} – {session.block.title}"
    return timetables.SessionTimetable(
        reference=f"PLAN-{session.starts_on:%Y}-{session.pk:04d}",
        organisation=session.organisation.name,
        session_label=session.label,
        certification=f"{certification.title} ({certification.code})",
        scope_label=scope_label,
        centre_address=session.address,
        period=french_period(session.starts_on, session.ends_on),
        phases=phases,
        issued_on=timezone.localdate(),
    )


@require_GET
def planning_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _, session = _planning_session(request, pk)
    if kind not in ("pdf", "ics"):
        raise Http404("Format d'export inconnu.")
    phases = _planned(session)
    if not phases:
        messages.error(request, "Pas encore de planning à exporter.")
        return redirect("exams:planning", pk=pk)
    document = _planning_document(session, phases)
    if kind == "pdf":
        content, content_type = timetables.timetable_pdf(document), "application/pdf"
    else:
        content, content_type = timetables.timetable_ics(document), "text/calendar"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.reference}.{kind}"'
    return response


# --- the timetable's inputs: day, break, rooms, equipment, panels' absences, withdrawals ----


def _settings_context(
    session: ExamSession,
    *,
    options_form: PlanningOptionsForm | None = None,
    equipment_form: EquipmentForm | None = None,
    unavailability_form: JuryUnavailabilityForm | None = None,
    durations_form: MethodDurationsForm | None = None,
) -> dict[str, object]:
    needs = services.equipment_needs(session)
    undated = _undated_methods(session)
    declared = list(session.equipment.all())
    panels = sorted(set(session.jury.values_list("panel", flat=True)), key=grid.natural_key)
    capacities = session.room_capacities or {}
    convened = ConvocationRecord.objects.filter(seat__session=session).exists()
    return {
        "session": session,
        "options_form": options_form
        or PlanningOptionsForm(
            initial=PlanningOptionsForm.initial_for(session), rooms=list(session.rooms)
        ),
        "rooms": [(room, int(capacities.get(room, 1))) for room in session.rooms],
        "equipment": [(item, needs.get(item.name, [])) for item in declared],
        "undeclared": [
            (name, titles)
            for name, titles in needs.items()
            if titles and name not in {item.name for item in declared}
        ],
        "equipment_form": equipment_form or EquipmentForm(names=services.EQUIPMENT_NAMES),
        "unavailabilities": list(session.jury_unavailabilities.all()),
        "panels": panels,
        "unavailability_form": unavailability_form or JuryUnavailabilityForm(panels=panels),
        "has_supervisors": session.supervisors.exists(),
        "undated": undated,
        "durations_form": durations_form
        or MethodDurationsForm(initial=MethodDurationsForm.initial_for(session), methods=undated),
        "convened": convened,
        "reconvene": services.seats_to_reconvene(session) if convened else [],
    }


def _undated_methods(session: ExamSession) -> list[tuple[int, str]]:
    """The exam's methods whose référentiel gives no duration: (rank, name)."""
    return [
        (m.index, m.label)
        for m in services.method_durations(session)
        if m.referentiel_minutes is None
    ]


def _settings_page(request: HttpRequest, session: ExamSession, **forms: Any) -> HttpResponse:
    """The page, again with the refused form and its errors (a 400)."""
    context = _settings_context(session, **forms)
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render(request, "exams/session_settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def session_settings(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    if request.method == "GET":
        return _settings_page(request, session)
    form = PlanningOptionsForm(request.POST, rooms=list(session.rooms))
    if form.is_valid():
        try:
            services.set_planning_options(session=session, actor=user, **form.options())
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Paramètres du planning enregistrés.")
            _hint_replan(request, session)
            return redirect("exams:settings", pk=pk)
    return _settings_page(request, session, options_form=form)


@require_POST
def durations_set(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    form = MethodDurationsForm(request.POST, methods=_undated_methods(session))
    if form.is_valid():
        try:
            services.set_method_durations(session=session, actor=user, minutes=form.minutes())
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Durées des modalités enregistrées.")
            _hint_replan(request, session)
            return redirect(reverse("exams:settings", args=[pk]) + "#titre-durees")
    return _settings_page(request, session, durations_form=form)


@require_POST
def equipment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    form = EquipmentForm(request.POST, names=services.EQUIPMENT_NAMES)
    if form.is_valid():
        try:
            item = services.add_equipment(session=session, actor=user, **form.cleaned_data)
        except services.SessionError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Équipement déclaré : {item.name.capitalize()}.")
            _hint_replan(request, session)
            return redirect(reverse("exams:settings", args=[pk]) + "#titre-equipements")
    return _settings_page(request, session, equipment_form=form)


@require_POST
def equipment_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    equipment = get_object_or_404(session.equipment, pk=item)
    services.remove_equipment(equipment=equipment, actor=user)
    messages.success(request, f"Équipement retiré : {equipment.name.capitalize()}.")
    _hint_replan(request, session)
    return redirect(reverse("exams:settings", args=[pk]) + "#titre-equipements")


@require_POST
def unavailability_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    panels = sorted(set(session.jury.values_list("panel", flat=True)), key=grid.natural_key)
    form = JuryUnavailabilityForm(request.POST, panels=panels)
    if form.is_valid():
        try:
            period = services.add_jury_unavailability(
                session=session, actor=user, **form.cleaned_data
            )
        except services.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Indisponibilité enregistrée : {period.panel}.")
            _hint_replan(request, session)
            return redirect(reverse("exams:settings", args=[pk]) + "#titre-indisponibilites")
    return _settings_page(request, session, unavailability_form=form)


@require_POST
def unavailability_remove(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    user, session = _managed_session(request, pk)
    absence = get_object_or_404(session.jury_unavailabilities, pk=period)
    services.remove_jury_unavailability(period=absence, actor=user)
    messages.success(request, f"Indisponibilité retirée : {absence.panel}.")
    _hint_replan(request, session)
    return redirect(reverse("exams:settings", args=[pk]) + "#titre-indisponibilites")


def _hint_replan(request: HttpRequest, session: ExamSession) -> None:
    """A changed input does not move the timetable in force: say so when there is one."""
    if session.timetable.exists():
        messages.info(
            request,
            "Le planning en vigueur n'en tient pas compte : re-planifiez-le (après les "
            "convocations, « Re-planifier » déplace le moins possible de candidats convoqués) "
            "ou optimisez-le.",
        )


@require_http_methods(["GET", "POST"])
def seat_withdraw(request: HttpRequest, pk: int, seat: int) -> HttpResponse:
    """A candidate withdraws: a confirmation page, then out of the timetable."""
    user, session = _managed_session(request, pk)
    place: SessionCandidate = get_object_or_404(
        session.candidates.select_related("enrolment__candidate"), pk=seat
    )
    if request.method == "GET":
        return render(
            request,
            "exams/seat_withdraw.html",
            {
                "session": session,
                "seat": place,
                "phases": place.phases.count(),
                "convened": place.convocations.exists(),
            },
        )
    try:
        services.withdraw_seat(seat=place, actor=user)
    except services.SessionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Désistement enregistré : {place} ne figure plus au planning.")
        _hint_replan(request, session)
    return redirect(reverse("exams:detail", args=[pk]) + "#titre-planning")
