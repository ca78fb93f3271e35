"""Reading the « critères d'évaluation » column of a certifier table.

A competency's criteria come in one of four shapes, sometimes spread over several rows:

- coded: « CR2.1.5 Sentence. Sentence. » — one criterion per code, whatever it holds;
- checked: « Qualité du fichier : ✓ criterion ✓ criterion » — ✓ items are the criteria,
  a short noun phrase before them is their group;
- paragraphs: « <p>criterion</p> <p>criterion :</p> <ul> - detail - detail » — one per
  paragraph, a list after a sentence ending with a colon belongs to that sentence;
- plain text, or a cell that is a single paragraph: each sentence is a criterion;
- a paragraph listing items without tags (« - a - b », « 1) a 2) b ») gives one per item.

A row that continues a competency (page break) and starts in lowercase continues the last
criterion. Pure functions, no Django.
"""

from __future__ import annotations

import re

from attesta.referentiels.importers.canonical import Criterion
from attesta.referentiels.importers.certifier_text import (
    Token,
    flatten,
    sentences,
    strip_trailing,
)

# « CR2.1.5 » (critère), « CE1.2 » (critère d'évaluation)
CRITERION_CODE = re.compile(r"(?<![\w.])(C[RE])\s?(\d{1,2}(?:\.\d{1,2})*[a-z]?)\b")
# Items a paragraph lists without tags: « - a - b », « 1) a 2) b », « 1. a 2. b », « a) b) ».
_DASH_START = re.compile(r"^[-–—]\s+")
_DASH_ITEM = re.compile(r"\s+[-–—]\s+")
_ENUMERATOR = re.compile(r"(?:^|(?<=\s))(\d{1,2}|[a-h])\s?([).])\s+")
CHECK_BULLETS = frozenset("✓✔☑\uf0fc\uf0fe")
# A criteria group heading is a noun phrase (« Qualité de la méthodologie de l'analyse »);
# a sentence introducing a list (« L'analyse des attentes … permet au candidat : ») has a
# subject and a verb.
_SUBJECT_START = re.compile(
    r"^(?:le|la|les|l['’]|un|une|des|du|il|elle|ils|elles|on|son|sa|ses|leur|leurs|ce|cette|"
    r"ces|à|a|au|aux|en|dans|lors|pour|si)\b",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"\b(?:est|sont|a|ont|permet|permettent|doit|doivent|peut|peuvent|fait|font|sait|savent)\b"
)


def is_group_heading(text: str) -> bool:
    body = strip_trailing(text)
    words = body.split()
    return (
        0 < len(words) <= 12
        and ". " not in body
        and not _SUBJECT_START.match(body)
        and not _VERB.search(body.lower())
    )


class CriteriaReader:
    """Criteria of one competency, fed cell by cell (a competency may span several rows)."""

    def __init__(self) -> None:
        self.criteria: list[Criterion] = []
        self.group: str | None = None
        # After a group heading, list items are criteria; after a sentence, its details.
        self.items_are_criteria = True

    def _new(self, text: str, code: str | None = None) -> None:
        text = text.strip()
        if text:
            self.criteria.append(Criterion(text=text, code=code, group=self.group))

    def _append(self, text: str) -> None:
        if self.criteria:
            last = self.criteria[-1]
            last.text = f"{last.text} {text}".strip()
        else:
            self._new(text)

    def read(self, tokens: list[Token], continuation: bool) -> None:
        """Read one cell; ``continuation`` when the row carries no new competency."""
        if not tokens:
            return
        if any(CRITERION_CODE.match(t.text) for t in tokens):
            self._coded(flatten(tokens))
            return
        tokens = [item for token in tokens for item in _split_items(token)]
        checked = any(t.bullet in CHECK_BULLETS for t in tokens)
        # A cell that is one paragraph is read like plain text: a sentence per criterion.
        paragraphs = any(t.tagged and not t.is_item for t in tokens) and len(tokens) > 1
        for i, token in enumerate(tokens):
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if token.is_item:
                self._item(token, checked)
            elif i == 0 and continuation and token.text[:1].islower() and self.criteria:
                self._append(token.text)
            elif token.text.endswith(":") or (
                checked and following is not None and following.bullet in CHECK_BULLETS
            ):
                self._colon(token)
            elif paragraphs:
                self._new(token.text)
                self.items_are_criteria = False
            else:
                for sentence in sentences(token.text):
                    self._new(sentence)
                self.items_are_criteria = False

    def _item(self, token: Token, checked: bool) -> None:
        if checked:
            if token.bullet in CHECK_BULLETS:
                self._new(token.text)
            else:
                self._append(f"- {token.text}")
        elif self.items_are_criteria or not self.criteria:
            self._new(token.text)
        else:
            self._append(f"- {token.text}")

    def _colon(self, token: Token) -> None:
        """A paragraph ending with a colon: a group heading, or a sentence with a list."""
        if is_group_heading(token.text):
            self.group = strip_trailing(token.text)
            self.items_are_criteria = True
        else:
            self._new(token.text)
            self.items_are_criteria = False

    def _coded(self, flat: str) -> None:
        """« CR1.1.1 Sentence. Sentence. » — one criterion per code."""
        matches = list(CRITERION_CODE.finditer(flat))
        lead = flat[: matches[0].start()].strip()
        if lead:
            if self.criteria:
                self._append(lead)
            else:
                self.group = strip_trailing(lead)
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(flat)
            text = flat[match.end() : end].strip().lstrip("-–—:. ").strip()
            self._new(text, match.group(1) + match.group(2))


def _split_items(token: Token) -> list[Token]:
    """A paragraph that is really a list written without tags, as one item token each."""
    if token.is_item:
        return [token]
    if _DASH_START.match(token.text):
        parts = _DASH_ITEM.split(_DASH_START.sub("", token.text))
        return [Token(p.strip(), "-", token.tagged) for p in parts if p.strip()]
    items = enumerated(token.text)
    if items:
        return [Token(item, "1)", token.tagged) for item in items]
    return [token]


def enumerated(text: str) -> list[str] | None:
    """« 1) a 2) b », « 1. a 2. b », « a) x b) y »: the items, if the text starts with the
    first enumerator and the others follow in order (1, 2, 3… or a, b, c…) with the same
    punctuation."""
    found = list(_ENUMERATOR.finditer(text))
    if not found or found[0].start() != 0:
        return None
    first, mark = found[0].group(1), found[0].group(2)
    if first not in ("1", "a") or (first == "a" and mark != ")"):
        return None
    labels = [str(n) for n in range(1, 100)] if first == "1" else list("abcdefgh")
    starts: list[re.Match[str]] = []
    for match in found:
        expected = labels[len(starts)] if len(starts) < len(labels) else None
        if match.group(2) == mark and match.group(1) == expected:
            starts.append(match)
    if len(starts) < 2:
        return None
    items = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        items.append(text[match.end() : end].strip())
    return [item for item in items if item]
