"""Format-independent import checks, on a hand-written référentiel."""

from __future__ import annotations

from attesta.referentiels.importers import canonical as c
from attesta.referentiels.importers.checks import check
from tests.referentiels.builders import small_referentiel


def test_a_coherent_referentiel_gets_no_check_warning_but_the_unassessed_competency():
    referentiel = small_referentiel()
    referentiel.source_lines = {"exam:CCP1": 120}
    warnings = check(referentiel)
    assert [(w.code, w.line) for w in warnings] == [(c.WarningCode.UNASSESSED_COMPETENCY, 120)]
    assert "CP2" in warnings[0].message


def test_durations_that_do_not_add_up_to_the_total_are_reported_with_the_exam_line():
    referentiel = small_referentiel()
    referentiel.exams[0].total_minutes = 80
    referentiel.source_lines = {"exam:certification": 33}
    warnings = [w for w in check(referentiel) if w.code is c.WarningCode.DURATION_MISMATCH]
    assert len(warnings) == 1
    assert warnings[0].line == 33
    assert "70 min" in warnings[0].message
    assert "80 min" in warnings[0].message


def test_a_method_without_duration_does_not_raise_a_false_duration_warning():
    referentiel = small_referentiel()
    referentiel.exams[0].methods[1].duration_minutes = None
    assert not [w for w in check(referentiel) if w.code is c.WarningCode.DURATION_MISMATCH]


def test_a_block_whose_exam_assesses_every_competency_gets_no_warning():
    referentiel = small_referentiel()
    referentiel.exams[1].methods[0].competencies = ["CP1", "CP2"]
    assert check(referentiel) == []


def test_a_block_without_exam_is_not_reported_as_unassessed():
    referentiel = small_referentiel()
    referentiel.exams = referentiel.exams[:1]
    assert check(referentiel) == []
