"""Parse time of each seed référentiel (target: ≤ 0.5 s each on the reference machine).

Run with `make bench`. Prints one Markdown table row per seed: best and median of N runs of
`reader.parse` (decode + parse + checks), wall-clock, single process. No database involved.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from attesta.referentiels.importers.reader import parse  # noqa: E402

SEEDS = ROOT / "attesta" / "referentiels" / "seeds"
FILES = [
    "cc-tp-00115-reac-re.txt",
    "ntc-tp-00338-reac-re.md",
    "attache-commercial.txt",
    "developpement-commercial.txt",
    "charge-developpement-commercial.txt",
]
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
TARGET_SECONDS = 0.5


def main() -> int:
    cpu = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    print(
        f"Date: {date.today().isoformat()} · Python {platform.python_version()} · {cpu} · "
        f"{os.cpu_count()} cœurs · {RUNS} passes par fichier"
    )
    print()
    print("| seed | size (kB) | best (ms) | median (ms) | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    worst = 0.0
    for name in FILES:
        data = (SEEDS / name).read_bytes()
        parse(data, filename=name)  # warm-up (imports, regex compilation)
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            parse(data, filename=name)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings)
        worst = max(worst, median)
        verdict = "ok" if median <= TARGET_SECONDS else "TOO SLOW"
        print(
            f"| {name} | {len(data) / 1000:.0f} | {min(timings) * 1000:.1f} | "
            f"{median * 1000:.1f} | {verdict} |"
        )
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
