"""Jury assessment rules: grids, consolidation, decisions. Pure functions, no database.

Grids
    A method's grid lists the competencies the référentiel says it assesses
    (``AssessmentMethod.competencies``: the RE §3.2 matrix for a titre professionnel, the
    competencies named by each evaluation for a certifier référentiel) with all their
    criteria. Transversal competencies appear only as "assessed through" the grid's
    competencies they relate to (RE §3.3); they carry no mark. A criterion is identified by
    ``criterion_key`` (``"CP3#2"``: competency code, 1-based position), stable within a
    référentiel version and shared by every method that assesses the competency.

Marks and consolidation
    An assessor marks each criterion met / not met / not observed. A criterion exempted for
    the candidate (a jury decision) is shown as exempted and never counts as failed; the
    assessor can neither set nor clear it. Each assessor's marks are consolidated per
    criterion: agreed (everybody gave the same mark), disagreed, or incomplete.

Evidence and departure
    Over all methods, a criterion's evidence is: exempted; not met as soon as one method
    agreed "not met"; met when a method agreed "met" and none is disagreed or failed;
    otherwise not established (``None``). The criteria support "acquired" when every
    non-exempted criterion of the competency is met. A decision *departs from the criteria*
    — and needs a justification — when the jury says acquired without that support, or not
    acquired despite it.

Blocks and certification
    A block is obtained when every competency of it is acquired and its own conditions hold,
    or when it was capitalised earlier (directly, or on an old version through the
    correspondences of the new version's RE). Extension blocks (CCS) are optional. The
    certification is obtained when every required block is obtained and the certification's
    conditions hold. Conditions (``conditions_for``) are derived from the référentiel:

    - a method of the certification's exam that assesses no competency must have been taken
      (the final interview of a titre professionnel);
    - a certification exam without methods (certifier référentiel: the title is its blocks
      plus complementary evaluations) makes each production it asks for and its company
      period evaluations the jury must find satisfactory (Attaché commercial: the dossier de
      valorisation and the three months in a company evaluated by the tutor);
    - a written production or an oral defence method of a block must have been submitted or
      held (Chargé·e du développement commercial: E3 and its defence, in BC03); a production a
      certifier table repeats on several competencies' rows is one condition (Développement
      commercial: the professional project of BC01, and of BC05). These
      condition the block, hence the title through it; a capitalised block has met them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from attesta.referentiels.importers.canonical import (
    Block,
    Competency,
    Exam,
    Kind,
    MethodKind,
    Referentiel,
)

CERTIFICATION = "certification"


class Mark(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_OBSERVED = "not_observed"
    EXEMPTED = "exempted"

    @property
    def label(self) -> str:
        return _MARK_LABELS[self]


_MARK_LABELS = {
    Mark.MET: "Satisfait",
    Mark.NOT_MET: "Non satisfait",
    Mark.NOT_OBSERVED: "Non observé",
    Mark.EXEMPTED: "Dispensé",
}
# What an assessor may enter; EXEMPTED comes only from a jury exemption.
ASSESSOR_MARKS = frozenset({Mark.MET, Mark.NOT_MET, Mark.NOT_OBSERVED})


class Agreement(enum.StrEnum):
    AGREED = "agreed"
    DISAGREED = "disagreed"
    INCOMPLETE = "incomplete"  # an assessor has not marked the criterion yet


class BlockSource(enum.StrEnum):
    SESSION = "session"  # obtained by this deliberation
    CAPITALISED = "capitalised"  # obtained in an earlier session, same version
    CORRESPONDENCE = "correspondence"  # obtained on an old version, credited


class ConditionKind(enum.StrEnum):
    METHOD = "method"  # a method to take, submit or hold
    PRODUCTION = "production"  # a production evaluated as a complementary requirement
    COMPANY_PERIOD = "company_period"  # a company period evaluated (e.g. by a tutor)


# --- grids ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCriterion:
    key: str  # criterion_key(): "CP3#2"
    text: str
    code: str | None = None  # the document's own code, e.g. "CR1.1.1"
    group: str | None = None


@dataclass(frozen=True)
class GridCompetency:
    code: str
    title: str
    block_code: str
    criteria: tuple[GridCriterion, ...]


@dataclass(frozen=True)
class GridTransversal:
    """Not graded: shown as assessed through the grid's competencies listed."""

    code: str
    title: str
    through: tuple[str, ...]


@dataclass(frozen=True)
class Grid:
    referentiel_code: str
    version: str
    scope: str  # "certification" or a block code
    method_index: int
    method_title: str
    method_kind: MethodKind
    competencies: tuple[GridCompetency, ...]
    transversals: tuple[GridTransversal, ...] = ()

    def criterion_keys(self) -> tuple[str, ...]:
        return tuple(c.key for comp in self.competencies for c in comp.criteria)


def criterion_key(competency_code: str, position: int) -> str:
    """Stable identifier of a criterion: competency code and 1-based position."""
    return f"{competency_code}#{position}"


def criterion_keys(competency: Competency) -> tuple[str, ...]:
    return tuple(criterion_key(competency.code, i) for i in range(1, len(competency.criteria) + 1))


def grid_for(referentiel: Referentiel, *, scope: str, method_index: int) -> Grid:
    """The grid of one assessment method of the exam of ``scope``."""
    exam = _exam(referentiel, scope)
    if not 0 <= method_index < len(exam.methods):
        raise ValueError(
            f"modalité {method_index} inconnue pour « {scope} » ({len(exam.methods)} modalité(s))"
        )
    method = exam.methods[method_index]
    competencies = []
    for code in method.competencies:
        competency, block = _competency(referentiel, code)
        criteria = tuple(
            GridCriterion(
                key=criterion_key(competency.code, i),
                text=criterion.text,
                code=criterion.code,
                group=criterion.group,
            )
            for i, criterion in enumerate(competency.criteria, start=1)
        )
        competencies.append(
            GridCompetency(
                code=competency.code,
                title=competency.title,
                block_code=block.code,
                criteria=criteria,
            )
        )
    assessed = list(method.competencies)
    transversals = tuple(
        GridTransversal(
            code=t.code,
            title=t.title,
            through=tuple(code for code in assessed if code in t.assessed_through),
        )
        for t in referentiel.transversal_competencies
        if any(code in t.assessed_through for code in assessed)
    )
    return Grid(
        referentiel_code=referentiel.code,
        version=referentiel.version,
        scope=scope,
        method_index=method_index,
        method_title=method.title,
        method_kind=method.kind,
        competencies=tuple(competencies),
        transversals=transversals,
    )


def initial_marks(grid: Grid, *, exempted: Iterable[str] = ()) -> dict[str, Mark | None]:
    """A blank grid for one candidate: exempted criteria are shown exempted, others empty."""
    out = set(exempted)
    return {key: (Mark.EXEMPTED if key in out else None) for key in grid.criterion_keys()}


def mark_problems(
    grid: Grid, marks: Mapping[str, Mark], *, exempted: Iterable[str] = ()
) -> tuple[str, ...]:
    """What is wrong with one assessor's marks, in French (empty when they can be saved).
    Unmarked criteria are not a problem: a grid is filled in several saves."""
    keys = set(grid.criterion_keys())
    out = set(exempted)
    problems = []
    for key, mark in marks.items():
        if key not in keys:
            problems.append(f"Critère {key} absent de la grille.")
        elif key in out and mark is not Mark.EXEMPTED:
            problems.append(f"Critère {key} : le candidat en est dispensé.")
        elif key not in out and mark not in ASSESSOR_MARKS:
            problems.append(f"Critère {key} : seul le jury peut dispenser d'un critère.")
    problems.extend(
        f"Critère {key} : dispense non reportée." for key in sorted(out & keys - set(marks))
    )
    return tuple(problems)


# --- consolidation -------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionConsolidation:
    key: str
    marks: tuple[tuple[str, Mark | None], ...]  # (assessor, mark) in assessor order
    agreement: Agreement

    @property
    def agreed_mark(self) -> Mark | None:
        return self.marks[0][1] if self.agreement is Agreement.AGREED else None


@dataclass(frozen=True)
class Consolidation:
    criteria: tuple[CriterionConsolidation, ...]

    def disagreements(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria if c.agreement is Agreement.DISAGREED)

    def incomplete(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria if c.agreement is Agreement.INCOMPLETE)


def consolidate(grid: Grid, marks_by_assessor: Mapping[str, Mapping[str, Mark]]) -> Consolidation:
    """Agreement per criterion of several assessors' grids for one candidate and method.
    Two different marks disagree (even "met" and "not observed"); an empty cell makes the
    criterion incomplete unless the marks given already disagree."""
    assessors = list(marks_by_assessor)
    rows = []
    for key in grid.criterion_keys():
        marks = tuple((a, marks_by_assessor[a].get(key)) for a in assessors)
        given = {m for _, m in marks if m is not None}
        if len(given) > 1:
            agreement = Agreement.DISAGREED
        elif not marks or len(given) == 0 or any(m is None for _, m in marks):
            agreement = Agreement.INCOMPLETE
        else:
            agreement = Agreement.AGREED
        rows.append(CriterionConsolidation(key=key, marks=marks, agreement=agreement))
    return Consolidation(criteria=tuple(rows))


def criterion_evidence(
    consolidations: Iterable[Consolidation], *, exempted: Iterable[str] = ()
) -> dict[str, Mark | None]:
    """One result per criterion over every method of the candidate (see module docstring);
    ``None`` when the criterion is not established (disagreement, not observed, unmarked)."""
    out = set(exempted)
    seen: dict[str, list[CriterionConsolidation]] = {}
    for consolidation in consolidations:
        for row in consolidation.criteria:
            seen.setdefault(row.key, []).append(row)
    evidence: dict[str, Mark | None] = dict.fromkeys(out, Mark.EXEMPTED)
    for key, rows in seen.items():
        if key in out:
            continue
        agreed = {row.agreed_mark for row in rows}
        disagreed = any(row.agreement is Agreement.DISAGREED for row in rows)
        if Mark.NOT_MET in agreed:
            evidence[key] = Mark.NOT_MET
        elif Mark.MET in agreed and not disagreed:
            evidence[key] = Mark.MET
        elif Mark.NOT_OBSERVED in agreed and not disagreed:
            evidence[key] = Mark.NOT_OBSERVED
        else:
            evidence[key] = None
    return evidence


# --- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyDecision:
    code: str
    acquired: bool
    justification: str = ""


def criteria_support_acquired(competency: Competency, evidence: Mapping[str, Mark | None]) -> bool:
    """Every non-exempted criterion is met (vacuously true when all are exempted)."""
    return all(evidence.get(key) in (Mark.MET, Mark.EXEMPTED) for key in criterion_keys(competency))


def departs_from_criteria(
    competency: Competency, evidence: Mapping[str, Mark | None], *, acquired: bool
) -> bool:
    return acquired != criteria_support_acquired(competency, evidence)


def decision_problems(
    referentiel: Referentiel,
    decisions: Iterable[CompetencyDecision],
    evidence: Mapping[str, Mark | None],
) -> tuple[str, ...]:
    """What prevents recording the jury's decisions, in French (empty when none)."""
    problems = []
    seen: set[str] = set()
    for decision in decisions:
        if decision.code in seen:
            problems.append(f"{decision.code} : décision en double.")
            continue
        seen.add(decision.code)
        found = next((c for c in referentiel.competencies() if c.code == decision.code), None)
        if found is None:
            problems.append(f"{decision.code} : compétence inconnue dans {referentiel.code}.")
            continue
        if departs_from_criteria(found, evidence, acquired=decision.acquired) and not (
            decision.justification.strip()
        ):
            if decision.acquired:
                unmet = [k for k in criterion_keys(found) if evidence.get(k) not in _SUPPORTING]
                why = f"acquise alors que des critères ne sont pas satisfaits ({', '.join(unmet)})"
            else:
                why = "non acquise alors que tous les critères sont satisfaits"
            problems.append(f"{decision.code} : {why} — justification obligatoire.")
    return tuple(problems)


_SUPPORTING = (Mark.MET, Mark.EXEMPTED)


# --- conditions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    key: str
    scope: str  # "certification" or a block code
    kind: ConditionKind
    label: str  # French, for the deliberation page and the minutes
    detail: str = ""  # the document's own wording


def conditions_for(referentiel: Referentiel) -> tuple[Condition, ...]:
    """Every condition besides competencies, certification-level first then per block."""
    found: list[Condition] = []
    title_exam = referentiel.exam_for(CERTIFICATION)
    if title_exam is not None:
        if title_exam.methods:
            for i, method in enumerate(title_exam.methods):
                if not method.competencies:
                    found.append(
                        Condition(
                            key=f"method:{CERTIFICATION}:{i}",
                            scope=CERTIFICATION,
                            kind=ConditionKind.METHOD,
                            label=method.kind.label,
                            detail=method.title,
                        )
                    )
        else:
            for production in title_exam.productions:
                found.append(
                    Condition(
                        key=f"production:{CERTIFICATION}:{production.title}",
                        scope=CERTIFICATION,
                        kind=ConditionKind.PRODUCTION,
                        label=production.title,
                    )
                )
            if title_exam.company_period is not None:
                period = title_exam.company_period
                found.append(
                    Condition(
                        key=f"company_period:{CERTIFICATION}",
                        scope=CERTIFICATION,
                        kind=ConditionKind.COMPANY_PERIOD,
                        label=f"Période en entreprise ({period.amount} {period.unit.label})",
                    )
                )
    for block in referentiel.blocks:
        exam = referentiel.exam_for(block.code)
        if exam is None:
            continue
        # A certifier table repeats one production on each competency's row: one condition,
        # keyed by its first row, naming every competency it covers.
        held: dict[tuple[MethodKind, str, str], tuple[int, list[str]]] = {}
        for i, method in enumerate(exam.methods):
            if method.kind in _HELD_KINDS:
                same = (method.kind, method.code or "", method.title)
                held.setdefault(same, (i, []))[1].extend(method.competencies)
        for (kind, code, title), (i, competencies) in held.items():
            codes = ", ".join(dict.fromkeys(competencies))
            found.append(
                Condition(
                    key=f"method:{block.code}:{i}",
                    scope=block.code,
                    kind=ConditionKind.METHOD,
                    label=" ".join(part for part in (kind.label, code, f"({codes})") if part),
                    detail=title,
                )
            )
    return tuple(found)


_HELD_KINDS = frozenset({MethodKind.WRITTEN_PRODUCTION, MethodKind.ORAL_DEFENCE})


# --- outcome -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockOutcome:
    code: str
    title: str
    extension: bool
    obtained: bool
    source: BlockSource | None  # None when not obtained
    missing: tuple[str, ...] = ()  # competencies not acquired (or undecided)
    unmet_conditions: tuple[str, ...] = ()  # condition keys


@dataclass(frozen=True)
class Outcome:
    referentiel_code: str
    version: str
    blocks: tuple[BlockOutcome, ...]
    unmet_conditions: tuple[str, ...]  # certification-level condition keys
    obtained: bool

    def obtained_blocks(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.blocks if b.obtained)

    def newly_obtained_blocks(self) -> tuple[str, ...]:
        """The blocks to capitalise on the candidate's record after this session."""
        return tuple(b.code for b in self.blocks if b.source is BlockSource.SESSION)

    @property
    def partial(self) -> bool:
        """Title not obtained, but at least one block obtained by this session."""
        return not self.obtained and bool(self.newly_obtained_blocks())


def credited_blocks(referentiel: Referentiel, old_codes: Iterable[str]) -> frozenset[str]:
    """Blocks of this version credited for blocks obtained on the previous version, through
    its correspondences. A new block that several old ones correspond to needs all of them."""
    obtained = set(old_codes)
    needed: dict[str, set[str]] = {}
    for row in referentiel.correspondences:
        needed.setdefault(row.new_code, set()).add(row.old_code)
    return frozenset(new for new, old in needed.items() if old <= obtained)


def certification_outcome(
    referentiel: Referentiel,
    *,
    decisions: Iterable[CompetencyDecision],
    conditions_met: Iterable[str] = (),
    capitalised: Iterable[str] = (),
    old_version_blocks: Iterable[str] = (),
) -> Outcome:
    """Blocks and title obtained after a deliberation.

    ``capitalised``: block codes of this version obtained in earlier sessions;
    ``old_version_blocks``: block codes obtained on the previous version;
    ``conditions_met``: keys of ``conditions_for`` the jury found satisfied.
    """
    known = {b.code for b in referentiel.blocks}
    earlier = set(capitalised)
    unknown = sorted(earlier - known)
    if unknown:
        raise ValueError(f"bloc(s) inconnu(s) dans {referentiel.code} : {', '.join(unknown)}")
    credited = credited_blocks(referentiel, old_version_blocks) - earlier
    acquired = {d.code for d in decisions if d.acquired}
    met = set(conditions_met)
    conditions = conditions_for(referentiel)
    blocks = tuple(
        _block_outcome(block, acquired, met, conditions, earlier, credited)
        for block in referentiel.blocks
    )
    unmet = tuple(c.key for c in conditions if c.scope == CERTIFICATION and c.key not in met)
    return Outcome(
        referentiel_code=referentiel.code,
        version=referentiel.version,
        blocks=blocks,
        unmet_conditions=unmet,
        obtained=all(b.obtained for b in blocks if not b.extension) and not unmet,
    )


def _block_outcome(
    block: Block,
    acquired: set[str],
    met: set[str],
    conditions: tuple[Condition, ...],
    earlier: set[str],
    credited: frozenset[str],
) -> BlockOutcome:
    if block.code in earlier or block.code in credited:
        source = BlockSource.CAPITALISED if block.code in earlier else BlockSource.CORRESPONDENCE
        return BlockOutcome(
            code=block.code,
            title=block.title,
            extension=block.extension,
            obtained=True,
            source=source,
        )
    missing = tuple(c.code for c in block.competencies if c.code not in acquired)
    unmet = tuple(c.key for c in conditions if c.scope == block.code and c.key not in met)
    obtained = bool(block.competencies) and not missing and not unmet
    return BlockOutcome(
        code=block.code,
        title=block.title,
        extension=block.extension,
        obtained=obtained,
        source=BlockSource.SESSION if obtained else None,
        missing=missing,
        unmet_conditions=unmet,
    )


# --- helpers -------------------------------------------------------------------------------


def _exam(referentiel: Referentiel, scope: str) -> Exam:
    exam = referentiel.exam_for(scope)
    if exam is None:
        raise ValueError(f"aucune épreuve « {scope} » dans {referentiel.code}")
    return exam


def _competency(referentiel: Referentiel, code: str) -> tuple[Competency, Block]:
    for block in referentiel.blocks:
        for competency in block.competencies:
            if competency.code == code:
                return competency, block
    raise ValueError(f"compétence inconnue dans {referentiel.code} : {code}")


# --- result documents ----------------------------------------------------------------------


def minutes_entry(minutes_content: Mapping[str, Any], seat_id: int) -> Mapping[str, Any] | None:
    """One candidate's entry in the minutes' content (None when the seat is not in them)."""
    return next((c for c in minutes_content["candidates"] if c["seat_id"] == seat_id), None)


def result_document_kinds(minutes_content: Mapping[str, Any], seat_id: int) -> list[str]:
    """The result documents signed minutes support for one candidate: the attestation once a
    block is obtained; for a titre professionnel the results summary of a candidate who sat
    (the ministry issues the title); otherwise the certificate once obtained."""
    entry = minutes_entry(minutes_content, seat_id)
    if entry is None:
        return []
    kinds = []
    if any(b["obtained"] for b in entry["blocks"]):
        kinds.append("attestation")
    if minutes_content["certification"]["kind"] == Kind.TITRE_PROFESSIONNEL.value:
        if entry["attendance"] == "present":
            kinds.append("results_summary")
    elif entry["certification_obtained"]:
        kinds.append("certificate")
    return kinds


# --- evidence ------------------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
_EVIDENCE_SIGNATURES = (
    (b"%PDF-", "pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "png", "image PNG"),
    (b"\xff\xd8\xff", "jpeg", "image JPEG"),
)


class EvidenceError(ValueError):
    """A file refused as evidence, with the reason in French."""


def evidence_kind(data: bytes, filename: str) -> str:
    """The kind of an evidence file from its first bytes (never from its name): PDF, PNG or
    JPEG, at most 5 Mo, not empty."""
    if not data:
        raise EvidenceError(f"{filename} : fichier vide.")
    if len(data) > EVIDENCE_MAX_BYTES:
        size = len(data) / (1024 * 1024)
        raise EvidenceError(f"{filename} : {size:.1f} Mo, au-delà de la limite de 5 Mo.")
    for signature, kind, _label in _EVIDENCE_SIGNATURES:
        if data.startswith(signature):
            return kind
    accepted = ", ".join(label for _, _, label in _EVIDENCE_SIGNATURES)
    raise EvidenceError(f"{filename} : format non accepté (formats acceptés : {accepted}).")
