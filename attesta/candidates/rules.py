"""Eligibility (recevabilité), computed from the référentiel: pure functions, no database.

What a candidate must bring before a session depends on the target (the whole certification
or some blocks/CCP) and on the access path:

- the compulsory company period of the target — on a training or mixed path;
- the VAE dossier (dossier professionnel / dossier de validation) — on a VAE or mixed path;
- the productions the RE requires before the session — on every path (a VAE candidate makes
  them from their own professional activity).

For the whole certification of a titre professionnel, the title's own exam (the session du
titre) gives the period and productions. A certifier référentiel has no such exam: its title
is the sum of its blocks plus complementary requirements, so the certification-level
requirements and every block's apply. For blocks, each targeted block's exam applies. Where
several apply, the strictest period wins. Blocks already obtained (capitalisation) are no
longer targeted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from attesta.referentiels.importers.canonical import (
    CompanyPeriod,
    Exam,
    MethodKind,
    PeriodUnit,
    Production,
    Referentiel,
)

TRAINING = "training"
VAE = "vae"
CAPITALISATION = "capitalisation"
MIXED = "mixed"
PATHS = frozenset({TRAINING, VAE, CAPITALISATION, MIXED})
_PERIOD_PATHS = frozenset({TRAINING, MIXED})
_DOSSIER_PATHS = frozenset({VAE, MIXED})

UNIT_LABELS = {
    PeriodUnit.HOURS: "heures",
    PeriodUnit.WORKING_DAYS: "jours ouvrés",
    PeriodUnit.WEEKS: "semaines",
    PeriodUnit.MONTHS: "mois",
}


@dataclass(frozen=True)
class Requirements:
    scopes: tuple[str, ...]  # "certification" or the targeted block codes still to obtain
    company_period: CompanyPeriod | None
    vae_dossier: bool
    productions: tuple[Production, ...] = ()


@dataclass(frozen=True)
class Facts:
    """What the enrolment file holds."""

    company_period_done: int | None = None  # in the unit the requirement uses
    company_period_proof: bool = False
    vae_dossier: bool = False
    productions: dict[str, int] = field(default_factory=dict)  # production title → files
    # What the uploaded productions break (« 22 diapositives, il en faut de 24 à 34 »).
    production_problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Eligibility:
    requirements: Requirements
    missing: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.missing


def requirements_for(
    referentiel: Referentiel,
    *,
    path: str,
    target_blocks: tuple[str, ...] = (),
    obtained_blocks: tuple[str, ...] = (),
) -> Requirements:
    """The requirements of a target: the whole certification when ``target_blocks`` is empty."""
    if path not in PATHS:
        raise ValueError(f"parcours inconnu : {path}")
    known = {b.code for b in referentiel.blocks}
    unknown = [code for code in (*target_blocks, *obtained_blocks) if code not in known]
    if unknown:
        raise ValueError(f"bloc(s) inconnu(s) dans {referentiel.code} : {', '.join(unknown)}")
    title_exam = referentiel.exam_for("certification")
    if target_blocks:
        scopes = tuple(code for code in target_blocks if code not in obtained_blocks)
    elif title_exam is not None and title_exam.methods:
        scopes = ("certification",)
    else:
        scopes = (
            "certification",
            *(b.code for b in referentiel.blocks if b.code not in obtained_blocks),
        )
    exams = [exam for exam in (referentiel.exam_for(scope) for scope in scopes) if exam]
    period = strictest_period(exams) if path in _PERIOD_PATHS else None
    productions = tuple(p for exam in exams for p in exam.productions)
    return Requirements(
        scopes=scopes,
        company_period=period,
        vae_dossier=path in _DOSSIER_PATHS,
        productions=_unique(productions),
    )


def strictest_period(exams: list[Exam]) -> CompanyPeriod | None:
    """The longest company period among exams; periods in different units are not compared,
    the first listed wins (documents of one certification use one unit)."""
    periods = [exam.company_period for exam in exams if exam.company_period is not None]
    if not periods:
        return None
    same_unit = [p for p in periods if p.unit == periods[0].unit]
    return max(same_unit, key=lambda p: p.amount)


def check_eligibility(requirements: Requirements, facts: Facts) -> Eligibility:
    """Exactly what is missing, in French, one sentence per missing item."""
    missing: list[str] = []
    period = requirements.company_period
    if period is not None:
        unit = UNIT_LABELS[period.unit]
        done = facts.company_period_done
        if done is None:
            missing.append(
                f"Période en entreprise non renseignée (durée exigée : {period.amount} {unit})."
            )
        elif done < period.amount:
            missing.append(
                f"Période en entreprise insuffisante : {done} sur {period.amount} {unit}."
            )
        if not facts.company_period_proof:
            missing.append("Preuve de la période en entreprise non déposée.")
    if requirements.vae_dossier and not facts.vae_dossier:
        missing.append("Dossier VAE (dossier professionnel ou de validation) non déposé.")
    for production in requirements.productions:
        files = facts.productions.get(production.title, 0)
        if files < production.quantity:
            wanted = f"{production.quantity} exigé(s)" if production.quantity > 1 else "exigé"
            missing.append(f"Production « {production.title} » : {files} déposé(s), {wanted}.")
    missing.extend(facts.production_problems)
    return Eligibility(requirements=requirements, missing=tuple(missing))


def _unique(productions: tuple[Production, ...]) -> tuple[Production, ...]:
    """One requirement per production title (a CCP and the title may ask the same one): the
    strictest quantity is kept, in first-seen order."""
    by_title: dict[str, Production] = {}
    for production in productions:
        kept = by_title.get(production.title)
        if kept is None or production.quantity > kept.quantity:
            by_title[production.title] = production
    return tuple(by_title.values())


# --- accommodations (aménagements) ---------------------------------------------------------

FULL = "full"  # the disability itself and the measures
MEASURES = "measures"  # the practical measures to apply
ASSESSOR = "assessor"  # only what changes what an assessor does, never the reason
NOTHING = "nothing"

_DISCLOSURE = {
    "disability_referent": FULL,
    "administrator": FULL,
    "session_manager": MEASURES,
    "candidate": MEASURES,
    "assessor": ASSESSOR,
}


def disclosure_for(role: str) -> str:
    """How much of a candidate's accommodations a role may read."""
    return _DISCLOSURE.get(role, NOTHING)


@dataclass(frozen=True)
class Measures:
    extra_time_percent: int = 0
    extra_time_by_method: dict[str, int] = field(default_factory=dict)
    adapted_equipment: str = ""
    written_exchange: bool = False
    assistant: str = ""
    postponed_to: str = ""  # a date, already formatted


def extra_percent(measures: Measures, method_kind: str) -> int:
    return measures.extra_time_by_method.get(method_kind, measures.extra_time_percent)


def extra_minutes(duration_minutes: int, percent: int) -> int:
    """Extra time, rounded up to the minute: one third of 105 min is 35 min."""
    return -(-duration_minutes * percent // 100)


def manager_measures(measures: Measures) -> list[str]:
    """Every practical measure, for the session manager who organises them."""
    lines = _time_lines(measures)
    if measures.adapted_equipment:
        lines.append(f"Matériel adapté : {measures.adapted_equipment}")
    if measures.written_exchange:
        lines.append("Échange écrit au lieu de l'oral")
    if measures.assistant:
        lines.append(f"Assistant ou interprète : {measures.assistant}")
    if measures.postponed_to:
        lines.append(f"Épreuves reportées au {measures.postponed_to}")
    return lines


def assessor_measures(measures: Measures) -> list[str]:
    """Only the measures that change what an assessor does; never the reason."""
    lines = _time_lines(measures)
    if measures.written_exchange:
        lines.append("Échange écrit au lieu de l'oral")
    if measures.assistant:
        lines.append("Présence d'un assistant ou d'un interprète")
    return lines


def visible_measures(measures: Measures, disclosure: str) -> list[str]:
    """The measures a reader with this disclosure level may see."""
    if disclosure in (FULL, MEASURES):
        return manager_measures(measures)
    if disclosure == ASSESSOR:
        return assessor_measures(measures)
    return []


_METHOD_KINDS = frozenset(m.value for m in MethodKind)


def _time_lines(measures: Measures) -> list[str]:
    lines = []
    if measures.extra_time_percent:
        lines.append(f"Temps majoré : +{measures.extra_time_percent} %")
    for kind, percent in sorted(measures.extra_time_by_method.items()):
        label = MethodKind(kind).label if kind in _METHOD_KINDS else kind
        lines.append(f"Temps majoré pour « {label} » : +{percent} %")
    return lines
