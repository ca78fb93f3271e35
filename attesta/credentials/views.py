"""Downloads of the issued documents (signed-in users, by role) and the public verification
page (no login), which shows what a document states and whether it still stands."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from attesta.accounts.models import signed_in_user
from attesta.candidates.models import Candidate
from attesta.credentials import access, rules, services
from attesta.credentials.enums import RESULT_KINDS, DocumentKind
from attesta.credentials.forms import VerifyForm
from attesta.credentials.models import IssuedDocument
from attesta.evaluation.models import Minutes
from attesta.exams.models import SessionCandidate

GRID_VARIANTS = {"blank": False, "filled": True}


# --- downloads -----------------------------------------------------------------------------


def _pdf(document: IssuedDocument) -> FileResponse:
    response = FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{document.kind}-{document.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Verification-Code"] = document.code
    return response


def _unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "credentials/unavailable.html", {"reason": str(error)}, status=404)


def _seat(pk: int) -> SessionCandidate:
    return get_object_or_404(
        SessionCandidate.objects.select_related(
            "session__organisation", "session__version__certification", "session__block"
        ).select_related("enrolment__candidate"),
        pk=pk,
    )


@require_GET
def grid_pdf(
    request: HttpRequest, session_pk: int, seat_pk: int, method_index: int, variant: str
) -> HttpResponseBase:
    user = signed_in_user(request)
    seat = _seat(seat_pk)
    if seat.session_id != session_pk or variant not in GRID_VARIANTS:
        raise Http404
    filled = GRID_VARIANTS[variant]
    kind = DocumentKind.GRID_FILLED if filled else DocumentKind.GRID_BLANK
    if not access.may_download(user, kind=kind, session=seat.session):
        raise Http404
    try:
        document = services.grid_document(
            seat=seat, method_index=method_index, filled=filled, actor=user
        )
    except services.CredentialError as error:
        return _unavailable(request, error)
    return _pdf(document)


@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = signed_in_user(request)
    minutes = get_object_or_404(Minutes.objects.select_related("session__organisation"), pk=pk)
    if not access.may_download(user, kind=DocumentKind.MINUTES, session=minutes.session):
        raise Http404
    return _pdf(services.minutes_document(minutes=minutes, actor=user))


@require_GET
def candidate_document(request: HttpRequest, seat_pk: int, kind: str) -> HttpResponseBase:
    """The attestation, certificate or results summary of a seat, from the signed minutes.
    ``certificate`` and ``results_summary`` both name the certification's document; the one
    that does not fit the certification is not found."""
    user = signed_in_user(request)
    seat = _seat(seat_pk)
    if kind not in RESULT_KINDS or not access.may_download(
        user, kind=kind, session=seat.session, candidate=seat.enrolment.candidate
    ):
        raise Http404
    try:
        if kind == DocumentKind.ATTESTATION:
            document = services.attestation_document(seat=seat, actor=user)
        else:
            document = services.certificate_document(seat=seat, actor=user)
    except (services.CredentialError, rules.ResultError) as error:
        return _unavailable(request, error)
    if document.kind != kind:
        raise Http404
    return _pdf(document)


@require_GET
def livret(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = signed_in_user(request)
    candidate = get_object_or_404(Candidate.objects.select_related("organisation"), pk=pk)
    if not access.may_download(user, kind=DocumentKind.LIVRET, candidate=candidate):
        raise Http404
    return _pdf(services.livret_document(candidate=candidate, actor=user))


# --- public verification -------------------------------------------------------------------


@login_not_required
@never_cache
@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """The form to type a code (GET): a well-formed code goes to its page."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("credentials:verify_code", code=form.cleaned_data["code"])
    return render(
        request, "credentials/verify.html", {"form": form}, status=400 if form.errors else 200
    )


@login_not_required
@never_cache
@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """What the document states, its date, PDF fingerprint and whether it was replaced;
    nothing else. Unknown and malformed codes get the same answer."""
    normalised = rules.normalise_code(code)
    document = None
    if normalised is not None:
        document = (
            IssuedDocument.objects.select_related(
                "session__organisation",
                "session__version__certification",
                "session__block",
                "seat__enrolment__candidate",
                "candidate__organisation",
                "minutes",
            )
            .filter(code=normalised)
            .first()
        )
    if document is None:
        return render(request, "credentials/verify_unknown.html", {"code": code[:40]}, status=404)
    if normalised != code:
        return redirect("credentials:verify_code", code=normalised)
    return render(
        request,
        "credentials/verify_result.html",
        {
            "document": document,
            "statement": document.statement,
            "superseded": services.is_superseded(document),
        },
    )
