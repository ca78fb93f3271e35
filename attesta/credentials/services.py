"""Documents of the jury assessment (issue #4): each built as plain data from the evaluation
records, printed to PDF through ``attesta.documents`` and issued once (``issue``).

One function per document, keyword-only, for the pages, the API and the demo:
``grid_document``, ``minutes_document``, ``attestation_document``, ``certificate_document``
(the certificate, or the results summary of a titre professionnel) and ``livret_document``.
Each returns the ``IssuedDocument``: the one already issued when the content is unchanged.

A document states nothing about a disability: an exempted criterion prints « Dispensé »,
never the referent's opinion nor an absence reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from attesta.candidates.models import Candidate, CapitalisedBlock
from attesta.core.models import record_event
from attesta.credentials import rules
from attesta.credentials.enums import DocumentKind
from attesta.credentials.models import IssuedDocument
from attesta.documents.formats import french_date, french_datetime, french_period
from attesta.documents.pdf import render_pdf
from attesta.evaluation import services as evaluation
from attesta.evaluation.models import CriterionMark, Minutes
from attesta.evaluation.rules import Agreement, Mark, grid_for
from attesta.exams.models import ExamSession, SessionCandidate
from attesta.referentiels.services import load_referentiel


class CredentialError(ValueError):
    """A document that cannot be issued (yet), with the reason in French."""


@dataclass
class Draft:
    """A document before it is issued: what it states (``content``, fingerprinted), what the
    public page may show of it (``statement``) and what it is about."""

    kind: str
    content: dict[str, Any]
    statement: rules.Statement
    template: str
    organisation: str
    subject: dict[str, Any] = field(default_factory=dict)  # session, seat, candidate, minutes…

    @property
    def fingerprint(self) -> str:
        about = {
            key: value.pk
            for key, value in self.subject.items()
            if key in ("seat", "candidate") and value is not None
        }
        return rules.fingerprint(self.kind, self.content, about)


# --- the documents -------------------------------------------------------------------------


def grid_document(
    *, seat: SessionCandidate, method_index: int, filled: bool, actor: Any
) -> IssuedDocument:
    """The grid of one assessment method for one candidate: blank (boxes to tick), or filled
    with each assessor's marks and comments and their consolidation."""
    return issue(draft=grid_draft(seat=seat, method_index=method_index, filled=filled), actor=actor)


def minutes_document(*, minutes: Minutes, actor: Any) -> IssuedDocument:
    """The minutes as drawn up, their signatures and SHA-256: « définitif » once every jury
    member has signed them, « projet » before, « remplacé » once a later revision is signed
    (or, for minutes never signed, drawn up)."""
    return issue(draft=minutes_draft(minutes=minutes), actor=actor)


def attestation_document(*, seat: SessionCandidate, actor: Any) -> IssuedDocument:
    """The blocks (CCP) the candidate holds after the signed minutes, with their origin."""
    return issue(draft=attestation_draft(seat=seat), actor=actor)


def certificate_document(*, seat: SessionCandidate, actor: Any) -> IssuedDocument:
    """The certificate of a certifier's certification obtained, or for a titre professionnel
    (issued by the ministry) the results summary of the session."""
    return issue(draft=certificate_draft(seat=seat), actor=actor)


def livret_document(*, candidate: Candidate, actor: Any) -> IssuedDocument:
    """Every block the candidate has capitalised, across their enrolments."""
    return issue(draft=livret_draft(candidate=candidate), actor=actor)


# --- issuing -------------------------------------------------------------------------------


def issue(*, draft: Draft, actor: Any) -> IssuedDocument:
    """Print and keep the document, or return the one already issued with the same content.
    The PDF is printed before the write transaction (seconds for long minutes: no lock held
    meanwhile); the row and its audit event are written together."""
    fingerprint = draft.fingerprint
    found = IssuedDocument.objects.filter(fingerprint=fingerprint).first()
    if found is not None:
        return found
    code = _unused_code()
    issued_at = timezone.now()
    pdf = render_pdf(draft.template, print_context(draft, code=code, issued_at=issued_at))
    user = actor if getattr(actor, "is_authenticated", False) else None
    document = IssuedDocument(
        kind=draft.kind,
        code=code,
        fingerprint=fingerprint,
        statement=draft.statement,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=issued_at,
        issued_by=user,
        **_subject_ids(draft.subject),
    )
    document.pdf.save(f"{draft.kind}-{code}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
            record_event(
                actor=actor,
                action="credentials.document_issued",
                target=f"document:{document.pk}",
                kind=draft.kind,
                code=code,
                fingerprint=fingerprint,
                pdf_sha256=document.pdf_sha256,
                **_subject_ids(draft.subject),
            )
    except IntegrityError:  # the same content issued meanwhile by another request
        if document.pdf.name:
            document.pdf.storage.delete(document.pdf.name)
        return IssuedDocument.objects.get(fingerprint=fingerprint)
    return document


def _subject_ids(subject: dict[str, Any]) -> dict[str, int]:
    ids = {}
    for key, value in subject.items():
        if isinstance(value, int):
            ids[key] = value
        elif value is not None:
            ids[f"{key}_id"] = value.pk
    return ids


def _unused_code() -> str:
    while True:
        code = rules.new_code()
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def verification_url(code: str) -> str:
    """The public page that checks a code: absolute when ``PUBLIC_URL`` is configured."""
    base = str(getattr(settings, "PUBLIC_URL", "")).rstrip("/")
    return base + reverse("credentials:verify_code", args=[code])


def print_context(draft: Draft, *, code: str, issued_at: datetime) -> dict[str, object]:
    return {
        "document_title": draft.statement["title"],
        "organisation_name": draft.organisation,
        "document_reference": code,
        "verification_code": code,
        "verification_url": verification_url(code),
        "issued_on": french_date(issued_at),
        "statement": draft.statement,
        "content": draft.content,
    }


# --- status on the public page -------------------------------------------------------------


def is_superseded(document: IssuedDocument) -> bool:
    """Replaced when what the document is about would now print something else: the grid
    after marks changed, the minutes after a signature or a new revision, a result after a
    later signed revision changed it (or no longer supports it), the livret after a new block.
    A result unchanged by a new revision keeps its code: it is the same document."""
    try:
        current = current_draft(document)
    except (CredentialError, rules.ResultError):
        return True
    if current.content.get("replaced_by") is not None:  # minutes of a replaced revision
        return True
    return current.fingerprint != document.fingerprint


def current_draft(document: IssuedDocument) -> Draft:
    kind = document.kind
    if kind in (DocumentKind.GRID_BLANK, DocumentKind.GRID_FILLED):
        if document.seat is None or document.method_index is None:
            raise CredentialError("Grille sans candidat.")
        return grid_draft(
            seat=document.seat,
            method_index=document.method_index,
            filled=kind == DocumentKind.GRID_FILLED,
        )
    if kind == DocumentKind.MINUTES:
        if document.minutes is None:
            raise CredentialError("Procès-verbal introuvable.")
        return minutes_draft(minutes=document.minutes)
    if kind == DocumentKind.LIVRET:
        if document.candidate is None:
            raise CredentialError("Livret sans candidat.")
        return livret_draft(candidate=document.candidate)
    if document.seat is None:
        raise CredentialError("Résultat sans candidat.")
    if kind == DocumentKind.ATTESTATION:
        return attestation_draft(seat=document.seat)
    draft = certificate_draft(seat=document.seat)
    if draft.kind != kind:
        raise CredentialError("La certification n'est plus du même type.")
    return draft


# --- grids ---------------------------------------------------------------------------------

_AGREEMENT = {Agreement.DISAGREED: "Divergent", Agreement.INCOMPLETE: "Incomplet"}


def grid_draft(*, seat: SessionCandidate, method_index: int, filled: bool) -> Draft:
    session = seat.session
    referentiel = load_referentiel(session.version)
    try:
        grid = grid_for(referentiel, scope=session.scope, method_index=method_index)
    except ValueError as error:
        raise CredentialError(str(error)) from error
    if not grid.competencies:
        raise CredentialError(
            f"« {grid.method_title} » n'évalue aucune compétence : pas de grille."
        )
    exempted = evaluation.exempted_keys(seat)
    candidate_name = full_name(seat.enrolment.candidate)
    kind = DocumentKind.GRID_FILLED if filled else DocumentKind.GRID_BLANK
    assessors: list[str] = []
    rows: dict[str, dict[str, Any]] = {}
    if filled:
        names: dict[str, str] = {}
        comments: dict[str, list[dict[str, str]]] = {}
        marks = CriterionMark.objects.filter(seat=seat, method_index=method_index).select_related(
            "assessor"
        )
        for mark in marks.order_by("assessor__last_name", "assessor_id", "id"):
            name = mark.assessor.get_full_name() or mark.assessor.username
            names[mark.assessor.username] = name
            if mark.comment.strip() and mark.criterion_key not in exempted:
                comments.setdefault(mark.criterion_key, []).append(
                    {"assessor": name, "text": mark.comment.strip()}
                )
        consolidation = evaluation.consolidation(seat, method_index)
        for row in consolidation.criteria:
            if row.key in exempted:
                rows[row.key] = {"marks": [], "consolidation": Mark.EXEMPTED.label, "comments": []}
                continue
            rows[row.key] = {
                "marks": [
                    {
                        "assessor": names.get(username, username),
                        "mark": mark.label if mark is not None else "—",
                    }
                    for username, mark in row.marks
                ],
                "consolidation": (
                    f"Concordant : {row.agreed_mark.label}"
                    if row.agreed_mark is not None
                    else _AGREEMENT.get(row.agreement, "")
                ),
                "comments": comments.get(row.key, []),
            }
        assessors = sorted(set(names.values()))
    competencies = [
        {
            "code": competency.code,
            "title": competency.title,
            "block": competency.block_code,
            "criteria": [
                {
                    "key": criterion.key,
                    "code": criterion.code or "",
                    "group": criterion.group or "",
                    "text": criterion.text,
                    "exempted": criterion.key in exempted,
                    **rows.get(criterion.key, {}),
                }
                for criterion in competency.criteria
            ],
        }
        for competency in grid.competencies
    ]
    facts = [
        *_session_facts(session),
        ("Candidat", candidate_name),
        ("Modalité", grid.method_title),
    ]
    content: dict[str, Any] = {
        "candidate": candidate_name,
        "certification": _certification(session),
        "session": _session(session),
        "method": {
            "index": method_index,
            "title": grid.method_title,
            "kind": grid.method_kind.label,
        },
        "competencies": competencies,
        "transversals": [
            {"code": t.code, "title": t.title, "through": ", ".join(t.through)}
            for t in grid.transversals
        ],
        "filled": filled,
        "assessors": assessors,
    }
    content["statement"] = rules.statement(kind.label, facts)
    return Draft(
        kind=kind,
        content=content,
        statement=content["statement"],
        template="credentials/print/grid.html",
        organisation=session.organisation.name,
        subject={
            "session": session,
            "seat": seat,
            "candidate": seat.enrolment.candidate,
            "method_index": method_index,
        },
    )


# --- minutes -------------------------------------------------------------------------------


def minutes_draft(*, minutes: Minutes) -> Draft:
    session = minutes.session
    pending = [
        member.user.get_full_name() or member.user.username
        for member in evaluation.pending_signers(minutes)
    ]
    replacement = replaced_by(minutes)
    status = minutes_status(signed=not pending, replacement=replacement)
    signatures = [
        {
            "name": s.signer_name,
            "president": s.president,
            "signed_at": french_datetime(s.signed_at),
            "content_hash": s.content_hash,
        }
        for s in minutes.signatures.order_by("signed_at", "id")
    ]
    facts = [*_session_facts(session), ("Révision", str(minutes.revision)), ("État", status)]
    content: dict[str, Any] = {
        "minutes": _printable_minutes(minutes.content),
        "revision": minutes.revision,
        "reason": minutes.reason,
        "content_hash": minutes.content_hash,
        "drafted_at": french_datetime(minutes.drafted_at),
        "final": status == rules.FINAL_LABEL,
        "status": status,
        "replaced_by": replacement,
        "signatures": signatures,
        "pending": pending,
        "statement": rules.statement(DocumentKind.MINUTES.label, facts),
    }
    return Draft(
        kind=DocumentKind.MINUTES,
        content=content,
        statement=content["statement"],
        template="credentials/print/minutes.html",
        organisation=session.organisation.name,
        subject={"session": session, "minutes": minutes},
    )


def minutes_status(*, signed: bool, replacement: int | None) -> str:
    """« Définitif » once every jury member signed, until a later revision is signed in its
    turn (the results are read from the latest signed revision); « projet » before."""
    if replacement is not None:
        return f"Remplacé par la révision {replacement}"
    return rules.FINAL_LABEL if signed else rules.DRAFT_LABEL


def replaced_by(minutes: Minutes) -> int | None:
    """The revision that replaces these minutes: a later signed one, or for minutes never
    signed, any later one."""
    signed = evaluation.signed_minutes(minutes.session)
    if signed is not None and signed.revision > minutes.revision:
        return signed.revision
    if signed is not None and signed.pk == minutes.pk:
        return None
    latest = evaluation.latest_minutes(minutes.session)
    if latest is not None and latest.revision > minutes.revision:
        return latest.revision
    return None


def _printable_minutes(content: dict[str, Any]) -> dict[str, Any]:
    """The minutes content without what a printed document must not state: an absence's
    reason may tell a health or disability situation; the attendance label is enough."""
    candidates = [
        {key: value for key, value in entry.items() if key != "attendance_reason"}
        for entry in content.get("candidates", [])
    ]
    return {**content, "candidates": candidates}


# --- results from the signed minutes -------------------------------------------------------

CCP_OBTAINED = "Certificats de compétences professionnelles (CCP) obtenus"
BLOCKS_OBTAINED = "Blocs de compétences obtenus"


def attestation_draft(*, seat: SessionCandidate) -> Draft:
    minutes, content, entry = _signed_entry(seat)
    blocks = rules.obtained_blocks(entry)
    if not blocks:
        raise CredentialError(f"{entry['name']} n'a obtenu aucun bloc : pas d'attestation.")
    return _result_draft(
        kind=DocumentKind.ATTESTATION,
        title=DocumentKind.ATTESTATION.label,
        seat=seat,
        minutes=minutes,
        content=content,
        entry=entry,
        extra_facts=[],
        items_label=CCP_OBTAINED if rules.is_titre_professionnel(content) else BLOCKS_OBTAINED,
        items=_block_items(seat, content, blocks),
    )


def certificate_draft(*, seat: SessionCandidate) -> Draft:
    minutes, content, entry = _signed_entry(seat)
    blocks = rules.obtained_blocks(entry)
    items = _block_items(seat, content, blocks)
    if rules.is_titre_professionnel(content):
        if entry["attendance"] != "present":
            raise CredentialError(f"{entry['name']} : {entry['attendance_label'].lower()}.")
        return _result_draft(
            kind=DocumentKind.RESULTS_SUMMARY,
            title=DocumentKind.RESULTS_SUMMARY.label,
            seat=seat,
            minutes=minutes,
            content=content,
            entry=entry,
            extra_facts=[
                ("Résultat", entry["result_label"]),
                ("Délivrance du titre", "par le ministère chargé de l'emploi"),
            ],
            items_label=CCP_OBTAINED,
            items=items,
            notice=rules.MINISTRY_NOTICE,
        )
    if not entry["certification_obtained"]:
        raise CredentialError(
            f"{entry['name']} n'a pas obtenu la certification : pas de certificat "
            "(l'attestation des blocs obtenus reste disponible)."
        )
    return _result_draft(
        kind=DocumentKind.CERTIFICATE,
        title=DocumentKind.CERTIFICATE.label,
        seat=seat,
        minutes=minutes,
        content=content,
        entry=entry,
        extra_facts=[("Résultat", entry["result_label"]), ("Certificateur", _certifier(seat))],
        items_label=BLOCKS_OBTAINED,
        items=items,
    )


def _result_draft(
    *,
    kind: DocumentKind,
    title: str,
    seat: SessionCandidate,
    minutes: Minutes,
    content: dict[str, Any],
    entry: dict[str, Any],
    extra_facts: list[tuple[str, str]],
    items_label: str,
    items: list[str],
    notice: str = "",
) -> Draft:
    certification = content["certification"]
    session = content["session"]
    period = french_period(
        date.fromisoformat(session["starts_on"]), date.fromisoformat(session["ends_on"])
    )
    facts = [
        ("Titulaire", entry["name"]),
        ("Date de naissance", day_month_year(date.fromisoformat(entry["birth_date"]))),
        ("Certification", f"{certification['title']} ({certification['code']})"),
        ("Type", certification["kind_label"]),
        ("Niveau", str(certification["level"] or "")),
        ("Version du référentiel", str(certification["version"])),
        ("Session", session["label"]),
        ("Dates de la session", period[0].upper() + period[1:]),
        ("Centre d'examen", session["centre"]),
        *extra_facts,
    ]
    statement = rules.statement(title, facts, items_label, items)
    printed = {
        "statement": statement,
        "holder": entry["name"],
        "certification": f"{certification['title']} ({certification['code']})",
        "session_label": session["label"],
        "period": period,
        "result_label": entry["result_label"],
        "notice": notice,
    }
    return Draft(
        kind=kind,
        content=printed,
        statement=statement,
        template=f"credentials/print/{kind}.html",
        organisation=seat.session.organisation.name,
        subject={
            "session": seat.session,
            "seat": seat,
            "candidate": seat.enrolment.candidate,
            "minutes": minutes,
        },
    )


def _certifier(seat: SessionCandidate) -> str:
    owner = seat.session.version.certification.organisation
    return owner.name if owner is not None else ""


def _signed_entry(seat: SessionCandidate) -> tuple[Minutes, dict[str, Any], dict[str, Any]]:
    minutes = evaluation.signed_minutes(seat.session)
    if minutes is None:
        raise CredentialError(
            "Le procès-verbal de la session n'est pas encore signé par tous les membres du jury."
        )
    content = minutes.content
    return minutes, content, dict(rules.candidate_entry(content, seat.pk))


def _block_items(seat: SessionCandidate, content: dict[str, Any], blocks: list[Any]) -> list[str]:
    earlier: dict[str, tuple[str, date]] = {}
    if any(b.get("source") == "capitalised" for b in blocks):
        rows = CapitalisedBlock.objects.filter(
            enrolment__candidate_id=seat.enrolment.candidate_id,
            block__version__certification__code=content["certification"]["code"],
        ).select_related("block")
        for row in rows.order_by("obtained_on", "id"):
            earlier.setdefault(row.block.code, (row.source, row.obtained_on))
    label = content["session"]["label"]
    return [rules.block_line(b, rules.block_origin(b, label, earlier)) for b in blocks]


# --- livret --------------------------------------------------------------------------------


def livret_draft(*, candidate: Candidate) -> Draft:
    rows = (
        CapitalisedBlock.objects.filter(enrolment__candidate=candidate)
        .select_related("block__version__certification")
        .order_by("obtained_on", "block__version__certification__code", "block__code", "id")
    )
    blocks = [
        {
            "certification": f"{row.block.version.certification.title} "
            f"({row.block.version.certification.code})",
            "version": row.block.version.version,
            "code": row.block.code,
            "title": row.block.title,
            "obtained_on": f"{row.obtained_on:%d/%m/%Y}",
            "source": row.source,
        }
        for row in rows
    ]
    items = [
        f"{b['code']} – {b['title']} : {b['certification']}, version {b['version']}, "
        f"obtenu le {b['obtained_on']} ({b['source']})"
        for b in blocks
    ]
    statement = rules.statement(
        DocumentKind.LIVRET.label,
        [
            ("Titulaire", full_name(candidate)),
            ("Date de naissance", day_month_year(candidate.birth_date)),
        ],
        "Blocs capitalisés",
        items,
    )
    return Draft(
        kind=DocumentKind.LIVRET,
        content={"statement": statement, "holder": full_name(candidate), "blocks": blocks},
        statement=statement,
        template="credentials/print/livret.html",
        organisation=candidate.organisation.name,
        subject={"candidate": candidate},
    )


# --- helpers -------------------------------------------------------------------------------


def day_month_year(day: date) -> str:
    """« 1er janvier 1995 »: a birth date without its weekday."""
    return french_date(day).split(" ", 1)[1]


def full_name(candidate: Candidate) -> str:
    """As the minutes print it: first names, then the birth name."""
    return f"{candidate.first_names} {candidate.last_name}"


def _certification(session: ExamSession) -> dict[str, str]:
    certification = session.version.certification
    return {
        "code": certification.code,
        "title": certification.title,
        "version": session.version.version,
    }


def _session(session: ExamSession) -> dict[str, str]:
    period = french_period(session.starts_on, session.ends_on)
    return {
        "label": session.label,
        "period": period[0].upper() + period[1:],
        "scope": session.block.code if session.block is not None else "Titre complet",
    }


def _session_facts(session: ExamSession) -> list[tuple[str, str]]:
    certification = session.version.certification
    period = french_period(session.starts_on, session.ends_on)
    return [
        ("Session", session.label),
        ("Dates de la session", period[0].upper() + period[1:]),
        ("Certification", f"{certification.title} ({certification.code})"),
    ]
