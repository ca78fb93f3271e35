"""The minutes: content and SHA-256, drawn up by the president, signed by each jury member
(password re-entered and confirmation ticked), a new revision after corrections."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from attesta.accounts.models import User
from attesta.evaluation import services
from attesta.evaluation.forms import DraftMinutesForm, SignMinutesForm
from attesta.evaluation.models import Minutes
from attesta.evaluation.views.common import jury_session, require_president, shows_refusal
from attesta.exams.models import ExamSession, JuryMember

# --- minutes -------------------------------------------------------------------------------


def _minutes_context(
    user: User,
    member: JuryMember,
    session: ExamSession,
    *,
    draft_form: DraftMinutesForm | None = None,
    sign_form: SignMinutesForm | None = None,
) -> dict[str, Any]:
    latest = services.latest_minutes(session)
    signatures = list(latest.signatures.order_by("signed_at", "id")) if latest else []
    signed = any(s.signer_id == user.pk for s in signatures)
    if latest is not None and not signed and sign_form is None:
        sign_form = SignMinutesForm(user=user, initial={"content_hash": latest.content_hash})
    revisions = list(
        Minutes.objects.filter(session=session)
        .annotate(signature_count=Count("signatures"))
        .order_by("-revision")
    )
    return {
        "session": session,
        "member": member,
        "minutes": latest,
        "content": latest.content if latest else None,
        "signatures": signatures,
        "pending": services.pending_signers(latest) if latest else [],
        "complete": services.minutes_signed(latest) if latest else False,
        "signed": signed,
        "sign_form": sign_form if latest is not None and not signed else None,
        "problems": services.deliberation_problems(session) if member.is_president else [],
        "draft_form": draft_form or DraftMinutesForm(revision=latest is not None),
        "revisions": revisions,
    }


@require_GET
@shows_refusal
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, session = jury_session(request, pk)
    return render(request, "evaluation/minutes.html", _minutes_context(user, member, session))


@require_POST
@shows_refusal
def draw_up_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, session = jury_session(request, pk)
    require_president(member, "établit le procès-verbal")
    latest = services.latest_minutes(session)
    form = DraftMinutesForm(request.POST, revision=latest is not None)
    if form.is_valid():
        try:
            drafted = services.draft_minutes(
                session=session, actor=user, reason=form.cleaned_data["reason"]
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Procès-verbal établi (révision {drafted.revision}) : chaque membre du jury "
                "doit maintenant le signer.",
            )
            return redirect("evaluation:minutes", pk=session.pk)
    return render(
        request,
        "evaluation/minutes.html",
        _minutes_context(user, member, session, draft_form=form),
        status=400,
    )


@require_POST
@shows_refusal
def sign_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user, member, session = jury_session(request, pk)
    latest = services.latest_minutes(session)
    if latest is None:
        raise Http404("Aucun procès-verbal à signer.")
    form = SignMinutesForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.sign_minutes(
                minutes=latest, actor=user, content_hash=form.cleaned_data["content_hash"]
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Procès-verbal signé (révision {latest.revision}).")
            return redirect("evaluation:minutes", pk=session.pk)
    return render(
        request,
        "evaluation/minutes.html",
        _minutes_context(user, member, session, sign_form=form),
        status=400,
    )
