"""Text folding for comparisons and search: one definition for the whole project (pure)."""

from __future__ import annotations

import unicodedata

_LIGATURES = str.maketrans({"’": "'", "‘": "'", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def fold_accents(text: str) -> str:
    """Accents removed, ligatures spelled out, typographic apostrophes made plain; case kept:
    « Œuvre d’Élise » → « OEuvre d'Elise ». For matching only, never for display."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
