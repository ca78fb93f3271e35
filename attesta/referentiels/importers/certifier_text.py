"""Text helpers for the certifier-table parser: HTML cell fragments → clean text and tokens.

The PDF→text conversion leaves HTML fragments in the cells (``<p>``, ``<ul>`` often left
open, ``<li>``, ``<i>``, ``<u>``, ``<br>``) and bullets as glyphs (✓, •) or as `` - ``
inside a list. :func:`tokenize` turns a cell into paragraphs and list items; everything
else here is small, pure text hygiene. No Django, no I/O.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from attesta.core.text import fold_accents

# Tags that delimit paragraphs or list items; every other tag is inline and just dropped.
_STRUCT_TAG = re.compile(r"<\s*(/?)\s*(p|ul|ol|li|br|div)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_WS = re.compile(r"\s+")
# Bullet glyphs that always start an item, wherever they stand.
# (U+F0A7, U+F0B7, U+F0D8, U+F0FC, U+F0FE: Wingdings bullets and ticks left by PDF tools)
_GLYPH_BULLET = re.compile("\\s*([✓✔☑•▪●◦■➢➤►\uf0a7\uf0b7\uf0d8\uf0fc\uf0fe])\\s*")
# A dash bullet: only inside a list (« <ul> - en définissant… - en mobilisant… »).
_DASH_BULLET = re.compile(r"(?:^|\s)([-–—])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"“A-ZÀ-ÖØ-Ý])")
# « …commerciale Suivi de la relation… »: a heading glued to the text that follows it.
_CAPITAL_BREAK = re.compile(r"(?<=[a-zà-öø-ÿ]) (?=[A-ZÀ-ÖØ-Ý][a-zà-öø-ÿ])")
_TRAILING_PUNCT = re.compile(r"[\s:;,–—-]+$")


@dataclass
class Token:
    """A paragraph (``bullet == ""``) or a list item (``bullet`` is ✓, •, -, li or ul)."""

    text: str
    bullet: str = ""
    tagged: bool = False  # inside a <p> or <li> (as opposed to loose text in the cell)

    @property
    def is_item(self) -> bool:
        return self.bullet != ""


def clean(fragment: str) -> str:
    """Plain text of an HTML fragment: tags, entities, bullet glyphs and extra spaces gone."""
    text = _STRUCT_TAG.sub(" ", fragment)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    text = _GLYPH_BULLET.sub(" ", text)
    return _WS.sub(" ", text).strip()


def _inline(chunk: str) -> str:
    text = html.unescape(_ANY_TAG.sub("", chunk)).replace("\xa0", " ")
    return _WS.sub(" ", text).strip()


def tokenize(fragment: str) -> list[Token]:
    """Split a cell into paragraphs and list items, in order.

    ``<p>`` and ``<br>`` start paragraphs; ``<li>``, bullet glyphs, and `` - `` after an
    (often unclosed) ``<ul>`` start items; a ``<p>`` closes the list context.
    """
    tokens: list[Token] = []
    in_list = False
    in_item = False
    in_para = False
    position = 0

    def emit(chunk: str) -> None:
        text = _inline(chunk)
        if not text:
            return
        parts = _GLYPH_BULLET.split(text)
        # parts = [lead, glyph, text, glyph, text…]
        lead, rest = parts[0], parts[1:]
        if in_list and not rest and not in_item:
            dashed = _DASH_BULLET.split(" " + lead)
            if len(dashed) > 1:
                lead, rest = dashed[0], dashed[1:]
        lead = lead.strip()
        if lead:
            bullet = "li" if in_item else ("ul" if in_list else "")
            tokens.append(Token(lead, bullet, in_para or in_item))
        for i in range(0, len(rest) - 1, 2):
            item = rest[i + 1].strip()
            if item:
                tokens.append(Token(item, rest[i], in_para or in_item))

    for match in _STRUCT_TAG.finditer(fragment):
        emit(fragment[position : match.start()])
        position = match.end()
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if tag in ("ul", "ol"):
            in_list = not closing
            in_item = in_para = False
        elif tag == "li":
            in_item = not closing
        elif tag == "p":
            in_para = not closing
            if not closing:
                in_list = in_item = False
    emit(fragment[position:])
    return tokens


def flatten(tokens: list[Token], separator: str = " ") -> str:
    """Tokens back to one text; items keep a leading dash as the source lists do."""
    parts = [f"- {t.text}" if t.is_item else t.text for t in tokens]
    return separator.join(parts).strip()


def sentences(text: str) -> list[str]:
    """Split prose into sentences at a final stop followed by a capital letter."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def first_sentence(text: str) -> str:
    parts = sentences(text)
    return parts[0] if parts else ""


def heading_part(text: str) -> str:
    """The heading at the start of ``text``, cut where the running text begins."""
    head = _CAPITAL_BREAK.split(text, maxsplit=1)[0]
    return strip_trailing(head)


def strip_trailing(text: str) -> str:
    """Drop trailing colons, semicolons, commas, dashes and a final full stop."""
    text = _TRAILING_PUNCT.sub("", text.strip())
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.strip()


def shorten(text: str, limit: int = 200, *, ellipsis: bool = False) -> str:
    """At most ``limit`` characters, cut at a word boundary (with « … » if asked)."""
    if len(text) <= limit:
        return text
    cut = strip_trailing(text[:limit].rsplit(" ", 1)[0])
    return f"{cut}…" if ellipsis else cut


def fold(text: str) -> str:
    """Lowercase, accents removed, typographic apostrophes made plain: for matching only."""
    return fold_accents(text).lower()


_FUNCTION_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "e",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
)


def sentence_case(title: str) -> str:
    """« CHARGÉ.E DU DÉVELOPPEMENT COMMERCIAL » → « Chargé.e du développement commercial ».

    Only applied to all-caps titles. Words of three letters or fewer that are not French
    function words (RH, BTP, PME…) are taken for acronyms and kept as they are.
    """
    letters = [c for c in title if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return title
    words = []
    for word in title.split(" "):
        bare = re.sub(r"[^\w]", "", word)
        lowered_bare = fold(bare)
        if len(bare) <= 3 and lowered_bare not in _FUNCTION_WORDS and "." not in word:
            words.append(word)
        else:
            words.append(word.lower())
    result = " ".join(words)
    return result[:1].upper() + result[1:]


def slug(text: str) -> str:
    """Uppercase ASCII slug: « Attaché commercial » → « ATTACHE-COMMERCIAL »."""
    text = re.sub(r"(?<=\w)(?:[.·•]e\b|\(e\))", "", text)  # « Chargé.e », « Chargé(e) »
    ascii_text = fold(text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-").upper()
