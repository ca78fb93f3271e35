from __future__ import annotations

import io
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from pypdf import PdfWriter

from attesta.accounts.enums import OrganisationKind, Role
from attesta.accounts.models import Organisation, User
from attesta.candidates import services as candidate_services
from attesta.candidates.models import Candidate, Enrolment
from attesta.exams import services as exam_services
from attesta.exams.models import ExamSession
from attesta.referentiels.importers.reader import override_identity, parse
from attesta.referentiels.models import CertificationVersion
from attesta.referentiels.services import load_referentiel, store_referentiel

SEEDS = Path(__file__).resolve().parents[3] / "referentiels" / "seeds"
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
    ("jury2", "Julien", "Juré", Role.ASSESSOR, "centre-demo", False),
    ("referent", "Raphaël", "Référent", Role.DISABILITY_REFERENT, "centre-demo", False),
    ("candidat", "Camille", "Candidate", Role.CANDIDATE, "centre-demo", False),
]
ORGANISATIONS = [
    ("certificateur-demo", "Certificateur démo", OrganisationKind.CERTIFIER),
    ("centre-demo", "Centre d'examen démo", OrganisationKind.EXAM_CENTRE),
]


FIRST_NAMES = [
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Manon",
    "Nathan",
    "Inès",
    "Yanis",
    "Camille",
    "Théo",
    "Sarah",
    "Mathis",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
]
CANDIDATES_PER_CERTIFICATION = 12
# The NTC title session is planned in detailed phases (written part together, preparations
# supervised without the jury, shared printer and phones): one more day for its one panel.
DETAILED = "TP-00338"
# Durations the demo centre sets where the référentiel gives none (rank of the method →
# minutes): the CDC's written case study E1 of BC01 takes a morning; Développement
# commercial's BC01 is four dossiers handed in before the session (0: not timetabled) and
# the presentation of the action plan.
CENTRE_DURATIONS = {
    "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL": {0: 240},
    "DEVELOPPEMENT-COMMERCIAL": {0: 0, 1: 0, 2: 0, 3: 0, 4: 45},
}


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"


def complete_file(enrolment: Enrolment, manager: User) -> None:
    """Everything the référentiel asks before the session, as small generated PDFs."""
    requirements = candidate_services.requirements_of(enrolment)
    if requirements.company_period is not None:
        candidate_services.record_company_period(
            enrolment=enrolment, done=requirements.company_period.amount, actor=manager
        )
        _upload(enrolment, manager, "company_period_proof", "attestation-stage.pdf", 1)
    if requirements.vae_dossier:
        _upload(enrolment, manager, "vae_dossier", "dossier-professionnel.pdf", 12)
    for production in requirements.productions:
        for copy in range(production.quantity):
            _upload(
                enrolment,
                manager,
                "production",
                f"production-{copy + 1}.pdf",
                production.min_units or 1,
                production.title,
            )
    candidate_services.review_eligibility(enrolment=enrolment, actor=manager)


def _upload(
    enrolment: Enrolment, manager: User, kind: str, name: str, pages: int, title: str = ""
) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    candidate_services.add_document(
        enrolment=enrolment,
        kind=kind,
        data=buffer.getvalue(),
        filename=name,
        actor=manager,
        production_title=title,
    )


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
        versions = []
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
                versions.append(done.get())
                continue
            version = store_referentiel(
                referentiel=referentiel,
                organisation=certifier,
                actor=None,
                filename=name,
                publish=True,
            )
            versions.append(version)
            self.stdout.write(
                f"Importé et publié : {referentiel.code} « {referentiel.title} » millésime "
                f"{label} ({len(referentiel.warnings)} avertissement(s))"
            )
        self._candidates(organisations["centre-demo"], versions)

    def _candidates(self, centre: Organisation, versions: list[CertificationVersion]) -> None:
        """A dozen synthetic candidates per certification — one on a VAE path, one who already
        holds the first block, one with accommodations — half of them with a complete file,
        and a session per certification with its jury and timetable."""
        if Candidate.objects.filter(organisation=centre).exists():
            self.stdout.write("Candidats et sessions de démonstration déjà présents.")
            return
        manager = User.objects.get(username="responsable")
        referent = User.objects.get(username="referent")
        for v_index, version in enumerate(versions):
            blocks = list(version.blocks.order_by("position"))
            for n in range(CANDIDATES_PER_CERTIFICATION):
                candidate = candidate_services.register_candidate(
                    organisation=centre,
                    actor=manager,
                    last_name=LAST_NAMES[(n + v_index) % len(LAST_NAMES)],
                    first_names=FIRST_NAMES[(n * 5 + v_index) % len(FIRST_NAMES)],
                    birth_date=date(1985 + (n * 3 + v_index) % 20, 1 + n % 12, 1 + (n * 7) % 28),
                    birth_place=["Lyon", "Lille", "Nantes", "Bordeaux"][n % 4],
                    email=f"candidat{v_index}{n:02d}@demo.attesta.invalid",
                )
                if n == 1 and len(blocks) > 1:
                    candidate_services.enrol_candidate(
                        candidate=candidate,
                        version=version,
                        path="capitalisation",
                        actor=manager,
                        target_block_codes=tuple(b.code for b in blocks[1:]),
                        capitalised=((blocks[0].code, date(2025, 6, 20), "Session de juin 2025"),),
                    )
                    continue
                path = "vae" if n == 2 else "training"
                enrolment = candidate_services.enrol_candidate(
                    candidate=candidate, version=version, path=path, actor=manager
                )
                if n == 3:
                    candidate_services.record_accommodation(
                        enrolment=enrolment,
                        actor=referent,
                        disability="Trouble de l'audition (exemple de démonstration)",
                        extra_time_percent=33,
                        written_exchange=True,
                    )
                if n < 8:  # the others keep an incomplete file, as in real life
                    complete_file(enrolment, manager)
            self._session(centre, version, v_index, manager)
        total = CANDIDATES_PER_CERTIFICATION * len(versions)
        self.stdout.write(
            f"Candidats de démonstration : {total} inscrits au Centre d'examen démo, "
            f"{len(versions)} sessions."
        )

    def _session(
        self, centre: Organisation, version: CertificationVersion, index: int, manager: User
    ) -> None:
        referentiel = load_referentiel(version)
        title_exam = referentiel.exam_for("certification")
        block = None
        if title_exam is None or not title_exam.methods:
            block = version.blocks.order_by("position").first()
        day = date(2027, 1, 12) + timedelta(days=7 * index)
        session = exam_services.create_session(
            organisation=centre,
            actor=manager,
            version=version,
            block=block,
            label=f"{referentiel.acronym or referentiel.title} – session de démonstration",
            starts_on=day,
            ends_on=day + timedelta(days=4 if referentiel.code == DETAILED else 3),
            address="Centre d'examen démo\n12 rue des Examens\n69000 Lyon",
            rooms=["Salle A", "Salle B", "Salle C"],
        )
        exam = referentiel.exam_for(session.scope)
        profiles = list(exam.jury.profiles) if exam and exam.jury else []
        for n, username in enumerate(["jury", "jury2"]):
            exam_services.add_jury_member(
                session=session,
                user=User.objects.get(username=username),
                actor=manager,
                profile=profiles[n] if n < len(profiles) else "Professionnel du métier",
                is_president=n == 0,
            )
        exam_services.add_supervisor(session=session, name="Paul Surveillant", actor=manager)
        if referentiel.code == DETAILED:
            self._detailed(session, manager)
        if referentiel.code in CENTRE_DURATIONS:
            exam_services.set_method_durations(
                session=session, actor=manager, minutes=CENTRE_DURATIONS[referentiel.code]
            )
        eligible = [
            e
            for e in Enrolment.objects.filter(version=version, status="eligible").order_by("id")
            if session.block is not None or not e.target_blocks.exists()
        ]
        exam_services.seat_candidates(session=session, enrolments=eligible, actor=manager)
        try:
            exam_services.build_timetable(session=session, actor=manager)
        except exam_services.SessionError as error:
            self.stdout.write(f"{session.label} : planning non établi ({error})")

    def _detailed(self, session: ExamSession, manager: User) -> None:
        """The NTC title session in detailed phases: the written case study taken by all
        together in a collective room under one supervisor, one shared printer, two phones
        and two laptops, and the jury's lunch break (docs/scheduler.md)."""
        exam_services.set_planning_options(
            session=session,
            actor=manager,
            day_start=session.day_start,
            day_end=session.day_end,
            break_start=time(12, 30),
            break_end=time(13, 30),
            changeover_minutes=session.changeover_minutes,
            supervision_capacity=12,
            room_capacities={"Salle C": 12},
            detailed_phases=True,
        )
        for name, count, shared_by in [
            ("imprimante", 1, 12),
            ("téléphone", 2, 1),
            ("ordinateur portable", 2, 1),
        ]:
            exam_services.add_equipment(
                session=session, actor=manager, name=name, count=count, shared_by=shared_by
            )
