"""The Ministry REAC/RE document as numbered, cleaned lines with their headings.

Page footers (« SIGLE Type de document Code titre Millésime … » and the value row that
follows) are removed here and their values kept; every other line keeps its 1-based
number so that errors and warnings point at the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from attesta.referentiels.importers.ministry_text import INVISIBLE, clean, clean_item, fold
from attesta.referentiels.importers.source import Source


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the source
    raw: str
    text: str  # cleaned text ("" for a blank line)
    key: str  # folded text, for heading recognition
    cells: tuple[str, ...] = ()  # raw cells of a tab-separated table row
    heading: str = ""  # heading kind (see HEADINGS), "" if none
    rest: str = ""  # text after the heading's label, e.g. the duration of « …jury : 03 h »
    number: int | None = None  # « FICHE COMPÉTENCE PROFESSIONNELLE N° 3 » → 3

    @property
    def is_row(self) -> bool:
        return bool(self.cells)

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def is_table(self) -> bool:
        """A table row proper: not prose split by a stray tab (« Installer et\traccorder »)."""
        return sum(1 for cell in self.cells if cell.strip()) > 2

    def cell(self, index: int) -> str:
        return self.cells[index] if index < len(self.cells) else ""


# Heading kinds, tried in order on the folded text of short non-table lines.
_N = r"n\s*°?\s*(?P<number>\d+)"
_OPT_NUM = r"(?:\d+(?:\.\d+)*\.?\s+)?"
_SECTION_NO = r"(?:n\s*°?\s*)?(?P<number>\d+)"
HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        # REAC
        ("reac_start", r"^referentiel emploi activites competences\b"),
        ("synoptic", r"^vue synoptique de l'emploi[- ]type$"),
        ("job_sheet", r"^fiche emploi type$"),
        ("activity", rf"^fiche (?:de l')?activite type(?P<rest> d'extension)? {_N}$"),
        ("competency", rf"^fiche competence professionnelle {_N}$"),
        ("transversal_sheet", r"^fiche des competences transversales\b"),
        ("glossary", r"^glossaire\b"),
        ("description", r"^description de la competence\b"),
        ("context", r"^contexte\(?s?\)? professionnel"),
        ("criteria", r"^criteres de performance\s*:?$"),
        ("skills", r"^savoir-faire techniques\b"),
        ("at_description", r"^definition, description de l'activite type\b"),
        ("at_regulation", r"^reglementation d'activites\b"),
        ("at_cp_list", r"^liste des competences professionnelles de l'activite type$"),
        ("at_ct_list", r"^competences transversales de l'activite type$"),
        ("job_cp_list", r"^liste des activites types et des competences professionnelles$"),
        ("job_ct_list", r"^competences transversales de l'emploi$"),
        ("level_domain", r"^niveau et/ou domaine d'activite$"),
        ("nsf", r"^code\(?s?\)? nsf\s*:(?P<rest>.*)$"),
        ("rome", r"^fiche\(?s?\)? rome de rattachement\s*:?$"),
        ("activities_list", r"^liste des activites$"),
        ("old_tp", r"^ancien tp\s*:(?P<rest>.*)$"),
        ("new_tp", r"^nouveau tp\s*:(?P<rest>.*)$"),
        ("reproduction", r"^reproduction interdite$"),
        # RE
        ("re_start", r"^referentiel d'evaluation du titre professionnel$"),
        ("re_refs", rf"^{_OPT_NUM}references de la specialite$"),
        ("re_general", rf"^{_OPT_NUM}modalites d'evaluation generales\b"),
        ("re_specific", rf"^{_OPT_NUM}dispositif d'evaluation specifique\b"),
        (
            "modalities",
            rf"^{_OPT_NUM}modalites d'evaluation des competences et organisation de l'epreuve$",
        ),
        ("matrix", rf"^{_OPT_NUM}criteres d'evaluation des competences professionnelles$"),
        ("transversal_eval", rf"^{_OPT_NUM}evaluation des competences transversales$"),
        ("info", r"^informations complementaires concernant (?P<rest>.*)$"),
        ("period", r"^(?:la )?periode en entreprise\s*:?$"),
        (
            "production",
            r"^(?:productions?\s*:?|caracteristiques d.*|deroulement d.*|documents?\s*:?"
            r"|support de presentation\s*:?)$",
        ),
        ("vae", r"^precisions pour le candidat vae\b"),
        ("jury_conditions", rf"^{_OPT_NUM}conditions de presence et d'intervention du jury\b"),
        ("jury_duration", rf"^{_OPT_NUM}duree totale de presence du jury\b[^:]*:?(?P<rest>.*)$"),
        ("jury_protocol", rf"^{_OPT_NUM}protocole d'intervention du jury\s*:?(?P<rest>.*)$"),
        (
            "jury_composition",
            rf"^{_OPT_NUM}conditions particulieres de composition du jury\s*:?(?P<rest>.*)$",
        ),
        ("supervision", rf"^{_OPT_NUM}conditions de surveillance et de confidentialite\b"),
        ("ccp_part", r"^referentiel d'evaluation des certificats de competences professionnelles$"),
        (
            "ccs_part",
            r"^referentiel d'evaluation (?:des certificats complementaires|du certificat"
            r" complementaire)\b",
        ),
        ("ccp", rf"^ccp(?:\s*{_SECTION_NO})?(?:\s*[:\-]\s*(?P<rest>.+))?$"),
        ("ccs", rf"^ccs(?:\s*{_SECTION_NO})?(?:\s*[:\-]\s*(?P<rest>.+))?$"),
        ("annex", r"^annexe\s*(?P<number>\d+)?\s*(?:[:\-].*)?$"),
        ("correspondences", r"^correspondances du (?:tp|titre)\b"),
    )
)

_MAX_HEADING = 220


# All the heading patterns at once (groups unnamed), to rule out most lines in one match.
_ANY_HEADING = re.compile(
    "|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(?:', p.pattern)})" for _k, p in HEADINGS)
)


def _heading(key: str) -> tuple[str, str, int | None]:
    if not key or len(key) > _MAX_HEADING or not _ANY_HEADING.match(key):
        return "", "", None
    for kind, pattern in HEADINGS:
        found = pattern.match(key)
        if found:
            groups = found.groupdict()
            number = groups.get("number")
            return kind, (groups.get("rest") or "").strip(), int(number) if number else None
    return "", "", None


@dataclass
class Document:
    source: Source
    lines: list[Line]  # without page footers
    footers: list[dict[str, str]] = field(default_factory=list)  # folded label → value
    last_no: int = 0  # number of the last non-blank source line

    def find(self, kind: str, start: int = 0, stop: int | None = None) -> int | None:
        """Index (in ``lines``) of the first heading of ``kind`` in [start, stop)."""
        stop = len(self.lines) if stop is None else stop
        for index in range(start, stop):
            if self.lines[index].heading == kind:
                return index
        return None

    def find_all(self, kind: str, start: int = 0, stop: int | None = None) -> list[int]:
        stop = len(self.lines) if stop is None else stop
        return [i for i in range(start, stop) if self.lines[i].heading == kind]

    def next_heading(self, start: int, kinds: frozenset[str], stop: int | None = None) -> int:
        """Index of the next heading among ``kinds`` at or after ``start`` (or ``stop``)."""
        stop = len(self.lines) if stop is None else stop
        for index in range(start, stop):
            if self.lines[index].heading in kinds:
                return index
        return stop

    def first_text(self, start: int, stop: int) -> int | None:
        """Index of the first non-blank line in [start, stop)."""
        for index in range(start, min(stop, len(self.lines))):
            if not self.lines[index].blank:
                return index
        return None

    def prose(self, start: int, stop: int) -> Iterator[Line]:
        """Non-blank lines in [start, stop), table rows included."""
        for index in range(start, min(stop, len(self.lines))):
            line = self.lines[index]
            if not line.blank:
                yield line

    def line_no(self, index: int) -> int:
        """Source line number of ``lines[index]``, or of the last line past the end."""
        if index < len(self.lines):
            return self.lines[index].no
        return self.last_no


def _is_footer_header(raw: str) -> bool:
    """« SIGLE | Type de document | Code titre | Millésime | … » (the page footer's labels)."""
    if "\t" not in raw:
        return False
    first, _tab, others = raw.partition("\t")
    return fold(clean(first)) == "sigle" and "document" in fold(others)


def _footer_values(raw_lines: list[str], index: int) -> int | None:
    """Index of the footer's value row (« CC | RE | TP-00115 | 09 | … ») after its labels at
    ``index - 1``, allowing a blank line or two between them."""
    for candidate in range(index, min(index + 3, len(raw_lines))):
        raw = raw_lines[candidate]
        if "\t" in raw:
            cells = [fold(clean(c)) for c in raw.split("\t")]
            if any(c in ("reac", "re") or c.startswith("tp-") for c in cells):
                return candidate
            return None
        if raw.strip():
            return None
    return None


_PAGE_NUMBER = re.compile(r"^\.*\s*\d{1,3}$")


def _row_heading(cells: tuple[str, ...], key: str) -> tuple[str, str, int | None]:
    """The heading of a tab-separated line: its only filled cell, or — a heading whose words
    are separated by a tab (« Critères de\tperformance ») — the whole line, unless it is a
    table-of-contents entry (« Glossaire technique | 33 »)."""
    filled = [c for c in cells if c.strip()]
    if len(filled) == 1:
        return _heading(fold(clean(filled[0])))
    found = _heading(key)
    if found[0] and found[2] is None and _PAGE_NUMBER.match(clean(filled[-1])):
        return "", "", None
    return found


def build(source: Source) -> Document:
    """Split the source into :class:`Line` objects, removing page footers."""
    text = source.text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = INVISIBLE.sub("", text).split("\n")
    lines: list[Line] = []
    footers: list[dict[str, str]] = []
    last_no = 0
    index = 0
    total = len(raw_lines)
    while index < total:
        raw = raw_lines[index]
        no = index + 1
        index += 1
        if raw.strip():
            last_no = no
        if _is_footer_header(raw):
            labels = [fold(clean(c)) for c in raw.split("\t")]
            values_at = _footer_values(raw_lines, index)
            if values_at is not None:
                values = [clean(c) for c in raw_lines[values_at].split("\t")]
                footers.append(dict(zip(labels, values, strict=False)))
                last_no = values_at + 1
                index = values_at + 1
            continue
        if "\t" in raw:
            cells = tuple(raw.split("\t"))
            text = clean(" ".join(cells))
            key = fold(text)
            heading, rest, number = _row_heading(cells, key) if text else ("", "", None)
            if heading and len([c for c in cells if c.strip()]) > 1:
                cells = ()  # a heading, not a table row
            lines.append(
                Line(no, raw, text, key, cells, heading, rest, number)
                if text
                else Line(no, raw, "", "")
            )
            continue
        text = clean(raw)
        if text and not any(ch.isalnum() for ch in text):
            text = ""  # separators such as « ***** »
        key = fold(text)
        heading, rest, number = _heading(key)
        lines.append(Line(no, raw, text, key, (), heading, rest, number))
    return Document(source=source, lines=lines, footers=footers, last_no=last_no)


def item_text(line: Line) -> str:
    """A line as a list item (bullet removed)."""
    return clean_item(line.raw) if not line.is_row else line.text
