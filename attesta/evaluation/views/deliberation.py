"""The deliberation: the session's candidates, then per candidate the criteria evidence,
the decisions per competency, the conditions, the attendance, the exemptions (the only page
showing the referent's opinion) and the outcome; the president's corrections."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from attesta.accounts.models import User
from attesta.candidates.models import ExemptionRequest
from attesta.evaluation import rules, services
from attesta.evaluation.enums import Attendance
from attesta.evaluation.forms import (
    AttendanceForm,
    ConditionCorrectionForm,
    ConditionForm,
    DecisionCorrectionForm,
    DecisionForm,
)
from attesta.evaluation.models import (
    AttendanceRecord,
    CompetencyDecision,
    ConditionFinding,
    CriterionExemption,
    CriterionMark,
)
from attesta.evaluation.views.common import (
    SOURCE_LABELS,
    grids_of,
    jury_seat,
    jury_session,
    mark_label,
    require_president,
    shows_refusal,
)
from attesta.exams.models import ExamSession, JuryMember, SessionCandidate
from attesta.referentiels.importers.canonical import Referentiel
from attesta.referentiels.services import load_referentiel

# --- deliberation: the session -------------------------------------------------------------


@dataclass
class DeliberationLine:
    seat: SessionCandidate
    attendance: str
    decisions: int
    conditions: int
    disagreements: int
    exempted: int


@require_GET
@shows_refusal
def deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's candidates with where their deliberation stands (a fixed number of
    queries whatever the number of candidates)."""
    _, member, session = jury_session(request, pk)
    referentiel = load_referentiel(session.version)
    seats = list(
        session.candidates.select_related("enrolment__candidate").order_by("position", "id")
    )
    decisions = Counter(
        dict(
            CompetencyDecision.objects.current()
            .filter(seat__session=session)
            .values("seat_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("seat_id", "n")
        )
    )
    conditions = Counter(
        dict(
            ConditionFinding.objects.current()
            .filter(seat__session=session)
            .values("seat_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("seat_id", "n")
        )
    )
    attendance: dict[int, str] = {}
    for record in AttendanceRecord.objects.filter(seat__session=session).order_by(
        "recorded_at", "id"
    ):
        attendance[record.seat_id] = record.get_status_display()
    exempted: dict[int, set[str]] = defaultdict(set)
    for seat_id, key in CriterionExemption.objects.filter(seat__session=session).values_list(
        "seat_id", "criterion_key"
    ):
        exempted[seat_id].add(key)
    disagreements = _disagreements(referentiel, session, exempted)
    lines = [
        DeliberationLine(
            seat=seat,
            attendance=attendance.get(seat.pk, Attendance.PRESENT.label),
            decisions=decisions[seat.pk],
            conditions=conditions[seat.pk],
            disagreements=disagreements[seat.pk],
            exempted=len(exempted[seat.pk]),
        )
        for seat in seats
    ]
    latest = services.latest_minutes(session)
    return render(
        request,
        "evaluation/deliberation.html",
        {
            "session": session,
            "member": member,
            "lines": lines,
            "frozen": latest is not None,
            "latest": latest,
        },
    )


def _disagreements(
    referentiel: Referentiel, session: ExamSession, exempted: dict[int, set[str]]
) -> Counter[int]:
    """Disagreeing criteria per seat over every method, from one query of the marks."""
    marks: dict[tuple[int, int], dict[int, dict[str, rules.Mark]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for seat_id, method, assessor, key, value in CriterionMark.objects.filter(
        seat__session=session
    ).values_list("seat_id", "method_index", "assessor_id", "criterion_key", "mark"):
        marks[(seat_id, method)][assessor][key] = rules.Mark(value)
    grids = {g.method_index: g for g in grids_of(referentiel, session.scope)}
    found: Counter[int] = Counter()
    for (seat_id, method), by_assessor in marks.items():
        method_grid = grids.get(method)
        if method_grid is None:
            continue
        out = exempted.get(seat_id, set())
        found[seat_id] += sum(
            1
            for key in rules.consolidate(
                method_grid, {str(a): m for a, m in by_assessor.items()}
            ).disagreements()
            if key not in out
        )
    return found


# --- deliberation: one candidate -----------------------------------------------------------


@dataclass
class EvidenceLine:
    key: str
    text: str
    code: str | None
    evidence: str


@dataclass
class CompetencyLine:
    index: int
    code: str
    title: str
    criteria: list[EvidenceLine]
    supports: bool
    decision: CompetencyDecision | None
    form: forms.Form | None
    correction: forms.Form | None


@dataclass
class ConditionLine:
    index: int
    condition: rules.Condition
    finding: ConditionFinding | None
    form: forms.Form | None
    correction: forms.Form | None


@dataclass
class ExemptionLine:
    key: str
    text: str
    opinion: str
    request_id: int | None
    exempted: bool


def _request_keys(requests: Iterable[ExemptionRequest]) -> dict[int, str]:
    """The criterion key (``rules.criterion_key``) each exemption request names."""
    keys = {request.pk: services.criterion_key_of(request.criterion) for request in requests}
    return {pk: key for pk, key in keys.items() if key is not None}


def _seat_context(
    user: User,
    member: JuryMember,
    seat: SessionCandidate,
    bound: dict[str, forms.Form] | None = None,
) -> dict[str, Any]:
    bound = bound or {}
    used: set[str] = set()

    def take(key: str, make: Callable[[], forms.Form]) -> forms.Form:
        """The form sent back with its errors, else a fresh one."""
        if key in bound:
            used.add(key)
            return bound[key]
        return make()

    session = seat.session
    referentiel = load_referentiel(session.version)
    frozen = services.is_frozen(session)
    attendance = services.attendance_of(seat)
    open_ = not frozen and attendance == Attendance.PRESENT
    president = member.is_president
    evidence = services.evidence_of(seat)
    decisions = services.current_decisions(seat)
    competencies = []
    for n, competency in enumerate(services.required_competencies(seat)):
        keys = rules.criterion_keys(competency)
        decision = decisions.get(competency.code)
        form = correction = None
        if decision is None and open_:
            form = take(f"decision:{competency.code}", partial(DecisionForm, prefix=f"d{n}"))
        if decision is not None and president:
            correction = take(
                f"correction:{competency.code}",
                partial(
                    DecisionCorrectionForm,
                    prefix=f"r{n}",
                    initial={"acquired": "1" if decision.acquired else "0"},
                ),
            )
        competencies.append(
            CompetencyLine(
                index=n,
                code=competency.code,
                title=competency.title,
                criteria=[
                    EvidenceLine(
                        key=key,
                        text=criterion.text,
                        code=criterion.code,
                        evidence=mark_label(evidence.get(key)),
                    )
                    for key, criterion in zip(keys, competency.criteria, strict=True)
                ],
                supports=rules.criteria_support_acquired(competency, evidence),
                decision=decision,
                form=form,
                correction=correction,
            )
        )
    findings = services.current_conditions(seat)
    conditions = []
    for n, condition in enumerate(services.seat_conditions(seat)):
        finding = findings.get(condition.key)
        form = correction = None
        if open_:
            form = take(
                f"condition:{condition.key}",
                partial(
                    ConditionForm,
                    prefix=f"k{n}",
                    initial={"met": "1" if finding is None or finding.met else "0"},
                ),
            )
        if frozen and president and finding is not None:
            correction = take(
                f"condition_correction:{condition.key}",
                partial(
                    ConditionCorrectionForm,
                    prefix=f"q{n}",
                    initial={"met": "1" if finding.met else "0"},
                ),
            )
        conditions.append(
            ConditionLine(
                index=n, condition=condition, finding=finding, form=form, correction=correction
            )
        )
    exemptions = _exemption_lines(seat, referentiel)
    outcome = services.seat_outcome(seat)
    labels = {c.key: c.label for c in rules.conditions_for(referentiel)}
    attendance_form = None
    if not frozen:
        attendance_form = take(
            "attendance", partial(AttendanceForm, initial={"status": attendance})
        )
    return {
        "seat": seat,
        "session": session,
        "member": member,
        "frozen": frozen,
        "competencies": competencies,
        "conditions": conditions,
        "exemptions": exemptions,
        "can_exempt": president and not frozen,
        "attendance": Attendance(attendance).label,
        "attendance_form": attendance_form,
        # Errors of a form the page no longer offers (the minutes were drawn up meanwhile,
        # the candidate recorded absent): said at the top of the page.
        "refusals": [
            str(error)
            for key, form in bound.items()
            if key not in used
            for errors in form.errors.values()
            for error in errors
        ],
        "outcome": outcome,
        "blocks": [
            {
                "code": block.code,
                "title": block.title,
                "obtained": block.obtained,
                "extension": block.extension,
                "source": SOURCE_LABELS[block.source] if block.source else "",
                "missing": ", ".join(block.missing),
                "unmet": ", ".join(labels.get(k, k) for k in block.unmet_conditions),
            }
            for block in outcome.blocks
        ],
        "unmet_conditions": [labels.get(k, k) for k in outcome.unmet_conditions],
    }


def _exemption_lines(seat: SessionCandidate, referentiel: Referentiel) -> list[ExemptionLine]:
    texts = {
        key: criterion.text
        for competency in referentiel.competencies()
        for key, criterion in zip(
            rules.criterion_keys(competency), competency.criteria, strict=True
        )
    }
    done = {e.criterion_key: e for e in CriterionExemption.objects.filter(seat=seat)}
    requests = list(
        ExemptionRequest.objects.filter(accommodation__enrolment=seat.enrolment)
        .select_related("criterion__competency")
        .prefetch_related("criterion__competency__criteria")
    )
    keys = _request_keys(requests)
    lines = [
        ExemptionLine(
            key=key,
            text=texts.get(key, ""),
            opinion=exemption.referent_opinion,
            request_id=None,
            exempted=True,
        )
        for key, exemption in done.items()
    ]
    for request in requests:
        key = keys.get(request.pk)
        if key is None or key in done:
            continue
        lines.append(
            ExemptionLine(
                key=key,
                text=texts.get(key, ""),
                opinion=request.opinion,
                request_id=request.pk,
                exempted=False,
            )
        )
    return lines


def _render_seat(
    request: HttpRequest,
    user: User,
    member: JuryMember,
    seat: SessionCandidate,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "evaluation/seat_deliberation.html",
        _seat_context(user, member, seat, bound),
        status=status,
    )


@require_GET
@shows_refusal
def seat_deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, seat = jury_seat(request, pk)
    return _render_seat(request, user, member, seat)


def _back_to_seat(seat: SessionCandidate, anchor: str) -> HttpResponse:
    return redirect(reverse("evaluation:seat", kwargs={"pk": seat.pk}) + f"#{anchor}")


def _competency_index(seat: SessionCandidate, code: str) -> int:
    codes = [c.code for c in services.required_competencies(seat)]
    if code not in codes:
        raise Http404("Compétence hors de la délibération de ce candidat.")
    return codes.index(code)


@require_POST
@shows_refusal
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, seat = jury_seat(request, pk)
    code = request.POST.get("competency", "")
    n = _competency_index(seat, code)
    form = DecisionForm(request.POST, prefix=f"d{n}")
    if form.is_valid():
        try:
            services.decide_competency(
                seat=seat,
                competency_code=code,
                acquired=form.cleaned_data["acquired"],
                justification=form.cleaned_data["justification"],
                actor=user,
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            state = "acquise" if form.cleaned_data["acquired"] else "non acquise"
            messages.success(request, f"{code} : compétence {state}.")
            return _back_to_seat(seat, f"competence-{n}")
    return _render_seat(request, user, member, seat, {f"decision:{code}": form}, status=400)


@require_POST
@shows_refusal
def correct_decision(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, seat = jury_seat(request, pk)
    require_president(member, "corrige une décision")
    code = request.POST.get("competency", "")
    n = _competency_index(seat, code)
    decision = services.current_decisions(seat).get(code)
    if decision is None:
        raise Http404("Aucune décision à corriger.")
    form = DecisionCorrectionForm(request.POST, prefix=f"r{n}")
    if form.is_valid():
        try:
            services.correct_decision(
                decision=decision,
                acquired=form.cleaned_data["acquired"],
                justification=form.cleaned_data["justification"],
                reason=form.cleaned_data["reason"],
                actor=user,
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{code} : décision corrigée.")
            return _back_to_seat(seat, f"competence-{n}")
    return _render_seat(request, user, member, seat, {f"correction:{code}": form}, status=400)


def _condition_index(seat: SessionCandidate, key: str) -> tuple[int, rules.Condition]:
    for n, condition in enumerate(services.seat_conditions(seat)):
        if condition.key == key:
            return n, condition
    raise Http404("Condition inconnue pour cette session.")


@require_POST
@shows_refusal
def record_condition(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, seat = jury_seat(request, pk)
    key = request.POST.get("condition", "")
    n, condition = _condition_index(seat, key)
    form = ConditionForm(request.POST, prefix=f"k{n}")
    if form.is_valid():
        try:
            services.record_condition(
                seat=seat,
                condition_key=key,
                met=form.cleaned_data["met"],
                note=form.cleaned_data["note"],
                actor=user,
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            state = "remplie" if form.cleaned_data["met"] else "non remplie"
            messages.success(request, f"{condition.label} : condition {state}.")
            return _back_to_seat(seat, f"condition-{n}")
    return _render_seat(request, user, member, seat, {f"condition:{key}": form}, status=400)


@require_POST
@shows_refusal
def correct_condition(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, seat = jury_seat(request, pk)
    require_president(member, "corrige un constat")
    key = request.POST.get("condition", "")
    n, condition = _condition_index(seat, key)
    finding = services.current_conditions(seat).get(key)
    if finding is None:
        raise Http404("Aucun constat à corriger.")
    form = ConditionCorrectionForm(request.POST, prefix=f"q{n}")
    if form.is_valid():
        try:
            services.correct_condition(
                finding=finding,
                met=form.cleaned_data["met"],
                reason=form.cleaned_data["reason"],
                actor=user,
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{condition.label} : constat corrigé.")
            return _back_to_seat(seat, f"condition-{n}")
    return _render_seat(
        request, user, member, seat, {f"condition_correction:{key}": form}, status=400
    )


@require_POST
@shows_refusal
def record_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, seat = jury_seat(request, pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.record_attendance(
                seat=seat,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                actor=user,
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            label = Attendance(form.cleaned_data["status"]).label
            messages.success(request, f"Présence enregistrée : {label}.")
            return _back_to_seat(seat, "presence")
    return _render_seat(request, user, member, seat, {"attendance": form}, status=400)


@require_POST
@shows_refusal
def exempt(request: HttpRequest, pk: int) -> HttpResponse:
    """The president grants an exemption request (its referent's opinion is copied)."""
    user, member, seat = jury_seat(request, pk)
    require_president(member, "dispense d'un critère")
    raw = request.POST.get("request", "")
    found = get_object_or_404(
        ExemptionRequest.objects.filter(accommodation__enrolment=seat.enrolment)
        .select_related("criterion__competency")
        .prefetch_related("criterion__competency__criteria"),
        pk=int(raw) if raw.isdigit() else 0,
    )
    key = _request_keys([found]).get(found.pk)
    if key is None:
        raise Http404("Ce critère ne se dispense pas.")
    try:
        services.exempt_criterion(seat=seat, criterion_key=key, actor=user, request=found)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Critère {key} : candidat dispensé.")
    return _back_to_seat(seat, "dispenses")
