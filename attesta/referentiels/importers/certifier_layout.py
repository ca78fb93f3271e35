"""Layout of a certifier table document: header rows, block headings, competency codes,
the title in the preamble, the text after the table. Pure functions, no Django."""

from __future__ import annotations

import re
from pathlib import PurePath

from attesta.referentiels.importers.certifier_text import (
    clean,
    flatten,
    fold,
    heading_part,
    sentence_case,
    slug,
    strip_trailing,
    tokenize,
)

_ITALIC = re.compile(r"<i\b[^>]*>.*?</i>", re.IGNORECASE | re.DOTALL)
# « Bloc 1 », « Bloc de compétences n°2 : », « BLOC 3 – », « Activité 1 : », « BC03 »,
# « RNCP37849BC01 - », « A5. »
_WORD_HEADING = re.compile(
    r"^(?:(?:blocs?(?:\s+de\s+comp[ée]tences?)?|activit[ée]s?(?:\s+types?)?|domaine|"
    r"(?:RNCP\s?(\d{4,6})\s*[-–_]?\s*)?BC)\s*"
    r"(?:n\s*[°o]\s*)?0?(\d{1,2})(?![.,]?\d)\s*[:.\-–—)]?\s*"
    r"|A(\d{1,2})\s*[.:\-–—]\s+(?!\d))",
    re.IGNORECASE,
)
# « 1. Définir… », « 2) Négocier… » (never « 1.1. »)
_NUMBER_HEADING = re.compile(r"^(\d{1,2})\s*[.)\-–—]\s+(?=[^\d\s])")
_SUB_ACTIVITY = re.compile(r"(?:^|\s)(?:A\d{1,2}\.\d{1,2}\.?|\d{1,2}\.\d{1,2}\.?)\s")
# « C1 - », « C1. », « C.1 », « C 11 -Participer », « C1.2.4 », « C1a », « Compétence 3 : »;
# a bare « 1.1 » (at least two levels) too, where a competency is expected.
_CODE_NUMBER = r"\d{1,2}(?:\.\d{1,2})*[a-z]?"
COMPETENCY = re.compile(
    rf"^(?:C\.?\s?({_CODE_NUMBER})|comp[ée]tence\s+(?:n\s*[°o]\s*)?(?:C\.?\s?)?({_CODE_NUMBER})"
    r"|(\d{1,2}(?:\.\d{1,2})+)(?=\.?\s))"
    r"(?![\w])\s*[-–—:.)]?\s*",
    re.IGNORECASE,
)
_HTML = re.compile(r"</?(?:p|ul|ol|li|i|u|b|br|div|span)\b", re.IGNORECASE)
SENTENCE_ENDS = frozenset('.!?)»"”…')


# --- header -------------------------------------------------------------------------------


def header_columns(line: str) -> dict[str, int] | None:
    """Column of each role in a header row, or None if the line is not one.

    « RÉFÉRENTIEL D'ACTIVITÉS <i>…</i> ⇥ RÉFÉRENTIEL DE COMPÉTENCES <i>…</i> ⇥ RÉFÉRENTIEL
    D'ÉVALUATION (or DE CERTIFICATION) <i>…</i> », accents optional. A Ministry REAC
    (« RÉFÉRENTIEL EMPLOI ACTIVITÉS COMPÉTENCES ») is not one.
    """
    if "\t" not in line:
        return None
    cells = [fold(clean(_ITALIC.sub("", cell))) for cell in line.split("\t")]
    if not any("referentiel" in c for c in cells) or any("emploi" in c for c in cells):
        return None
    roles: dict[str, int] = {}
    for index, text in enumerate(cells):
        if "activites" in text and "activity" not in roles:
            roles["activity"] = index
        elif "competences" in text and "competency" not in roles:
            roles["competency"] = index
        elif ("evaluation" in text or "certification" in text) and "evaluation" not in roles:
            roles["evaluation"] = index
    return roles if len(roles) == 3 else None


def subheader_columns(line: str) -> dict[str, int] | None:
    """« ⇥ ⇥ MODALITÉS D'ÉVALUATION ⇥ CRITÈRES D'ÉVALUATION »."""
    if "\t" not in line:
        return None
    roles: dict[str, int] = {}
    for index, cell in enumerate(line.split("\t")):
        text = fold(clean(cell))
        if not text:
            continue
        if text.startswith("modalites"):
            roles["method"] = index
        elif text.startswith("criteres"):
            roles["criteria"] = index
        else:
            return None
    return roles if len(roles) == 2 else None


# In a three-column table, the évaluation cell's two parts: « <b>Critères d'évaluation :</b> »
_TAGS = r"(?:\s*</?[a-z][^>]*>)*\s*"
CRITERIA_MARK = re.compile(
    rf"{_TAGS}crit[eèé]res?(?:\s+d['’]\s*[ée]valuation)?{_TAGS}:{_TAGS}", re.IGNORECASE
)
METHOD_MARK = re.compile(
    rf"^{_TAGS}modalit[ée]s?(?:\s+d['’]\s*[ée]valuation)?{_TAGS}:{_TAGS}", re.IGNORECASE
)


def is_header(line: str) -> bool:
    return header_columns(line) is not None or subheader_columns(line) is not None


# --- blocks -------------------------------------------------------------------------------


def word_heading(text: str) -> int | None:
    """« Bloc 2 … », « Activité 2 : … », « A2. … » → 2."""
    match = _WORD_HEADING.match(text)
    return int(match.group(2) or match.group(3)) if match else None


def heading_rncp(text: str) -> str | None:
    """« RNCP37849BC01 - Gérer la paie » → « RNCP37849 »."""
    match = _WORD_HEADING.match(text)
    return f"RNCP{match.group(1)}" if match and match.group(1) else None


def number_heading(text: str) -> int | None:
    """« 2. Négocier… » → 2 (only used when the document has no word headings)."""
    match = _NUMBER_HEADING.match(text)
    return int(match.group(1)) if match else None


def block_title(html: str) -> tuple[str, list[str]]:
    """Block title from its heading cell, plus the activity lines that follow it.

    « Activité 1 : Elaboration d'un plan… A1.1 Etude du marché… » → « Elaboration d'un
    plan… », [« A1.1 Etude du marché… »]; « 3. Assurer le suivi… commerciale Suivi de la
    relation… 3.1. … » → « Assurer le suivi… commerciale », [« Suivi de la relation… », …].
    """
    tokens = [t for t in tokenize(html) if t.text]
    first = tokens[0].text if tokens else ""
    match = _WORD_HEADING.match(first) or _NUMBER_HEADING.match(first)
    body = first[match.end() :] if match else first
    rest: list[str] = []
    sub = _SUB_ACTIVITY.search(body)
    if sub:
        body, tail = body[: sub.start()], body[sub.start() :].strip()
        rest.append(tail)
    title = heading_part(body)
    remainder = strip_trailing(body[len(title) :].lstrip(" :.-–"))
    if remainder:
        rest.insert(0, remainder)
    rest.extend(flatten([t], "") for t in tokens[1:])
    return strip_trailing(title), [r for r in rest if r]


# --- competencies -------------------------------------------------------------------------


def competency_code(text: str, *, bare: bool = True) -> str | None:
    """« C 11 -Participer… » → « C11 »; « C1.2.4 … » → « C1.2.4 »; « 1.1 Analyser » → « C1.1 »
    (only when ``bare``: in the competency column; elsewhere « 1.1 » is an activity)."""
    match = COMPETENCY.match(text)
    if match is None or (match.group(3) and not bare):
        return None
    return "C" + (match.group(1) or match.group(2) or match.group(3))


def strip_competency_code(text: str) -> str:
    match = COMPETENCY.match(text)
    return text[match.end() :] if match else text


def split_competencies(html: str) -> list[str]:
    """A cell holding several coded competencies (« <p>C1 - …</p> <p>C2 - …</p> »), split
    into one fragment each; a cell with at most one code comes back whole."""
    tokens = [t for t in tokenize(html) if t.text]
    starts = [
        i
        for i, t in enumerate(tokens)
        if not t.is_item and COMPETENCY.match(t.text) and _starts_title(t.text)
    ]
    if len(starts) < 2 or starts[0] != 0:
        return [html]
    parts = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(tokens)
        chunk = tokens[start:end]
        parts.append(
            " ".join(
                f"<ul><li>{t.text}</li></ul>" if t.is_item else f"<p>{t.text}</p>" for t in chunk
            )
        )
    return parts


def _starts_title(text: str) -> bool:
    rest = strip_competency_code(text)
    return rest[:1].isupper()


# --- preamble and postamble ---------------------------------------------------------------

_LEVEL = re.compile(r"\bniveau\s*:?\s*([3-8])\b")
_NUMBERING = r"^(?:\d{1,2}\s*[–\-.)]\s*)?"
_TITLE_PATTERNS = [
    # « RÉFÉRENTIEL D'ACTIVITÉS, DE COMPÉTENCES ET D'ÉVALUATION POUR LE TITRE X »
    re.compile(
        _NUMBERING + r"r[ée]f[ée]rentiels?\b.*?\b(?:pour|du|de)\s+(?:l[ae]\s+|l['’])?"
        r"(?:titre|certification|certificat|dipl[oô]me)(?:\s+professionnel(?:le)?)?"
        r"\s*[:«\"]?\s*(.+)$",
        re.IGNORECASE,
    ),
    # « 5 – REFERENTIELS ATTACHE COMMERCIAL »
    re.compile(_NUMBERING + r"r[ée]f[ée]rentiels?\s+(?!d['’e]|des\b|emploi\b)(.+)$", re.IGNORECASE),
    # « Référentiel de certification – Attaché commercial »
    re.compile(_NUMBERING + r"r[ée]f[ée]rentiels?\b[^–:]{0,60}\s[–:]\s*(.+)$", re.IGNORECASE),
    # « Titre : X », « Intitulé de la certification : X », « RNCP35235 - X », « Titre RNCP de
    # niveau 6 – X »
    re.compile(
        r"^(?:titre|intitul[ée]|certification|nom|RNCP\s?\d+)(?:\s+(?:de\s+la\s+certification|"
        r"du\s+titre|vis[ée]e?|professionnel(?:le)?))?(?:\s+RNCP)?(?:\s+de\s+niveau\s+\d)?"
        r"\s*[:–\-]\s*(.+)$",
        re.IGNORECASE,
    ),
    # « Titre RNCP de niveau 6 « Responsable de la relation client » »
    re.compile(r"^titre\b[^«“\"]{0,60}[«“\"]\s*([^»”\"]+?)\s*[»”\"]", re.IGNORECASE),
]
_PAREN_RNCP = re.compile(r"\s*\(?\s*RNCP\s?\d+\s*\)?\s*", re.IGNORECASE)
# « Titre X », « Titre professionnel de niveau 6 : X » left at the start of a captured title
_TITLE_WORD = re.compile(
    r"^titre(?:\s+professionnel)?(?:\s+RNCP)?(?:\s+(?:de\s+)?niveau\s+\d)?\s*[:–-]?\s*(?=\S)",
    re.IGNORECASE,
)
# « RNCP37849 », « RNCP 37849 », « enregistrée au RNCP sous le n° 37849 », « Code RNCP : 37849 »
_RNCP = re.compile(
    r"\bRNCP\s*(?:(?:sous\s+le\s+)?(?:n\s*[°o]|num[ée]ro)\s*:?\s*|:\s*)?(\d{4,6})(?!\d)",
    re.IGNORECASE,
)


def identity(
    preamble: list[str], filename: str, table: list[str]
) -> tuple[str, str, int | None, bool]:
    """Title, code, level from the lines before the table; True if the title had to be
    taken from the file name. The RNCP code comes from the preamble, else from the table's
    block headings (« RNCP37849BC01 »); an RNCP number after the table (equivalences) is
    another certification's."""
    title = ""
    level: int | None = None
    for line in preamble:
        cleaned = clean(line)
        if not cleaned:
            continue
        if not title:
            for pattern in _TITLE_PATTERNS:
                match = pattern.match(cleaned)
                if match and len(match.group(1)) <= 150:
                    title = _PAREN_RNCP.sub(" ", match.group(1)).strip(" «»\"'-–:.")
                    title = _TITLE_WORD.sub("", title)
                    break
        level_match = _LEVEL.search(fold(cleaned))
        if level is None and level_match and ("titre" in fold(cleaned) or len(cleaned) < 120):
            level = int(level_match.group(1))
    from_filename = not title
    if title:
        title = sentence_case(title)
    else:
        stem = PurePath(filename).stem
        title = re.sub(r"[-_]+", " ", stem).strip().capitalize() or "Référentiel"
    rncp = _RNCP.search("\n".join(preamble)) or _RNCP.search("\n".join(table))
    code = f"RNCP{rncp.group(1)}" if rncp else slug(title)
    return title, code, level, from_filename


_ANNOUNCED_BLOCKS = re.compile(
    r"\b(\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\s+blocs\s+de\s+competences\b"
)
_NUMBER_WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7}
_NUMBER_WORDS |= {"huit": 8, "neuf": 9, "dix": 10}


def announced_blocks(lines: list[str]) -> tuple[int, int] | None:
    """« La certification est composée de 4 blocs de compétences » → (4, index of the line)."""
    for index, line in enumerate(lines):
        match = _ANNOUNCED_BLOCKS.search(fold(clean(line)))
        if match:
            word = match.group(1)
            return (int(word) if word.isdigit() else _NUMBER_WORDS[word]), index
    return None


_VAE = re.compile(r"\bvae\b|validation des acquis")


def logical_lines(lines: list[str]) -> list[tuple[str, bool]]:
    """Postamble lines, a heading ending with « : » joined to the line after it; short
    all-caps headings dropped. Each comes with whether it belongs to the VAE route: it
    names it, or it stands under a heading naming it (« Validation par la VAE »)."""
    result: list[tuple[str, bool]] = []
    pending = ""
    vae_section = False
    for raw in lines:
        text = re.sub(r"^(?:\d{1,2}[.)]|[-•✓*])\s+", "", clean(raw))
        if not text:
            continue
        heading = text.endswith(":") or (len(text.split()) <= 8 and text[-1] not in ".;!?")
        if heading and not pending:
            vae_section = bool(_VAE.search(fold(text)))
        if text.isupper() and len(text.split()) <= 6:
            continue
        if pending:
            text = f"{pending} {text}"
            pending = ""
        if text.endswith(":"):
            pending = text
            continue
        result.append((text, vae_section or bool(_VAE.search(fold(text)))))
    if pending:
        result.append((strip_trailing(pending), vae_section))
    return result


def cut_table_line(line: str, after_blank: bool) -> bool:
    """A last line that is no row but a table line cut short: it follows a row directly,
    carries HTML like the cells do, or starts like the header row."""
    return not after_blank or bool(_HTML.search(line)) or fold(line).startswith("referentiel")


def looks_like_sub_activity(text: str) -> bool:
    """« 1.1. Elaboration… » or « A1.1 Etude… » are activities, not blocks."""
    return bool(re.match(r"^(?:A\s?)?\d{1,2}\.\d", text))
