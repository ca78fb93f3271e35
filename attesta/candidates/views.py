"""Candidate files: list, registration, enrolments, eligibility and documents.

Visibility comes from ``visible_to``; every write goes through ``services``; the rules decide.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attesta.accounts.enums import Role
from attesta.accounts.models import User, signed_in_user
from attesta.candidates import rules, services
from attesta.candidates.candidate_list import CandidateList, read_candidate_list
from attesta.candidates.enums import AccessPath, EnrolmentStatus
from attesta.candidates.forms import (
    AccommodationForm,
    CandidateForm,
    CandidateListForm,
    CompanyPeriodForm,
    DocumentForm,
    EnrolmentForm,
    ExemptionForm,
)
from attesta.candidates.models import (
    CANDIDATE_EDITOR_ROLES,
    Accommodation,
    Candidate,
    Enrolment,
    TransitionError,
)
from attesta.candidates.productions import ProductionError
from attesta.referentiels.models import CertificationVersion
from attesta.referentiels.rules import search_terms

PAGE_SIZE = 25


def _editor(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not (user.is_superuser or (user.organisation_id and user.role in CANDIDATE_EDITOR_ROLES)):
        raise PermissionDenied("Votre rôle ne permet pas de modifier les dossiers des candidats.")
    return user


def _candidates(request: HttpRequest) -> QuerySet[Candidate]:
    return Candidate.objects.visible_to(request.user)


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    enrolments = Enrolment.objects.visible_to(request.user).select_related(
        "candidate", "version__certification"
    )
    return get_object_or_404(enrolments, pk=pk)


@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    candidates = _candidates(request)
    for term in search_terms(query):
        candidates = candidates.filter(identity_key__contains=term)
    twins = (
        Candidate.objects.filter(
            organisation_id=OuterRef("organisation_id"), identity_key=OuterRef("identity_key")
        )
        .exclude(pk=OuterRef("pk"))
        .values("identity_key")
        .annotate(n=Count("id"))
        .values("n")
    )
    candidates = candidates.annotate(
        duplicates=Coalesce(Subquery(twins[:1]), 0),
        enrolment_count=Count("enrolments", distinct=True),
    ).order_by("last_name", "first_names", "id")
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    user = signed_in_user(request)
    context = {
        "page": page,
        "query": query,
        "query_string": urlencode({"q": query}) if query else "",
        "can_edit": user.is_superuser or user.role in CANDIDATE_EDITOR_ROLES,
    }
    template = "candidates/candidate_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def candidate_create(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = user.organisation
        if organisation is None:
            raise PermissionDenied("Un administrateur sans organisation n'inscrit pas de candidat.")
        candidate = services.register_candidate(
            organisation=organisation, actor=user, **form.cleaned_data
        )
        twins = candidate.possible_duplicates().count()
        messages.success(request, f"Candidat enregistré : {candidate}.")
        if twins:
            messages.warning(
                request,
                f"Attention : {twins} autre(s) candidat(s) portent les mêmes nom, prénoms et date "
                "de naissance. Vérifiez qu'il ne s'agit pas d'un doublon (rien n'a été fusionné).",
            )
        return redirect("candidates:detail", pk=candidate.pk)
    return render(
        request,
        "candidates/candidate_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(_candidates(request).select_related("organisation"), pk=pk)
    enrolments = candidate.enrolments.select_related("version__certification").prefetch_related(
        "target_blocks"
    )
    user = signed_in_user(request)
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "duplicates": list(candidate.possible_duplicates()),
            "enrolments": enrolments,
            "can_edit": user.is_superuser or user.role in CANDIDATE_EDITOR_ROLES,
        },
    )


def _enrollable_versions(user: User) -> QuerySet[CertificationVersion]:
    return (
        CertificationVersion.objects.visible_to(user)
        .published()
        .select_related("certification")
        .order_by("certification__title", "-published_at")
    )


@require_http_methods(["GET", "POST"])
def enrolment_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    candidate = get_object_or_404(_candidates(request), pk=pk)
    form = EnrolmentForm(request.POST or None, versions=_enrollable_versions(user))
    if request.method == "POST" and form.is_valid():
        enrolment = services.enrol_candidate(
            candidate=candidate,
            version=form.cleaned_data["version"],
            path=form.cleaned_data["path"],
            actor=user,
            target_block_codes=tuple(b.code for b in form.cleaned_data["blocks"]),
            capitalised=tuple(
                (
                    b.code,
                    form.cleaned_data["capitalised_on"],
                    form.cleaned_data["capitalised_source"],
                )
                for b in form.cleaned_data["capitalised"]
            ),
        )
        messages.success(request, "Inscription enregistrée.")
        return redirect("candidates:enrolment", pk=enrolment.pk)
    return render(
        request,
        "candidates/enrolment_form.html",
        {"form": form, "candidate": candidate},
        status=400 if form.errors else 200,
    )


@require_GET
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk)
    eligibility = services.eligibility_of(enrolment)
    productions = [p.title for p in eligibility.requirements.productions]
    user = signed_in_user(request)
    conformity = services.production_conformity(enrolment, eligibility.requirements)
    accommodation = Accommodation.objects.filter(enrolment=enrolment).first()
    disclosure = rules.disclosure_for("administrator" if user.is_superuser else user.role)
    measures = services.measures_of(accommodation) if accommodation else None
    return render(
        request,
        "candidates/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "eligibility": eligibility,
            "conformity": conformity,
            "documents": enrolment.documents.select_related("uploaded_by"),
            "history": services.history(enrolment),
            "capitalised": enrolment.capitalised_blocks.select_related("block"),
            "targets": list(enrolment.target_blocks.order_by("position")),
            "document_form": DocumentForm(productions=productions),
            "period_form": CompanyPeriodForm(
                initial={"company_period_done": enrolment.company_period_done}
            ),
            "can_edit": user.is_superuser or user.role in CANDIDATE_EDITOR_ROLES,
            "accommodation": accommodation if disclosure == rules.FULL else None,
            "measures": rules.visible_measures(measures, disclosure) if measures else [],
            "is_referent": user.is_superuser or user.role == Role.DISABILITY_REFERENT,
        },
    )


@require_POST
def enrolment_period(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    enrolment = _enrolment(request, pk)
    form = CompanyPeriodForm(request.POST)
    if form.is_valid():
        services.record_company_period(
            enrolment=enrolment, done=form.cleaned_data["company_period_done"], actor=user
        )
        messages.success(request, "Période en entreprise enregistrée.")
    else:
        messages.error(request, "Période en entreprise : indiquez un nombre entier positif.")
    return redirect("candidates:enrolment", pk=pk)


@require_POST
def enrolment_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    enrolment = _enrolment(request, pk)
    productions = [p.title for p in services.eligibility_of(enrolment).requirements.productions]
    form = DocumentForm(request.POST, request.FILES, productions=productions)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else "Pièce"
                messages.error(request, f"{label} : {error}")
        return redirect("candidates:enrolment", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        document = services.add_document(
            enrolment=enrolment,
            kind=form.cleaned_data["kind"],
            production_title=form.cleaned_data.get("production_title") or "",
            data=upload.read(),
            filename=upload.name,
            actor=user,
        )
    except ProductionError as error:
        messages.error(request, f"Fichier refusé : {error}")
        return redirect("candidates:enrolment", pk=pk)
    messages.success(request, f"Pièce déposée : {upload.name}.")
    if document.measure_note:
        messages.info(request, document.measure_note)
    return redirect("candidates:enrolment", pk=pk)


@require_POST
def enrolment_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    enrolment = _enrolment(request, pk)
    try:
        result = services.review_eligibility(enrolment=enrolment, actor=user)
    except TransitionError as refusal:
        messages.error(request, str(refusal))
        return redirect("candidates:enrolment", pk=pk)
    if result.eligible:
        messages.success(request, "Dossier recevable.")
    else:
        messages.warning(
            request, f"Dossier non recevable : {len(result.missing)} élément(s) manquant(s)."
        )
    return redirect("candidates:enrolment", pk=pk)


IMPORT_SESSION_KEY = "candidate_list_import"
PREVIEW_ROWS = 200


def _published_by_code(user: User) -> dict[str, CertificationVersion]:
    """The latest published version of each certification the user may see, by code."""
    latest: dict[str, CertificationVersion] = {}
    for version in _enrollable_versions(user).prefetch_related("blocks").order_by("published_at"):
        latest[version.certification.code] = version
    return latest


def _checked_list(request: HttpRequest, user: User) -> tuple[CandidateList, str] | None:
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        return None
    data = base64.b64decode(stored["data"])
    parsed = read_candidate_list(data, stored["name"])
    return services.check_list_against_referentiels(parsed, _published_by_code(user)), stored[
        "name"
    ]


@require_http_methods(["GET", "POST"])
def candidate_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview with one line per row and its errors → import all, or the valid rows."""
    user = _editor(request)
    if request.method == "POST" and "confirm" in request.POST:
        checked = _checked_list(request, user)
        if checked is None or user.organisation is None:
            messages.error(request, "Aucune liste en attente : déposez à nouveau le fichier.")
            return redirect("candidates:import")
        candidate_list, name = checked
        only_valid = request.POST.get("confirm") == "valid"
        try:
            created = services.import_candidates(
                organisation=user.organisation,
                actor=user,
                candidate_list=candidate_list,
                versions=_published_by_code(user),
                only_valid=only_valid,
            )
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("candidates:import")
        del request.session[IMPORT_SESSION_KEY]
        skipped = len(candidate_list.invalid_rows) if only_valid else 0
        messages.success(
            request,
            f"{name} : {len(created)} candidat(s) importé(s)"
            + (f", {skipped} ligne(s) en erreur écartée(s)." if skipped else "."),
        )
        return redirect("candidates:list")
    form = CandidateListForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        request.session[IMPORT_SESSION_KEY] = {
            "name": upload.name,
            "data": base64.b64encode(data).decode(),
        }
        checked = _checked_list(request, user)
        assert checked is not None
        candidate_list, name = checked
        context.update(
            {
                "preview": candidate_list,
                "filename": name,
                "shown_rows": candidate_list.rows[:PREVIEW_ROWS],
                "hidden_rows": max(0, len(candidate_list.rows) - PREVIEW_ROWS),
            }
        )
    # htmx swaps only successful answers: its requests get the errors with a 200.
    status = 400 if form.errors and not request.headers.get("HX-Request") else 200
    return render(request, "candidates/candidate_import.html", context, status=status)


def _referent(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not (user.is_superuser or user.role == Role.DISABILITY_REFERENT):
        raise PermissionDenied("Seul le référent handicap enregistre des aménagements.")
    return user


@require_http_methods(["GET", "POST"])
def accommodation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _referent(request)
    enrolment = _enrolment(request, pk)
    current = Accommodation.objects.filter(enrolment=enrolment).first()
    initial: dict[str, object] = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in AccommodationForm.base_fields
            if hasattr(current, name)
        }
        for kind, percent in current.extra_time_by_method.items():
            initial[AccommodationForm.PER_METHOD + kind] = percent
    form = AccommodationForm(
        request.POST or None, initial=initial, methods=services.methods_of(enrolment)
    )
    if request.method == "POST" and form.is_valid():
        services.record_accommodation(enrolment=enrolment, actor=user, **form.measures())
        messages.success(request, "Aménagements enregistrés.")
        return redirect("candidates:enrolment", pk=pk)
    exemption_form = None
    if current is not None and enrolment.version.certification.kind == "certifier":
        exemption_form = ExemptionForm(version=enrolment.version)
    return render(
        request,
        "candidates/accommodation_form.html",
        {
            "enrolment": enrolment,
            "form": form,
            "accommodation": current,
            "exemption_form": exemption_form,
            "exemptions": current.exemption_requests.select_related("criterion__competency")
            if current
            else [],
        },
        status=400 if form.errors else 200,
    )


@require_POST
def exemption_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = _referent(request)
    enrolment = _enrolment(request, pk)
    accommodation = get_object_or_404(Accommodation, enrolment=enrolment)
    form = ExemptionForm(request.POST, version=enrolment.version)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else "Demande"
            for error in errors:
                messages.error(request, f"{label} : {error}")
        return redirect("candidates:accommodation", pk=pk)
    try:
        services.request_exemption(accommodation=accommodation, actor=user, **form.cleaned_data)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Demande d'exemption enregistrée ; le jury la tranchera.")
    return redirect("candidates:accommodation", pk=pk)


@require_GET
def enrolment_list(request: HttpRequest) -> HttpResponse:
    """Every enrolment the user may see, filtered by certification, status and path."""
    enrolments = (
        Enrolment.objects.visible_to(request.user)
        .select_related("candidate", "version__certification")
        .prefetch_related("target_blocks")
        .order_by("candidate__last_name", "candidate__first_names", "id")
    )
    filters = {
        "certification": request.GET.get("certification", ""),
        "status": request.GET.get("status", ""),
        "path": request.GET.get("path", ""),
    }
    if filters["certification"]:
        enrolments = enrolments.filter(version__certification__code=filters["certification"])
    if filters["status"] in EnrolmentStatus.values:
        enrolments = enrolments.filter(status=filters["status"])
    if filters["path"] in AccessPath.values:
        enrolments = enrolments.filter(path=filters["path"])
    certifications = (
        Enrolment.objects.visible_to(request.user)
        .values_list("version__certification__code", "version__certification__title")
        .distinct()
        .order_by("version__certification__title")
    )
    page = Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in filters.items() if value})
    return render(
        request,
        "candidates/enrolment_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "certifications": list(certifications),
            "statuses": EnrolmentStatus.choices,
            "paths": AccessPath.choices,
        },
    )
