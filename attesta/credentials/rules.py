"""Rules of the issued documents: verification codes, fingerprints, and what each document
derived from the minutes states. Pure functions, no database.

Verification code
    12 characters drawn with ``secrets`` from Crockford's base32 alphabet (digits and capital
    letters without I, L, O, U: nothing to misread), shown in three groups of four,
    ``7KQ2-M9XD-4TNB``: 60 random bits, so codes cannot be guessed nor enumerated. What a
    person types is normalised the Crockford way (case, spaces and dashes ignored, O read 0,
    I and L read 1).

Fingerprint
    SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of the document's kind, whom
    it is about and everything it states. The same content gives the same fingerprint, hence
    the same issued document and code: asking again for a document returns the one already
    issued.

Statement
    What the public verification page may show of a document: its title, a list of facts
    (label, value) and a list of items (the blocks obtained…), nothing more than the PDF
    prints. For the jury's grids and the minutes: the kind, session and date (and the
    candidate's name on a grid), never a mark nor a decision.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any, TypedDict

from attesta.evaluation.rules import minutes_entry, result_document_kinds

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})

TITRE_PROFESSIONNEL = "titre_professionnel"  # canonical Kind value (referentiels.importers)
MINISTRY_NOTICE = (
    "Le titre professionnel est délivré par le ministère chargé de l'emploi : "
    "ce relevé présente les résultats de la session et ne vaut pas titre."
)
DRAFT_LABEL = "Projet – en attente de signatures"
FINAL_LABEL = "Définitif – signé par tous les membres du jury"


# --- verification codes --------------------------------------------------------------------


def new_code() -> str:
    """A fresh random verification code, grouped: ``XXXX-XXXX-XXXX``."""
    return group("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def group(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise_code(typed: str) -> str | None:
    """The grouped code a person meant, or None when it cannot be a code."""
    raw = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(raw) != CODE_LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return group(raw)


# --- fingerprints --------------------------------------------------------------------------


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(
    kind: str, content: Mapping[str, Any], about: Mapping[str, int] | None = None
) -> str:
    """``about``: whom the document is about (seat, candidate ids), so that two namesakes
    with the same results never share a document."""
    data = {"kind": kind, "about": dict(about or {}), "content": content}
    return hashlib.sha256(canonical_json(data)).hexdigest()


# --- statements ----------------------------------------------------------------------------


class Statement(TypedDict):
    title: str
    facts: list[list[str]]  # [label, value]
    items_label: str
    items: list[str]


def statement(
    title: str, facts: list[tuple[str, str]], items_label: str = "", items: list[str] | None = None
) -> Statement:
    return {
        "title": title,
        "facts": [[label, value] for label, value in facts if value],
        "items_label": items_label,
        "items": list(items or []),
    }


# --- documents derived from the minutes ----------------------------------------------------


class ResultError(ValueError):
    """The minutes do not support the document asked for (message in French)."""


def candidate_entry(content: Mapping[str, Any], seat_id: int) -> Mapping[str, Any]:
    entry = minutes_entry(content, seat_id)
    if entry is None:
        raise ResultError("Ce candidat ne figure pas au procès-verbal.")
    return entry


def is_titre_professionnel(content: Mapping[str, Any]) -> bool:
    return bool(content["certification"]["kind"] == TITRE_PROFESSIONNEL)


def obtained_blocks(entry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [b for b in entry["blocks"] if b["obtained"]]


def available_result_kinds(content: Mapping[str, Any], seat_id: int) -> list[str]:
    """The result documents (``DocumentKind`` values) a signed minutes content supports for
    one candidate (the rule lives with the jury's rules)."""
    return result_document_kinds(content, seat_id)


def block_line(block: Mapping[str, Any], origin: str) -> str:
    extension = " (bloc d'extension)" if block.get("extension") else ""
    return f"{block['code']} – {block['title']}{extension} : {origin}"


def block_origin(
    block: Mapping[str, Any], session_label: str, earlier: Mapping[str, tuple[str, date]]
) -> str:
    """How a block was obtained, in French. ``earlier``: block code → (source, date) of the
    candidate's record, for the blocks capitalised before the session."""
    source = block.get("source")
    if source == "session":
        return f"obtenu à la session « {session_label} »"
    if source == "correspondence":
        return "acquis par correspondance avec la version précédente du référentiel"
    found = earlier.get(block["code"])
    if found is not None:
        return f"acquis antérieurement ({found[0]}, le {found[1]:%d/%m/%Y})"
    return "acquis antérieurement"
