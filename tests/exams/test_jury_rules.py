"""Jury composition rules, with the requirements the référentiels state."""

from __future__ import annotations

import pytest

from attesta.exams.rules import Member, forbidden_panels, jury_problems
from tests.conftest import parsed_seed

CHARGE_JURY = parsed_seed("charge").exam_for("BC03").jury
CERTIFIER, PROFESSION = CHARGE_JURY.profiles


def test_the_cdc_referentiel_requires_a_certifier_and_a_profession_representative():
    assert CHARGE_JURY.members == 2
    assert "certificateur" in CERTIFIER
    assert "métier" in PROFESSION


@pytest.mark.parametrize(
    ("members", "required", "problems"),
    [
        ([], None, ["Aucun membre de jury : il en faut au moins 2."]),
        ([Member("Anne", "Jury 1")], None, ["Jury 1 : 1 membre(s), il en faut au moins 2."]),
        ([Member("Anne", "Jury 1"), Member("Bruno", "Jury 1")], None, []),
        (
            [Member("Anne", "Jury 1", CERTIFIER), Member("Bruno", "Jury 1", PROFESSION)],
            CHARGE_JURY,
            [],
        ),
        (
            [Member("Anne", "Jury 1", CERTIFIER), Member("Bruno", "Jury 1", CERTIFIER)],
            CHARGE_JURY,
            [f"Jury 1 : aucun membre n'a le profil « {PROFESSION} »."],
        ),
        (
            [
                Member("Anne", "Jury 1", CERTIFIER),
                Member("Bruno", "Jury 1", PROFESSION),
                Member("Chloé", "Jury 2", PROFESSION),
            ],
            CHARGE_JURY,
            [
                "Jury 2 : 1 membre(s), il en faut au moins 2.",
                f"Jury 2 : aucun membre n'a le profil « {CERTIFIER} ».",
            ],
        ),
    ],
)
def test_jury_composition(members, required, problems):
    assert jury_problems(members, candidates=[], required=required) == problems


def test_a_trainer_cannot_assess_their_own_candidate():
    members = [
        Member("Anne", "Jury 1", trained=frozenset({"léa"})),
        Member("Bruno", "Jury 1"),
    ]
    assert jury_problems(members, candidates=["léa", "hugo"], required=None) == [
        "léa : chaque jury compte l'un de ses formateurs, qui ne peut pas l'évaluer."
    ]
    second_panel = [*members, Member("Chloé", "Jury 2"), Member("David", "Jury 2")]
    assert jury_problems(second_panel, candidates=["léa", "hugo"], required=None) == []
    assert forbidden_panels(second_panel) == {"léa": {"Jury 1"}}
