from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from attesta.accounts.enums import OrganisationKind, Role
from attesta.accounts.models import Organisation, User
from attesta.referentiels.importers.reader import override_identity, parse
from attesta.referentiels.models import CertificationVersion
from attesta.referentiels.services import store_referentiel

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# The seed files, with what the person importing them would type where a document is silent
# or wrong (the certifier tables give no millésime; one gives no title, one drops an accent).
SEED_FILES: list[tuple[str, dict[str, str]]] = [
    ("cc-tp-00115-reac-re.txt", {}),
    ("ntc-tp-00338-reac-re.md", {}),
    ("attache-commercial.txt", {"title": "Attaché commercial"}),
    ("developpement-commercial.txt", {"title": "Développement commercial"}),
    ("charge-developpement-commercial.txt", {}),
]

# (username, first name, last name, role, organisation slug, staff)
ACCOUNTS = [
    ("admin", "Alice", "Administratrice", Role.ADMINISTRATOR, "certificateur-demo", True),
    ("responsable", "Rémi", "Responsable", Role.SESSION_MANAGER, "centre-demo", False),
    ("jury", "Jeanne", "Jury", Role.ASSESSOR, "centre-demo", False),
    ("referent", "Raphaël", "Référent", Role.DISABILITY_REFERENT, "centre-demo", False),
    ("candidat", "Camille", "Candidate", Role.CANDIDATE, "centre-demo", False),
]
ORGANISATIONS = [
    ("certificateur-demo", "Certificateur démo", OrganisationKind.CERTIFIER),
    ("centre-demo", "Centre d'examen démo", OrganisationKind.EXAM_CENTRE),
]


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"


class Command(BaseCommand):
    help = "Crée (ou remet à zéro) les comptes de démonstration et importe les cinq référentiels."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organisations = {}
        for slug, name, kind in ORGANISATIONS:
            organisations[slug], _ = Organisation.objects.update_or_create(
                slug=slug, defaults={"name": name, "kind": kind}
            )
        self.stdout.write("Comptes de démonstration (identifiant / mot de passe / rôle) :")
        for username, first, last, role, org, staff in ACCOUNTS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.attesta.invalid",
                    "role": role,
                    "organisation": organisations[org],
                    "is_staff": staff,
                    "is_superuser": staff,
                },
            )
            user.set_password(demo_password(username))
            user.save()
            self.stdout.write(f"  {username:<12} {demo_password(username):<22} {role.label}")
        certifier = organisations["certificateur-demo"]
        for name, identity in SEED_FILES:
            referentiel = override_identity(
                parse((SEEDS / name).read_bytes(), filename=name), **identity
            )
            label = referentiel.version
            done = CertificationVersion.objects.published().filter(
                certification__code=referentiel.code, version=label
            )
            if done.exists():
                self.stdout.write(f"Déjà publié : {referentiel.code} millésime {label}")
                continue
            store_referentiel(
                referentiel=referentiel,
                organisation=certifier,
                actor=None,
                filename=name,
                publish=True,
            )
            self.stdout.write(
                f"Importé et publié : {referentiel.code} « {referentiel.title} » millésime "
                f"{label} ({len(referentiel.warnings)} avertissement(s))"
            )
