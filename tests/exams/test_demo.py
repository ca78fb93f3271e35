"""`attesta demo`: one account per role, the five seeds published, candidates, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from attesta.accounts.enums import Role
from attesta.accounts.models import User
from attesta.candidates.models import Accommodation, Candidate, Enrolment
from attesta.exams import services, timetable, validity
from attesta.exams.management.commands.setup_demo import demo_password
from attesta.exams.models import ExamSession, TimetableEntry
from attesta.referentiels.models import Certification, CertificationVersion

pytestmark = pytest.mark.django_db


def test_demo_creates_one_account_per_role_and_publishes_the_five_seeds(capsys):
    call_command("setup_demo")
    out = capsys.readouterr().out
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert User.objects.filter(role=Role.ASSESSOR).count() == 2
    for user in User.objects.all():
        assert demo_password(user.username) in out
        assert authenticate(username=user.username, password=demo_password(user.username)) == user
    assert Certification.objects.count() == 5
    assert CertificationVersion.objects.published().count() == 5
    assert Candidate.objects.count() == 60
    for version in CertificationVersion.objects.all():
        paths = sorted(version.enrolments.values_list("path", flat=True))
        assert paths.count("vae") == 1
        assert paths.count("capitalisation") == 1
        assert len(paths) == 12
    capitalised = Enrolment.objects.get(
        version__certification__code="TP-00115", path="capitalisation"
    )
    assert [c.block.code for c in capitalised.capitalised_blocks.all()] == ["CCP1"]
    assert [b.code for b in capitalised.target_blocks.all()] == ["CCP2"]
    assert Accommodation.objects.count() == 5
    # complete files are eligible; the others say what they lack
    assert Enrolment.objects.filter(status="eligible").count() == 35
    sessions = ExamSession.objects.order_by("starts_on")
    assert [s.scope for s in sessions] == ["certification", "certification", "BC01", "BC01", "BC01"]
    cc = sessions[0]
    assert cc.candidates.count() == 7
    assert services.jury_problems(cc) == []
    assert TimetableEntry.objects.filter(session=cc).count() == 28
    assert not cc.detailed_phases
    assert cc.break_start is None


def test_demo_plans_the_ntc_title_session_in_detailed_phases(capsys):
    call_command("setup_demo")
    ntc = ExamSession.objects.get(version__certification__code="TP-00338")
    assert ntc.detailed_phases
    assert (ntc.break_start, ntc.break_end) == (dt.time(12, 30), dt.time(13, 30))
    assert (ntc.starts_on, ntc.ends_on) == (dt.date(2027, 1, 19), dt.date(2027, 1, 23))
    assert sorted(ntc.equipment.values_list("name", "count", "shared_by")) == [
        ("imprimante", 1, 12),
        ("ordinateur portable", 2, 1),
        ("téléphone", 2, 1),
    ]
    problem = services.timetable_problem(ntc)
    assert problem.equipment == {"imprimante": 12, "ordinateur portable": 2, "téléphone": 2}
    # Seven candidates, nine phases each: the written part (together, printer), two
    # preparations without the jury, the role play cut around the phone call (phone and
    # laptop), the technical interview, the questioning and the final interview.
    seats = ntc.candidates.count()
    assert seats == 7
    entries = list(TimetableEntry.objects.filter(session=ntc))
    assert len(entries) == len(problem.phases) == 9 * seats
    plan = timetable.Timetable(
        [
            timetable.Assignment(
                next(p for p in problem.phases if p.key == (str(e.seat_id), e.position)),
                e.starts_at,
                e.ends_at,
                e.room,
                e.jury_panel or None,
                e.supervisor or None,
            )
            for e in entries
        ]
    )
    assert validity.conflicts(plan, problem) == []
    written = [e for e in entries if e.method_title.endswith("partie écrite")]
    assert len(written) == seats
    assert len({e.starts_at for e in written}) == 1  # all together
    assert {e.room for e in written} == {"Salle C"}
    assert {e.equipment for e in written} == {"imprimante 1"}  # one printer for 12
    calls = [e for e in entries if e.method_title.endswith("au téléphone")]
    assert len(calls) == seats
    assert {e.equipment.split(", ")[0] for e in calls} <= {"téléphone 1", "téléphone 2"}
    assert sum(1 for e in entries if e.jury_panel) == 6 * seats


def test_demo_runs_twice_without_duplicating_anything(capsys):
    call_command("setup_demo")
    call_command("setup_demo")
    assert "Déjà publié" in capsys.readouterr().out
    assert User.objects.count() == 6
    assert CertificationVersion.objects.count() == 5
    assert Candidate.objects.count() == 60
    assert ExamSession.objects.count() == 5


def test_the_demo_centre_sets_the_missing_durations_so_every_session_is_planned(capsys):
    call_command("setup_demo")
    out = capsys.readouterr().out
    cdc = ExamSession.objects.get(version__certification__code="CHARGE-DU-DEVELOPPEMENT-COMMERCIAL")
    assert cdc.method_minutes == {"0": 240}
    entries = TimetableEntry.objects.filter(session=cdc)
    assert entries.count() == cdc.candidates.count() > 0
    assert {e.base_minutes for e in entries} == {240}
    # Développement commercial's BC01: four dossiers handed in before the session, not
    # timetabled, and the presentation of the action plan.
    devco = ExamSession.objects.get(version__certification__code="DEVELOPPEMENT-COMMERCIAL")
    entries = TimetableEntry.objects.filter(session=devco)
    assert entries.count() == devco.candidates.count() > 0
    assert {(e.method_title, e.base_minutes) for e in entries} == {
        ("Mise en situation professionnelle", 45)
    }
    assert "planning non établi" not in out
