"""Who may download which document, for the download views, the pages that link to them and
the API. Issued rows are filtered by ``IssuedDocument.objects.visible_to``; these functions
answer before a document is issued.

- the session's managers (administrator or session manager of the session's organisation):
  every document of the session, and the livret of their organisation's candidates;
- a jury member of the session: its grids and minutes, never a candidate's result;
- a candidate: their own attestation, certificate or results summary (from signed minutes
  only) and livret;
- anybody else: nothing (the views answer 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from attesta.candidates.models import Candidate
from attesta.credentials import rules
from attesta.credentials.enums import CANDIDATE_KINDS, JURY_KINDS, RESULT_KINDS, DocumentKind
from attesta.credentials.services import full_name
from attesta.evaluation.services import latest_minutes, signed_minutes
from attesta.exams.models import ExamSession, JuryMember, SessionCandidate
from attesta.referentiels.services import load_referentiel


def manages(user: Any, organisation_id: int | None) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.manages(organisation_id))


def sits_on_jury(user: Any, session: ExamSession) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return JuryMember.objects.filter(session=session, user_id=user.pk).exists()


def is_candidate(user: Any, candidate: Candidate) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and candidate.user_id is not None
        and candidate.user_id == user.pk
    )


def may_download(
    user: Any,
    *,
    kind: str,
    session: ExamSession | None = None,
    candidate: Candidate | None = None,
) -> bool:
    """Whether ``user`` may download a document of ``kind`` about ``session`` (grids,
    minutes, results) and ``candidate`` (results, livret)."""
    if kind == DocumentKind.LIVRET:
        if candidate is None:
            return False
        return manages(user, candidate.organisation_id) or is_candidate(user, candidate)
    if session is None:
        return False
    if manages(user, session.organisation_id):
        return True
    if kind in JURY_KINDS:
        return sits_on_jury(user, session)
    if kind in CANDIDATE_KINDS and candidate is not None:
        return is_candidate(user, candidate)
    return False


@dataclass(frozen=True)
class DownloadLink:
    kind: str
    label: str
    url: str
    candidate: str = ""  # the candidate's name, for per-candidate documents


def documents_for(user: Any, session: ExamSession) -> list[DownloadLink]:
    """Every document of ``session`` the user may download: the latest minutes, each
    candidate's grids (blank and filled, per method that assesses competencies), then the
    candidates' results once the latest signed minutes support them. Managers get all of it,
    jury members the minutes and grids, a candidate their own results."""
    manager = manages(user, session.organisation_id)
    jury = not manager and sits_on_jury(user, session)
    seats = list(
        SessionCandidate.objects.filter(session=session)
        .select_related("enrolment__candidate")
        .order_by("position", "id")
    )
    if not (manager or jury):
        seats = [s for s in seats if is_candidate(user, s.enrolment.candidate)]
        if not seats:
            return []
    links: list[DownloadLink] = []
    if manager or jury:
        latest = latest_minutes(session)
        if latest is not None:
            links.append(
                DownloadLink(
                    DocumentKind.MINUTES,
                    f"{DocumentKind.MINUTES.label} (révision {latest.revision})",
                    reverse("credentials:minutes_pdf", args=[latest.pk]),
                )
            )
        exam = load_referentiel(session.version).exam_for(session.scope)
        methods = list(exam.methods) if exam is not None else []
        for seat in seats:
            name = full_name(seat.enrolment.candidate)
            for index, method in enumerate(methods):
                if not method.competencies:  # the final interview: no grid
                    continue
                for variant, kind in (
                    ("blank", DocumentKind.GRID_BLANK),
                    ("filled", DocumentKind.GRID_FILLED),
                ):
                    links.append(
                        DownloadLink(
                            kind,
                            f"{kind.label} – {method.title}",
                            reverse(
                                "credentials:grid_pdf", args=[session.pk, seat.pk, index, variant]
                            ),
                            name,
                        )
                    )
    if jury:
        return links
    signed = signed_minutes(session)
    if signed is not None:
        for seat in seats:
            for value in rules.available_result_kinds(signed.content, seat.pk):
                if value in RESULT_KINDS:
                    links.append(
                        DownloadLink(
                            value,
                            DocumentKind(value).label,
                            reverse("credentials:candidate_document", args=[seat.pk, value]),
                            full_name(seat.enrolment.candidate),
                        )
                    )
    return links
