from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attesta.referentiels.importers.canonical_json import dumps
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.reader import parse


def read_document(path: str) -> Any:
    """Parse a file given on the command line; exit status 2 with file and line on failure."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path} : fichier introuvable", returncode=2)
    try:
        return parse(file.read_bytes(), filename=file.name)
    except ImportFailure as failure:
        raise CommandError(str(failure), returncode=2) from failure


class Command(BaseCommand):
    help = (
        "Affiche le JSON canonique d'un référentiel (REAC/RE, tableau, JSON) sans rien enregistrer."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="document du référentiel")

    def handle(self, *args: Any, **options: Any) -> None:
        referentiel = read_document(options["file"])
        sys.stdout.write(dumps(referentiel))
        for warning in referentiel.warnings:
            where = f"ligne {warning.line}" if warning.line else "document"
            self.stderr.write(f"avertissement ({where}) : {warning.message}")
