"""Pure rules over référentiels: search keys, the criteria × method matrix, version comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass

from attesta.core.text import fold_accents
from attesta.referentiels.importers.canonical import Competency, Exam, Referentiel

_SPACES = re.compile(r"\s+")


def search_key(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: « Évaluer l’offre » → « evaluer l'offre »."""
    return _SPACES.sub(" ", fold_accents(text)).strip().lower()


def search_terms(query: str) -> list[str]:
    """The words of a query to look for, all required; empty when the query is too short."""
    return [term for term in search_key(query).split(" ") if len(term) >= 2][:8]


@dataclass(frozen=True)
class MatrixRow:
    competency: Competency
    block_code: str
    assessed_by: tuple[bool, ...]  # one cell per method of the exam, in order


def matrix(referentiel: Referentiel, exam: Exam) -> list[MatrixRow]:
    """The competencies × methods matrix of an exam (RE §3.2), over the exam's competencies:
    every competency of the certification for the title exam, the block's for a block exam."""
    blocks = [b for b in referentiel.blocks if exam.scope in ("certification", b.code)]
    return [
        MatrixRow(
            competency=competency,
            block_code=block.code,
            assessed_by=tuple(competency.code in m.competencies for m in exam.methods),
        )
        for block in blocks
        for competency in block.competencies
    ]


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    what: str  # "bloc", "compétence", "critère", "épreuve"
    code: str
    detail: str


def compare(old: Referentiel, new: Referentiel) -> list[Change]:
    """What changed from one version to the next, block by block and competency by competency.
    Competencies are matched by code, then criteria by text."""
    changes: list[Change] = []
    old_blocks = {b.code: b for b in old.blocks}
    new_blocks = {b.code: b for b in new.blocks}
    for code, block in new_blocks.items():
        if code not in old_blocks:
            changes.append(Change("added", "bloc", code, block.title))
        elif old_blocks[code].title != block.title:
            changes.append(
                Change("changed", "bloc", code, f"{old_blocks[code].title} → {block.title}")
            )
    changes += [
        Change("removed", "bloc", code, b.title)
        for code, b in old_blocks.items()
        if code not in new_blocks
    ]
    old_comps = {c.code: c for c in old.competencies()}
    new_comps = {c.code: c for c in new.competencies()}
    for code, comp in new_comps.items():
        before = old_comps.get(code)
        if before is None:
            changes.append(Change("added", "compétence", code, comp.title))
            continue
        if before.title != comp.title:
            changes.append(Change("changed", "compétence", code, f"{before.title} → {comp.title}"))
        old_texts = [c.text for c in before.criteria]
        new_texts = [c.text for c in comp.criteria]
        changes += [Change("added", "critère", code, t) for t in new_texts if t not in old_texts]
        changes += [Change("removed", "critère", code, t) for t in old_texts if t not in new_texts]
    changes += [
        Change("removed", "compétence", code, c.title)
        for code, c in old_comps.items()
        if code not in new_comps
    ]
    changes += _compare_exams(old, new)
    return changes


def _compare_exams(old: Referentiel, new: Referentiel) -> list[Change]:
    changes = []
    for exam in new.exams:
        before = old.exam_for(exam.scope)
        if before is None:
            changes.append(Change("added", "épreuve", exam.scope, f"{exam.total_minutes} min"))
            continue
        old_methods = [(m.kind, m.duration_minutes) for m in before.methods]
        new_methods = [(m.kind, m.duration_minutes) for m in exam.methods]
        if old_methods != new_methods or before.total_minutes != exam.total_minutes:
            changes.append(
                Change(
                    "changed",
                    "épreuve",
                    exam.scope,
                    f"durée totale {before.total_minutes} → {exam.total_minutes} min, "
                    f"{len(before.methods)} → {len(exam.methods)} modalités",
                )
            )
    changes += [
        Change("removed", "épreuve", e.scope, "")
        for e in old.exams
        if new.exam_for(e.scope) is None
    ]
    return changes
