"""The documents of a deliberated 60-candidate session: the minutes and every attestation
(target ≤ 20 s on the 2-core reference machine).

Run with `make bench-documents`. A throw-away SQLite database (or DATABASE_URL) is migrated
and PDFs are written to a throw-away media directory. The CC titre professionnel is
published, 60 candidates are seated in one session with a jury of two; the jury's decisions
(most candidates obtain both CCP, one in four only CCP1) and the final interview findings are
written directly (data generation, not timed), then the president draws up the minutes and
both members sign them through the evaluation services. Timed: the minutes PDF, then the 60
attestations, each printed and issued (`attesta.credentials.services`); then the same 61
documents asked again, which returns the ones already issued. Prints one JSON object with
wall-clock and CPU times (the CPU time of this process does not depend on what else the
machine runs; the wall-clock time is the one the target applies to); exits 1 above the
target.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 20.0
CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "60"))
CCP1 = ("CP1", "CP2", "CP3", "CP4")
CCP2 = ("CP5", "CP6", "CP7", "CP8")
FINAL_INTERVIEW = "method:certification:3"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import override_settings

        storages = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": f"{tmp}/media"},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages, MEDIA_ROOT=f"{tmp}/media"):
            call_command("migrate", verbosity=0)
            seats, minutes, manager = deliberated_session()
            return measure(seats, minutes, manager)


def deliberated_session() -> tuple[list, object, object]:
    from attesta.accounts.models import Organisation, User
    from attesta.candidates.models import Candidate, Enrolment
    from attesta.evaluation import services as evaluation
    from attesta.evaluation.models import CompetencyDecision, ConditionFinding
    from attesta.exams import services as exams
    from attesta.exams.models import SessionCandidate
    from attesta.referentiels.importers.reader import parse
    from attesta.referentiels.services import store_referentiel

    centre = Organisation.objects.create(name="Centre", slug="centre", kind="exam_centre")
    manager = User.objects.create(username="bench", role="session_manager", organisation=centre)
    jury = [
        User.objects.create(
            username=f"jure{n}",
            first_name=f"Juré {n}",
            last_name="Bench",
            role="assessor",
            organisation=centre,
        )
        for n in range(2)
    ]
    seed = ROOT / "attesta" / "referentiels" / "seeds" / "cc-tp-00115-reac-re.txt"
    version = store_referentiel(
        referentiel=parse(seed.read_bytes(), filename=seed.name),
        organisation=centre,
        actor=manager,
        publish=True,
    )
    session = exams.create_session(
        organisation=centre,
        actor=manager,
        version=version,
        block=None,
        label="CC – janvier 2027",
        starts_on=date(2027, 1, 12),
        ends_on=date(2027, 1, 14),
        address="12 rue des Examens\n69000 Lyon",
        rooms=["Salle A", "Salle B"],
    )
    candidates = Candidate.objects.bulk_create(
        Candidate(
            organisation=centre,
            last_name=f"Candidat{n:02}",
            first_names="Alex",
            birth_date=date(1990 + n % 20, 1 + n % 12, 1 + n % 28),
            birth_place="Lyon",
            identity_key=f"candidat{n:02}|alex",
        )
        for n in range(CANDIDATES)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(candidate=c, version=version, path="vae", status="convened") for c in candidates
    )
    seats = SessionCandidate.objects.bulk_create(
        SessionCandidate(session=session, enrolment=e, position=n) for n, e in enumerate(enrolments)
    )
    for n, user in enumerate(jury):
        exams.add_jury_member(session=session, user=user, actor=manager, is_president=n == 0)
    president = jury[0]
    decisions = []
    findings = []
    for n, seat in enumerate(seats):
        for code in CCP1 + CCP2:
            acquired = code in CCP1 or n % 4 != 1
            decisions.append(
                CompetencyDecision(
                    seat=seat,
                    competency_code=code,
                    acquired=acquired,
                    justification="Au vu des épreuves et du dossier professionnel.",
                    decided_by=president,
                )
            )
        findings.append(
            ConditionFinding(
                seat=seat, condition_key=FINAL_INTERVIEW, met=True, decided_by=president
            )
        )
    CompetencyDecision.objects.bulk_create(decisions)
    ConditionFinding.objects.bulk_create(findings)
    minutes = evaluation.draft_minutes(session=session, actor=president)
    for user in jury:
        evaluation.sign_minutes(minutes=minutes, actor=user, content_hash=minutes.content_hash)
    return seats, minutes, manager


def measure(seats: list, minutes: object, manager: object) -> int:
    from pypdf import PdfReader

    from attesta.credentials import services
    from attesta.credentials.models import IssuedDocument

    load_before = os.getloadavg()[0]
    cpu_start = time.process_time()
    start = time.perf_counter()
    services.minutes_document(minutes=minutes, actor=manager)
    minutes_done = time.perf_counter()
    minutes_cpu = time.process_time()
    for seat in seats:
        services.attestation_document(seat=seat, actor=manager)
    first = time.perf_counter()
    cpu_first = time.process_time()
    services.minutes_document(minutes=minutes, actor=manager)
    for seat in seats:
        services.attestation_document(seat=seat, actor=manager)
    again = time.perf_counter()

    issued = IssuedDocument.objects.count()
    total = first - start
    pages = IssuedDocument.objects.filter(kind="minutes").count()
    minutes_document = IssuedDocument.objects.get(kind="minutes")
    with minutes_document.pdf.open("rb") as stream:
        minutes_pages = len(PdfReader(stream).pages)
    result = {
        "benchmark": "documents",
        "date": date.today().isoformat(),
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "database": __import__("django").db.connection.vendor,
        "candidates": len(seats),
        "documents_issued": issued,
        "minutes_pages": minutes_pages,
        "minutes_pdf_s": round(minutes_done - start, 2),
        "minutes_pdf_cpu_s": round(minutes_cpu - cpu_start, 2),
        "attestations_s": round(first - minutes_done, 2),
        "per_attestation_s": round((first - minutes_done) / max(len(seats), 1), 3),
        "total_s": round(total, 2),
        "total_cpu_s": round(cpu_first - cpu_start, 2),
        "load_average_before": round(load_before, 2),
        "asked_again_s": round(again - first, 2),
        "target_s": TARGET_SECONDS,
        "ok": total <= TARGET_SECONDS and issued == len(seats) + pages,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
