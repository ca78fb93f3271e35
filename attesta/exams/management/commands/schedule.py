from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from attesta.exams import scheduler, services, timetable
from attesta.exams.models import ExamSession


class Command(BaseCommand):
    help = (
        "Optimise le planning d'une session (CP-SAT) et affiche ses chiffres face au premier "
        "placement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("session_id", type=int)
        parser.add_argument("--time-limit", type=float, default=10.0, help="secondes (10)")
        parser.add_argument(
            "--replan",
            action="store_true",
            help="re-planifier en déplaçant le moins possible de candidats déjà convoqués",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        session = ExamSession.objects.filter(pk=options["session_id"]).first()
        if session is None:
            raise CommandError(f"session {options['session_id']} inconnue", returncode=2)
        try:
            problem = services.timetable_problem(session)
            baseline = scheduler.figures(timetable.first_fit(problem), problem)
            reconvene = None
            if options["replan"]:
                replanning = services.replan_timetable(
                    session=session, actor=None, time_limit_seconds=options["time_limit"]
                )
                schedule, reconvene = replanning.schedule, replanning.reconvene
            else:
                schedule = services.optimise_timetable(
                    session=session, actor=None, time_limit_seconds=options["time_limit"]
                )
        except services.SessionError as error:
            raise CommandError(str(error), returncode=2) from error
        if schedule.status == "infeasible":
            raise CommandError(f"aucun planning possible : {schedule.explanation}", returncode=2)
        self.stdout.write(f"{session.label} : {schedule.status}, {schedule.solver_seconds:.1f} s")
        rows = [
            ("jours", schedule.days_used, baseline["days_used"]),
            ("fin (min de session)", schedule.makespan_minutes, baseline["makespan_minutes"]),
            ("borne inférieure (min)", schedule.lower_bound_minutes, ""),
            ("écart à la borne", f"{schedule.gap:.1%}", ""),
            ("heures de jury", f"{schedule.jury_hours:.1f}", f"{baseline['jury_hours']:.1f}"),
            ("attente (min)", schedule.waiting_minutes, baseline["waiting_minutes"]),
        ]
        self.stdout.write(f"{'':24} {'optimisé':>10} {'premier placement':>18}")
        for label, optimised, first in rows:
            self.stdout.write(f"{label:24} {optimised!s:>10} {first!s:>18}")
        if reconvene is not None:
            names = ", ".join(str(seat) for seat in reconvene) or "aucun"
            self.stdout.write(f"à reconvoquer : {names}")
