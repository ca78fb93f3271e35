from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attesta.referentiels.importers.canonical import Referentiel
from attesta.referentiels.importers.canonical_json import dumps
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.reader import override_identity, parse


def add_identity_arguments(parser: CommandParser) -> None:
    parser.add_argument("--code", help="code de la certification, à la place de celui lu")
    parser.add_argument("--title", help="intitulé, à la place de celui lu")
    parser.add_argument("--millesime", help="millésime, à la place de celui lu")


def read_document(options: dict[str, Any]) -> Referentiel:
    """Parse the file given on the command line; exit status 2 with file and line on failure."""
    path = options["file"]
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path} : fichier introuvable", returncode=2)
    try:
        referentiel = parse(file.read_bytes(), filename=file.name)
    except ImportFailure as failure:
        raise CommandError(str(failure), returncode=2) from failure
    return override_identity(
        referentiel, code=options["code"], title=options["title"], version=options["millesime"]
    )


class Command(BaseCommand):
    help = (
        "Affiche le JSON canonique d'un référentiel (REAC/RE, tableau, JSON) sans rien enregistrer."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="document du référentiel")
        add_identity_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        referentiel = read_document(options)
        sys.stdout.write(dumps(referentiel))
        for warning in referentiel.warnings:
            where = f"ligne {warning.line}" if warning.line else "document"
            self.stderr.write(f"avertissement ({where}) : {warning.message}")
