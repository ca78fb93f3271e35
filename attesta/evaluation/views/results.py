"""Results: the session manager's table and the candidate's own page, from the minutes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from attesta.accounts.enums import SESSION_MANAGERS, Role
from attesta.accounts.models import signed_in_user
from attesta.candidates.models import Candidate
from attesta.evaluation import rules, services
from attesta.evaluation.models import Minutes
from attesta.evaluation.views.common import (
    SOURCE_LABELS,
    seats_with_candidates,
    shows_refusal,
)
from attesta.exams.models import ExamSession, SessionCandidate
from attesta.referentiels.services import load_referentiel

# --- results -------------------------------------------------------------------------------


@require_GET
@shows_refusal
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """« Résultats »: the session manager's table of candidates, blocks and results, from the
    latest minutes (provisional until every jury member signed)."""
    user = signed_in_user(request)
    if not (user.is_superuser or (user.organisation_id and user.role in SESSION_MANAGERS)):
        raise PermissionDenied("Seul le responsable de session consulte les résultats.")
    session = get_object_or_404(
        ExamSession.objects.visible_to(user).select_related(
            "version__certification", "block", "organisation"
        ),
        pk=pk,
    )
    latest = services.latest_minutes(session)
    signed = services.signed_minutes(session)
    columns = [
        {"code": block.code, "title": block.title}
        for block in load_referentiel(session.version).blocks
    ]
    rows = []
    for candidate in latest.content.get("candidates", []) if latest else []:
        cells = {b["code"]: b for b in candidate["blocks"]}
        rows.append(
            {
                "seat_id": candidate["seat_id"],
                "candidate_id": candidate["candidate_id"],
                "name": candidate["name"],
                "result": candidate["result_label"],
                "cells": [_block_cell(cells.get(column["code"])) for column in columns],
                "documents": _result_documents(signed.content, candidate["seat_id"])
                if signed
                else [],
            }
        )
    return render(
        request,
        "evaluation/results.html",
        {
            "session": session,
            "minutes": latest,
            "signed": signed,
            "complete": signed is not None and signed == latest,
            "columns": columns,
            "rows": rows,
        },
    )


RESULT_DOCUMENTS = {
    "attestation": "Attestation de blocs de compétences",
    "results_summary": "Relevé de résultats",
    "certificate": "Certificat",
}


def _result_documents(content: dict[str, Any], seat_id: int) -> list[tuple[str, str]]:
    """The result documents (kind, label) signed minutes support for one candidate."""
    return [
        (kind, RESULT_DOCUMENTS[kind]) for kind in rules.result_document_kinds(content, seat_id)
    ]


def _block_cell(block: dict[str, Any] | None) -> str:
    if block is None:
        return "—"
    if not block.get("obtained"):
        return "Non obtenu"
    source = block.get("source")
    if source and source != rules.BlockSource.SESSION:
        return f"Obtenu ({SOURCE_LABELS[rules.BlockSource(source)]})"
    return "Obtenu"


@dataclass
class CandidateResult:
    seat: SessionCandidate
    minutes: Minutes | None
    entry: Mapping[str, Any] | None
    documents: list[tuple[str, str]] = field(default_factory=list)


@require_GET
@shows_refusal
def my_results(request: HttpRequest) -> HttpResponse:
    """« Mes résultats »: the candidate's own seats, with results only from minutes every
    jury member signed."""
    user = signed_in_user(request)
    if user.role != Role.CANDIDATE:
        raise PermissionDenied("Cette page est celle des candidats.")
    seats = (
        seats_with_candidates()
        .filter(enrolment__candidate__user=user)
        .order_by("-session__starts_on", "id")
    )
    found = []
    for seat in seats:
        signed = services.signed_minutes(seat.session)
        entry = None
        documents: list[tuple[str, str]] = []
        if signed is not None:
            entry = rules.minutes_entry(signed.content, seat.pk)
            documents = _result_documents(signed.content, seat.pk)
        found.append(CandidateResult(seat=seat, minutes=signed, entry=entry, documents=documents))
    candidate = Candidate.objects.filter(user=user).first()
    return render(request, "evaluation/my_results.html", {"results": found, "candidate": candidate})
