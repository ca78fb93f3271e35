"""The RE part of a Ministry titre professionnel: exams of the title and of each CCP."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from attesta.referentiels.importers.canonical import (
    AssessmentMethod,
    CompanyPeriod,
    Competency,
    Exam,
    ImportWarning,
    Jury,
    MethodKind,
    PeriodUnit,
    Production,
    ProductionKind,
    WarningCode,
)
from attesta.referentiels.importers.ministry_doc import Document, Line, item_text
from attesta.referentiels.importers.ministry_text import (
    TitleMatcher,
    clean,
    clean_item,
    fold,
    html_items,
    is_checked,
    is_list_item,
    is_void,
    match_key,
    method_kind,
    parse_duration,
    parse_number,
)

# --- references: resolving titles of the RE against the REAC --------------------------


class Resolver:
    """Turns competency titles found in the RE into REAC codes, warning as it goes."""

    def __init__(self, competencies: Iterable[Competency], warnings: list[ImportWarning]) -> None:
        self.competencies = {c.code: c for c in competencies}
        self.matcher = TitleMatcher([(c.code, c.title) for c in self.competencies.values()])
        self.warnings = warnings
        self.blocks: dict[str, list[str]] = {}  # block code → its competency codes
        self.block_titles: list[tuple[str, str]] = []  # (block code, activity type title)

    def ordered(self, codes: Iterable[str]) -> list[str]:
        """Codes without duplicates, in the REAC's order."""
        wanted = set(codes)
        return [code for code in self.competencies if code in wanted]

    def warn(self, code: WarningCode, message: str, line: int) -> None:
        self.warnings.append(ImportWarning(code=code, message=message, line=line))

    def one(self, text: str, line: int, what: str = "compétence") -> str | None:
        found = self.matcher.match(text)
        if found is None:
            self.warn(
                WarningCode.UNKNOWN_REFERENCE,
                f"{what} « {clean(text)} » : aucune compétence du REAC ne porte cet intitulé",
                line,
            )
            return None
        if not found.exact:
            self._approximate(found.text, found.code, found.title, found.score, line)
        return found.code

    def many(self, raw_cell: str, line: int, scope: str = "") -> list[str]:
        """Codes of the titles listed in a table cell (several may be run together)."""
        codes: list[str] = []
        for chunk in html_items(raw_cell):
            if re.search(r"\b(?:toutes les|l'ensemble des) competences\b", fold(chunk)):
                return list(self.blocks.get(scope, self.competencies))
            matches, leftovers = self.matcher.segment(chunk)
            for found in matches:
                if not found.exact:
                    self._approximate(found.text, found.code, found.title, found.score, line)
                if found.code not in codes:
                    codes.append(found.code)
            for text in leftovers:
                self.warn(
                    WarningCode.UNKNOWN_REFERENCE,
                    f"compétence « {text} » : aucune compétence du REAC ne porte cet intitulé",
                    line,
                )
        return codes

    def _approximate(self, text: str, code: str, title: str, score: float, line: int) -> None:
        self.warn(
            WarningCode.APPROXIMATE_NAME,
            f"« {text} » ne correspond pas exactement à un intitulé du REAC : rapproché de"
            f" {code} « {title} » (similarité {score:.0f} %)",
            line,
        )


# --- §1 références -------------------------------------------------------------------


@dataclass
class References:
    title: str = ""
    acronym: str = ""
    level: int | None = None
    nsf: str = ""
    rome: str = ""
    formacode: str = ""
    decree: str = ""
    published: str = ""
    effective: str = ""


_REFERENCE_LABELS = (
    ("intitule du titre professionnel", "title"),
    ("sigle du titre professionnel", "acronym"),
    ("niveau", "level"),
    ("code(s) nsf", "nsf"),
    ("codes nsf", "nsf"),
    ("code nsf", "nsf"),
    ("code(s) rome", "rome"),
    ("codes rome", "rome"),
    ("code rome", "rome"),
    ("formacode", "formacode"),
    ("date de l'arrete", "decree"),
    ("date de parution au jo de l'arrete", "published"),
    ("date d'effet de l'arrete", "effective"),
)


def parse_references(doc: Document, start: int, stop: int) -> References:
    refs = References()
    for line in doc.prose(start, stop):
        if ":" not in line.text:
            continue
        label, value = line.text.split(":", 1)
        key = fold(label).strip()
        for known, name in _REFERENCE_LABELS:
            if key == known:
                value = value.strip()
                if name == "level":
                    found = re.match(r"\s*(\d)", value)
                    refs.level = int(found.group(1)) if found else None
                else:
                    setattr(refs, name, value)
                break
    return refs


# --- exam sections -------------------------------------------------------------------


@dataclass
class _Method:
    method: AssessmentMethod
    line: int
    listed: list[str]  # competency codes from the « Compétences évaluées » column
    texts: list[str] = field(default_factory=list)  # organisation text, for flags


@dataclass
class _MatrixRow:
    code: str | None
    title: str
    line: int
    criteria: list[str]
    checked: set[MethodKind]


@dataclass
class _Segment:
    kind: str  # heading kind ("" before any heading)
    rest: str
    line: int
    lines: list[Line] = field(default_factory=list)
    method: MethodKind | None = None


@dataclass
class Period:
    amount: int
    unit: PeriodUnit
    target: str  # "title", "ccp" or "" (this exam)
    line: int


@dataclass
class ExamResult:
    exam: Exam
    lines: dict[str, int]
    periods: list[Period]
    matrix_rows: list[_MatrixRow]
    transversal_links: list[tuple[str, int, str | None]]  # (transversal title, line, code)


_END_OF_PRODUCTIONS = frozenset(
    {"jury_conditions", "jury_duration", "jury_protocol", "jury_composition", "supervision"}
)
_SUPERVISED = re.compile(
    r"surveillance est requise|sous surveillance|surveillant|(?:en dehors|hors) de la presence"
    r" du jury|en l'absence du jury|sans la presence du jury"
)
_JURY_ABSENT = re.compile(
    r"(?:en dehors|hors) de la presence du jury|en l'absence du jury|sans (?:la presence du )?jury"
    r"|presence du jury n'est pas requise"
)
_PERIOD = re.compile(
    r"(?P<amount>\d+)\s*(?P<unit>heures?|h\b|jours?|semaines?|mois)"
    r"(?:\s+(?:pour|dans le cadre d[ue])\s+(?P<target>(?:le|du|un|les|chaque|l'obtention du)"
    r"\s+(?:titre|certificats?|ccp)))?"
)
_COMPANY_PERIOD = re.compile(
    r"\b(?:periodes?|stages?)\b[^.]{0,80}?\b(?:entreprise|milieu professionnel|structure d'accueil)"
)
_MAKES = re.compile(
    r"\ble candidat (?:conçoit|réalise|élabore|rédige|prépare|produit)\b\s*"
    r"(?:en amont (?:de la session(?: d'examen)?|de l'examen|de l'épreuve)\s*,?\s*)?:?\s*(.*)$",
    re.IGNORECASE,
)
_ITEM_TAIL = re.compile(
    r"\s+(?:relatifs?|relatives?|portant sur|concernant|en lien avec)\b.*$|\s*«.*$", re.IGNORECASE
)
_ITEM_SPLIT = re.compile(
    r"\s+et\s+(?=(?:un|une|des|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d+)\b)",
    re.IGNORECASE,
)
_ITEM_HEAD = re.compile(r"^(?P<quantity>\w+)\s+(?P<title>.+)$")
_ARTICLES = frozenset({"des", "les", "le", "la", "ses", "son", "sa"})
_SLIDES = re.compile(
    r"diaporama\s+(?:comporte|de|d'environ|compose de)?\s*(?:entre\s+)?(?P<min>\d+)"
    r"(?:\s*(?:a|et)\s*(?P<max>\d+))?\s*(?:diapositives|slides|diapos)\b"
)
_PAGES = re.compile(
    r"\b(?P<noun>document|dossier|rapport|memoire)\s+(?:comporte|de|fait)\s*(?:entre\s+)?"
    r"(?P<min>\d+)(?:\s*(?:a|et)\s*(?P<max>\d+))?\s*pages\b"
)
_ONE_PART_PAGES = re.compile(
    r"\b(?P<noun>document|dossier|rapport|memoire)\s+comporte\s+une\s+(?:seule\s+)?partie\b"
    r"[^.]*\.\s*cette partie comporte\s*(?:entre\s+)?(?P<min>\d+)(?:\s*(?:a|et)\s*"
    r"(?P<max>\d+))?\s*pages\b"
)
_DOCUMENT_WORDS = ("document", "dossier", "rapport", "fiche", "memoire", "note", "portfolio")
_KIND_WORDS = {
    MethodKind.PROFESSIONAL_SITUATION: "mise en situation",
    MethodKind.TECHNICAL_INTERVIEW: "entretien technique",
    MethodKind.PROFESSIONAL_QUESTIONNAIRE: "questionnaire",
    MethodKind.QUESTIONING_FROM_PRODUCTIONS: "questionnement",
    MethodKind.FINAL_INTERVIEW: "entretien final",
}


def parse_exam(doc: Document, start: int, stop: int, scope: str, resolver: Resolver) -> ExamResult:
    """One exam: the title's (RE §3–5) or a CCP's, in ``doc.lines[start:stop]``."""
    fail = doc.source.fail
    table: tuple[list[_Method], int] | None = None  # methods, total duration
    table_line = 0
    matrix: list[_MatrixRow] | None = None
    matrix_kinds: list[MethodKind] = []
    links: list[tuple[str, int, str | None]] = []
    segments: list[_Segment] = [_Segment("", "", doc.line_no(start))]
    index = start
    while index < stop:
        line = doc.lines[index]
        first = fold(clean(line.cell(0))) if line.is_row else ""
        if line.is_row and not line.heading and first == "modalites" and table is None:
            table_line = line.no
            found, total, index = _modalities(doc, index, stop, scope, resolver)
            table = (found, total)
            continue
        if line.is_row and first.startswith("competences professionnelles") and matrix is None:
            matrix, matrix_kinds, obligations, index = _matrix(doc, index, stop, resolver)
            segments.append(_Segment("obligations", "", line.no, obligations))
            segments.append(_Segment("", "", line.no))
            continue
        if line.is_row and first.startswith("competences transversales"):
            index = _transversal_links(doc, index, stop, resolver, links)
            continue
        if line.heading:
            segment = _Segment(line.heading, line.rest, line.no)
            if line.heading == "info":
                segment.method = method_kind(line.rest)
            segments.append(segment)
            if line.heading == "info" and "periode en entreprise" in line.rest:
                segments.append(_Segment("period", "", line.no))
        elif not line.blank:
            segments[-1].lines.append(line)
        index += 1
    if table is None:
        raise fail(
            f"épreuve « {scope} » : tableau « Modalités d'évaluation des compétences et"
            " organisation de l'épreuve » introuvable (document tronqué ou structure inattendue)",
            line=doc.line_no(stop - 1 if stop > start else start),
        )
    methods, total = table
    heading_line = next((s.line for s in segments if s.kind == "modalities"), table_line)
    exam = Exam(scope=scope, total_minutes=total)
    lines = {f"exam:{scope}": heading_line}
    _jury(doc, exam, segments, scope, stop)
    for number, item in enumerate(methods):
        lines[f"method:{scope}:{number}"] = item.line
    if matrix is not None:
        _apply_matrix(methods, matrix, matrix_kinds, scope, resolver)
    else:
        for item in methods:
            item.method.competencies = resolver.ordered(item.listed)
    _flags(methods, segments)
    exam.methods = [item.method for item in methods]
    exam.productions = _productions(segments)
    exam.requirements = _requirements(segments, methods)
    periods = _periods(segments)
    return ExamResult(exam, lines, periods, matrix or [], links)


def _modalities(
    doc: Document, index: int, stop: int, scope: str, resolver: Resolver
) -> tuple[list[_Method], int, int]:
    """The « Modalités | Compétences évaluées | Durée | Détail » table at ``index``."""
    fail = doc.source.fail
    methods: list[_Method] = []
    total: int | None = None
    last: _Method | None = None
    last_row = doc.lines[index]
    columns = _columns(last_row)
    index += 1
    while index < stop:
        line = doc.lines[index]
        if line.blank:
            index += 1
            continue
        if not line.is_row:
            break
        last_row = line
        index += 1
        detail_cells = line.cells[columns[3] :] if columns[3] < len(line.cells) else ()
        raw = [line.cell(i) for i in columns[:3]] + [" ".join(detail_cells)]
        cells = [clean(c) for c in raw]
        first = fold(cells[0])
        if first == "modalites":
            continue  # header repeated after a page break
        total_at = next((i for i, c in enumerate(cells) if "duree totale" in fold(c)), None)
        if total_at is not None:
            durations = [parse_duration(c) for c in cells[total_at + 1 :] if c]
            total = next((d for d in durations if d is not None), None)
            if total is None:
                raise fail(
                    f"épreuve « {scope} » : durée totale illisible", line=line.no, field="durée"
                )
            last = None
            continue
        if first.startswith("autres modalites"):
            last = None
            continue
        if not first:
            if last is not None:  # row continued after a page break
                if cells[1]:
                    extra = resolver.many(raw[1], line.no, scope)
                    last.listed.extend(c for c in extra if c not in last.listed)
                detail = cells[3]
                if detail:
                    last.method.organisation = f"{last.method.organisation} {detail}".strip()
                    last.texts.append(detail)
            continue
        kind = method_kind(cells[0])
        duration_text = cells[2]
        if is_void(cells[1]) and not parse_duration(duration_text):
            last = None  # « Questionnaire professionnel | Sans objet »: not part of this exam
            continue
        if kind is None:
            raise fail(
                f"épreuve « {scope} » : modalité d'évaluation inconnue « {cells[0]} »",
                line=line.no,
                field="modalité",
            )
        duration = parse_duration(duration_text)
        if duration is None:
            raise fail(
                f"épreuve « {scope} » : durée absente ou illisible pour « {cells[0]} »",
                line=line.no,
                field="durée",
            )
        organisation = cells[3]
        method = AssessmentMethod(
            kind=kind,
            title=clean_item(raw[0]),
            duration_minutes=duration,
            organisation=organisation,
        )
        listed = resolver.many(raw[1], line.no, scope) if not is_void(cells[1]) else []
        last = _Method(method, line.no, listed, [organisation])
        methods.append(last)
    if total is None:
        raise fail(
            f"épreuve « {scope} » : la ligne « Durée totale de l'épreuve pour le candidat » manque"
            " au tableau des modalités (document tronqué ou structure inattendue)",
            line=last_row.no,
        )
    if not methods:
        raise fail(
            f"épreuve « {scope} » : aucune modalité d'évaluation dans le tableau", line=last_row.no
        )
    return methods, total, index


def _columns(header: Line) -> list[int]:
    """Columns of (method, competencies, duration, detail) in the modalities table."""
    names = [fold(clean(c)) for c in header.cells]

    def find(prefix: str, default: int) -> int:
        return next((i for i, n in enumerate(names) if n.startswith(prefix)), default)

    return [
        find("modalit", 0),
        find("competences", 1),
        find("duree", 2),
        find("detail", 3),
    ]


def _matrix(
    doc: Document, index: int, stop: int, resolver: Resolver
) -> tuple[list[_MatrixRow], list[MethodKind], list[Line], int]:
    """The RE §3.2 grid: competency | criteria | one checkbox column per method."""
    header = doc.lines[index]
    names = [clean(c) for c in header.cells]
    index += 1
    second = doc.first_text(index, stop)
    if second is not None and doc.lines[second].is_row and not clean(doc.lines[second].cell(0)):
        for column, cell in enumerate(doc.lines[second].cells):
            if clean(cell) and column < len(names):
                names[column] = clean(cell)
            elif clean(cell):
                names.append(clean(cell))
        index = second + 1
    kinds: list[MethodKind | None] = [
        method_kind(name) if column >= 2 else None for column, name in enumerate(names)
    ]
    rows: list[_MatrixRow] = []
    obligations: list[Line] = []
    in_obligations = False
    while index < stop:
        line = doc.lines[index]
        if line.blank:
            index += 1
            continue
        if not line.is_row:
            break
        index += 1
        cells = [clean(c) for c in line.cells]
        first = fold(cells[0]) if cells else ""
        if first.startswith("competences professionnelles") or (
            not first and len(cells) > 3 and not clean(line.cell(1))
        ):
            continue  # repeated headers
        if first.startswith("obligations reglementaires"):
            in_obligations = True
            continue
        if in_obligations:
            obligations.append(line)
            continue
        boxes = line.cells[2:]
        if not clean(line.cell(1)) and not any("checkbox" in b for b in boxes):
            continue  # activity type label row
        checked = {
            kind
            for column, raw in enumerate(line.cells)
            if column >= 2
            and column < len(kinds)
            and (kind := kinds[column]) is not None
            and is_checked(raw)
        }
        if not first and rows:  # row continued after a page break
            rows[-1].criteria.extend(html_items(line.cell(1)))
            rows[-1].checked |= checked
            continue
        rows.append(
            _MatrixRow(
                code=resolver.one(cells[0], line.no),
                title=cells[0],
                line=line.no,
                criteria=html_items(line.cell(1)),
                checked=checked,
            )
        )
    present = [kind for kind in kinds if kind is not None]
    return rows, present, obligations, index


def _transversal_links(
    doc: Document,
    index: int,
    stop: int,
    resolver: Resolver,
    links: list[tuple[str, int, str | None]],
) -> int:
    """RE §3.3: transversal competency → professional competencies concerned."""
    current = ""
    index += 1
    while index < stop:
        line = doc.lines[index]
        if line.blank:
            index += 1
            continue
        if not line.is_row:
            break
        index += 1
        first = clean(line.cell(0))
        if fold(first).startswith("competences transversales"):
            continue
        if first:
            current = first
        if not current:
            continue
        for chunk in html_items(line.cell(1)) or [""]:
            code = resolver.one(chunk, line.no) if chunk else None
            links.append((current, line.no, code))
    return index


def _apply_matrix(
    methods: list[_Method],
    matrix: list[_MatrixRow],
    kinds: list[MethodKind],
    scope: str,
    resolver: Resolver,
) -> None:
    for item in methods:
        method = item.method
        if method.kind not in kinds:
            method.competencies = resolver.ordered(item.listed)
            continue
        method.competencies = resolver.ordered(
            row.code for row in matrix if row.code is not None and method.kind in row.checked
        )
        missing = [c for c in item.listed if c not in method.competencies]
        extra = [c for c in method.competencies if c not in item.listed]
        if missing or extra:
            details = []
            if missing:
                details.append(f"seulement au tableau des modalités : {', '.join(missing)}")
            if extra:
                details.append(f"seulement dans la grille des critères : {', '.join(extra)}")
            resolver.warn(
                WarningCode.OTHER,
                f"épreuve « {scope} », « {method.title} » : compétences évaluées différentes"
                f" entre le tableau des modalités et la grille des critères ({'; '.join(details)});"
                " la grille est retenue",
                item.line,
            )
    used = {item.method.kind for item in methods}
    for row in matrix:
        for kind in row.checked - used:
            resolver.warn(
                WarningCode.OTHER,
                f"épreuve « {scope} » : la grille des critères coche « {kind.value} » pour"
                f" « {row.title} », modalité absente du tableau des modalités",
                row.line,
            )


def _flags(methods: list[_Method], segments: list[_Segment]) -> None:
    """requires_supervision / requires_jury from the organisation texts and §4–5."""
    supervised: set[MethodKind] = set()
    for segment in segments:
        keys = [(fold(segment.rest), False)] + [
            (ln.key, is_list_item(ln.raw)) for ln in segment.lines
        ]
        if segment.kind == "supervision":
            for key, _item in keys:
                supervised |= _kinds_named(key)
        elif segment.kind == "jury_protocol":
            absent = False  # inside « La présence du jury n'est pas requise pendant : - … »
            for key, listed in keys:
                if "pas requise" in key or _JURY_ABSENT.search(key):
                    absent = True
                    supervised |= _kinds_named(key)
                elif absent and listed:
                    supervised |= _kinds_named(key)
                else:
                    absent = False
        elif segment.kind == "info" and segment.method is not None:
            text = fold(" ".join(line.text for line in segment.lines))
            if _SUPERVISED.search(text):
                supervised.add(segment.method)
    for item in methods:
        text = fold(" ".join(item.texts))
        method = item.method
        method.requires_supervision = method.kind in supervised or bool(_SUPERVISED.search(text))
        absences = len(_JURY_ABSENT.findall(text))
        mentions = text.count("jury") - absences
        method.requires_jury = not (
            (absences and mentions <= 0) or (method.requires_supervision and "jury" not in text)
        )


def _kinds_named(key: str) -> set[MethodKind]:
    return {kind for kind, words in _KIND_WORDS.items() if words in key}


def _jury(doc: Document, exam: Exam, segments: list[_Segment], scope: str, stop: int) -> None:
    protocol: list[str] = []
    composition: list[str] = []
    supervision: list[str] = []
    for segment in segments:
        texts = ([clean(segment.rest)] if segment.rest else []) + [
            line.text for line in segment.lines
        ]
        if segment.kind == "jury_duration" and exam.jury_minutes is None:
            for text in texts:
                exam.jury_minutes = parse_duration(text)
                if exam.jury_minutes is not None:
                    break
        elif segment.kind == "jury_protocol":
            protocol.extend(texts)
        elif segment.kind == "jury_composition":
            composition.extend(t for t in texts if not is_void(t))
        elif segment.kind == "supervision":
            supervision.extend(t for t in texts if not is_void(t))
    if exam.jury_minutes is None:
        raise doc.source.fail(
            f"épreuve « {scope} » : « Durée totale de présence du jury » absente ou illisible"
            " (document tronqué ou structure inattendue)",
            line=doc.line_no(stop - 1),
        )
    notes = "\n".join(protocol)
    if composition:
        notes = "\n".join([notes, "Composition du jury : " + " ".join(composition)]).strip()
    members = re.search(
        r"\b(\d+|deux|trois|quatre|cinq)\s+(?:membres|jures|evaluateurs)\b", fold(notes)
    )
    exam.jury = Jury(members=parse_number(members.group(1)) if members else None, notes=notes)
    exam.supervision = "\n".join(supervision)


def _periods(segments: list[_Segment]) -> list[Period]:
    found: list[Period] = []
    for segment in segments:
        for line in segment.lines:
            if segment.kind != "period" and not _COMPANY_PERIOD.search(line.key):
                continue  # « une période de préparation de 1 h » is not a company period
            for match in _PERIOD.finditer(line.key):
                unit = match.group("unit")
                target = match.group("target") or ""
                found.append(
                    Period(
                        amount=int(match.group("amount")),
                        unit=_unit(unit),
                        target="title" if "titre" in target else "ccp" if target else "",
                        line=line.no,
                    )
                )
    return found


def _unit(word: str) -> PeriodUnit:
    word = word.rstrip("s")
    if word in ("h", "heure"):
        return PeriodUnit.HOURS
    if word == "jour":
        return PeriodUnit.WORKING_DAYS
    if word == "semaine":
        return PeriodUnit.WEEKS
    return PeriodUnit.MONTHS


def _productions(segments: list[_Segment]) -> list[Production]:
    lines: list[Line] = []
    collecting = False
    for segment in segments:
        if segment.kind == "info":
            collecting = segment.method is MethodKind.QUESTIONING_FROM_PRODUCTIONS
        elif segment.kind in _END_OF_PRODUCTIONS or segment.kind in ("matrix", "obligations"):
            collecting = False
        if collecting:
            lines.extend(segment.lines)
    if not lines:
        return []
    items: list[str] = []
    for position, line in enumerate(lines):
        found = _MAKES.search(line.text)
        if not found:
            continue
        rest = found.group(1).strip(" :")
        if rest:
            items = [rest]
        else:
            for following in lines[position + 1 :]:
                if not is_list_item(following.raw):
                    break
                items.append(item_text(following))
        break
    productions: list[Production] = []
    for item in items:
        item = _ITEM_TAIL.sub("", item).strip(" .;,:")
        for part in _ITEM_SPLIT.split(item):
            head = _ITEM_HEAD.match(part.strip())
            if not head:
                continue
            word = head.group("quantity")
            quantity = parse_number(word)
            counted = quantity is not None or fold(word) in _ARTICLES
            title = (head.group("title") if counted else part).strip(" .;,:")
            if not title:
                continue
            productions.append(
                Production(
                    title=title[0].upper() + title[1:],
                    kind=_production_kind(title),
                    quantity=quantity or 1,
                )
            )
    text = " ".join(line.key for line in lines)
    slides = _SLIDES.search(text)
    pages = _PAGES.search(text) or _ONE_PART_PAGES.search(text)
    if slides and not any(p.kind is ProductionKind.SLIDESHOW for p in productions):
        productions.append(Production(title="Diaporama", kind=ProductionKind.SLIDESHOW))
    if pages and not any(pages.group("noun") in fold(p.title) for p in productions):
        title = pages.group("noun").capitalize()
        productions.append(Production(title=title, kind=ProductionKind.DOCUMENT))
    for production in productions:
        if production.kind is ProductionKind.SLIDESHOW and slides:
            production.min_units, production.max_units = _range(slides)
        elif pages and pages.group("noun") in fold(production.title):
            production.min_units, production.max_units = _range(pages)
    return productions


def _range(found: re.Match[str]) -> tuple[int, int]:
    low = int(found.group("min"))
    return low, int(found.group("max") or low)


def _production_kind(title: str) -> ProductionKind:
    key = fold(title)
    if "diaporama" in key or "slides" in key:
        return ProductionKind.SLIDESHOW
    if any(word in key for word in _DOCUMENT_WORDS):
        return ProductionKind.DOCUMENT
    return ProductionKind.OTHER


def _requirements(segments: list[_Segment], methods: list[_Method]) -> list[str]:
    titles = {item.method.kind: item.method.title for item in methods}
    result: list[str] = []
    for segment in segments:
        text = " ".join(line.text for line in segment.lines).strip()
        if not text or is_void(text):
            continue
        if segment.kind == "info" and segment.method is not None:
            if segment.method is MethodKind.QUESTIONING_FROM_PRODUCTIONS:
                continue
            label = titles.get(segment.method) or clean(segment.rest).rstrip(" :")
            result.append(f"{label} : {text}")
        elif segment.kind == "period":
            result.append(f"Période en entreprise : {text}")
        elif segment.kind == "vae":
            result.append(f"Candidat VAE : {text}")
        elif segment.kind == "obligations":
            result.append(f"Obligations réglementaires : {text}")
    return result


def criteria_difference(reac: list[str], re_: list[str]) -> str:
    """Short French description of how the RE criteria differ from the REAC's; "" if not."""

    def key(text: str) -> str:
        return match_key(text)

    reac_keys = [key(t) for t in reac]
    re_keys = [key(t) for t in re_]
    if reac_keys == re_keys:
        return ""
    if sorted(reac_keys) == sorted(re_keys):
        return "mêmes critères, dans un autre ordre"
    missing = [t for t, k in zip(reac, reac_keys, strict=True) if k not in re_keys]
    extra = [t for t, k in zip(re_, re_keys, strict=True) if k not in reac_keys]
    if len(missing) == 1 and len(extra) == 1:
        return f"RE « {extra[0]} » au lieu de REAC « {missing[0]} »"
    parts = [f"{len(re_)} critère(s) dans le RE, {len(reac)} dans le REAC"]
    if missing:
        parts.append("absents du RE : " + " ; ".join(f"« {t} »" for t in missing[:3]))
    if extra:
        parts.append("propres au RE : " + " ; ".join(f"« {t} »" for t in extra[:3]))
    return " — ".join(parts)


def period_of(periods: list[Period], target: str) -> CompanyPeriod | None:
    for period in periods:
        if period.target == target:
            return CompanyPeriod(amount=period.amount, unit=period.unit)
    return None
