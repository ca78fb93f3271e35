"""The canonical référentiel: the one in-memory shape every importer produces.

Importers turn a source document into a :class:`Referentiel`; the database layer stores
one, and the JSON export is ``to_dict()`` of one. ``from_dict(to_dict(r)) == r`` holds
for every référentiel (lossless round trip). This module is pure: no Django, no I/O.

Codes are unique within a référentiel version:
- blocks: Ministry titles use ``CCP1``, ``CCP2``…; certifier tables use ``BC01``, ``BC02``…
- competencies: Ministry titles use ``CP1``… numbered across the whole title as the REAC
  does; certifier tables keep the document's code, normalised (``C 11`` → ``C11``).
- transversal competencies: ``CT1``, ``CT2``… in document order.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any

FORMAT = "attesta-referentiel/1"


class LabelledEnum(enum.StrEnum):
    """English values (those of the JSON), French labels (those of the pages)."""

    @property
    def label(self) -> str:
        return LABELS[self]


class Kind(LabelledEnum):
    TITRE_PROFESSIONNEL = "titre_professionnel"
    CERTIFIER = "certifier"


class MethodKind(LabelledEnum):
    PROFESSIONAL_SITUATION = "professional_situation"  # mise en situation professionnelle
    TECHNICAL_INTERVIEW = "technical_interview"  # entretien technique
    PROFESSIONAL_QUESTIONNAIRE = "professional_questionnaire"  # questionnaire professionnel
    QUESTIONING_FROM_PRODUCTIONS = "questioning_from_productions"
    FINAL_INTERVIEW = "final_interview"  # entretien final
    WRITTEN_CASE_STUDY = "written_case_study"  # étude de cas écrite
    ORAL_ROLE_PLAY = "oral_role_play"  # jeu de rôle oral
    WRITTEN_PRODUCTION = "written_production"  # production écrite (dossier, rapport…)
    ORAL_DEFENCE = "oral_defence"  # soutenance orale
    OTHER = "other"


class PeriodUnit(LabelledEnum):
    HOURS = "hours"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"


class ProductionKind(LabelledEnum):
    SLIDESHOW = "slideshow"  # diaporama: counted in slides
    DOCUMENT = "document"  # dossier, rapport, fiche: counted in pages
    OTHER = "other"


class WarningCode(LabelledEnum):
    UNASSESSED_COMPETENCY = "unassessed_competency"
    APPROXIMATE_NAME = "approximate_name"
    CRITERIA_MISMATCH = "criteria_mismatch"
    DURATION_MISMATCH = "duration_mismatch"
    UNKNOWN_REFERENCE = "unknown_reference"
    OTHER = "other"


LABELS: dict[enum.StrEnum, str] = {
    Kind.TITRE_PROFESSIONNEL: "Titre professionnel",
    Kind.CERTIFIER: "Référentiel de certificateur (RNCP)",
    MethodKind.PROFESSIONAL_SITUATION: "Mise en situation professionnelle",
    MethodKind.TECHNICAL_INTERVIEW: "Entretien technique",
    MethodKind.PROFESSIONAL_QUESTIONNAIRE: "Questionnaire professionnel",
    MethodKind.QUESTIONING_FROM_PRODUCTIONS: "Questionnement à partir de productions",
    MethodKind.FINAL_INTERVIEW: "Entretien final",
    MethodKind.WRITTEN_CASE_STUDY: "Étude de cas écrite",
    MethodKind.ORAL_ROLE_PLAY: "Jeu de rôle oral",
    MethodKind.WRITTEN_PRODUCTION: "Production écrite",
    MethodKind.ORAL_DEFENCE: "Soutenance orale",
    MethodKind.OTHER: "Autre modalité",
    PeriodUnit.HOURS: "heures",
    PeriodUnit.WORKING_DAYS: "jours ouvrés",
    PeriodUnit.WEEKS: "semaines",
    PeriodUnit.MONTHS: "mois",
    ProductionKind.SLIDESHOW: "Diaporama",
    ProductionKind.DOCUMENT: "Document",
    ProductionKind.OTHER: "Autre production",
    WarningCode.UNASSESSED_COMPETENCY: "Compétence non évaluée",
    WarningCode.APPROXIMATE_NAME: "Nom approché",
    WarningCode.CRITERIA_MISMATCH: "Critères différents REAC / RE",
    WarningCode.DURATION_MISMATCH: "Durées incohérentes",
    WarningCode.UNKNOWN_REFERENCE: "Référence inconnue",
    WarningCode.OTHER: "Autre",
}


def choices(enum_class: type[LabelledEnum]) -> list[tuple[str, str]]:
    """Django ``choices`` for a canonical enum."""
    return [(member.value, member.label) for member in enum_class]


@dataclass
class Criterion:
    text: str
    code: str | None = None  # e.g. "CR1.1.1"
    group: str | None = None  # heading such as « Qualité de la méthodologie de l'analyse »


@dataclass
class Competency:
    code: str
    title: str
    description: str = ""
    context: str = ""  # « contexte(s) professionnel(s) de mise en œuvre »
    criteria: list[Criterion] = field(default_factory=list)
    savoir_faire: list[str] = field(default_factory=list)
    savoirs: list[str] = field(default_factory=list)


@dataclass
class Block:
    code: str
    title: str
    description: str = ""
    competencies: list[Competency] = field(default_factory=list)
    # An extension activity type (CCS of a titre professionnel): optional, not needed for
    # the title itself.
    extension: bool = False


@dataclass
class TransversalCompetency:
    code: str
    title: str
    description: str = ""
    criteria: list[Criterion] = field(default_factory=list)
    assessed_through: list[str] = field(default_factory=list)  # competency codes (RE §3.3)


@dataclass
class AssessmentMethod:
    kind: MethodKind
    title: str  # as the document names it
    duration_minutes: int | None = None
    competencies: list[str] = field(default_factory=list)  # codes assessed (RE §3.2 matrix)
    organisation: str = ""
    requires_jury: bool = True
    requires_supervision: bool = False
    code: str | None = None  # e.g. "E1" when the document numbers its exams


@dataclass
class CompanyPeriod:
    amount: int
    unit: PeriodUnit


@dataclass
class Production:
    title: str
    kind: ProductionKind = ProductionKind.OTHER
    quantity: int = 1  # e.g. five product sheets
    min_units: int | None = None  # e.g. 24 slides, 32 pages
    max_units: int | None = None  # e.g. 34 slides, 38 pages


@dataclass
class Jury:
    members: int | None = None
    profiles: list[str] = field(default_factory=list)
    notes: str = ""


@dataclass
class Exam:
    scope: str  # "certification" or a block code
    methods: list[AssessmentMethod] = field(default_factory=list)
    total_minutes: int | None = None
    jury_minutes: int | None = None
    company_period: CompanyPeriod | None = None
    productions: list[Production] = field(default_factory=list)
    jury: Jury | None = None
    supervision: str = ""
    requirements: list[str] = field(default_factory=list)  # complementary requirements


@dataclass
class Correspondence:
    """RE annex 2: which new CCP/block an old one corresponds to."""

    old_code: str
    old_title: str
    new_code: str
    new_title: str


@dataclass
class CodeLabel:
    code: str
    label: str = ""


@dataclass
class ImportWarning:
    code: WarningCode
    message: str
    line: int | None = None  # 1-based line in the source document


@dataclass
class Referentiel:
    code: str  # "TP-00115", or an RNCP code / slug for certifier référentiels
    title: str
    kind: Kind
    acronym: str = ""
    level: int | None = None
    version: str = ""  # millésime, e.g. "09"
    valid_from: str | None = None  # ISO dates
    published_on: str | None = None
    updated_on: str | None = None
    nsf_codes: list[CodeLabel] = field(default_factory=list)
    rome_codes: list[CodeLabel] = field(default_factory=list)
    formacode_codes: list[CodeLabel] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    transversal_competencies: list[TransversalCompetency] = field(default_factory=list)
    exams: list[Exam] = field(default_factory=list)
    correspondences: list[Correspondence] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    source_format: str = ""  # "ministry", "certifier_table" or "canonical"
    # Where things were found in the source ("block:CCP1", "competency:CP3", "exam:CCP1",
    # "method:CCP1:0" → 1-based line). Used for warnings; not part of the canonical JSON.
    source_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def competencies(self) -> list[Competency]:
        return [c for b in self.blocks for c in b.competencies]

    def block_of(self, competency_code: str) -> Block | None:
        for block in self.blocks:
            if any(c.code == competency_code for c in block.competencies):
                return block
        return None

    def exam_for(self, scope: str) -> Exam | None:
        return next((e for e in self.exams if e.scope == scope), None)

    def problems(self) -> list[tuple[str, str]]:
        """Structural defects as (field path, message): duplicate codes, references to codes
        that do not exist. Empty for a référentiel that can be stored."""
        found: list[tuple[str, str]] = []
        for name in ("code", "title"):
            if not getattr(self, name).strip():
                found.append((name, "valeur vide"))
        block_codes = [b.code for b in self.blocks]
        comp_codes = [c.code for c in self.competencies()]
        for label, codes in (("blocks[].code", block_codes), ("competencies[].code", comp_codes)):
            duplicates = sorted({code for code in codes if codes.count(code) > 1})
            if duplicates:
                found.append((label, f"codes en double : {', '.join(duplicates)}"))
        known = set(comp_codes)
        for i, t in enumerate(self.transversal_competencies):
            for code in t.assessed_through:
                if code not in known:
                    found.append(
                        (f"transversal_competencies[{i}].assessed_through", f"code inconnu {code}")
                    )
        scopes = [e.scope for e in self.exams]
        for i, exam in enumerate(self.exams):
            if exam.scope != "certification" and exam.scope not in block_codes:
                found.append((f"exams[{i}].scope", f"bloc inconnu {exam.scope}"))
            if scopes.count(exam.scope) > 1:
                found.append((f"exams[{i}].scope", f"épreuve « {exam.scope} » en double"))
            for j, method in enumerate(exam.methods):
                for code in method.competencies:
                    if code not in known:
                        found.append(
                            (f"exams[{i}].methods[{j}].competencies", f"code inconnu {code}")
                        )
        return found

    def to_dict(self) -> dict[str, Any]:
        data = plain(dataclasses.asdict(self))
        del data["source_lines"]
        return {"format": FORMAT, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Referentiel:
        """Build from the canonical JSON; raises KeyError/ValueError/TypeError on bad data."""
        return _build(cls, {k: v for k, v in data.items() if k != "format"})


def plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _build(cls: type, data: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    hints = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(data) - set(hints)
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown field(s) {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        kwargs[name] = _convert(_FIELD_TYPES[cls].get(name), value)
    return cls(**kwargs)


def _convert(target: Any, value: Any) -> Any:
    if target is None or value is None:
        return value
    if isinstance(target, list):
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        return [_convert(target[0], v) for v in value]
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return target(value)
    if dataclasses.is_dataclass(target) and isinstance(target, type):
        return _build(target, value)
    return value


# Field → nested type, declared once so from_dict needs no typing introspection.
_FIELD_TYPES: dict[type, dict[str, Any]] = {
    Criterion: {},
    Competency: {"criteria": [Criterion]},
    Block: {"competencies": [Competency]},
    TransversalCompetency: {"criteria": [Criterion]},
    AssessmentMethod: {"kind": MethodKind},
    CompanyPeriod: {"unit": PeriodUnit},
    Production: {"kind": ProductionKind},
    Jury: {},
    Exam: {
        "methods": [AssessmentMethod],
        "company_period": CompanyPeriod,
        "productions": [Production],
        "jury": Jury,
    },
    Correspondence: {},
    CodeLabel: {},
    ImportWarning: {"code": WarningCode},
    Referentiel: {
        "kind": Kind,
        "nsf_codes": [CodeLabel],
        "rome_codes": [CodeLabel],
        "formacode_codes": [CodeLabel],
        "blocks": [Block],
        "transversal_competencies": [TransversalCompetency],
        "exams": [Exam],
        "correspondences": [Correspondence],
        "warnings": [ImportWarning],
    },
}
