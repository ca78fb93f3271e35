"""``attesta demo``: the accounts, référentiels, candidates and sessions of ``setup_demo``, plus
a past session per certification, assessed, deliberated and signed."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from attesta.accounts.models import Organisation, User
from attesta.evaluation.demo import deliberated_session
from attesta.evaluation.models import Minutes
from attesta.referentiels.models import CertificationVersion


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration : comptes, cinq référentiels, candidats, sessions "
        "à venir et une session délibérée par certification."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        call_command("setup_demo", stdout=self.stdout, stderr=self.stderr)
        centre = Organisation.objects.get(slug="centre-demo")
        if Minutes.objects.filter(session__organisation=centre).exists():
            self.stdout.write("Sessions délibérées de démonstration déjà présentes.")
            return
        users = {u.username: u for u in User.objects.filter(organisation__isnull=False)}
        versions = CertificationVersion.objects.published().order_by("id")
        for index, version in enumerate(versions):
            session = deliberated_session(
                centre=centre,
                version=version,
                index=index,
                manager=users["responsable"],
                president=users["jury"],
                member=users["jury2"],
                referent=users["referent"],
                candidate_account=users["candidat"] if index == 0 else None,
            )
            self.stdout.write(f"Session délibérée, procès-verbal signé : {session.label}")
