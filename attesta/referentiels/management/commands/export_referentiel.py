from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attesta.referentiels.importers.canonical_json import dumps
from attesta.referentiels.models import CertificationVersion
from attesta.referentiels.services import load_referentiel


class Command(BaseCommand):
    help = "Affiche le JSON canonique d'une version enregistrée (par défaut la dernière publiée)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # --version means the millésime here, not Django's version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="code de la certification, par exemple TP-00115")
        parser.add_argument("--version", dest="label", help="millésime à exporter")

    def handle(self, *args: Any, **options: Any) -> None:
        versions = CertificationVersion.objects.filter(certification__code=options["code"])
        if options["label"]:
            version = versions.filter(version=options["label"]).first()
        else:
            version = (
                versions.published().order_by("-published_at", "-id").first()
                or versions.order_by("-imported_at", "-id").first()
            )
        if version is None:
            wanted = options["code"] + (
                f" millésime {options['label']}" if options["label"] else ""
            )
            raise CommandError(f"aucune version pour {wanted}", returncode=2)
        sys.stdout.write(dumps(load_referentiel(version)))
