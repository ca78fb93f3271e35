import pytest

from attesta.core.text import fold_accents


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Évaluer l’offre", "Evaluer l'offre"),
        ("Œuvre d‘Élise", "OEuvre d'Elise"),
        ("cœur, ex æquo", "coeur, ex aequo"),
        ("Négociateur technico-commercial", "Negociateur technico-commercial"),
        ("déjà ça", "deja ca"),
        ("plain ASCII", "plain ASCII"),
    ],
)
def test_fold_accents_keeps_case_and_spells_out_ligatures(text, folded):
    assert fold_accents(text) == folded
