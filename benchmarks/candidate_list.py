"""Reading a 5 000-row candidate list (target: ≤ 10 s for the XLSX on the reference machine).

Generates in a temporary directory a realistic list (French names with accents, dates as
date cells, phones, e-mails, places, blocks, paths) as XLSX, and the same rows as a
Windows-1252 CSV for comparison, then times `read_candidate_list` (read + validate), best and
median of N runs, wall-clock, single process, no database. Prints Markdown table rows; exits 1
when the XLSX median is over the target, 2 when the list is not read as fully valid.
"""

from __future__ import annotations

import csv
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from attesta.candidates.candidate_list import read_candidate_list  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TARGET_SECONDS = 10.0
TODAY = date(2026, 6, 15)

LAST_NAMES = (  # noqa: SIM905 (a list of words reads better as text)
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine "
    "Rousseau Vincent Müller Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier "
    "Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry "
    "Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer "
    "Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud "
    "Martínez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre "
    "Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc "
    "Payet Rolland Hoarau"
).split()
COMPOUND_LAST_NAMES = ("de La Fontaine", "Le Goff", "N'Diaye", "Ben Ali", "Da Silva", "Le Bihan")
FIRST_NAMES = (  # noqa: SIM905 (a list of words reads better as text)
    "Léa Chloé Emma Inès Jade Louise Manon Camille Zoé Lina Éloïse Anaïs Maëlys Océane "
    "Clémence Lucas Hugo Louis Gabriel Arthur Jules Raphaël Adam Léo Théo Noé Mathéo Timothée "
    "Maël Nathan Enzo Yanis Mohamed Ibrahim Aïcha Fatoumata Mélissa Jérôme Stéphane Hélène "
    "Sébastien"
).split()
PLACES = (
    "Paris",
    "Lyon",
    "Marseille",
    "Saint-Étienne",
    "Aix-en-Provence",
    "Besançon",
    "Fort-de-France",
    "Saint-Denis",
    "Nîmes",
    "Évry-Courcouronnes",
)
COUNTRIES = ("Maroc", "Algérie", "Sénégal", "Portugal", "Belgique", "Côte d'Ivoire")
HEADER = [
    "Nom de naissance",
    "Prénom(s)",
    "Date de naissance",
    "Commune de naissance",
    "Pays de naissance",
    "Courriel",
    "Téléphone",
    "Code certification",
    "CCP visés",
    "Voie d'accès",
]


def generate_rows(count: int) -> list[list[object]]:
    chance = random.Random(20260615)
    seen: set[tuple[str, str, date]] = set()
    rows: list[list[object]] = []
    while len(rows) < count:
        last = chance.choice(LAST_NAMES if chance.random() < 0.95 else COMPOUND_LAST_NAMES)
        first = " ".join(chance.sample(FIRST_NAMES, chance.choice((1, 1, 1, 2, 3))))
        birth = date(1960, 1, 1) + timedelta(days=chance.randrange(46 * 365))
        if (last, first, birth) in seen:
            continue
        seen.add((last, first, birth))
        abroad = chance.random() < 0.15
        login = unicodedata.normalize("NFKD", f"{first.split()[0]}.{last}".lower())
        login = "".join(c for c in login if c.isascii() and (c.isalnum() or c == "."))
        rows.append(
            [
                last,
                first,
                birth,
                "" if abroad else chance.choice(PLACES),
                chance.choice(COUNTRIES) if abroad else "France",
                f"{login}{len(rows)}@exemple.fr",
                f"06 {chance.randrange(10, 100)} {chance.randrange(10, 100)} "
                f"{chance.randrange(10, 100)} {chance.randrange(10, 100)}",
                "RNCP37849",
                chance.choice(("", "", "BC01", "BC01; BC02", "BC02, BC03")),
                chance.choice(("formation", "VAE", "capitalisation", "mixte")),
            ]
        )
    return rows


def write_xlsx(rows: list[list[object]], path: Path) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Candidats")
    sheet.append(["Liste des candidats — session de juin 2026"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def write_csv(rows: list[list[object]], path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            [value.strftime("%d/%m/%Y") if isinstance(value, date) else value for value in row]
        )
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def measure(path: Path) -> tuple[float, float]:
    data = path.read_bytes()
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = read_candidate_list(data, path.name, today=TODAY)
        timings.append(time.perf_counter() - start)
        if result.file_errors or len(result.valid_rows) != ROWS:
            errors = result.file_errors or [str(row.errors) for row in result.invalid_rows[:3]]
            print(f"{path.name}: not read as {ROWS} valid rows: {errors}", file=sys.stderr)
            raise SystemExit(2)
    return min(timings), statistics.median(timings)


def main() -> int:
    print(
        f"Date: {date.today().isoformat()} · Python {platform.python_version()} · {cpu_name()} · "
        f"{os.cpu_count()} cœurs · {RUNS} passes par fichier"
    )
    print()
    print("| date | file | rows | size (kB) | best (s) | median (s) | target |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    rows = generate_rows(ROWS)
    xlsx_median = 0.0
    with tempfile.TemporaryDirectory() as directory:
        for name, write in (("candidats.xlsx", write_xlsx), ("candidats.csv", write_csv)):
            path = Path(directory) / name
            write(rows, path)
            best, median = measure(path)
            if name.endswith(".xlsx"):
                xlsx_median = median
                verdict = "ok" if median <= TARGET_SECONDS else "TOO SLOW"
            else:
                verdict = "(info)"
            print(
                f"| {date.today().isoformat()} | {name} | {ROWS} | "
                f"{path.stat().st_size / 1000:.0f} | {best:.2f} | {median:.2f} | "
                f"≤ {TARGET_SECONDS:.0f} s {verdict} |"
            )
    return 0 if xlsx_median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
