"""Operations on candidates and enrolments: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from attesta.accounts.models import Organisation
from attesta.candidates import enums, productions, rules
from attesta.candidates.models import (
    Candidate,
    CapitalisedBlock,
    Enrolment,
    EnrolmentEvent,
    SupportingDocument,
)
from attesta.core.models import record_event
from attesta.referentiels.importers.canonical import Production
from attesta.referentiels.models import CertificationVersion
from attesta.referentiels.services import load_referentiel


@transaction.atomic
def register_candidate(
    *,
    organisation: Organisation,
    actor: Any,
    last_name: str,
    first_names: str,
    birth_date: dt.date,
    birth_place: str = "",
    birth_country: str = "",
    email: str = "",
    phone: str = "",
) -> Candidate:
    """Create a candidate. Possible duplicates are reported by ``possible_duplicates``, never
    merged: two people may share names and a birth date."""
    candidate = Candidate.objects.create(
        organisation=organisation,
        last_name=" ".join(last_name.split()),
        first_names=" ".join(first_names.split()),
        birth_date=birth_date,
        birth_place=birth_place.strip(),
        birth_country=birth_country.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    record_event(actor=actor, action="candidate.registered", target=f"candidate:{candidate.pk}")
    return candidate


@transaction.atomic
def enrol_candidate(
    *,
    candidate: Candidate,
    version: CertificationVersion,
    path: str,
    actor: Any,
    target_block_codes: tuple[str, ...] = (),
    capitalised: tuple[tuple[str, dt.date, str], ...] = (),
) -> Enrolment:
    """Enrol a candidate on a published version, for the whole certification or some blocks;
    ``capitalised`` lists the blocks already obtained as (code, date, source)."""
    if not version.is_published:
        raise ValueError("On ne peut inscrire que sur un référentiel publié.")
    blocks = {b.code: b for b in version.blocks.all()}
    wanted = [*target_block_codes, *(code for code, _, _ in capitalised)]
    unknown = [code for code in wanted if code not in blocks]
    if unknown:
        raise ValueError(f"Bloc(s) inconnu(s) : {', '.join(unknown)}")
    enrolment = Enrolment.objects.create(candidate=candidate, version=version, path=path)
    enrolment.target_blocks.set([blocks[code] for code in target_block_codes])
    CapitalisedBlock.objects.bulk_create(
        CapitalisedBlock(enrolment=enrolment, block=blocks[code], obtained_on=day, source=source)
        for code, day, source in capitalised
    )
    record_event(
        actor=actor,
        action="enrolment.created",
        target=f"enrolment:{enrolment.pk}",
        certification=version.certification.code,
        path=path,
        blocks=list(target_block_codes),
    )
    return enrolment


@transaction.atomic
def record_company_period(*, enrolment: Enrolment, done: int, actor: Any) -> Enrolment:
    """The company period the candidate has done, in the unit the référentiel requires."""
    before = enrolment.company_period_done
    enrolment.company_period_done = done
    enrolment.save(update_fields=["company_period_done"])
    record_event(
        actor=actor,
        action="enrolment.company_period",
        target=f"enrolment:{enrolment.pk}",
        before=before,
        after=done,
    )
    return enrolment


def requirements_of(enrolment: Enrolment) -> rules.Requirements:
    return rules.requirements_for(
        load_referentiel(enrolment.version),
        path=enrolment.path,
        target_blocks=tuple(b.code for b in enrolment.target_blocks.order_by("position")),
        obtained_blocks=tuple(c.block.code for c in enrolment.capitalised_blocks.all()),
    )


def production_conformity(
    enrolment: Enrolment, requirements: rules.Requirements
) -> list[tuple[Production, productions.Conformity]]:
    """Each required production against the files uploaded for it (pages, slides)."""
    documents = [d for d in enrolment.documents.all() if d.kind == enums.DocumentKind.PRODUCTION]
    return [
        (
            required,
            productions.conformity(
                required,
                [_measure_of(d) for d in documents if d.production_title == required.title],
            ),
        )
        for required in requirements.productions
    ]


def _measure_of(document: SupportingDocument) -> productions.Measure:
    return productions.Measure(
        file_kind=productions.FileKind(document.file_kind or "other"),
        pages=document.pages,
        slides=document.slides,
        note=document.measure_note,
        filename=document.original_name,
    )


def eligibility_of(enrolment: Enrolment) -> rules.Eligibility:
    """Compute, from the référentiel and the file, what the enrolment still lacks: missing
    pieces, and productions that do not meet the référentiel (too few slides…)."""
    requirements = requirements_of(enrolment)
    documents = list(enrolment.documents.all())
    kinds = Counter(d.kind for d in documents)
    counts = Counter(d.production_title for d in documents if d.kind == "production")
    problems = [
        message
        for required, result in production_conformity(enrolment, requirements)
        if result.status == productions.Status.NOT_CONFORM
        and counts[required.title] == required.quantity
        for message in result.messages
    ]
    facts = rules.Facts(
        company_period_done=enrolment.company_period_done,
        company_period_proof=kinds[enums.DocumentKind.COMPANY_PERIOD_PROOF] > 0,
        vae_dossier=kinds[enums.DocumentKind.VAE_DOSSIER] > 0,
        productions=dict(counts),
        production_problems=tuple(problems),
    )
    return rules.check_eligibility(requirements, facts)


@transaction.atomic
def review_eligibility(*, enrolment: Enrolment, actor: Any) -> rules.Eligibility:
    """Decide recevabilité from the rules: eligible when nothing is missing."""
    result = eligibility_of(enrolment)
    to = enums.EnrolmentStatus.ELIGIBLE if result.eligible else enums.EnrolmentStatus.NOT_ELIGIBLE
    if enrolment.status != to:
        enrolment.change_status(to, actor=actor, note="\n".join(result.missing))
        record_event(
            actor=actor,
            action="enrolment.eligibility",
            target=f"enrolment:{enrolment.pk}",
            status=to,
            missing=list(result.missing),
        )
    return result


@transaction.atomic
def add_document(
    *,
    enrolment: Enrolment,
    kind: str,
    data: bytes,
    filename: str,
    actor: Any,
    production_title: str = "",
) -> SupportingDocument:
    """Keep a file of the enrolment (documents are never replaced: a new upload adds one).
    A production is measured first (pages, slides); an unreadable one raises ProductionError
    and nothing is kept."""
    measured = (
        productions.measure(data, filename) if kind == enums.DocumentKind.PRODUCTION else None
    )
    document = SupportingDocument(
        enrolment=enrolment,
        kind=kind,
        production_title=production_title,
        original_name=filename[:255],
        file_kind=measured.file_kind.value if measured else "",
        pages=measured.pages if measured else None,
        slides=measured.slides if measured else None,
        measure_note=measured.note if measured else "",
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    record_event(
        actor=actor,
        action="enrolment.document_added",
        target=f"enrolment:{enrolment.pk}",
        kind=kind,
        filename=filename,
    )
    return document


def history(enrolment: Enrolment) -> list[EnrolmentEvent]:
    return list(enrolment.events.select_related("actor").order_by("occurred_at", "id"))
