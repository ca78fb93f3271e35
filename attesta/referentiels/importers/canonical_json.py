"""Our own canonical JSON (see docs/referentiel.schema.json): lossless round trip."""

from __future__ import annotations

import json

from attesta.referentiels.importers.canonical import FORMAT, Referentiel
from attesta.referentiels.importers.source import Source


def looks_like(source: Source) -> bool:
    return source.text.lstrip().startswith("{")


def parse(source: Source) -> Referentiel:
    try:
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        raise source.fail(f"JSON invalide : {exc.msg}", line=exc.lineno) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise source.fail(f"JSON sans « format » : « {FORMAT} » attendu", line=1, field="format")
    try:
        referentiel = Referentiel.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise source.fail(f"JSON canonique invalide : {exc}", line=1) from exc
    problems = referentiel.problems()
    if problems:
        field, message = problems[0]
        raise source.fail(f"JSON canonique invalide : {message}", line=1, field=field)
    referentiel.source_format = referentiel.source_format or "canonical"
    return referentiel


def dumps(referentiel: Referentiel) -> str:
    return json.dumps(referentiel.to_dict(), ensure_ascii=False, indent=2) + "\n"
