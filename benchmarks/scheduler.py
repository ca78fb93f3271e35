"""Session timetable optimiser (CP-SAT) versus first fit, on seeded realistic sessions.

Targets of issue 5: ≤ 10 s on the 2-core reference machine, makespan ≤ 1.05 × lower bound,
≥ 20 % fewer jury-hours than first fit on the NTC case. Prints one JSON object per line and
case. Days run 08:30–17:30 with the jury's lunch break 12:30–13:30 (no jury phase
overlaps it); each session has as many days as first fit needs to place everyone (the
spreadsheet baseline), and both planners plan the same session.

Exams come from the seed référentiels (CC and NTC titles, CC's CCP1), cut into phases by
``phases_for`` (docs/scheduler.md): preparations supervised without the jury and followed
without a gap by their role play; NTC's 4-hour written case study taken by all candidates
together, supervised, printing on printers shared by 12; the phone parts need a phone and
a laptop. Rooms: one quiet room per panel plus one, and collective rooms for the written
parts and preparations.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from attesta.candidates.rules import Measures  # noqa: E402
from attesta.exams.scheduler import figures, optimise  # noqa: E402
from attesta.exams.timetable import PHONE, PRINTER, Phase, Problem, first_fit, phases_for  # noqa: E402
from attesta.referentiels.importers.canonical import Exam  # noqa: E402
from attesta.referentiels.importers.reader import parse  # noqa: E402

SEEDS = ROOT / "attesta" / "referentiels" / "seeds"
SEED_FILES = {"cc": "cc-tp-00115-reac-re.txt", "ntc": "ntc-tp-00338-reac-re.md"}
TIME_LIMIT = float(os.environ.get("BENCH_TIME_LIMIT", "10"))
SEED = int(os.environ.get("BENCH_SEED", "20250616"))
MONDAY = datetime(2025, 6, 16, tzinfo=ZoneInfo("Europe/Paris"))
THIRD = Measures(extra_time_percent=33)


def seed_exam(seed: str, scope: str) -> Exam:
    path = SEEDS / SEED_FILES[seed]
    found = parse(path.read_bytes(), filename=path.name).exam_for(scope)
    assert found is not None, f"{seed} {scope}"
    return found


def session(
    rng: random.Random, exam: Exam, candidates: int, *, extra_time: int, panels: int
) -> tuple[list[Phase], dict[str, set[str]]]:
    """Phases of the candidates, ``extra_time`` of them with a third more time; one in ten
    may not meet one panel (their trainer sits on it)."""
    slower = set(rng.sample(range(candidates), extra_time))
    phases: list[Phase] = []
    forbidden: dict[str, set[str]] = {}
    for i in range(candidates):
        key = f"C{i + 1:02}"
        phases += phases_for(key, exam, THIRD if i in slower else None)
        if rng.random() < 0.1:
            forbidden[key] = {f"J{rng.randint(1, panels)}"}
    return phases, forbidden


def problem_for(
    phases: list[Phase],
    forbidden: dict[str, set[str]],
    *,
    panels: int,
    collective: list[int],
    printers: int = 0,
) -> Problem:
    """The session with as many days as first fit needs to place everyone."""
    rooms = {f"R{n}": 1 for n in range(1, panels + 2)}
    rooms |= {f"Salle {chr(65 + n)}": size for n, size in enumerate(collective)}
    equipment = {PHONE[0]: 2, PHONE[1]: 2}
    if printers:
        equipment[PRINTER] = 12 * printers
    for count in range(1, 60):
        problem = Problem(
            days=[
                (
                    MONDAY + timedelta(days=d, hours=8, minutes=30),
                    MONDAY + timedelta(days=d, hours=17, minutes=30),
                )
                for d in range(count)
            ],
            rooms=list(rooms),
            room_capacity={r: n for r, n in rooms.items() if n > 1},
            juries=[f"J{n}" for n in range(1, panels + 1)],
            supervisors=["S1", "S2"],
            phases=phases,
            supervision_capacity=max(collective) if collective else 1,
            changeover_minutes=10,
            forbidden=forbidden,
            breaks=[
                (
                    MONDAY + timedelta(days=d, hours=12, minutes=30),
                    MONDAY + timedelta(days=d, hours=13, minutes=30),
                )
                for d in range(count)
            ],
            equipment=equipment,
        )
        if not first_fit(problem).unplaced:
            return problem
    raise RuntimeError("First fit places no one in 60 days.")


def run(case: str, problem: Problem) -> dict[str, object]:
    baseline = figures(first_fit(problem), problem)
    schedule = optimise(problem, time_limit_seconds=TIME_LIMIT, workers=2, seed=0)
    return {
        "case": case,
        "candidates": len(problem.candidates()),
        "phases": len(problem.phases),
        "days": len(problem.days),
        "solver_seconds": round(schedule.solver_seconds, 2),
        "status": schedule.status,
        "makespan_minutes": schedule.makespan_minutes,
        "lower_bound_minutes": schedule.lower_bound_minutes,
        "gap": round(schedule.gap, 4),
        "days_used": schedule.days_used,
        "jury_hours": round(schedule.jury_hours, 2),
        "waiting_minutes": schedule.waiting_minutes,
        "firstfit_makespan_minutes": baseline["makespan_minutes"],
        "firstfit_days_used": baseline["days_used"],
        "firstfit_jury_hours": round(baseline["jury_hours"], 2),
        "firstfit_waiting_minutes": baseline["waiting_minutes"],
        "jury_hours_saved": round(1 - schedule.jury_hours / baseline["jury_hours"], 4)
        if baseline["jury_hours"]
        else 0.0,
    }


def cases() -> list[tuple[str, Problem]]:
    rng = random.Random(SEED)
    found = []
    phases, forbidden = session(rng, seed_exam("cc", "certification"), 30, extra_time=2, panels=3)
    found.append(("cc-title-30", problem_for(phases, forbidden, panels=3, collective=[8])))
    phases, forbidden = session(rng, seed_exam("ntc", "certification"), 60, extra_time=5, panels=4)
    found.append(
        ("ntc-title-60", problem_for(phases, forbidden, panels=4, collective=[30, 30], printers=5))
    )
    phases, forbidden = session(rng, seed_exam("cc", "CCP1"), 20, extra_time=2, panels=2)
    found.append(("cc-ccp1-20", problem_for(phases, forbidden, panels=2, collective=[6])))
    return found


def main() -> None:
    only = sys.argv[1:]
    for case, problem in cases():
        if not only or case in only:
            print(json.dumps(run(case, problem), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
