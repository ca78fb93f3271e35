"""Text helpers for référentiels converted from PDF: hygiene, folding, durations, titles.

Pure functions, no Django. Shared by the Ministry parser and usable by any importer that
reads PDF→text conversions (tab-separated tables, HTML fragments, markdown headings).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from attesta.referentiels.importers.canonical import MethodKind

# --- hygiene -------------------------------------------------------------------------

_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_STRONG = re.compile(r"\*\*|__")
_MD_EM = re.compile(r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")
# Footnote calls (« social selling¹ »), but not units such as m² or km³.
_FOOTNOTE = re.compile(r"(?<!\bm)(?<!\bcm)(?<!\bkm)(?<!\bdm)[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_SUPERSCRIPT = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_BULLET = re.compile(r"^(?:[▪•◦●■□▫‣⁃∙·]\s*)+")
_LIST_MARK = re.compile(r"^(?:[-–—*+]\s+|[-–—]\s*(?=[A-ZÀ-Ý]))")
_BLOCK_BREAK = re.compile(r"<\s*(?:/p|br\s*/?|/li|/div|/tr)\s*>|<\s*li\b[^>]*>", re.IGNORECASE)


# Invisible characters left by PDF conversions: soft hyphen, zero-width spaces, BOM.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def clean(text: str) -> str:
    """Plain text: no HTML, no markdown markup, no footnote calls, whitespace collapsed."""
    if "<" in text:
        text = _TAG.sub(" ", _SUP.sub("", text))
    if "&" in text:
        text = html.unescape(text)
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    if not text.isascii() and _SUPERSCRIPT.search(text):
        text = _FOOTNOTE.sub("", text)
    if "*" in text or "_" in text or "\\" in text:
        text = _MD_STRONG.sub("", text)
        text = _MD_EM.sub(r"\1", text)
        text = _MD_ESCAPE.sub(r"\1", text)
    text = " ".join(text.split())  # any Unicode space (U+00A0, U+202F…) → one space
    return _BULLET.sub("", text) if text and not text[0].isalnum() else text


def clean_item(text: str) -> str:
    """A list item: :func:`clean` plus the leading bullet (« - », « ▪ ») removed."""
    text = clean(text)
    return _LIST_MARK.sub("", text).strip()


def html_items(raw: str) -> list[str]:
    """The paragraphs / list items of an HTML-ish table cell, each cleaned."""
    parts = _BLOCK_BREAK.split(raw)
    return [item for item in (clean_item(part) for part in parts) if item]


def is_list_item(raw: str) -> bool:
    return bool(_LIST_MARK.match(raw.strip()))


def is_checked(raw_cell: str) -> bool:
    """A checkbox cell of the RE criteria matrix."""
    if "checkbox" in raw_cell.lower():
        return re.search(r"\bchecked\b", raw_cell, re.IGNORECASE) is not None
    return clean(raw_cell).lower() in {"x", "☒", "☑", "✓", "✔", "oui"}


# --- folding (comparison keys) -------------------------------------------------------


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in base if not unicodedata.combining(c))
        if base != char and base.isascii():
            table[code] = base
    table.update(
        {
            ord("œ"): "oe",
            ord("Œ"): "OE",
            ord("æ"): "ae",
            ord("Æ"): "AE",
            ord("ß"): "ss",
            ord("’"): "'",
            ord("‘"): "'",
            ord("ʼ"): "'",
            ord("´"): "'",
            ord("`"): "'",
            ord("–"): "-",
            ord("—"): "-",
            ord("‑"): "-",
            ord("‐"): "-",
            ord("\u00a0"): " ",
            ord("\u202f"): " ",
            ord("º"): "°",
        }
    )
    return table


_FOLD = _fold_table()
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, quotes and dashes unified, whitespace collapsed."""
    return " ".join(text.translate(_FOLD).lower().split())


def match_key(text: str) -> str:
    """Comparison key for titles: :func:`fold` keeping only letters and digits."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


# --- numbers, durations, dates -------------------------------------------------------

NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
}

_HOURS = re.compile(r"(\d{1,3})\s*h(?:eures?)?(?:\s*(\d{1,2})(?:\s*(?:min(?:utes?)?|mn))?)?\b")
_MINUTES = re.compile(r"(\d{1,4})\s*(?:min(?:utes?)?|mn)\b")


def parse_duration(text: str) -> int | None:
    """Minutes in « 01 h 45 min », « 4 h », « 1 h 30 », « 45 minutes »; None if absent."""
    folded = fold(text)
    hours = _HOURS.search(folded)
    if hours:
        return int(hours.group(1)) * 60 + int(hours.group(2) or 0)
    minutes = _MINUTES.search(folded)
    if minutes:
        return int(minutes.group(1))
    return None


def parse_number(word: str) -> int | None:
    word = fold(word)
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def parse_date(text: str) -> str | None:
    """ISO date from the first « jj/mm/aaaa » in the text."""
    found = _DATE.search(text)
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- assessment methods --------------------------------------------------------------

_METHOD_KEYS: tuple[tuple[re.Pattern[str], MethodKind], ...] = (
    (re.compile(r"\bmise en situation\b"), MethodKind.PROFESSIONAL_SITUATION),
    (re.compile(r"\bentretien technique\b"), MethodKind.TECHNICAL_INTERVIEW),
    (re.compile(r"\bquestionn\w* a partir\b"), MethodKind.QUESTIONING_FROM_PRODUCTIONS),
    (re.compile(r"\bquestionnaire professionnel\b"), MethodKind.PROFESSIONAL_QUESTIONNAIRE),
    (re.compile(r"\bentretien final\b"), MethodKind.FINAL_INTERVIEW),
    (re.compile(r"\bpresentation d'un projet\b"), MethodKind.OTHER),
)


def method_kind(name: str) -> MethodKind | None:
    """The kind of an assessment method named as in a Ministry RE; None if not one."""
    key = fold(clean(name))
    for pattern, kind in _METHOD_KEYS:
        if pattern.search(key):
            return kind
    return None


# --- titles --------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleMatch:
    code: str
    title: str  # the reference title
    text: str  # the text found in the document
    score: float  # 100 = identical after normalisation

    @property
    def exact(self) -> bool:
        return self.score >= 100


_SKIP_COST = 0.9  # per character of a word left out of every title
_IGNORABLE = {"", "et", "ou", "sans objet", "neant", "aucune", "aucun"}


class TitleMatcher:
    """Match titles found in a document against reference titles (codes → titles).

    Exact after :func:`match_key` normalisation gives score 100; otherwise the best
    ``rapidfuzz`` score at or above ``threshold`` is a match (to be reported as
    approximate); below it, no match.
    """

    def __init__(self, items: Sequence[tuple[str, str]], threshold: float = 85.0) -> None:
        self.items = list(items)
        self.threshold = threshold
        self._keys = [match_key(title) for _, title in self.items]
        self._exact = {key: index for index, key in reversed(list(enumerate(self._keys)))}
        self._lengths = sorted({len(key.split()) for key in self._keys if key})

    def _hit(self, index: int, text: str, score: float) -> TitleMatch:
        code, title = self.items[index]
        return TitleMatch(code=code, title=title, text=text, score=score)

    def match(self, text: str) -> TitleMatch | None:
        key = match_key(text)
        if not key:
            return None
        if key in self._exact:
            return self._hit(self._exact[key], text, 100.0)
        best_index, best_score = -1, 0.0
        for index, candidate in enumerate(self._keys):
            score = max(fuzz.ratio(key, candidate), fuzz.token_sort_ratio(key, candidate))
            if score > best_score:
                best_index, best_score = index, score
        if best_index < 0 or best_score < self.threshold:
            return None
        return self._hit(best_index, text, min(best_score, 99.9))

    def segment(self, text: str) -> tuple[list[TitleMatch], list[str]]:
        """Split text listing several titles run together (« Titre A Titre B … »).

        Returns the titles found, in order, and the fragments matching none.
        Dynamic programming over word positions: each word is either part of a segment
        matched to a reference title (cost: characters to insert or delete to get the
        title, the segment's similarity being at least ``threshold``) or left unmatched
        (cost: slightly less than its length, so stray words are not absorbed).
        """
        words = [w for w in clean(text).split(" ") if match_key(w)]
        keys = [match_key(w) for w in words]
        count = len(words)
        if not count:
            return [], []
        whole = " ".join(keys)
        if whole in self._exact:
            return [self._hit(self._exact[whole], " ".join(words), 100.0)], []
        cost = [0.0] * (count + 1)
        choice: list[tuple[int, int, float]] = [(0, -1, 0.0)] * (count + 1)
        spans = sorted({n + d for n in self._lengths for d in (-2, -1, 0, 1, 2) if n + d > 0})
        for start in range(count - 1, -1, -1):
            skip = _SKIP_COST * (len(keys[start]) + 1)
            best = (skip + cost[start + 1], (start + 1, -1, 0.0))
            for span in spans:
                end = start + span
                if end > count:
                    break
                segment = " ".join(keys[start:end])
                if segment in self._exact:
                    index, score, distance = self._exact[segment], 100.0, 0
                else:
                    found = process.extractOne(
                        segment, self._keys, scorer=fuzz.ratio, score_cutoff=self.threshold
                    )
                    if found is None:
                        continue
                    index, score = found[2], min(float(found[1]), 99.9)
                    distance = Indel.distance(segment, self._keys[index])
                candidate = distance + cost[end]
                if candidate < best[0] - 1e-9:
                    best = (candidate, (end, index, score))
            cost[start] = best[0]
            choice[start] = best[1]
        matches: list[TitleMatch] = []
        leftovers: list[str] = []
        pending: list[str] = []
        position = 0
        while position < count:
            end, index, score = choice[position]
            if index < 0:
                pending.append(words[position])
            else:
                if pending:
                    leftovers.append(" ".join(pending))
                    pending = []
                matches.append(self._hit(index, " ".join(words[position:end]), score))
            position = end
        if pending:
            leftovers.append(" ".join(pending))
        return matches, [f for f in leftovers if match_key(f) not in _IGNORABLE]


def is_void(text: str) -> bool:
    """« Sans objet », « Néant », empty…"""
    return match_key(text) in _IGNORABLE
