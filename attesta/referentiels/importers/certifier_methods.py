"""Reading the « modalités d'évaluation » column of a certifier table.

Assessment methods are free text: « Réalisée en individuel, étude de cas écrite sur PC -
durée 4 h - valide les compétences 8-9-11-12-13 », « E3 Production écrite individuelle…
d'une durée minimale de 65 jours ouvrés », « Le candidat soutient oralement son écrit devant
un jury composé d'un.e représentant.e du certificateur et d'un.e représentant.e du métier
visé ». These helpers pull out what the canonical model needs: the kind of method, its
duration, the competencies it names, a period in a company, the jury, the productions.
Matching is done on :func:`fold`-ed text (lowercase, no accents). Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from attesta.referentiels.importers.canonical import (
    CompanyPeriod,
    Exam,
    Jury,
    MethodKind,
    PeriodUnit,
    Production,
    ProductionKind,
)
from attesta.referentiels.importers.certifier_text import (
    clean,
    first_sentence,
    flatten,
    fold,
    heading_part,
    shorten,
    strip_trailing,
    tokenize,
)

# --- method boundaries -------------------------------------------------------------------

# « E1 Mise en situation… »: the document numbers its exams.
EXAM_CODE = re.compile(r"^\s*(?:[EÉeé]preuve\s+)?(E\s?\d{1,2})\b(?![.,]\d)")
# « Evaluation 2 », « Évaluation 1 » (a label other cells point at with « Voir évaluation 1 »).
LABEL = re.compile(
    r"(?<![\w'])(?<!voir )(?<!cf\. )(?<!cf )"
    r"((?:[EÉ]valuation|[EÉ]preuve|Modalit[ée])\s*(?:n\s*[°o]\s*)?(\d{1,2}))\b(?![.,]\d)",
    re.IGNORECASE,
)
SEE_ALSO = re.compile(
    r"^\s*(?:voir|cf\.?|idem)\s+(?:l'|l’)?(?:(?:[eé]valuation|[eé]preuve|modalit[eé])"
    r"\s*(?:n\s*[°o]\s*)?(\d{1,2})|"
    r"(?:[eé]preuve\s+)?(E\s?\d{1,2}))\b",
    re.IGNORECASE,
)
# A cell that opens a method: its first words name one (« Mise en situation professionnelle »,
# « 2 Mises en situations professionnelles : », « Cas pratique : », « Projet professionnel »…).
_HEADING_START = re.compile(
    r"^(?:\d+\s+)?(?:mises?\s+en\s+situations?|etudes?\s+de\s+cas|cas\s+pratiques?|"
    r"jeux?\s+de\s+roles?|simulations?|projets?\b|soutenances?|entretiens?|"
    r"productions?\s+(?:ecrites?|orales?)|dossiers?|rapports?|memoires?|questionnaires?|qcm|"
    r"epreuves?|evaluations?\s+\d|presentations?\s+orales?|oral\b|examens?|"
    r"controles?\s+continus?|travaux\s+pratiques?|observations?\s+en\s+situation)"
)
_LEADING_COMPETENCY = re.compile(r"^\s*(C\s?\d+(?:\.\d+)*)\s+(?=\D)")
_ANNOUNCED = re.compile(
    r"^\s*(\d|deux|trois|quatre|cinq)\s+(?:mises?\s+en\s+situations?|evaluations?|"
    r"epreuves?|modalites?|etudes?\s+de\s+cas|cas\s+pratiques?)"
)
_NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}


def leading_competency(text: str) -> str | None:
    """« C2.1.4.1 Mise en situation… » → « C2.1.4.1 » (a method naming what it assesses)."""
    match = _LEADING_COMPETENCY.match(text)
    return match.group(1).replace(" ", "") if match else None


def strip_leading_codes(text: str) -> str:
    match = EXAM_CODE.match(text)
    if match:
        text = text[match.end() :]
    match = _LEADING_COMPETENCY.match(text)
    if match:
        text = text[match.end() :]
    return text.lstrip(" -–—:.")


def opens_method(text: str, current_kind: MethodKind | None, current_label: str | None) -> bool:
    """Whether a non-empty cell starts a new method rather than continuing the current one."""
    if EXAM_CODE.match(text):
        return True
    label = LABEL.search(text[:160])
    if label and label.group(2) != current_label and not SEE_ALSO.match(text):
        return True
    body = strip_leading_codes(text)
    if not body[:1].isupper() and not body[:1].isdigit():
        return False
    folded = fold(body)
    if _HEADING_START.match(folded):
        return True
    first = folded.split(". ", 1)[0]
    return current_kind is not MethodKind.ORAL_DEFENCE and bool(_DEFENCE.search(first))


def announced_count(text: str) -> int | None:
    """« 2 Mises en situations professionnelles : » → 2."""
    match = _ANNOUNCED.match(fold(text))
    if not match:
        return None
    word = match.group(1)
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


# --- kind ---------------------------------------------------------------------------------

_ROLE_PLAY = re.compile(
    r"jeux? de roles?|simulations? orales?|"
    r"mises? en situations? (?:professionnelles? )?(?:[\w.]+ ){0,2}orales?\b"
)
_DEFENCE = re.compile(
    r"soutenances?|sout(?:ient|iennent|enir)\b[^.]{0,30}\boral|presentations? orales?|"
    r"presente(?:r|nt)? oralement"
)
_WRITTEN_CASE = re.compile(
    r"etudes? de cas ecrite?s?|cas pratiques? ecrits?|epreuves? ecrites?|"
    r"mises? en situations? (?:professionnelles? )?(?:[\w.]+ ){0,2}ecrites?\b|"
    r"\bsur (?:pc|ordinateur|table)\b"
)
_PRODUCTION = re.compile(
    r"productions? ecrites?|\bdossiers?\b|(?<!par )\brapports?\b(?! (?:a|au|aux|avec|entre)\b)|"
    r"\bmemoires?\b|\bfiches?\b|\bprojets? (?:professionnels?|de consulting|tutores?)\b"
)
_SITUATION = re.compile(r"mises? en situations?|etudes? de cas|cas pratiques?")
_QUESTIONNAIRE = re.compile(r"questionnaires?|\bqcm\b")
_NAMED_INTERVIEW = re.compile(r"\bentretiens? (?:technique|final|de fin)")
_INTERVIEW = re.compile(r"\bentretiens?\b")

_KIND_PATTERNS: list[tuple[MethodKind, re.Pattern[str]]] = [
    (MethodKind.ORAL_ROLE_PLAY, _ROLE_PLAY),
    (MethodKind.ORAL_DEFENCE, _DEFENCE),
    (MethodKind.WRITTEN_CASE_STUDY, _WRITTEN_CASE),
    (MethodKind.TECHNICAL_INTERVIEW, _NAMED_INTERVIEW),
    (MethodKind.PROFESSIONAL_QUESTIONNAIRE, _QUESTIONNAIRE),
    (MethodKind.WRITTEN_PRODUCTION, _PRODUCTION),
    (MethodKind.PROFESSIONAL_SITUATION, _SITUATION),
]
ORAL_KINDS = frozenset(
    {
        MethodKind.ORAL_ROLE_PLAY,
        MethodKind.ORAL_DEFENCE,
        MethodKind.TECHNICAL_INTERVIEW,
        MethodKind.FINAL_INTERVIEW,
    }
)


def _earliest(text: str) -> MethodKind | None:
    """The kind whose words come first in ``text`` (the more specific one on a tie)."""
    best: tuple[int, int, MethodKind] | None = None
    for rank, (kind, pattern) in enumerate(_KIND_PATTERNS):
        match = pattern.search(text)
        if match and (best is None or (match.start(), rank) < best[:2]):
            best = (match.start(), rank, kind)
    return best[2] if best else None


def classify(title: str, body: str) -> MethodKind:
    """The method's kind, from its heading first, then from its description.

    A bare « entretien » only counts in the heading, and after every other kind: in a
    description it is usually the subject (« le candidat mène un entretien de vente »).
    """
    head, text = fold(title), fold(body)
    kind = _earliest(head)
    if kind is None and _INTERVIEW.search(head):
        kind = MethodKind.TECHNICAL_INTERVIEW
    if kind is None:
        kind = _earliest(text)
    if kind is MethodKind.TECHNICAL_INTERVIEW and re.search(r"\bfin(?:al)?\b", head):
        return MethodKind.FINAL_INTERVIEW
    if kind is MethodKind.PROFESSIONAL_SITUATION:
        if _ROLE_PLAY.search(text):
            return MethodKind.ORAL_ROLE_PLAY
        if _WRITTEN_CASE.search(text):
            return MethodKind.WRITTEN_CASE_STUDY
    return kind or MethodKind.OTHER


# --- durations ----------------------------------------------------------------------------

# « 2h30 », « 2 h 30 », « 1 heure 30 », « 1 heure et 30 minutes », « 30 mn », « 45' »
_MIN = r"(?:min(?:utes?)?\b|mn\b)"
_TIME = (
    r"(?:(?<![\d.,])(\d{1,2})\s*(?:h|heures?)(?![a-z])\s*"
    rf"(?:(?:et\s+(?=\d{{1,2}}\s*{_MIN}))?(\d{{1,2}})(?!\d)\s*{_MIN}?)?"
    rf"|(?<![\d.,])(\d{{1,3}})\s*(?:{_MIN}|'(?![\w']))"
    r")"
)
# Durations in words, rewritten as digits before matching.
_WORDED = [
    (re.compile(r"\bune\s+demi-?\s?heure\b"), "30 min"),
    (re.compile(r"\b(\d{1,2})\s*(?:h|heures?)\s+et\s+demie\b"), r"\1 h 30"),
    (re.compile(r"\bune\s+heure\b"), "1 heure"),
    *(
        (re.compile(rf"\b{word}\s+heures\b"), f"{value} h")
        for word, value in {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}.items()
    ),
]
_ANY_TIME = re.compile(_TIME)
_STATED = re.compile(r"\bduree\b(\s+(?:totale|globale))?[^.\d]{0,25}?" + _TIME)
_TOTAL = re.compile(r"\b(?:au\s+total|en\s+tout)\b[^.\d]{0,15}?" + _TIME)


def _minutes(match: re.Match[str], offset: int) -> int:
    hours, minutes, only = match.group(offset), match.group(offset + 1), match.group(offset + 2)
    if only:
        return int(only)
    return int(hours) * 60 + (int(minutes) if minutes else 0)


@dataclass
class Durations:
    minutes: int | None = None  # the method's own duration
    total: int | None = None  # a total the text states (« durée totale : 4 h »)
    summed: bool = False  # several durations added up, none stated as « durée »


def durations(text: str) -> Durations:
    folded = fold(text)
    for pattern, replacement in _WORDED:
        folded = pattern.sub(replacement, folded)
    result = Durations()
    for match in _STATED.finditer(folded):
        value = _minutes(match, 2)
        if match.group(1):
            result.total = result.total if result.total is not None else value
        elif result.minutes is None:
            result.minutes = value
    for match in _TOTAL.finditer(folded):
        if result.total is None:
            result.total = _minutes(match, 1)
    if result.minutes is None and result.total is None:
        found = [_minutes(m, 1) for m in _ANY_TIME.finditer(folded)]
        if found:
            result.minutes = sum(found)
            result.summed = len(found) > 1
    if result.minutes is None and result.total is not None:
        result.minutes = result.total
    return result


# --- period in a company ------------------------------------------------------------------

_PERIOD_UNIT = (
    r"(\d{1,3})\s*(jours?\s+(?:ouvres|ouvrables|de\s+travail|travailles)|jours?|semaines?|mois"
    r"|heures?)\b"
)
_PERIOD = re.compile(
    r"(?:periodes?|stages?|experiences?|immersion|mises? en situations? (?:reelles?|de travail)|"
    r"alternance|application pratique|en entreprise)[^.;]{0,100}?" + _PERIOD_UNIT
)
_PERIOD_AFTER = re.compile(_PERIOD_UNIT + r"\s+(?:en|d'|de)\s*(?:entreprise|stage|alternance)")


@dataclass
class Period:
    period: CompanyPeriod
    calendar_days: bool  # « 20 jours » without « ouvrés »: counted as working days


def company_period(text: str) -> Period | None:
    folded = fold(text)
    match = _PERIOD.search(folded) or _PERIOD_AFTER.search(folded)
    if match is None:
        return None
    amount, unit = match.group(1), match.group(2)
    if unit.startswith("jour"):
        plain = unit.rstrip("s") == "jour"
        return Period(CompanyPeriod(int(amount), PeriodUnit.WORKING_DAYS), calendar_days=plain)
    if unit.startswith("semaine"):
        return Period(CompanyPeriod(int(amount), PeriodUnit.WEEKS), calendar_days=False)
    if unit == "mois":
        return Period(CompanyPeriod(int(amount), PeriodUnit.MONTHS), calendar_days=False)
    return Period(CompanyPeriod(int(amount), PeriodUnit.HOURS), calendar_days=False)


# --- jury ---------------------------------------------------------------------------------

_JURY = re.compile(
    r"\bjury\s+(?:(?:est\s+|sera\s+)?(?:compos|constitu|form)[ée]e?s?\s+)?(?:de|d'|d’)\s*"
    r"(.+?)(?:\.(?:\s|$)|;|$)",
    re.IGNORECASE,
)
_JURY_SIZE = re.compile(r"^(\d|deux|trois|quatre|cinq|six)\s+([\w.]+)")
_PROFILE_SPLIT = re.compile(r"\s*(?:,|\bet\b|\bainsi que\b)\s*")
_ARTICLE = re.compile(
    r"^(?:d'|d’|de\s+|des\s+)?(?:au\s+moins\s+)?(?:un\.e|un\(e\)|une|un|deux|trois|\d{1,2})\s+",
    re.IGNORECASE,
)


def jury(text: str) -> Jury | None:
    """« un jury composé d'un.e représentant.e du certificateur et d'un.e représentant.e du
    métier visé » → ``Jury(members=2, profiles=[« représentant.e du certificateur »,
    « représentant.e du métier visé »])``."""
    match = _JURY.search(text)
    if match is None:
        return None
    phrase = strip_trailing(re.sub(r"\s*\([^()]*\)", "", match.group(1)))  # « (durée : 1h) »
    start = text.rfind(". ", 0, match.start())
    sentence = strip_trailing(text[start + 2 if start >= 0 else 0 : match.end()])
    members: int | None = None
    size = _JURY_SIZE.match(fold(phrase))
    if size:
        word = size.group(1)
        members = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        listing = re.split(r"\s*:\s*|\s+dont\s+", phrase, maxsplit=1)
        if len(listing) == 2:
            # « de deux membres : un représentant… et un professionnel… », « de trois
            # membres dont un professionnel du secteur » (the profiles known)
            phrase = re.sub(r"^\s*dont\s+", "", listing[1])
        else:  # « de deux professionnels du secteur, … »
            noun = phrase.split(",", 1)[0].split(" ", 1)[1] if " " in phrase else ""
            generic = re.match(r"(?:membres?|personnes?|jur[ée]s?)\b", fold(noun))
            phrase = "" if generic else noun
            profiles = [strip_trailing(phrase)] if phrase else []
            return Jury(members=members, profiles=profiles, notes=sentence)
    profiles = [
        strip_trailing(_ARTICLE.sub("", p.strip()))
        for p in _PROFILE_SPLIT.split(phrase)
        if p.strip()
    ]
    profiles = [p for p in profiles if p]
    if members is None and profiles:
        members = len(profiles)
    if members is None:
        return None
    return Jury(members=members, profiles=profiles, notes=sentence)


# --- productions --------------------------------------------------------------------------

_DELIVERABLE = re.compile(
    r"\b(productions?\s+[ée]crites?|dossiers?|(?<!par )rapports?(?!\s+(?:à|a|au|aux|avec|entre)\b)|"
    r"m[ée]moires?|fiches?|diaporamas?|"
    r"comptes?[- ]rendus?|supports?\s+de\s+pr[ée]sentation)"
    r"((?:\s+(?:professionnel|personnel|individuel|final|technique|r[ée]flexif|[ée]crit)\w{0,3})?)"
    r"((?:\s+(?:(?:des|du|de)\s+|d['’]\s*)(?!la\b|le\b|les\b|l['’]|\d)[\w'’-]+){0,2})",
    re.IGNORECASE,
)
_SIZE = re.compile(
    r"(\d{1,3})\s*(?:a|-|et)\s*(\d{1,3})\s*(pages?|diapositives?|slides?|diapos?)\b"
    r"|(?:maximum|max\.?|au plus|pas plus de)\s*(\d{1,3})\s*(pages?|diapositives?|slides?)\b"
    r"|(\d{1,3})\s*(pages?|diapositives?|slides?)\s*(?:maximum|max\b|au plus)"
    r"|(?:au moins|minimum)\s*(\d{1,3})\s*(pages?|diapositives?|slides?)\b"
    r"|(\d{1,3})\s*(pages?|diapositives?|slides?)\s*(?:minimum|min\b|au moins)"
)


def productions(text: str, *, from_method: bool) -> list[Production]:
    """Deliverables the candidate hands in. A method that is itself a written production
    yields its deliverable; sizes (« 32 à 38 pages », « 20 diapositives maximum ») are
    attached to the deliverable named just before them."""
    found: list[Production] = []
    folded = fold(text)
    for size in _SIZE.finditer(folded):
        lo, hi, unit = _size_bounds(size)
        before = text[max(0, size.start() - 120) : size.start()]
        names = list(_DELIVERABLE.finditer(before))
        slides = unit.startswith(("diapo", "slide"))
        title = _deliverable_title(names[-1]) if names else ("Diaporama" if slides else "Document")
        kind = ProductionKind.SLIDESHOW if slides else ProductionKind.DOCUMENT
        found.append(Production(title=title, kind=kind, min_units=lo, max_units=hi))
    if from_method and not found:
        name = _DELIVERABLE.search(text)
        if name:
            title = _deliverable_title(name)
            kind = (
                ProductionKind.SLIDESHOW
                if fold(title).startswith(("diaporama", "support"))
                else ProductionKind.DOCUMENT
            )
            found.append(Production(title=title, kind=kind))
    return found


def _size_bounds(match: re.Match[str]) -> tuple[int | None, int | None, str]:
    if match.group(1):
        return int(match.group(1)), int(match.group(2)), match.group(3)
    if match.group(4):
        return None, int(match.group(4)), match.group(5)
    if match.group(6):
        return None, int(match.group(6)), match.group(7)
    if match.group(8):
        return int(match.group(8)), None, match.group(9)
    return int(match.group(10)), None, match.group(11)


def _deliverable_title(match: re.Match[str]) -> str:
    title = (match.group(1) + match.group(2) + match.group(3)).strip()
    return title[:1].upper() + title[1:]


# --- explicit competency references ------------------------------------------------------

_PARENS = re.compile(r"\(([^()]{1,120})\)")
_CODE_LIST = re.compile(
    r"^\s*C\s?\d+(?:\.\d+)*(?:\s*(?:,|;|/|-|et|à|a)\s*C?\s?\d+(?:\.\d+)*)*\s*$", re.IGNORECASE
)
_CODE = re.compile(r"C?\s?(\d+(?:\.\d+)*)", re.IGNORECASE)
_NAMED = re.compile(
    r"comp[ée]tences?\s*:?\s*((?:C\s?)?\d+(?:\.\d+)*(?:\s*(?:,|;|/|-|et|à)\s*(?:C\s?)?\d+(?:\.\d+)*)*)",
    re.IGNORECASE,
)


def referenced_numbers(text: str) -> list[str]:
    """Competency numbers a method names: « (C1.1.1) », « (C1, C2) », « valide les
    compétences 8-9-11-12-13 », « compétences C3 à C5 ». Returns numbers (« 1.1.1 », « 8 »)."""
    found: list[str] = []
    for match in _PARENS.finditer(text):
        if _CODE_LIST.match(match.group(1)):
            found.extend(_expand(match.group(1)))
    for match in _NAMED.finditer(text):
        if "bloc" not in fold(text[max(0, match.start() - 12) : match.start()]):
            found.extend(_expand(match.group(1)))
    return found


def _expand(listing: str) -> list[str]:
    numbers: list[str] = []
    pieces = re.split(r"\s*(à)\s*", listing)
    for i, piece in enumerate(pieces):
        if piece == "à":
            continue
        codes = [m.group(1) for m in _CODE.finditer(piece)]
        if i >= 2 and pieces[i - 1] == "à" and numbers and codes:
            numbers.extend(_range(numbers[-1], codes[0]))
            codes = codes[1:]
        numbers.extend(codes)
    return numbers


def _range(start: str, end: str) -> list[str]:
    """« C3 à C6 » → 4, 5, 6 (the start is already listed); « C1.2 à C1.4 » → 1.3, 1.4."""
    head_a, _, last_a = start.rpartition(".")
    head_b, _, last_b = end.rpartition(".")
    if head_a != head_b or int(last_b) <= int(last_a) or int(last_b) - int(last_a) > 50:
        return [end]
    prefix = f"{head_a}." if head_a else ""
    return [f"{prefix}{n}" for n in range(int(last_a) + 1, int(last_b) + 1)]


# --- method text, title, productions of an exam -------------------------------------------

_NOTE_RULE = re.compile(r"-{4,}")


def text_key(text: str) -> str:
    """A comparison key: folded, punctuation and spacing ignored."""
    return re.sub(r"[\W_]+", " ", fold(text)).strip()


def method_texts(fragments: list[str]) -> tuple[str, str, str]:
    """The method's text (as lines, then as one line) and the note after a « ----- » rule.

    Such a note (« Lorsqu'un candidat se présente uniquement sur un bloc… ») is a
    requirement of the exam, not part of the method's description.
    """
    organisation = flatten(tokenize(" ".join(fragments)), "\n")
    rule = _NOTE_RULE.search(organisation)
    main, note = (
        (organisation[: rule.start()], organisation[rule.end() :]) if rule else (organisation, "")
    )
    main = main.strip()
    return main, re.sub(r"\s+", " ", main), re.sub(r"\s+", " ", note).strip(" -")


def method_title(html: str) -> str:
    """The name a method gets in the document: its heading, or « heading – Evaluation N »."""
    text = clean(html)
    label = LABEL.search(text[:160])
    if label and not SEE_ALSO.match(text):
        before = strip_leading_codes(text[: label.start()])
        before = strip_trailing(re.sub(r"^\d+\s+", "", before))
        if before:  # « 2 Mises en situations professionnelles : Evaluation 1 … »
            return f"{before} – {label.group(1)}"
        after = _REFS_IN_TITLE.sub("", text[label.end() :]).lstrip(" :–—-")
        clause = strip_trailing(_CLAUSE_END.split(after, 1)[0])
        return f"{label.group(1)} : {shorten(clause, 120)}" if clause else label.group(1)
    tokens = [t for t in tokenize(html) if t.text]
    first = strip_leading_codes(tokens[0].text) if tokens else ""
    first = _DURATION_CLAUSE.sub("", _REFS_IN_TITLE.sub("", first))
    title = shorten(heading_part(first_sentence(first) or first), 200)
    title = strip_trailing(_TRAILING_DURATION.sub("", title)) or title
    return title[:1].upper() + title[1:]


# « (C1, C2) » after a title; where a clause stops: « , durée », « (20 min) », « . », « ; »
_REFS_IN_TITLE = re.compile(r"\s*\(\s*(?:C\s?\d|comp[ée]tences?\b)[^()]*\)", re.IGNORECASE)
# « Étude de cas écrite, durée 2 h », « … – durée : 3h »: the title stops before the duration.
_DURATION_CLAUSE = re.compile(r"\s*(?:[,;]|\s[-–—])\s*dur[ée]e\b.*$", re.IGNORECASE)
_TRAILING_DURATION = re.compile(
    r"(?:\s*[-–—:,]\s*|\s*\()(?:dur[ée]e\s*:?\s*)?\d{1,2}\s*(?:h|heures?|min|minutes)\s*\d{0,2}\)?$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"\s[-–—]\s|[,;(]|\.\s|\.$")


def add_productions(exam: Exam, found: list[Production]) -> None:
    """Add productions to an exam, merging one already there under a similar title."""
    for production in found:
        key = text_key(production.title)
        duplicate = next(
            (
                p
                for p in exam.productions
                if text_key(p.title).startswith(key) or key.startswith(text_key(p.title))
            ),
            None,
        )
        if duplicate is None:
            exam.productions.append(production)
        elif production.min_units or production.max_units:
            duplicate.min_units = duplicate.min_units or production.min_units
            duplicate.max_units = duplicate.max_units or production.max_units
