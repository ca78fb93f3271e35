"""Référentiel pages: list, import and review, certification page, search, comparison, export.

Views only route: visibility comes from ``visible_to``, writes from ``services``, computations
from ``rules``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attesta.accounts.models import signed_in_user
from attesta.referentiels import rules, services
from attesta.referentiels.enums import VersionStatus
from attesta.referentiels.forms import CompareForm, ImportForm, SearchForm
from attesta.referentiels.importers.canonical_json import dumps
from attesta.referentiels.models import (
    CertificationVersion,
    Competency,
    Criterion,
)


def _versions(request: HttpRequest, code: str) -> QuerySet[CertificationVersion]:
    versions = CertificationVersion.objects.visible_to(request.user).filter(
        certification__code=code
    )
    return versions.select_related("certification", "certification__organisation")


def _version(request: HttpRequest, code: str, version: str) -> CertificationVersion:
    return get_object_or_404(_versions(request, code), version=version)


def _require_editor(request: HttpRequest, version: CertificationVersion | None = None) -> None:
    user = signed_in_user(request)
    if not user.can_edit_referentiels:
        raise PermissionDenied("Votre rôle ne permet pas de gérer les référentiels.")
    if version is not None and not user.is_superuser:
        owner = version.certification.organisation_id
        if owner is not None and owner != user.organisation_id:
            raise PermissionDenied("Ce référentiel appartient à une autre organisation.")


@require_GET
def certification_list(request: HttpRequest) -> HttpResponse:
    visible = CertificationVersion.objects.visible_to(request.user).select_related("certification")
    latest: dict[int, CertificationVersion] = {}
    for version in visible.order_by("imported_at", "id"):
        latest[version.certification_id] = version
    rows = sorted(
        ((v.certification, v) for v in latest.values()),
        key=lambda row: (row[0].title, row[0].code),
    )
    return render(
        request,
        "referentiels/certification_list.html",
        {
            "rows": rows,
            "search_form": SearchForm(),
            "can_import": signed_in_user(request).can_edit_referentiels,
        },
    )


@require_http_methods(["GET", "POST"])
def import_referentiel(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = ImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        upload = form.files["document"]
        try:
            version = services.store_referentiel(
                referentiel=form.cleaned_data["document"],
                organisation=signed_in_user(request).organisation,
                actor=request.user,
                filename=getattr(upload, "name", "") or "",
                publish=form.cleaned_data["publish"],
            )
        except services.ReferentielConflict as conflict:
            form.add_error("document", str(conflict))
        else:
            messages.success(
                request,
                f"Référentiel importé : {version.certification.title}, millésime "
                f"{version.version} ({version.get_status_display().lower()}), "
                f"{len(version.warnings)} avertissement(s).",
            )
            return redirect(
                "referentiels:version", code=version.certification.code, version=version.version
            )
    return render(
        request, "referentiels/import.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def certification_detail(request: HttpRequest, code: str) -> HttpResponse:
    versions = _versions(request, code)
    chosen = (
        versions.filter(status=VersionStatus.PUBLISHED).order_by("-published_at", "-id").first()
        or versions.order_by("-imported_at", "-id").first()
    )
    if chosen is None:
        raise Http404("Certification inconnue.")
    return redirect("referentiels:version", code=code, version=chosen.version)


@require_GET
def version_detail(request: HttpRequest, code: str, version: str) -> HttpResponse:
    row = _version(request, code, version)
    referentiel = services.load_referentiel(row)
    blocks = {b.code: b for b in referentiel.blocks}
    exams = [
        (
            exam,
            "Titre complet"
            if exam.scope not in blocks
            else f"{exam.scope} – {blocks[exam.scope].title}",
            rules.matrix(referentiel, exam),
        )
        for exam in referentiel.exams
    ]
    other_versions = list(_versions(request, code).exclude(pk=row.pk).order_by("-imported_at"))
    user = signed_in_user(request)
    owner = row.certification.organisation_id
    can_publish = (
        not row.is_published
        and user.can_edit_referentiels
        and (user.is_superuser or owner in (None, user.organisation_id))
    )
    return render(
        request,
        "referentiels/version_detail.html",
        {
            "version": row,
            "certification": row.certification,
            "ref": referentiel,
            "exams": exams,
            "other_versions": other_versions,
            "code_lists": [
                (label, ", ".join(f"{x.code} – {x.label}" if x.label else x.code for x in codes))
                for label, codes in (
                    ("NSF", referentiel.nsf_codes),
                    ("ROME", referentiel.rome_codes),
                    ("Formacode", referentiel.formacode_codes),
                )
                if codes
            ],
            "can_publish": can_publish,
        },
    )


@require_POST
def publish(request: HttpRequest, code: str, version: str) -> HttpResponse:
    row = _version(request, code, version)
    _require_editor(request, row)
    if row.is_published:
        messages.info(request, "Cette version est déjà publiée.")
    else:
        services.publish_version(version=row, actor=request.user)
        messages.success(request, f"Millésime {row.version} publié : il est désormais immuable.")
    return redirect("referentiels:version", code=code, version=version)


@require_GET
def export_json(request: HttpRequest, code: str, version: str) -> HttpResponse:
    row = _version(request, code, version)
    response = HttpResponse(
        dumps(services.load_referentiel(row)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-{version}.json"'
    return response


@require_GET
def compare(request: HttpRequest, code: str) -> HttpResponse:
    versions = list(_versions(request, code).order_by("imported_at", "id"))
    if not versions:
        raise Http404("Certification inconnue.")
    labels = [v.version for v in versions]
    form = CompareForm(request.GET or None, versions=labels)
    changes = None
    if form.is_valid():
        by_label = {v.version: v for v in versions}
        old = services.load_referentiel(by_label[form.cleaned_data["old"]])
        new = services.load_referentiel(by_label[form.cleaned_data["new"]])
        changes = rules.compare(old, new)
    return render(
        request,
        "referentiels/compare.html",
        {"certification": versions[0].certification, "form": form, "changes": changes},
        status=400 if form.errors else 200,
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    terms = rules.search_terms(form.cleaned_data["q"]) if form.is_valid() else []
    competencies: list[Competency] = []
    criteria: list[Criterion] = []
    if terms:
        visible = CertificationVersion.objects.visible_to(request.user)
        comp_filter = Q(version__in=visible)
        crit_filter = Q(competency__version__in=visible)
        for term in terms:
            comp_filter &= Q(search_text__contains=term)
            crit_filter &= Q(search_text__contains=term)
        competencies = list(
            Competency.objects.filter(comp_filter)
            .select_related("version__certification", "block")
            .order_by(
                "version__certification__title", "version__version", "block__position", "position"
            )[:100]
        )
        criteria = list(
            Criterion.objects.filter(crit_filter)
            .select_related("competency__version__certification", "competency__block")
            .order_by(
                "competency__version__certification__title",
                "competency__version__version",
                "competency__block__position",
                "competency__position",
                "position",
            )[:200]
        )
    context = {"form": form, "terms": terms, "competencies": competencies, "criteria": criteria}
    template = "referentiels/search.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)
