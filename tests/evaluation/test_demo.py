"""`attesta demo` adds a past session per seed certification, assessed, deliberated, signed
and corrected once after signature, with an excused candidate and, on certifier
référentiels, a criterion exemption; the demo candidate account sees a partial success."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from attesta.accounts.models import User
from attesta.candidates.models import CapitalisedBlock
from attesta.evaluation import services
from attesta.evaluation.models import CriterionExemption, Minutes
from attesta.exams.models import ExamSession

pytestmark = pytest.mark.django_db


def test_demo_has_a_deliberated_session_per_seed_certification(capsys):
    call_command("demo")
    assert "Session délibérée" in capsys.readouterr().out

    deliberated = ExamSession.objects.filter(minutes__isnull=False).distinct()
    assert deliberated.count() == 5
    codes = set(deliberated.values_list("version__certification__code", flat=True))
    assert len(codes) == 5
    for session in deliberated:
        signed = services.signed_minutes(session)
        assert signed is not None
        assert signed.revision == 2
        labels = [c["result_label"] for c in signed.content["candidates"]]
        assert labels[3] == "Absent excusé"
        assert labels[1] != labels[0]  # the second candidate fails a competency
        assert signed.content["candidates"][4]["decisions"][0]["corrects"] is True
    assert CriterionExemption.objects.count() == 3  # the three certifier référentiels
    camille = User.objects.get(username="candidat").candidate
    rows = CapitalisedBlock.objects.filter(enrolment__candidate=camille)
    assert list(rows.values_list("block__code", flat=True)) == ["CCP1"]
    assert camille.enrolments.get().status == "eligible"

    call_command("demo")
    assert "déjà présentes" in capsys.readouterr().out
    assert Minutes.objects.count() == 10
