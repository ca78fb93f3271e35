"""Jury assessment rules, table-driven from the five seed référentiels (no database)."""

from __future__ import annotations

import pytest

from attesta.evaluation import rules
from attesta.evaluation.rules import (
    Agreement,
    BlockSource,
    CompetencyDecision,
    ConditionKind,
    Mark,
)
from attesta.referentiels.importers.canonical import (
    Block,
    Competency,
    Correspondence,
    Criterion,
    Referentiel,
)
from tests.conftest import parsed_seed

SEEDS = ["cc", "ntc", "attache", "devco", "charge"]
BLOCKS = {
    "cc": ("CCP1", "CCP2"),
    "ntc": ("CCP1", "CCP2"),
    "attache": ("BC01", "BC02", "BC03"),
    "devco": ("BC01", "BC02", "BC03", "BC04", "BC05"),
    "charge": ("BC01", "BC02", "BC03"),
}
# The certification's other conditions, derived from the référentiel: (key, kind, label).
CONDITIONS = {
    "cc": [("method:certification:3", ConditionKind.METHOD, "Entretien final")],
    "ntc": [("method:certification:3", ConditionKind.METHOD, "Entretien final")],
    "attache": [
        (
            "production:certification:Dossier de valorisation des compétences",
            ConditionKind.PRODUCTION,
            "Dossier de valorisation des compétences",
        ),
        (
            "company_period:certification",
            ConditionKind.COMPANY_PERIOD,
            "Période en entreprise (3 mois)",
        ),
    ],
    "devco": [
        # the table repeats the professional project on each competency's row: one condition
        ("method:BC01:0", ConditionKind.METHOD, "Production écrite (C1.1, C1.2, C1.3, C1.4)"),
        ("method:BC05:0", ConditionKind.METHOD, "Production écrite (C5.1, C5.2)"),
    ],
    "charge": [
        (
            "method:BC03:0",
            ConditionKind.METHOD,
            "Production écrite E3 (C3.1.1, C3.1.2, C3.1.3, C3.2.1, C3.2.2, C3.2.3, "
            "C3.2.4, C3.2.5, C3.2.6, C3.2.7)",
        ),
        ("method:BC03:1", ConditionKind.METHOD, "Soutenance orale (C3.2.6)"),
    ],
}
# One competency per seed that the jury finds not acquired, and its block.
FAILED = {
    "cc": ("CP6", "CCP2"),
    "ntc": ("CP3", "CCP1"),
    "attache": ("C10", "BC02"),
    "devco": ("C4.2", "BC04"),
    "charge": ("C2.1.4.1", "BC02"),
}


def decide(referentiel: Referentiel, *, fail: str | None = None, blocks=None):
    return [
        CompetencyDecision(code=c.code, acquired=c.code != fail, justification="")
        for b in referentiel.blocks
        if blocks is None or b.code in blocks
        for c in b.competencies
    ]


def all_conditions(referentiel: Referentiel) -> set[str]:
    return {c.key for c in rules.conditions_for(referentiel)}


def renamed_version(referentiel: Referentiel, prefix: str = "ANC-") -> Referentiel:
    """A made-up previous version: the same content under other block codes."""
    old = Referentiel.from_dict(referentiel.to_dict())
    old.version = "ancienne"
    old.correspondences = []
    for block in old.blocks:
        block.code = prefix + block.code
    for exam in old.exams:
        if exam.scope != rules.CERTIFICATION:
            exam.scope = prefix + exam.scope
    assert old.problems() == []
    return old


# --- grids ---------------------------------------------------------------------------------


def test_attache_bc02_first_evaluation_grid_lists_its_competencies_and_their_criteria():
    referentiel = parsed_seed("attache")
    grid = rules.grid_for(referentiel, scope="BC02", method_index=0)
    assert [c.code for c in grid.competencies] == ["C8", "C9", "C11", "C12", "C13"]
    assert {c.block_code for c in grid.competencies} == {"BC02"}
    by_code = {c.code: c for c in referentiel.competencies()}
    for competency in grid.competencies:
        assert [c.text for c in competency.criteria] == [
            c.text for c in by_code[competency.code].criteria
        ]
    assert grid.criterion_keys()[:4] == ("C8#1", "C8#2", "C8#3", "C9#1")
    assert len(grid.criterion_keys()) == 3 + 4 + 1 + 2 + 1
    assert grid.transversals == ()


def test_attache_bc02_second_evaluation_assesses_the_negotiation_competencies():
    grid = rules.grid_for(parsed_seed("attache"), scope="BC02", method_index=1)
    assert [c.code for c in grid.competencies] == ["C10", "C14"]
    assert len(grid.criterion_keys()) == 7 + 2


@pytest.mark.parametrize(
    ("seed", "scope", "index", "codes"),
    [
        ("cc", "certification", 0, ["CP3", "CP5", "CP6", "CP7"]),
        ("cc", "CCP1", 2, ["CP1", "CP2", "CP3"]),
        ("ntc", "certification", 2, ["CP1", "CP2", "CP9"]),
        ("devco", "BC04", 3, ["C4.4"]),
        ("charge", "BC03", 1, ["C3.2.6"]),
    ],
)
def test_grid_follows_the_method_matrix_of_the_referentiel(seed, scope, index, codes):
    grid = rules.grid_for(parsed_seed(seed), scope=scope, method_index=index)
    assert [c.code for c in grid.competencies] == codes
    assert all(c.criteria for c in grid.competencies)


def test_transversal_competencies_are_shown_through_the_competencies_of_the_grid_only():
    grid = rules.grid_for(parsed_seed("cc"), scope="certification", method_index=0)
    through = {t.code: t.through for t in grid.transversals}
    assert through == {
        "CT1": ("CP3", "CP5", "CP6", "CP7"),
        "CT2": ("CP3", "CP5", "CP6", "CP7"),
        "CT3": ("CP3", "CP6", "CP7"),
        "CT4": ("CP5",),
    }
    # not graded: no transversal criterion is a cell of the grid
    assert not any(key.startswith("CT") for key in grid.criterion_keys())


def test_the_final_interview_grid_has_no_competency_to_mark():
    grid = rules.grid_for(parsed_seed("ntc"), scope="certification", method_index=3)
    assert grid.method_title == "Entretien final"
    assert grid.competencies == ()
    assert grid.transversals == ()


@pytest.mark.parametrize(
    ("scope", "index", "message"),
    [("BC09", 0, "aucune épreuve « BC09 »"), ("BC02", 2, "modalité 2 inconnue")],
)
def test_grid_of_an_unknown_exam_or_method_is_refused(scope, index, message):
    with pytest.raises(ValueError, match=message):
        rules.grid_for(parsed_seed("attache"), scope=scope, method_index=index)


# --- marks, exemptions ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_an_exempted_criterion_is_shown_exempted_and_not_counted_as_failed(seed):
    referentiel = parsed_seed(seed)
    competency = (
        referentiel.competencies()[0]
        if seed == "charge"  # one criterion per competency
        else _competency_with_two_criteria(referentiel)
    )
    block = referentiel.block_of(competency.code)
    exam = referentiel.exam_for(block.code)
    index = next(i for i, m in enumerate(exam.methods) if competency.code in m.competencies)
    grid = rules.grid_for(referentiel, scope=block.code, method_index=index)
    keys = rules.criterion_keys(competency)
    exempted = {keys[-1]}

    blank = rules.initial_marks(grid, exempted=exempted)
    assert blank[keys[-1]] is Mark.EXEMPTED
    assert all(blank[k] is None for k in grid.criterion_keys() if k not in exempted)

    marks = dict.fromkeys(keys[:-1], Mark.MET) | {keys[-1]: Mark.EXEMPTED}
    assert rules.mark_problems(grid, marks, exempted=exempted) == ()
    consolidation = rules.consolidate(grid, {"A": marks, "B": marks})
    evidence = rules.criterion_evidence([consolidation], exempted=exempted)
    assert evidence[keys[-1]] is Mark.EXEMPTED
    assert rules.criteria_support_acquired(competency, evidence)
    decision = CompetencyDecision(code=competency.code, acquired=True)
    assert rules.decision_problems(referentiel, [decision], evidence) == ()


@pytest.mark.parametrize(
    ("marks", "problem"),
    [
        ({"C8#1": Mark.NOT_MET}, "C8#1 : le candidat en est dispensé."),
        ({"C8#2": Mark.EXEMPTED, "C8#1": Mark.EXEMPTED}, "C8#2 : seul le jury peut dispenser"),
        ({"C1#1": Mark.MET, "C8#1": Mark.EXEMPTED}, "Critère C1#1 absent de la grille."),
        ({"C9#1": Mark.MET}, "C8#1 : dispense non reportée."),
    ],
)
def test_assessor_marks_cannot_fail_an_exempted_criterion_nor_exempt_one(marks, problem):
    grid = rules.grid_for(parsed_seed("attache"), scope="BC02", method_index=0)
    problems = rules.mark_problems(grid, marks, exempted={"C8#1"})
    assert len(problems) == 1
    assert problem in problems[0]


# --- consolidation -------------------------------------------------------------------------


def test_consolidation_shows_agreements_and_disagreements_per_criterion():
    grid = rules.grid_for(parsed_seed("attache"), scope="BC02", method_index=0)
    first = dict.fromkeys(grid.criterion_keys(), Mark.MET)
    second = first | {"C9#2": Mark.NOT_MET, "C12#1": Mark.NOT_OBSERVED}
    del second["C13#1"]
    consolidation = rules.consolidate(grid, {"Mme A": first, "M. B": second})

    assert consolidation.disagreements() == ("C9#2", "C12#1")
    assert consolidation.incomplete() == ("C13#1",)
    row = next(r for r in consolidation.criteria if r.key == "C9#2")
    assert row.marks == (("Mme A", Mark.MET), ("M. B", Mark.NOT_MET))
    assert row.agreed_mark is None
    agreed = next(r for r in consolidation.criteria if r.key == "C8#1")
    assert agreed.agreement is Agreement.AGREED
    assert agreed.agreed_mark is Mark.MET


@pytest.mark.parametrize(
    ("per_method", "expected"),
    [
        ([[Mark.MET, Mark.MET]], Mark.MET),
        ([[Mark.MET, Mark.MET], [Mark.NOT_OBSERVED, Mark.NOT_OBSERVED]], Mark.MET),
        ([[Mark.MET, Mark.MET], [Mark.NOT_MET, Mark.NOT_MET]], Mark.NOT_MET),
        ([[Mark.MET, Mark.NOT_MET]], None),
        ([[Mark.MET, Mark.MET], [Mark.MET, Mark.NOT_OBSERVED]], None),
        ([[Mark.NOT_OBSERVED, Mark.NOT_OBSERVED]], Mark.NOT_OBSERVED),
        ([[Mark.MET, None]], None),
    ],
)
def test_criterion_evidence_over_the_methods_of_a_candidate(per_method, expected):
    # CP3 is assessed by three methods of the CC title session.
    referentiel = parsed_seed("cc")
    consolidations = []
    for index, (a, b) in enumerate(per_method):
        grid = rules.grid_for(referentiel, scope="certification", method_index=index)
        marks_a = {} if a is None else {"CP3#1": a}
        marks_b = {} if b is None else {"CP3#1": b}
        consolidations.append(rules.consolidate(grid, {"A": marks_a, "B": marks_b}))
    assert rules.criterion_evidence(consolidations)["CP3#1"] is expected


# --- justification -------------------------------------------------------------------------


def _competency_with_two_criteria(referentiel: Referentiel) -> Competency:
    return next(c for c in referentiel.competencies() if len(c.criteria) >= 2)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("last_mark", "acquired", "justification", "needed"),
    [
        (Mark.MET, True, "", False),
        (Mark.NOT_MET, False, "", False),
        (None, False, "", False),  # not established: not acquired follows the criteria
        (Mark.NOT_MET, True, "", True),  # acquired although a criterion is not met
        (None, True, "", True),  # acquired although a criterion is not established
        (Mark.NOT_OBSERVED, True, "", True),
        (Mark.MET, False, "", True),  # not acquired although every criterion is met
        (Mark.NOT_MET, True, "Critère observé en entretien technique.", False),
        (Mark.MET, False, "Fraude constatée.", False),
    ],
)
def test_a_justification_is_required_when_the_decision_departs_from_the_criteria(
    seed, last_mark, acquired, justification, needed
):
    referentiel = parsed_seed(seed)
    competency = (
        referentiel.competencies()[0]
        if seed == "charge"  # one criterion per competency
        else _competency_with_two_criteria(referentiel)
    )
    keys = rules.criterion_keys(competency)
    evidence = dict.fromkeys(keys, Mark.MET) | {keys[-1]: last_mark}
    decision = CompetencyDecision(competency.code, acquired, justification)
    problems = rules.decision_problems(referentiel, [decision], evidence)
    assert bool(problems) is needed
    if needed:
        assert problems[0].startswith(f"{competency.code} : ")
        assert problems[0].endswith("justification obligatoire.")


def test_decisions_on_unknown_or_repeated_competencies_are_refused():
    referentiel = parsed_seed("cc")
    evidence = dict.fromkeys(rules.criterion_keys(referentiel.competencies()[0]), Mark.MET)
    decisions = [
        CompetencyDecision("CP1", True),
        CompetencyDecision("CP1", False),
        CompetencyDecision("C99", True),
    ]
    assert rules.decision_problems(referentiel, decisions, evidence) == (
        "CP1 : décision en double.",
        "C99 : compétence inconnue dans TP-00115.",
    )


# --- conditions and outcome ----------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_other_conditions_are_derived_from_the_referentiel(seed):
    conditions = rules.conditions_for(parsed_seed(seed))
    assert [(c.key, c.kind, c.label) for c in conditions] == CONDITIONS[seed]


@pytest.mark.parametrize("seed", SEEDS)
def test_full_success_obtains_every_block_and_the_certification(seed):
    referentiel = parsed_seed(seed)
    outcome = rules.certification_outcome(
        referentiel, decisions=decide(referentiel), conditions_met=all_conditions(referentiel)
    )
    assert outcome.obtained
    assert not outcome.partial
    assert outcome.obtained_blocks() == BLOCKS[seed]
    assert outcome.newly_obtained_blocks() == BLOCKS[seed]
    assert {b.source for b in outcome.blocks} == {BlockSource.SESSION}
    assert outcome.unmet_conditions == ()


@pytest.mark.parametrize("seed", SEEDS)
def test_one_competency_not_acquired_fails_its_block_and_the_title_but_not_the_others(seed):
    referentiel = parsed_seed(seed)
    failed, block = FAILED[seed]
    outcome = rules.certification_outcome(
        referentiel,
        decisions=decide(referentiel, fail=failed),
        conditions_met=all_conditions(referentiel),
    )
    assert not outcome.obtained
    assert outcome.partial
    others = tuple(code for code in BLOCKS[seed] if code != block)
    assert outcome.newly_obtained_blocks() == others
    failed_block = next(b for b in outcome.blocks if b.code == block)
    assert (failed_block.obtained, failed_block.source, failed_block.missing) == (
        False,
        None,
        (failed,),
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_a_capitalised_block_completes_the_title_in_a_second_session(seed):
    referentiel = parsed_seed(seed)
    failed, block = FAILED[seed]
    first = rules.certification_outcome(
        referentiel,
        decisions=decide(referentiel, fail=failed),
        conditions_met=all_conditions(referentiel),
    )
    # Second session: only the missing block, plus the title's own conditions.
    title_conditions = {
        c.key for c in rules.conditions_for(referentiel) if c.scope in (rules.CERTIFICATION, block)
    }
    second = rules.certification_outcome(
        referentiel,
        decisions=decide(referentiel, blocks={block}),
        conditions_met=title_conditions,
        capitalised=first.newly_obtained_blocks(),
    )
    assert second.obtained
    assert second.newly_obtained_blocks() == (block,)
    sources = {b.code: b.source for b in second.blocks}
    assert sources == {
        code: BlockSource.SESSION if code == block else BlockSource.CAPITALISED
        for code in BLOCKS[seed]
    }


@pytest.mark.parametrize(
    ("seed", "key"), [(seed, key) for seed in SEEDS for key, _, _ in CONDITIONS[seed]]
)
def test_the_title_needs_each_of_its_other_conditions(seed, key):
    referentiel = parsed_seed(seed)
    outcome = rules.certification_outcome(
        referentiel,
        decisions=decide(referentiel),
        conditions_met=all_conditions(referentiel) - {key},
    )
    assert not outcome.obtained
    scope = next(c.scope for c in rules.conditions_for(referentiel) if c.key == key)
    if scope == rules.CERTIFICATION:
        # every block is still obtained and capitalised: only the title waits
        assert outcome.unmet_conditions == (key,)
        assert outcome.newly_obtained_blocks() == BLOCKS[seed]
    else:
        # a block's production or defence conditions that block, hence the title
        block = next(b for b in outcome.blocks if b.code == scope)
        assert (block.obtained, block.missing, block.unmet_conditions) == (False, (), (key,))


def test_the_final_interview_is_not_needed_for_a_ccp_alone():
    referentiel = parsed_seed("cc")
    outcome = rules.certification_outcome(
        referentiel, decisions=decide(referentiel, blocks={"CCP1"})
    )
    assert outcome.newly_obtained_blocks() == ("CCP1",)
    assert not outcome.obtained
    assert outcome.unmet_conditions == ("method:certification:3",)


def test_an_extension_block_is_optional_for_the_title():
    referentiel = parsed_seed("cc")
    referentiel.blocks.append(
        Block(
            code="CCS1",
            title="Activité complémentaire",
            extension=True,
            competencies=[Competency("CP99", "Compétence CCS", criteria=[Criterion("c")])],
        )
    )
    outcome = rules.certification_outcome(
        referentiel,
        decisions=decide(referentiel, fail="CP99"),
        conditions_met=all_conditions(referentiel),
    )
    assert outcome.obtained
    ccs = next(b for b in outcome.blocks if b.code == "CCS1")
    assert ccs.extension
    assert not ccs.obtained


def test_an_unknown_capitalised_block_is_refused():
    with pytest.raises(ValueError, match="bloc\\(s\\) inconnu\\(s\\) dans TP-00115 : BC01"):
        rules.certification_outcome(parsed_seed("cc"), decisions=[], capitalised=["BC01"])


# --- correspondences between versions ------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_blocks_obtained_on_an_old_version_are_credited_through_the_correspondences(seed):
    current = parsed_seed(seed)
    old = renamed_version(current)
    current.correspondences = [
        Correspondence("ANC-" + b.code, b.title, b.code, b.title) for b in current.blocks
    ]
    failed, block = FAILED[seed]
    on_old = rules.certification_outcome(
        old, decisions=decide(old, fail=failed), conditions_met=all_conditions(old)
    )
    assert on_old.newly_obtained_blocks() == tuple(
        "ANC-" + code for code in BLOCKS[seed] if code != block
    )
    second = rules.certification_outcome(
        current,
        decisions=decide(current, blocks={block}),
        conditions_met=all_conditions(current),
        old_version_blocks=on_old.newly_obtained_blocks(),
    )
    assert second.obtained
    assert {b.code: b.source for b in second.blocks} == {
        code: BlockSource.SESSION if code == block else BlockSource.CORRESPONDENCE
        for code in BLOCKS[seed]
    }
    assert second.newly_obtained_blocks() == (block,)


@pytest.mark.parametrize("seed", ["cc", "ntc"])
def test_the_ministry_correspondences_of_the_seeds_credit_the_same_ccp(seed):
    assert rules.credited_blocks(parsed_seed(seed), ["CCP2"]) == {"CCP2"}


@pytest.mark.parametrize(
    ("old_blocks", "credited"),
    [
        (["A1", "A2"], {"CCP1"}),
        (["A1"], set()),
        (["A3"], set()),
        (["A2", "A3"], {"CCP2"}),
        (["A1", "A2", "A3"], {"CCP1", "CCP2"}),
        ([], set()),
    ],
)
def test_a_block_several_old_blocks_correspond_to_needs_all_of_them(old_blocks, credited):
    referentiel = parsed_seed("cc")
    referentiel.correspondences = [
        Correspondence("A1", "", "CCP1", ""),
        Correspondence("A2", "", "CCP1", ""),
        Correspondence("A2", "", "CCP2", ""),
        Correspondence("A3", "", "CCP2", ""),
    ]
    assert rules.credited_blocks(referentiel, old_blocks) == credited


def test_a_method_naming_an_unknown_competency_is_refused():
    referentiel = parsed_seed("attache")
    referentiel.exam_for("BC02").methods[0].competencies.append("C99")
    with pytest.raises(ValueError, match="compétence inconnue dans ATTACHE-COMMERCIAL : C99"):
        rules.grid_for(referentiel, scope="BC02", method_index=0)


def test_a_block_without_competencies_is_never_obtained_by_decisions():
    referentiel = parsed_seed("devco")
    referentiel.blocks.append(Block(code="BC06", title="Bloc vide"))
    outcome = rules.certification_outcome(
        referentiel, decisions=decide(referentiel), conditions_met=all_conditions(referentiel)
    )
    assert not outcome.obtained
    assert "BC06" not in outcome.obtained_blocks()


def test_a_block_both_capitalised_and_credited_counts_as_capitalised():
    referentiel = parsed_seed("cc")
    outcome = rules.certification_outcome(
        referentiel, decisions=[], capitalised=["CCP1"], old_version_blocks=["CCP1", "CCP2"]
    )
    assert [(b.code, b.source) for b in outcome.blocks] == [
        ("CCP1", BlockSource.CAPITALISED),
        ("CCP2", BlockSource.CORRESPONDENCE),
    ]
    assert outcome.unmet_conditions == ("method:certification:3",)


def _content(kind, *, attendance="present", blocks=(), obtained=False):
    entry = {
        "seat_id": 7,
        "attendance": attendance,
        "blocks": [{"code": code, "obtained": got} for code, got in blocks],
        "certification_obtained": obtained,
    }
    return {"certification": {"kind": kind}, "candidates": [entry]}


@pytest.mark.parametrize(
    ("content", "kinds"),
    [
        (
            _content("titre_professionnel", blocks=[("CCP1", True)]),
            ["attestation", "results_summary"],
        ),
        (_content("titre_professionnel", blocks=[("CCP1", False)]), ["results_summary"]),
        (_content("titre_professionnel", attendance="absent"), []),
        (_content("certifier", blocks=[("BC01", True)]), ["attestation"]),
        (
            _content("certifier", blocks=[("BC01", True)], obtained=True),
            ["attestation", "certificate"],
        ),
        (_content("certifier", blocks=[("BC01", False)]), []),
    ],
)
def test_result_documents_follow_the_signed_minutes(content, kinds):
    assert rules.result_document_kinds(content, 7) == kinds
    assert rules.result_document_kinds(content, 8) == []
