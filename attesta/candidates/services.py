"""Operations on candidates and enrolments: one transaction each, audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from attesta.accounts.models import Organisation
from attesta.candidates import enums, productions, rules
from attesta.candidates.candidate_list import CandidateList, RowError
from attesta.candidates.models import (
    Accommodation,
    Candidate,
    CapitalisedBlock,
    Enrolment,
    EnrolmentEvent,
    ExemptionRequest,
    SupportingDocument,
    TransitionError,
    identity_key,
)
from attesta.core.models import record_event
from attesta.referentiels.importers.canonical import Production, Referentiel
from attesta.referentiels.models import CertificationVersion, Criterion
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


def requirements_of(
    enrolment: Enrolment, referentiel: Referentiel | None = None
) -> rules.Requirements:
    return rules.requirements_for(
        referentiel or load_referentiel(enrolment.version),
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
    """Decide recevabilité from the rules: eligible when nothing is missing. Refused once
    the candidate is convened or beyond."""
    if enrolment.status not in enums.ELIGIBILITY_REVIEWABLE:
        raise TransitionError("La recevabilité ne se réexamine plus à ce stade.")
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


def check_list_against_referentiels(
    candidate_list: CandidateList, versions: dict[str, CertificationVersion]
) -> CandidateList:
    """Add to each row the errors only the database can see: a certification code no
    published référentiel has, a block that certification does not have."""
    rows = []
    block_codes = {code: {b.code for b in v.blocks.all()} for code, v in versions.items()}
    for row in candidate_list.rows:
        errors = list(row.errors)
        if row.certification_code:
            version = versions.get(row.certification_code)
            column = candidate_list.columns.get("certification_code", "certification")
            if version is None:
                errors.append(
                    RowError(row.line, column, f"certification inconnue : {row.certification_code}")
                )
            else:
                codes = block_codes[row.certification_code]
                unknown = [code for code in row.blocks if code not in codes]
                if unknown:
                    errors.append(
                        RowError(
                            row.line,
                            candidate_list.columns.get("blocks", "blocs"),
                            f"bloc(s) inconnu(s) de {row.certification_code} : "
                            + ", ".join(unknown),
                        )
                    )
        elif row.blocks:
            errors.append(
                RowError(
                    row.line,
                    candidate_list.columns.get("blocks", "blocs"),
                    "des blocs sont indiqués sans code de certification",
                )
            )
        rows.append(replace(row, errors=errors))
    return replace(candidate_list, rows=rows)


@transaction.atomic
def import_candidates(
    *,
    organisation: Organisation,
    actor: Any,
    candidate_list: CandidateList,
    versions: dict[str, CertificationVersion],
    only_valid: bool,
) -> list[Candidate]:
    """Create the candidates of a checked list (and their enrolments when the list names a
    certification), all or nothing. Without ``only_valid`` a list with any invalid row is
    refused whole."""
    if candidate_list.file_errors:
        raise ValueError("; ".join(candidate_list.file_errors))
    if candidate_list.invalid_rows and not only_valid:
        raise ValueError(
            f"{len(candidate_list.invalid_rows)} ligne(s) en erreur : rien n'est importé. "
            "Corrigez le fichier ou choisissez d'importer seulement les lignes valides."
        )
    rows = candidate_list.valid_rows
    if any(row.birth_date is None for row in rows):  # a valid row always has its date
        raise ValueError("ligne valide sans date de naissance")
    candidates = Candidate.objects.bulk_create(
        Candidate(
            organisation=organisation,
            last_name=row.last_name,
            first_names=row.first_names,
            birth_date=row.birth_date,  # type: ignore[misc]
            birth_place=row.birth_place,
            birth_country=row.birth_country,
            email=row.email,
            phone=row.phone,
            identity_key=identity_key(row.last_name, row.first_names, row.birth_date),
        )
        for row in rows
    )
    enrolled = [(c, row) for c, row in zip(candidates, rows, strict=True) if row.certification_code]
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            candidate=candidate,
            version=versions[row.certification_code],
            path=row.path or enums.AccessPath.TRAINING,
        )
        for candidate, row in enrolled
    )
    links = []
    blocks_of = {code: {b.code: b for b in v.blocks.all()} for code, v in versions.items()}
    for enrolment, (_, row) in zip(enrolments, enrolled, strict=True):
        blocks = blocks_of[row.certification_code]
        links += [
            Enrolment.target_blocks.through(enrolment_id=enrolment.pk, block_id=blocks[code].pk)
            for code in row.blocks
        ]
    Enrolment.target_blocks.through.objects.bulk_create(links)
    record_event(
        actor=actor,
        action="candidates.imported",
        target=f"organisation:{organisation.pk}",
        candidates=len(candidates),
        enrolments=len(enrolments),
        skipped_rows=[row.line for row in candidate_list.invalid_rows],
    )
    return candidates


def methods_of(enrolment: Enrolment) -> list[tuple[str, str]]:
    """(kind, label) of the assessment methods the enrolment's target involves, once each."""
    referentiel = load_referentiel(enrolment.version)
    seen: dict[str, str] = {}
    for scope in requirements_of(enrolment, referentiel).scopes:
        exam = referentiel.exam_for(scope)
        for method in exam.methods if exam else []:
            seen.setdefault(method.kind.value, method.kind.label)
    return list(seen.items())


def measures_of(accommodation: Accommodation) -> rules.Measures:
    postponed = accommodation.postponed_to
    return rules.Measures(
        extra_time_percent=accommodation.extra_time_percent,
        extra_time_by_method=dict(accommodation.extra_time_by_method),
        adapted_equipment=accommodation.adapted_equipment,
        written_exchange=accommodation.written_exchange,
        assistant=accommodation.assistant,
        postponed_to=postponed.strftime("%d/%m/%Y") if postponed else "",
    )


@transaction.atomic
def record_accommodation(*, enrolment: Enrolment, actor: Any, **fields: Any) -> Accommodation:
    """Record or update the accommodations of an enrolment (disability referent). The audit
    trail says that they changed, never what the disability is."""
    accommodation, created = Accommodation.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            **fields,
            "recorded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    record_event(
        actor=actor,
        action="accommodation.recorded" if created else "accommodation.updated",
        target=f"enrolment:{enrolment.pk}",
        measures=rules.manager_measures(measures_of(accommodation)),
    )
    return accommodation


@transaction.atomic
def request_exemption(
    *,
    accommodation: Accommodation,
    criterion: Criterion,
    opinion: str,
    keeps_overall_capacity: bool,
    not_needed_in_future_practice: bool,
    actor: Any,
) -> ExemptionRequest:
    """Ask the jury to exempt the candidate from one criterion of a certifier référentiel."""
    version = accommodation.enrolment.version
    if version.certification.kind != "certifier":
        raise ValueError(
            "L'exemption de critères est prévue par les référentiels de certificateurs, pas "
            "par les titres professionnels."
        )
    if criterion.competency is None or criterion.competency.version_id != version.pk:
        raise ValueError("Ce critère n'appartient pas au référentiel de l'inscription.")
    if not (keeps_overall_capacity and not_needed_in_future_practice):
        raise ValueError(
            "Les deux conditions cumulatives doivent être remplies : l'exemption ne remet pas "
            "en question la capacité professionnelle globale, et le critère n'a pas vocation à "
            "s'appliquer dans la pratique future du candidat."
        )
    if not opinion.strip():
        raise ValueError("L'avis motivé du référent handicap est obligatoire.")
    exemption = ExemptionRequest.objects.create(
        accommodation=accommodation,
        criterion=criterion,
        opinion=opinion.strip(),
        keeps_overall_capacity=True,
        not_needed_in_future_practice=True,
    )
    record_event(
        actor=actor,
        action="accommodation.exemption_requested",
        target=f"enrolment:{accommodation.enrolment_id}",
        criterion=criterion.pk,
    )
    return exemption
