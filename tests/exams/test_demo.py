"""`attesta demo`: one account per role, the five seeds published, candidates, idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from attesta.accounts.enums import Role
from attesta.accounts.models import User
from attesta.candidates.models import Accommodation, Candidate, Enrolment
from attesta.exams import services
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


def test_demo_runs_twice_without_duplicating_anything(capsys):
    call_command("setup_demo")
    call_command("setup_demo")
    assert "Déjà publié" in capsys.readouterr().out
    assert User.objects.count() == 6
    assert CertificationVersion.objects.count() == 5
    assert Candidate.objects.count() == 60
    assert ExamSession.objects.count() == 5
