"""Eligibility rules, table-driven from the five seed référentiels (no database)."""

from __future__ import annotations

import pytest

from attesta.candidates import enums, rules
from attesta.referentiels.importers.canonical import PeriodUnit
from tests.conftest import parsed_seed

H, DAYS, MONTHS = PeriodUnit.HOURS, PeriodUnit.WORKING_DAYS, PeriodUnit.MONTHS


@pytest.mark.parametrize(
    ("seed", "target", "period"),
    [
        ("cc", (), (280, H)),
        ("cc", ("CCP1",), (140, H)),
        ("cc", ("CCP2",), (140, H)),
        ("ntc", (), (350, H)),
        ("ntc", ("CCP1",), (175, H)),
        ("ntc", ("CCP2",), (175, H)),
        ("attache", (), (3, MONTHS)),
        ("attache", ("BC01",), None),
        ("charge", (), (65, DAYS)),
        ("devco", (), None),
    ],
)
def test_compulsory_company_period_of_each_target_on_a_training_path(seed, target, period):
    requirements = rules.requirements_for(parsed_seed(seed), path="training", target_blocks=target)
    found = requirements.company_period
    assert ((found.amount, found.unit) if found else None) == period


@pytest.mark.parametrize("path", ["vae", "capitalisation"])
def test_no_company_period_is_required_off_the_training_paths(path):
    requirements = rules.requirements_for(parsed_seed("cc"), path=path)
    assert requirements.company_period is None


@pytest.mark.parametrize(
    ("path", "dossier"),
    [("training", False), ("vae", True), ("mixed", True), ("capitalisation", False)],
)
def test_the_vae_dossier_is_required_on_vae_and_mixed_paths(path, dossier):
    assert rules.requirements_for(parsed_seed("ntc"), path=path).vae_dossier is dossier


def test_mixed_path_needs_both_the_period_and_the_dossier():
    requirements = rules.requirements_for(parsed_seed("cc"), path="mixed")
    assert requirements.company_period.amount == 280
    assert requirements.vae_dossier


def test_cc_title_requires_a_slideshow_and_five_product_sheets():
    requirements = rules.requirements_for(parsed_seed("cc"), path="vae")
    assert [(p.title, p.quantity, p.min_units, p.max_units) for p in requirements.productions] == [
        ("Diaporama", 1, 24, 34),
        ("Fiches techniques de produits ou de services", 5, None, None),
    ]


def test_capitalised_blocks_are_no_longer_targeted():
    requirements = rules.requirements_for(
        parsed_seed("cc"),
        path="capitalisation",
        target_blocks=("CCP1", "CCP2"),
        obtained_blocks=("CCP1",),
    )
    assert requirements.scopes == ("CCP2",)


def test_a_certifier_title_adds_up_its_blocks_and_its_own_requirements():
    requirements = rules.requirements_for(parsed_seed("attache"), path="training")
    assert requirements.scopes == ("certification", "BC01", "BC02", "BC03")
    assert [p.title for p in requirements.productions] == [
        "Dossier de valorisation des compétences"
    ]


def test_unknown_blocks_and_paths_are_refused():
    with pytest.raises(ValueError, match="CCP9"):
        rules.requirements_for(parsed_seed("cc"), path="training", target_blocks=("CCP9",))
    with pytest.raises(ValueError, match="parcours inconnu"):
        rules.requirements_for(parsed_seed("cc"), path="apprentissage")


def test_paths_of_the_rules_are_the_enrolment_choices():
    assert {value for value, _ in enums.AccessPath.choices} == rules.PATHS


CC_TITLE = rules.requirements_for(parsed_seed("cc"), path="training")
COMPLETE = rules.Facts(
    company_period_done=280,
    company_period_proof=True,
    productions={"Diaporama": 1, "Fiches techniques de produits ou de services": 5},
)


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (COMPLETE, ()),
        (
            rules.Facts(
                company_period_done=300, company_period_proof=True, productions=COMPLETE.productions
            ),
            (),
        ),
        (
            rules.Facts(company_period_proof=True, productions=COMPLETE.productions),
            ("Période en entreprise non renseignée (durée exigée : 280 heures).",),
        ),
        (
            rules.Facts(
                company_period_done=210, company_period_proof=True, productions=COMPLETE.productions
            ),
            ("Période en entreprise insuffisante : 210 sur 280 heures.",),
        ),
        (
            rules.Facts(company_period_done=280, productions=COMPLETE.productions),
            ("Preuve de la période en entreprise non déposée.",),
        ),
        (
            rules.Facts(
                company_period_done=280,
                company_period_proof=True,
                productions={"Fiches techniques de produits ou de services": 3},
            ),
            (
                "Production « Diaporama » : 0 déposé(s), exigé.",
                "Production « Fiches techniques de produits ou de services » : 3 déposé(s), "
                "5 exigé(s).",
            ),
        ),
    ],
)
def test_eligibility_says_exactly_what_is_missing(facts, missing):
    result = rules.check_eligibility(CC_TITLE, facts)
    assert result.missing == missing
    assert result.eligible is (missing == ())


def test_a_vae_candidate_without_dossier_is_not_eligible():
    requirements = rules.requirements_for(parsed_seed("charge"), path="vae")
    result = rules.check_eligibility(
        requirements, rules.Facts(productions={"Production écrite individuelle": 1})
    )
    assert result.missing == ("Dossier VAE (dossier professionnel ou de validation) non déposé.",)


def test_working_days_and_months_are_said_in_their_unit():
    charge = rules.requirements_for(parsed_seed("charge"), path="training")
    attache = rules.requirements_for(parsed_seed("attache"), path="training")
    assert rules.check_eligibility(charge, rules.Facts(company_period_done=60)).missing[0] == (
        "Période en entreprise insuffisante : 60 sur 65 jours ouvrés."
    )
    assert rules.check_eligibility(attache, rules.Facts()).missing[0] == (
        "Période en entreprise non renseignée (durée exigée : 3 mois)."
    )
