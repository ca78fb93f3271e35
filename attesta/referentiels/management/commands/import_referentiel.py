from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attesta.accounts.models import Organisation
from attesta.referentiels.management.commands.convert_referentiel import (
    add_identity_arguments,
    read_document,
)
from attesta.referentiels.services import ReferentielConflict, store_referentiel


class Command(BaseCommand):
    help = "Importe un référentiel comme version brouillon (ou publiée) et affiche le rapport."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="document du référentiel")
        parser.add_argument("--publish", action="store_true", help="publier la version importée")
        parser.add_argument(
            "--organisation", help="identifiant (slug) de l'organisation propriétaire"
        )
        add_identity_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(
                    f"organisation « {options['organisation']} » inconnue", returncode=2
                )
        referentiel = read_document(options)
        try:
            version = store_referentiel(
                referentiel=referentiel,
                organisation=organisation,
                actor=None,
                filename=Path(options["file"]).name,
                publish=options["publish"],
            )
        except ReferentielConflict as conflict:
            raise CommandError(str(conflict), returncode=2) from conflict
        blocks = len(referentiel.blocks)
        competencies = len(referentiel.competencies())
        criteria = sum(len(c.criteria) for c in referentiel.competencies())
        self.stdout.write(
            f"{version.certification.code} « {version.certification.title} », millésime "
            f"{version.version} : {version.get_status_display().lower()} ; {blocks} blocs, "
            f"{competencies} compétences, {criteria} critères, {len(referentiel.exams)} épreuves."
        )
        self.stdout.write(f"{len(referentiel.warnings)} avertissement(s)")
        for warning in referentiel.warnings:
            where = f"ligne {warning.line}" if warning.line else "document"
            self.stdout.write(f"- {where} [{warning.code.value}] {warning.message}")
