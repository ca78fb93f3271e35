"""Writing and reading référentiels: canonical ``Referentiel`` ⇄ database rows.

``store_referentiel`` is the one way a référentiel enters the database (web upload, CLI, demo),
``publish_version`` the one way it becomes immutable, ``load_referentiel`` the one way it comes
back out (export, comparison, pages that need the canonical shape).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections import OrderedDict
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from attesta.accounts.models import Organisation
from attesta.core.models import record_event
from attesta.referentiels import models
from attesta.referentiels.enums import VersionStatus
from attesta.referentiels.importers import canonical as c
from attesta.referentiels.rules import search_key


class ReferentielConflict(Exception):
    """The import would change something that may not change (a published version)."""


@transaction.atomic
def store_referentiel(
    *,
    referentiel: c.Referentiel,
    organisation: Organisation | None,
    actor: Any,
    filename: str = "",
    publish: bool = False,
) -> models.CertificationVersion:
    """Store a parsed référentiel as a version of its certification, in one transaction.

    A new millésime makes a new version and keeps the old ones. Re-importing the millésime of a
    draft replaces that draft; re-importing a published millésime is refused."""
    problems = referentiel.problems()
    if problems:
        raise ValueError("; ".join(f"{field} : {message}" for field, message in problems))
    certification, created = models.Certification.objects.select_for_update().get_or_create(
        code=referentiel.code,
        defaults={
            "kind": referentiel.kind.value,
            "acronym": referentiel.acronym,
            "title": referentiel.title,
            "organisation": organisation,
        },
    )
    if not created and certification.organisation_id not in (
        None,
        getattr(organisation, "pk", None),
    ):
        raise ReferentielConflict(
            f"La certification {certification.code} appartient à une autre organisation."
        )
    label = referentiel.version
    existing = certification.versions.filter(version=label).first()
    if existing is not None:
        if existing.is_published:
            raise ReferentielConflict(
                f"La version {label} de {certification.code} est déjà publiée : elle est "
                "immuable. Importez un nouveau millésime."
            )
        existing.delete()
    if not created:
        certification.title = referentiel.title
        certification.acronym = referentiel.acronym
        if certification.organisation_id is None:
            certification.organisation = organisation
        certification.save(update_fields=["title", "acronym", "organisation"])

    version = models.CertificationVersion.objects.create(
        certification=certification,
        version=label,
        level=referentiel.level,
        valid_from=_date(referentiel.valid_from),
        published_on=_date(referentiel.published_on),
        updated_on=_date(referentiel.updated_on),
        nsf_codes=[_plain(x) for x in referentiel.nsf_codes],
        rome_codes=[_plain(x) for x in referentiel.rome_codes],
        formacode_codes=[_plain(x) for x in referentiel.formacode_codes],
        source_filename=filename[:255],
        source_format=referentiel.source_format,
        warnings=[_plain(w) for w in referentiel.warnings],
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _store_content(version, referentiel)
    record_event(
        actor=actor,
        action="referentiel.imported",
        target=str(version),
        filename=filename,
        warnings=len(referentiel.warnings),
    )
    if publish:
        publish_version(version=version, actor=actor)
    return version


@transaction.atomic
def publish_version(
    *, version: models.CertificationVersion, actor: Any
) -> models.CertificationVersion:
    if version.is_published:
        raise ReferentielConflict(f"{version} est déjà publiée.")
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    record_event(actor=actor, action="referentiel.published", target=str(version))
    return version


def _store_content(version: models.CertificationVersion, ref: c.Referentiel) -> None:
    blocks = models.Block.objects.bulk_create(
        models.Block(
            version=version,
            position=i,
            code=b.code,
            title=b.title,
            description=b.description,
            extension=b.extension,
        )
        for i, b in enumerate(ref.blocks)
    )
    competencies: dict[str, models.Competency] = {}
    pending: list[tuple[models.Competency, list[c.Criterion]]] = []
    for block, source_block in zip(blocks, ref.blocks, strict=True):
        for i, comp in enumerate(source_block.competencies):
            row = models.Competency(
                version=version,
                block=block,
                position=i,
                code=comp.code,
                title=comp.title,
                description=comp.description,
                context=comp.context,
                savoir_faire=comp.savoir_faire,
                savoirs=comp.savoirs,
                search_text=search_key(comp.title),
            )
            competencies[comp.code] = row
            pending.append((row, comp.criteria))
    models.Competency.objects.bulk_create(competencies.values())
    criteria = [
        _criterion(crit, i, competency=row)
        for row, crits in pending
        for i, crit in enumerate(crits)
    ]

    transversals = models.TransversalCompetency.objects.bulk_create(
        models.TransversalCompetency(
            version=version, position=i, code=t.code, title=t.title, description=t.description
        )
        for i, t in enumerate(ref.transversal_competencies)
    )
    links = []
    for transversal, t in zip(transversals, ref.transversal_competencies, strict=True):
        criteria += [
            _criterion(crit, i, transversal=transversal) for i, crit in enumerate(t.criteria)
        ]
        links += [
            models.TransversalAssessment(
                transversal=transversal, competency=competencies[code], position=i
            )
            for i, code in enumerate(t.assessed_through)
        ]
    models.Criterion.objects.bulk_create(criteria)
    models.TransversalAssessment.objects.bulk_create(links)

    blocks_by_code = {b.code: b for b in blocks}
    for position, exam in enumerate(ref.exams):
        _store_exam(version, exam, position, blocks_by_code, competencies)

    models.Correspondence.objects.bulk_create(
        models.Correspondence(version=version, position=i, **_plain(x))
        for i, x in enumerate(ref.correspondences)
    )


def _store_exam(
    version: models.CertificationVersion,
    exam: c.Exam,
    position: int,
    blocks: dict[str, models.Block],
    competencies: dict[str, models.Competency],
) -> None:
    jury = exam.jury
    row = models.ExamSpec.objects.create(
        version=version,
        block=None if exam.scope == "certification" else blocks[exam.scope],
        position=position,
        total_minutes=exam.total_minutes,
        jury_minutes=exam.jury_minutes,
        company_period_amount=exam.company_period.amount if exam.company_period else None,
        company_period_unit=exam.company_period.unit.value if exam.company_period else "",
        supervision=exam.supervision,
        requirements=exam.requirements,
        has_jury=jury is not None,
        jury_members=jury.members if jury else None,
        jury_profiles=jury.profiles if jury else [],
        jury_notes=jury.notes if jury else "",
    )
    methods = models.AssessmentMethod.objects.bulk_create(
        models.AssessmentMethod(
            exam=row,
            position=i,
            kind=m.kind.value,
            title=m.title,
            code=m.code or "",
            duration_minutes=m.duration_minutes,
            organisation=m.organisation,
            requires_jury=m.requires_jury,
            requires_supervision=m.requires_supervision,
        )
        for i, m in enumerate(exam.methods)
    )
    models.MethodCompetency.objects.bulk_create(
        models.MethodCompetency(method=method, competency=competencies[code], position=i)
        for method, m in zip(methods, exam.methods, strict=True)
        for i, code in enumerate(m.competencies)
    )
    models.Production.objects.bulk_create(
        models.Production(exam=row, position=i, **_plain(p)) for i, p in enumerate(exam.productions)
    )


def _criterion(crit: c.Criterion, position: int, **owner: Any) -> models.Criterion:
    return models.Criterion(
        position=position,
        code=crit.code or "",
        group=crit.group or "",
        text=crit.text,
        search_text=search_key(crit.text),
        **owner,
    )


# Published versions never change (``CertificationVersion.save`` refuses it): their canonical
# form is kept in memory, keyed by id and publication instant, and handed out as copies.
_PUBLISHED_CACHE: OrderedDict[tuple[int, str], c.Referentiel] = OrderedDict()
_PUBLISHED_CACHE_SIZE = 32


def load_referentiel(version: models.CertificationVersion) -> c.Referentiel:
    """The canonical référentiel of a version (a fixed number of queries; none for a
    published version already loaded by this process)."""
    if version.status != VersionStatus.PUBLISHED or version.published_at is None:
        return _load_referentiel(version)
    key = (version.pk, version.published_at.isoformat())
    cached = _PUBLISHED_CACHE.get(key)
    if cached is None:
        cached = _load_referentiel(version)
        _PUBLISHED_CACHE[key] = cached
        if len(_PUBLISHED_CACHE) > _PUBLISHED_CACHE_SIZE:
            _PUBLISHED_CACHE.popitem(last=False)
    else:
        _PUBLISHED_CACHE.move_to_end(key)
    return copy.deepcopy(cached)


def _load_referentiel(version: models.CertificationVersion) -> c.Referentiel:
    method_links = Prefetch(
        "methodcompetency_set",
        queryset=models.MethodCompetency.objects.select_related("competency").order_by("position"),
    )
    blocks = list(
        version.blocks.order_by("position").prefetch_related(
            Prefetch("competencies", queryset=models.Competency.objects.order_by("position")),
            Prefetch(
                "competencies__criteria", queryset=models.Criterion.objects.order_by("position")
            ),
        )
    )
    transversals = list(
        version.transversal_competencies.order_by("position").prefetch_related(
            Prefetch("criteria", queryset=models.Criterion.objects.order_by("position")),
            Prefetch(
                "transversalassessment_set",
                queryset=models.TransversalAssessment.objects.select_related("competency").order_by(
                    "position"
                ),
            ),
        )
    )
    exams = list(
        version.exams.order_by("position")
        .select_related("block")
        .prefetch_related(
            Prefetch(
                "methods",
                queryset=models.AssessmentMethod.objects.order_by("position").prefetch_related(
                    method_links
                ),
            ),
            Prefetch("productions", queryset=models.Production.objects.order_by("position")),
        )
    )
    certification = version.certification
    return c.Referentiel(
        code=certification.code,
        title=certification.title,
        kind=c.Kind(certification.kind),
        acronym=certification.acronym,
        level=version.level,
        version=version.version,
        valid_from=_iso(version.valid_from),
        published_on=_iso(version.published_on),
        updated_on=_iso(version.updated_on),
        nsf_codes=[c.CodeLabel(**x) for x in version.nsf_codes],
        rome_codes=[c.CodeLabel(**x) for x in version.rome_codes],
        formacode_codes=[c.CodeLabel(**x) for x in version.formacode_codes],
        blocks=[
            c.Block(
                code=b.code,
                title=b.title,
                description=b.description,
                extension=b.extension,
                competencies=[
                    c.Competency(
                        code=comp.code,
                        title=comp.title,
                        description=comp.description,
                        context=comp.context,
                        criteria=[_canonical_criterion(x) for x in comp.criteria.all()],
                        savoir_faire=list(comp.savoir_faire),
                        savoirs=list(comp.savoirs),
                    )
                    for comp in b.competencies.all()
                ],
            )
            for b in blocks
        ],
        transversal_competencies=[
            c.TransversalCompetency(
                code=t.code,
                title=t.title,
                description=t.description,
                criteria=[_canonical_criterion(x) for x in t.criteria.all()],
                assessed_through=[
                    link.competency.code for link in t.transversalassessment_set.all()
                ],
            )
            for t in transversals
        ],
        exams=[_canonical_exam(e) for e in exams],
        correspondences=[
            c.Correspondence(
                old_code=x.old_code,
                old_title=x.old_title,
                new_code=x.new_code,
                new_title=x.new_title,
            )
            for x in version.correspondences.order_by("position")
        ],
        warnings=[
            c.ImportWarning(**{**w, "code": c.WarningCode(w["code"])}) for w in version.warnings
        ],
        source_format=version.source_format,
    )


def _canonical_exam(exam: models.ExamSpec) -> c.Exam:
    period = None
    if exam.company_period_amount is not None:
        period = c.CompanyPeriod(
            amount=exam.company_period_amount, unit=c.PeriodUnit(exam.company_period_unit)
        )
    jury = None
    if exam.has_jury:
        jury = c.Jury(
            members=exam.jury_members, profiles=list(exam.jury_profiles), notes=exam.jury_notes
        )
    return c.Exam(
        scope=exam.scope,
        methods=[
            c.AssessmentMethod(
                kind=c.MethodKind(m.kind),
                title=m.title,
                duration_minutes=m.duration_minutes,
                competencies=[link.competency.code for link in m.methodcompetency_set.all()],
                organisation=m.organisation,
                requires_jury=m.requires_jury,
                requires_supervision=m.requires_supervision,
                code=m.code or None,
            )
            for m in exam.methods.all()
        ],
        total_minutes=exam.total_minutes,
        jury_minutes=exam.jury_minutes,
        company_period=period,
        productions=[
            c.Production(
                title=p.title,
                kind=c.ProductionKind(p.kind),
                quantity=p.quantity,
                min_units=p.min_units,
                max_units=p.max_units,
            )
            for p in exam.productions.all()
        ],
        jury=jury,
        supervision=exam.supervision,
        requirements=list(exam.requirements),
    )


def _canonical_criterion(row: models.Criterion) -> c.Criterion:
    return c.Criterion(text=row.text, code=row.code or None, group=row.group or None)


def _plain(value: Any) -> dict[str, Any]:
    data: dict[str, Any] = c.plain(dataclasses.asdict(value))
    return data


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
