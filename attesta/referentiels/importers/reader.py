"""Reading any supported document: bytes in, a canonical :class:`Referentiel` out.

``parse`` recognises the format, runs the matching parser, then the format-independent
checks, and raises :class:`ImportFailure` (file, line, field) on anything it cannot read.
Nothing here touches the database.
"""

from __future__ import annotations

from attesta.referentiels.importers import canonical_json, certifier, checks, ministry
from attesta.referentiels.importers.canonical import ImportWarning, Referentiel, WarningCode
from attesta.referentiels.importers.source import Source, decode

DEFAULT_VERSION = "1"


def parse(data: bytes, *, filename: str) -> Referentiel:
    return parse_source(decode(data, filename=filename))


def parse_source(source: Source) -> Referentiel:
    for module in (canonical_json, ministry, certifier):
        if module.looks_like(source):
            referentiel = module.parse(source)
            break
    else:
        raise source.fail(
            "format non reconnu : ni un REAC/RE de titre professionnel, ni un tableau de "
            "référentiel de certificateur, ni un JSON canonique Attesta",
            line=1,
        )
    problems = referentiel.problems()
    if problems:
        field, message = problems[0]
        raise source.fail(f"référentiel incohérent : {message}", field=field)
    if not referentiel.version:
        referentiel.version = DEFAULT_VERSION
        referentiel.warnings.append(
            ImportWarning(
                code=WarningCode.OTHER,
                message=(
                    f"le document n'indique pas de millésime : version « {DEFAULT_VERSION} » "
                    "par défaut (précisez-le à l'import si besoin)"
                ),
                line=1,  # where a document identifies itself
            )
        )
    if module is not canonical_json:  # a canonical JSON carries its own warnings
        referentiel.warnings.extend(checks.check(referentiel))
        referentiel.warnings.sort(key=lambda w: (w.line is None, w.line or 0))
    return referentiel


def override_identity(
    referentiel: Referentiel,
    *,
    code: str | None = None,
    title: str | None = None,
    version: str | None = None,
) -> Referentiel:
    """What the person importing knows better than a document that lacks it (a certifier table
    without title or millésime): the given values replace the parsed ones."""
    if code:
        referentiel.code = code.strip()
    if title:
        referentiel.title = title.strip()
    if version:
        referentiel.version = version.strip()
    return referentiel
