"""End-to-end import of a 5 000-row XLSX candidate list into the database (target ≤ 10 s).

Run with `make bench`. A throw-away SQLite database (or DATABASE_URL) is migrated, a certifier
référentiel is published as RNCP37849, then the list is read, checked against the
référentiels and imported with enrolments (`services.import_candidates`), as the import page
does. Prints one Markdown table row; exits 1 above the target.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 10.0
ROWS = int(os.environ.get("BENCH_ROWS", "5000"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
        import django

        django.setup()
        from django.core.management import call_command

        from attesta.accounts.models import Organisation, User
        from attesta.candidates import services
        from attesta.candidates.candidate_list import read_candidate_list
        from attesta.referentiels.importers.reader import override_identity, parse
        from attesta.referentiels.services import store_referentiel
        from benchmarks.candidate_list import cpu_name, generate_rows, write_xlsx

        call_command("migrate", verbosity=0)
        centre = Organisation.objects.create(name="Centre", slug="centre", kind="exam_centre")
        manager = User.objects.create(username="bench", role="session_manager", organisation=centre)
        seed = ROOT / "attesta" / "referentiels" / "seeds" / "attache-commercial.txt"
        referentiel = override_identity(
            parse(seed.read_bytes(), filename=seed.name), code="RNCP37849"
        )
        version = store_referentiel(
            referentiel=referentiel, organisation=None, actor=None, publish=True
        )
        path = Path(tmp) / "candidats.xlsx"
        write_xlsx(generate_rows(ROWS), path)
        data = path.read_bytes()

        start = time.perf_counter()
        parsed = read_candidate_list(data, path.name, today=date(2026, 6, 15))
        read = time.perf_counter()
        checked = services.check_list_against_referentiels(parsed, {"RNCP37849": version})
        created = services.import_candidates(
            organisation=centre,
            actor=manager,
            candidate_list=checked,
            versions={"RNCP37849": version},
            only_valid=False,
        )
        done = time.perf_counter()
        engine = django.db.connection.vendor
        print(
            f"Date: {date.today().isoformat()} · {cpu_name()} · {os.cpu_count()} cœurs · {engine}"
        )
        print()
        print("| rows | read + check (s) | database import (s) | total (s) | target |")
        print("| ---: | ---: | ---: | ---: | --- |")
        total = done - start
        verdict = "ok" if total <= TARGET_SECONDS else "TOO SLOW"
        print(
            f"| {len(created)} | {read - start:.2f} | {done - read:.2f} | {total:.2f} | "
            f"≤ {TARGET_SECONDS:.0f} s {verdict} |"
        )
        return 0 if total <= TARGET_SECONDS and len(created) == ROWS else 1


if __name__ == "__main__":
    raise SystemExit(main())
