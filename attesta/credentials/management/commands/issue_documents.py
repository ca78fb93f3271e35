from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attesta.credentials import rules, services
from attesta.credentials.models import IssuedDocument
from attesta.evaluation import services as evaluation
from attesta.exams.models import ExamSession


class Command(BaseCommand):
    help = (
        "Délivre le procès-verbal d'une session et, une fois signé, les attestations, "
        "certificats ou relevés de résultats de ses candidats ; affiche leurs codes de "
        "vérification (les documents déjà délivrés sont repris tels quels)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("session_id", type=int)
        parser.add_argument("--output", type=Path, help="dossier où copier les PDF")

    def handle(self, *args: Any, **options: Any) -> None:
        session = (
            ExamSession.objects.select_related("organisation", "version__certification")
            .filter(pk=options["session_id"])
            .first()
        )
        if session is None:
            raise CommandError(f"session {options['session_id']} inconnue", returncode=2)
        minutes = evaluation.latest_minutes(session)
        if minutes is None:
            raise CommandError("aucun procès-verbal établi pour cette session", returncode=2)
        issued = [("", services.minutes_document(minutes=minutes, actor=None))]
        signed = evaluation.signed_minutes(session)
        if signed is None:
            self.stderr.write("Procès-verbal non signé par tout le jury : pas de résultats.")
        else:
            seats = session.candidates.select_related("enrolment__candidate").order_by(
                "position", "id"
            )
            for seat in seats:
                name = services.full_name(seat.enrolment.candidate)
                kinds = rules.available_result_kinds(signed.content, seat.pk)
                if "attestation" in kinds:
                    issued.append((name, services.attestation_document(seat=seat, actor=None)))
                if {"certificate", "results_summary"} & set(kinds):
                    issued.append((name, services.certificate_document(seat=seat, actor=None)))
        output: Path | None = options["output"]
        if output is not None:
            output.mkdir(parents=True, exist_ok=True)
        for name, document in issued:
            line = f"{document.code}  {document.get_kind_display()}"
            self.stdout.write(f"{line}  {name}" if name else line)
            if output is not None:
                _copy(document, output / f"{document.kind}-{document.code}.pdf")


def _copy(document: IssuedDocument, target: Path) -> None:
    with document.pdf.open("rb") as stream:
        target.write_bytes(stream.read())
