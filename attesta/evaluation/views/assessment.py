"""The assessor's pages: « Mes candidats », the grid of one candidate and method (each
criterion saved inline with htmx, or the whole grid without JavaScript), the consolidation."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attesta.accounts.models import User, signed_in_user
from attesta.evaluation import rules, services
from attesta.evaluation.forms import EvidenceForm, MarkForm
from attesta.evaluation.models import CriterionMark, MarkEvidence
from attesta.evaluation.views.common import (
    AGREEMENT_LABELS,
    grids_of,
    is_htmx,
    jury_seat,
    shows_refusal,
)
from attesta.exams.models import JuryMember, SessionCandidate, TimetableEntry
from attesta.referentiels.importers.canonical import Referentiel
from attesta.referentiels.services import load_referentiel

# --- assessor: my candidates ---------------------------------------------------------------


@dataclass
class MethodLink:
    index: int
    title: str
    criteria: int
    marked: int
    starts_at: dt.datetime | None = None
    room: str = ""


@dataclass
class SeatLine:
    seat: SessionCandidate
    trained: bool
    methods: list[MethodLink] = field(default_factory=list)


@dataclass
class SessionBlock:
    member: JuryMember
    today: bool
    lines: list[SeatLine] = field(default_factory=list)


@require_GET
@shows_refusal
def home(request: HttpRequest) -> HttpResponse:
    """« Mes candidats »: today's sessions first, then the other sessions the user sits on;
    only their panel's candidates once the timetable assigns panels."""
    user = signed_in_user(request)
    today = timezone.localdate()
    members = list(
        JuryMember.objects.filter(user=user)
        .select_related("session__version__certification", "session__block")
        .prefetch_related("trained")
    )

    def rank(member: JuryMember) -> tuple[int, int]:
        session = member.session
        if session.starts_on <= today <= session.ends_on:
            return (0, session.starts_on.toordinal())
        if session.starts_on > today:
            return (1, session.starts_on.toordinal())
        return (2, -session.starts_on.toordinal())

    members.sort(key=rank)
    seats = (
        SessionCandidate.objects.filter(session__in=[m.session_id for m in members])
        .select_related("enrolment__candidate")
        .prefetch_related(
            Prefetch("phases", queryset=TimetableEntry.objects.order_by("position", "id"))
        )
        .order_by("session", "position", "id")
    )
    by_session: dict[int, list[SessionCandidate]] = defaultdict(list)
    for seat in seats:
        by_session[seat.session_id].append(seat)
    marked = {
        (row["seat_id"], row["method_index"]): row["n"]
        for row in CriterionMark.objects.filter(assessor=user, seat__in=seats)
        .values("seat_id", "method_index")
        .annotate(n=Count("id"))
        .order_by()
    }
    referentiels: dict[int, Referentiel] = {}
    blocks = []
    for member in members:
        session = member.session
        if session.version_id not in referentiels:
            referentiels[session.version_id] = load_referentiel(session.version)
        grids = grids_of(referentiels[session.version_id], session.scope)
        trained = {seat.pk for seat in member.trained.all()}
        block = SessionBlock(member=member, today=session.starts_on <= today <= session.ends_on)
        for seat in by_session.get(session.pk, []):
            phases = {phase.position: phase for phase in seat.phases.all()}
            line = SeatLine(seat=seat, trained=seat.pk in trained)
            for grid in grids:
                phase = phases.get(grid.method_index)
                if phase is not None and phase.jury_panel and phase.jury_panel != member.panel:
                    continue
                line.methods.append(
                    MethodLink(
                        index=grid.method_index,
                        title=grid.method_title,
                        criteria=len(grid.criterion_keys()),
                        marked=marked.get((seat.pk, grid.method_index), 0),
                        starts_at=phase.starts_at if phase is not None else None,
                        room=phase.room if phase is not None else "",
                    )
                )
            if line.methods:
                block.lines.append(line)
        blocks.append(block)
    return render(request, "evaluation/home.html", {"blocks": blocks})


# --- assessor: the grid --------------------------------------------------------------------


@dataclass
class GridRow:
    index: int
    criterion: rules.GridCriterion
    exempted: bool
    form: MarkForm | None
    stored: CriterionMark | None
    message: str = ""
    alert: bool = False
    evidence: list[MarkEvidence] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.stored.version if self.stored is not None else 0


@dataclass
class GridSection:
    competency: rules.GridCompetency
    rows: list[GridRow]


def _assessed_seat(
    request: HttpRequest, pk: int, method: int
) -> tuple[User, JuryMember, SessionCandidate, rules.Grid]:
    user, member, seat = jury_seat(request, pk)
    planned = seat.phases.filter(position=method).exclude(jury_panel="").first()
    if planned is not None and planned.jury_panel != member.panel:
        raise Http404("Ce candidat est évalué par un autre jury.")
    try:
        grid = rules.grid_for(
            load_referentiel(seat.session.version), scope=seat.session.scope, method_index=method
        )
    except ValueError as error:
        raise Http404(str(error)) from error
    if not grid.competencies:
        raise Http404("Cette modalité n'a pas de grille de critères.")
    if member.trained.filter(pk=seat.pk).exists():
        raise PermissionDenied("Vous avez formé ce candidat : vous ne l'évaluez pas.")
    return user, member, seat, grid


def _grid_sections(
    seat: SessionCandidate,
    user: User,
    grid: rules.Grid,
    data: Any = None,
) -> list[GridSection]:
    exempted = services.exempted_keys(seat)
    stored = {
        row.criterion_key: row
        for row in CriterionMark.objects.filter(
            seat=seat, assessor=user, method_index=grid.method_index
        )
    }
    attached: dict[str, list[MarkEvidence]] = defaultdict(list)
    for evidence in MarkEvidence.objects.filter(seat=seat, method_index=grid.method_index):
        attached[evidence.criterion_key].append(evidence)
    sections = []
    index = 0
    for competency in grid.competencies:
        rows = []
        for criterion in competency.criteria:
            index += 1
            mark = stored.get(criterion.key)
            is_exempted = criterion.key in exempted
            form = None
            if not is_exempted:
                initial = {
                    "mark": mark.mark if mark else "",
                    "comment": mark.comment if mark else "",
                    "version": mark.version if mark else 0,
                }
                form = MarkForm(data, prefix=f"c{index}", initial=initial)
            rows.append(
                GridRow(
                    index=index,
                    criterion=criterion,
                    exempted=is_exempted,
                    form=form,
                    stored=mark,
                    evidence=attached.get(criterion.key, []),
                )
            )
        sections.append(GridSection(competency=competency, rows=rows))
    return sections


def _save_row(seat: SessionCandidate, user: User, grid: rules.Grid, row: GridRow) -> bool:
    """Save one bound row when it differs from the stored mark; the outcome goes on the row."""
    form = row.form
    if form is None:
        return False
    if not form.is_valid():
        row.alert = True
        row.message = f"Critère {row.criterion.code or row.criterion.key} : saisie invalide."
        return False
    mark = form.cleaned_data["mark"]
    comment = form.cleaned_data["comment"].strip()
    if not mark:
        if comment:
            row.alert = True
            row.message = "Choisissez une appréciation avant d'enregistrer le commentaire."
        return False
    if row.stored is not None and (row.stored.mark, row.stored.comment) == (mark, comment):
        row.message = "Déjà enregistré."
        return False
    try:
        row.stored = services.record_mark(
            seat=seat,
            assessor=user,
            method_index=grid.method_index,
            criterion_key=row.criterion.key,
            mark=mark,
            comment=comment,
            expected_version=form.cleaned_data["version"],
        )
    except services.EvaluationError as error:
        row.alert = True
        row.message = str(error)
        return False
    row.message = f"Enregistré : {rules.Mark(mark).label}."
    return True


@require_http_methods(["GET", "POST"])
@shows_refusal
def grid(request: HttpRequest, pk: int, method: int) -> HttpResponse:
    """The assessor's grid for one candidate and method. With htmx each criterion is saved
    on change (the answer is its status and its new version); without JavaScript the form
    saves every changed criterion and comes back with a message."""
    user, member, seat, method_grid = _assessed_seat(request, pk, method)
    data = request.POST if request.method == "POST" else None
    sections = _grid_sections(seat, user, method_grid, data)
    rows = [row for section in sections for row in section.rows]
    if request.method == "POST" and is_htmx(request) and "criterion" in request.POST:
        found = next((r for r in rows if str(r.index) == request.POST["criterion"]), None)
        if found is None or found.form is None:
            return HttpResponse("Critère inconnu ou dispensé.", status=400)
        saved = _save_row(seat, user, method_grid, found)
        return render(request, "evaluation/grid.html#save_response", {"row": found, "saved": saved})
    if request.method == "POST":
        saved_count = 0
        for row in rows:
            if _save_row(seat, user, method_grid, row):
                saved_count += 1
            elif row.alert:
                messages.error(request, row.message)
        if saved_count:
            messages.success(request, f"{saved_count} critère(s) enregistré(s).")
        elif not any(row.alert for row in rows):
            messages.info(request, "Aucune modification à enregistrer.")
        return redirect("evaluation:grid", pk=seat.pk, method=method)
    transversals = method_grid.transversals
    return render(
        request,
        "evaluation/grid.html",
        {
            "seat": seat,
            "session": seat.session,
            "member": member,
            "grid": method_grid,
            "sections": sections,
            "transversals": transversals,
            "frozen": services.is_frozen(seat.session),
            "marked": sum(1 for row in rows if row.stored is not None),
            "evidence_form": EvidenceForm(choices=_evidence_choices(rows)),
            "total": sum(1 for row in rows if not row.exempted),
        },
    )


# --- assessor: evidence attached to a criterion -------------------------------------------


def _evidence_choices(rows: list[GridRow]) -> list[tuple[str, str]]:
    return [
        (
            row.criterion.key,
            f"{row.criterion.code or row.criterion.key} – {row.criterion.text[:80]}",
        )
        for row in rows
        if not row.exempted
    ]


@require_POST
@shows_refusal
def attach_evidence(request: HttpRequest, pk: int, method: int) -> HttpResponse:
    """Attach a file to a criterion of the assessor's grid (no JavaScript needed)."""
    user, _member, seat, method_grid = _assessed_seat(request, pk, method)
    rows = [row for section in _grid_sections(seat, user, method_grid) for row in section.rows]
    form = EvidenceForm(request.POST, request.FILES, choices=_evidence_choices(rows))
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attach_evidence(
                seat=seat,
                assessor=user,
                method_index=method,
                criterion_key=form.cleaned_data["criterion"],
                data=upload.read(),
                filename=upload.name,
            )
        except services.EvaluationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Pièce jointe : {upload.name}.")
    else:
        for field_name, errors in form.errors.items():
            label = form.fields[field_name].label if field_name in form.fields else ""
            messages.error(request, f"{label} : {' '.join(str(e) for e in errors)}")
    return redirect(
        reverse("evaluation:grid", kwargs={"pk": seat.pk, "method": method}) + "#pieces"
    )


@require_GET
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An attached file, for the members of the session's jury only."""
    user = signed_in_user(request)
    evidence = get_object_or_404(
        MarkEvidence.objects.filter(seat__session__jury__user=user).distinct(), pk=pk
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type={"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[
            evidence.file_kind
        ],
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- consolidation -------------------------------------------------------------------------


@dataclass
class ConsolidatedRow:
    criterion: rules.GridCriterion
    marks: list[tuple[str, str]]  # (mark label, the assessor's comment)
    agreement: str
    agreed: str


@dataclass
class ConsolidatedMethod:
    grid: rules.Grid
    assessors: list[str]
    sections: list[tuple[rules.GridCompetency, list[ConsolidatedRow]]]
    disagreements: int
    incomplete: int


@require_GET
@shows_refusal
def consolidation(request: HttpRequest, pk: int) -> HttpResponse:
    """Every assessor's marks per criterion, with agreement spelled out, for each method."""
    _, member, seat = jury_seat(request, pk)
    referentiel = load_referentiel(seat.session.version)
    names = {
        m.user.username: m.user.get_full_name() or m.user.username
        for m in seat.session.jury.select_related("user")
    }
    comments = {
        (row.method_index, row.assessor.username, row.criterion_key): row.comment
        for row in CriterionMark.objects.filter(seat=seat)
        .exclude(comment="")
        .select_related("assessor")
    }
    methods = []
    for method_grid in grids_of(referentiel, seat.session.scope):
        result = {c.key: c for c in services.consolidation(seat, method_grid.method_index).criteria}
        assessors: list[str] = []
        for row in result.values():
            assessors = [names.get(a, a) for a, _ in row.marks]
            break
        sections = []
        for competency in method_grid.competencies:
            lines = []
            for criterion in competency.criteria:
                found = result[criterion.key]
                lines.append(
                    ConsolidatedRow(
                        criterion=criterion,
                        marks=[
                            (
                                m.label if m else "Non saisi",
                                comments.get((method_grid.method_index, a, criterion.key), ""),
                            )
                            for a, m in found.marks
                        ],
                        agreement=AGREEMENT_LABELS[found.agreement],
                        agreed=found.agreed_mark.label if found.agreed_mark else "",
                    )
                )
            sections.append((competency, lines))
        methods.append(
            ConsolidatedMethod(
                grid=method_grid,
                assessors=assessors,
                sections=sections,
                disagreements=sum(
                    1 for c in result.values() if c.agreement is rules.Agreement.DISAGREED
                ),
                incomplete=sum(
                    1 for c in result.values() if c.agreement is rules.Agreement.INCOMPLETE
                ),
            )
        )
    return render(
        request,
        "evaluation/consolidation.html",
        {"seat": seat, "session": seat.session, "member": member, "methods": methods},
    )
