"""Ministry « titre professionnel » importer (REAC + RE): the two real seeds, end to end.

Pure tests: no Django, no database. The expected values are read from the seed documents
(line numbers are 1-based lines of the seed files).
"""

from __future__ import annotations

import dataclasses
import functools
import re

import pytest

from attesta.referentiels.importers import checks, ministry
from attesta.referentiels.importers.canonical import (
    Kind,
    MethodKind,
    PeriodUnit,
    ProductionKind,
    Referentiel,
    WarningCode,
)
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.ministry_text import (
    TitleMatcher,
    clean,
    html_items,
    method_kind,
    parse_duration,
)
from attesta.referentiels.importers.source import Source
from tests.referentiels.importers.seeds import CC, CERTIFIER_SEEDS, NTC, SEEDS

PS = MethodKind.PROFESSIONAL_SITUATION
TI = MethodKind.TECHNICAL_INTERVIEW
QP = MethodKind.QUESTIONING_FROM_PRODUCTIONS
FI = MethodKind.FINAL_INTERVIEW


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def source(name: str, text: str | None = None) -> Source:
    return Source(filename=name, text=seed_text(name) if text is None else text)


@functools.cache
def _parsed(name: str) -> Referentiel:
    return ministry.parse(source(name))


def parsed(name: str) -> Referentiel:
    """The seed's référentiel (a copy: tests may not affect each other)."""
    original = _parsed(name)
    copy = Referentiel.from_dict(original.to_dict())
    copy.source_lines = dict(original.source_lines)
    return copy


def competency(name: str, code: str):
    return next(c for c in parsed(name).competencies() if c.code == code)


def exam(name: str, scope: str):
    found = parsed(name).exam_for(scope)
    assert found is not None, scope
    return found


def replace_line(text: str, number: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[number - 1], (number, old)
    lines[number - 1] = lines[number - 1].replace(old, new)
    return "\n".join(lines)


def cut(name: str, lines: int, chars: int | None = None) -> str:
    kept = seed_text(name).split("\n")[:lines]
    if chars is not None:
        kept[-1] = kept[-1][:chars]
    return "\n".join(kept)


# --- recognition ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [CC, NTC])
def test_looks_like_recognises_the_ministry_seeds(name):
    assert ministry.looks_like(source(name)) is True


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_looks_like_rejects_certifier_tables(name):
    assert ministry.looks_like(source(name)) is False


@pytest.mark.parametrize(
    "text",
    [
        "Le conseiller commercial prospecte et vend.\n\nIl fidélise ses clients.\n",
        '{"format": "attesta-referentiel/1"}',
        "",
        "Bloc 1\tCompétences\tModalités d'évaluation\n",
    ],
)
def test_looks_like_rejects_other_documents(text):
    assert ministry.looks_like(Source("autre.txt", text)) is False


def test_looks_like_ignores_a_reac_title_buried_deep_in_a_document():
    text = "\n".join(f"Paragraphe {n} d'un autre document." for n in range(40))
    text += "\nREFERENTIEL EMPLOI ACTIVITES COMPETENCES DU TITRE PROFESSIONNEL\n"
    assert ministry.looks_like(Source("autre.txt", text)) is False


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_parsing_a_certifier_table_raises_on_line_1(name):
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(source(name))
    assert failure.value.line == 1
    assert "RÉFÉRENTIEL EMPLOI ACTIVITÉS COMPÉTENCES » introuvable" in failure.value.message


def test_parsing_plain_prose_raises_on_line_1():
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(Source("prose.txt", "Bonjour.\nCeci n'est pas un référentiel.\n"))
    assert failure.value.line == 1


def test_an_re_without_its_reac_looks_like_ministry_but_fails_on_line_1():
    text = seed_text(CC).split("\n")
    re_only = Source("re.txt", "\n".join(text[1136:]))
    assert ministry.looks_like(re_only) is True
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(re_only)
    assert failure.value.line == 1
    assert "REAC manque" in failure.value.message


# --- identity ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "title", "acronym", "level", "version"),
    [
        (CC, "TP-00115", "Conseiller commercial", "CC", 4, "09"),
        (NTC, "TP-00338", "Négociateur technico-commercial", "NTC", 5, "07"),
    ],
)
def test_seed_identity_comes_from_the_re_references_and_page_footers(
    name, code, title, acronym, level, version
):
    ref = parsed(name)
    assert (ref.code, ref.title, ref.acronym, ref.level, ref.version) == (
        code,
        title,
        acronym,
        level,
        version,
    )
    assert ref.kind is Kind.TITRE_PROFESSIONNEL
    assert ref.source_format == "ministry"


@pytest.mark.parametrize(
    ("name", "valid_from", "published_on", "updated_on"),
    [
        (CC, "2023-07-31", "2023-07-09", "2023-07-10"),
        (NTC, "2024-06-10", "2024-05-16", "2024-05-17"),
    ],
)
def test_dates_are_the_decree_effect_publication_and_update_dates(
    name, valid_from, published_on, updated_on
):
    ref = parsed(name)
    assert (ref.valid_from, ref.published_on, ref.updated_on) == (
        valid_from,
        published_on,
        updated_on,
    )


def test_cc_nsf_rome_and_formacode_codes():
    ref = parsed(CC)
    assert [(c.code, c.label) for c in ref.nsf_codes] == [
        ("312t", "Négociation et vente"),
        ("312", "Commerce, vente (niv100)"),
    ]
    assert [(c.code, c.label) for c in ref.rome_codes] == [
        ("D1403", "Relation commerciale auprès de particuliers"),
        ("D1404", "Relation commerciale en vente de véhicules"),
        ("C1102", "Conseil clientèle en assurances"),
        ("D1402", "Relation commerciale grands comptes et entreprises"),
        ("D1407", "Relation technico-commerciale"),
    ]
    assert [c.code for c in ref.formacode_codes] == ["34561", "34592", "34593", "34517", "34582"]


def test_ntc_nsf_rome_and_formacode_codes():
    ref = parsed(NTC)
    assert [(c.code, c.label) for c in ref.nsf_codes] == [("312t", "Négociation et vente")]
    assert [(c.code, c.label) for c in ref.rome_codes] == [
        ("D1402", "Relation commerciale grands comptes et entreprises"),
        ("D1406", "Management en force de vente"),
        ("D1407", "Relation technico-commerciale"),
    ]
    assert [c.code for c in ref.formacode_codes] == ["34572", "34573", "34561", "34581", "34593"]


# --- blocks and competencies ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "block", "counts"),
    [
        (CC, "CCP1", [5, 7, 9, 4]),
        (CC, "CCP2", [6, 8, 4, 5]),
        (NTC, "CCP1", [6, 4, 6, 7]),
        (NTC, "CCP2", [3, 8, 7, 5, 5]),
    ],
)
def test_block_criteria_counts_per_competency(name, block, counts):
    found = next(b for b in parsed(name).blocks if b.code == block)
    assert [len(c.criteria) for c in found.competencies] == counts


def test_cc_block_1_has_criteria_counts_5_7_9_4():
    assert [len(c.criteria) for c in parsed(CC).blocks[0].competencies] == [5, 7, 9, 4]


@pytest.mark.parametrize(
    ("name", "blocks"),
    [
        (
            CC,
            [
                ("CCP1", "Prospecter un secteur de vente", ["CP1", "CP2", "CP3", "CP4"]),
                (
                    "CCP2",
                    "Accompagner le client et lui proposer des produits et des services",
                    ["CP5", "CP6", "CP7", "CP8"],
                ),
            ],
        ),
        (
            NTC,
            [
                (
                    "CCP1",
                    "Élaborer une stratégie de prospection et la mettre en œuvre",
                    ["CP1", "CP2", "CP3", "CP4"],
                ),
                (
                    "CCP2",
                    "Négocier une solution technique et commerciale et consolider l'expérience"
                    " client",
                    ["CP5", "CP6", "CP7", "CP8", "CP9"],
                ),
            ],
        ),
    ],
)
def test_block_codes_titles_and_members(name, blocks):
    assert [
        (b.code, b.title, [c.code for c in b.competencies]) for b in parsed(name).blocks
    ] == blocks


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        (
            CC,
            [
                "Assurer une veille professionnelle et commerciale",
                "Mettre en œuvre un plan d'actions commerciales et organiser son activité",
                "Mettre en œuvre la démarche de prospection",
                "Analyser ses performances commerciales et en rendre compte",
                "Représenter l'entreprise et contribuer à la valorisation de son image",
                "Conseiller le client en conduisant l'entretien de vente",
                "Assurer le suivi de ses ventes",
                "Fidéliser en consolidant l'expérience client",
            ],
        ),
        (
            NTC,
            [
                "Assurer une veille commerciale",
                "Concevoir et organiser un plan d'actions commerciales",
                "Prospecter un secteur défini",
                "Analyser ses performances, élaborer et mettre en œuvre des actions correctives",
                "Représenter l'entreprise et valoriser son image",
                "Concevoir une proposition technique et commerciale",
                "Négocier une solution technique et commerciale",
                "Réaliser le bilan, ajuster son activité commerciale et rendre compte",
                "Optimiser la gestion de la relation client",
            ],
        ),
    ],
)
def test_competency_codes_follow_the_reac_fiche_numbers(name, titles):
    competencies = parsed(name).competencies()
    assert [c.code for c in competencies] == [f"CP{n}" for n in range(1, len(titles) + 1)]
    assert [c.title for c in competencies] == titles


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        (
            "CP1",
            "La sélection des outils de veille et des sources d'information est pertinente par"
            " rapport au type d'information recherché",
            "Les principaux concurrents et leur positionnement sur le marché sont connus",
        ),
        (
            "CP2",
            "Les moyens d'action prennent en compte la politique commerciale de l'entreprise",
            "La dimension écologique est intégrée à l'organisation des tournées",
        ),
        (
            "CP3",
            "Le prospect/client est contacté par le canal le plus approprié par rapport à son"
            " profil",
            # source: « Les techniques du *social selling*¹ sont … » (markup and footnote go)
            "Les techniques du social selling sont mises en œuvre à bon escient",
        ),
        (
            "CP4",
            "L'analyse de l'activité commerciale et des résultats est pertinente",
            "Les propositions d'actions correctives sont réalisables",
        ),
        (
            "CP5",
            "La présentation met en valeur les produits et services de l'entreprise",
            "Les règles de confidentialité des réseaux sociaux sont appliquées",
        ),
        (
            "CP6",
            "La préparation de l'entretien prend en compte les caractéristiques du prospect/client",
            "La conduite d'entretien prend en compte d'éventuelles situations de handicap chez le"
            " client ou dans son entourage",
        ),
        (
            "CP7",
            "Les procédures de l'entreprise sont respectées",
            "Le dossier est transmis aux services compétents si nécessaire",
        ),
        (
            "CP8",
            "Les actions de fidélisation respectent la politique commerciale de l'entreprise",
            "Les outils numériques sont intégrés dans la démarche de fidélisation",
        ),
    ],
)
def test_cc_first_and_last_performance_criterion_of_each_competency(code, first, last):
    criteria = [c.text for c in competency(CC, code).criteria]
    assert (criteria[0], criteria[-1]) == (first, last)


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        (
            "CP1",
            "Les outils de veille utilisés sont appropriés au contexte de l'entreprise",
            "Les propositions faites en matière de stratégie de veille sont argumentées et"
            " étayées par des données issues de la veille",
        ),
        (
            "CP2",
            "Le plan d'actions commerciales est élaboré en fonction des spécificités du secteur",
            "Les opportunités de développement des affaires sont identifiées",
        ),
        (
            "CP3",
            "Les données relatives aux attentes et aux besoins des entreprises prospects /"
            " clientes sont recueillies de façon ciblée par rapport à l'objectif et aux"
            " caractéristiques des produits et des services",
            "Les actions de prospection sont évaluées et ajustées en continu",
        ),
        (
            "CP4",
            "Le suivi et l'analyse des KPI sont effectués",
            "Les actions correctives sont alignées avec les objectifs de l'entreprise",
        ),
        (
            "CP5",
            "La présentation des produits, solutions, savoir-faire et services est valorisante"
            " et adaptée à l'interlocuteur et au canal de communication",
            "L'e-réputation de l'entreprise est entretenue et surveillée en continu",
        ),
        (
            "CP6",
            "Les informations relatives aux besoins de l'entreprise prospect / cliente sont"
            " recueillies",
            "La proposition est rentable d'un point de vue commercial",
        ),
        (
            "CP7",
            "La négociation de la solution répond aux attentes de l'entreprise prospect/cliente",
            "Les objections sont traitées de manière factuelle et valorisent la solution",
        ),
        (
            "CP8",
            "Le bilan de l'activité commerciale est régulièrement réalisé et analysé",
            "Les comptes rendus sont clairs et exploitables par des tiers",
        ),
        (
            "CP9",
            "Le suivi de la mise en œuvre des solutions de l'entreprise cliente est assuré",
            "La communication avec les entreprises clientes est régulière et transparente",
        ),
    ],
)
def test_ntc_first_and_last_performance_criterion_of_each_competency(code, first, last):
    criteria = [c.text for c in competency(NTC, code).criteria]
    assert (criteria[0], criteria[-1]) == (first, last)


def test_competency_fiche_sections_fill_description_context_and_skills():
    veille = competency(CC, "CP1")
    assert veille.description.startswith("Utiliser les outils de veille concurrentielle")
    assert veille.context.startswith("Cette compétence s'exerce de façon régulière")
    assert veille.savoir_faire[0].startswith("Se servir des données d'un CRM")
    assert veille.savoir_faire[-1] == "Classer et analyser des informations"
    assert veille.savoirs[0] == "Connaissance des procédures internes à l'entreprise"
    assert len(veille.savoirs) == 10


def test_a_knowledge_item_amid_the_know_how_is_filed_under_savoirs():
    # NTC CP9 lists « Connaissance des produits ou services offerts aux grands comptes… »
    # between two savoir-faire (seed line 1491).
    relation = competency(NTC, "CP9")
    knowledge = "Connaissance des produits ou services offerts aux grands comptes en lien avec"
    assert any(s.startswith(knowledge) for s in relation.savoirs)
    assert not any(s.startswith("Connaissance") for s in relation.savoir_faire)
    assert "Proposer des solutions techniques en adéquation avec les besoins des entreprises" in (
        " ".join(relation.savoir_faire)
    )


def test_block_description_is_the_activity_type_definition():
    assert (
        parsed(CC)
        .blocks[0]
        .description.startswith(
            "Le conseiller commercial explore les potentialités d'un secteur de vente."
        )
    )


# --- transversal competencies --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            CC,
            [
                ("CT1", "Communiquer", 10, ["CP3", "CP5", "CP6", "CP7", "CP8"]),
                (
                    "CT2",
                    "Adopter un comportement orienté vers l'autre",
                    6,
                    ["CP3", "CP5", "CP6", "CP7", "CP8"],
                ),
                (
                    "CT3",
                    "Organiser ses actions",
                    4,
                    ["CP1", "CP2", "CP3", "CP4", "CP6", "CP7", "CP8"],
                ),
                (
                    "CT4",
                    "Mobiliser les environnements numériques",
                    6,
                    ["CP1", "CP2", "CP5", "CP8"],
                ),
            ],
        ),
        (
            NTC,
            [
                ("CT1", "Communiquer", 5, [f"CP{n}" for n in range(1, 10)]),
                (
                    "CT2",
                    "Adopter un comportement orienté vers l'autre",
                    5,
                    [f"CP{n}" for n in range(1, 10)],
                ),
                ("CT3", "Rechercher un accord", 4, [f"CP{n}" for n in range(1, 10)]),
                # its §3.3 rows continue after a page break (seed lines 2199-2212)
                ("CT4", "Evaluer ses actions", 4, [f"CP{n}" for n in range(1, 10)]),
                (
                    "CT5",
                    "Mettre en œuvre une démarche de résolution de problème",
                    5,
                    [f"CP{n}" for n in range(1, 10)],
                ),
            ],
        ),
    ],
)
def test_transversal_titles_criteria_and_assessed_through(name, expected):
    assert [
        (t.code, t.title, len(t.criteria), t.assessed_through)
        for t in parsed(name).transversal_competencies
    ] == expected


def test_transversal_criteria_are_read_from_the_transversal_fiche():
    communiquer = parsed(CC).transversal_competencies[0]
    assert communiquer.criteria[0].text == (
        "Le langage est adapté à la cible et au canal de communication"
    )
    assert communiquer.criteria[-1].text == "Les objections sont traitées de manière efficace"
    assert communiquer.description.startswith("Afin de contribuer au chiffre d'affaires")


# --- exams ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "scope", "methods", "total", "jury", "period_hours"),
    [
        (CC, "certification", [(PS, 105), (TI, 55), (QP, 70), (FI, 10)], 240, 195, 280),
        (CC, "CCP1", [(PS, 70), (TI, 50), (QP, 60)], 180, 135, 140),
        (CC, "CCP2", [(PS, 100), (TI, 10), (QP, 20)], 130, 85, 140),
        (NTC, "certification", [(PS, 390), (TI, 50), (QP, 60), (FI, 10)], 510, 220, 350),
        (NTC, "CCP1", [(PS, 150), (TI, 50), (QP, 40)], 240, 115, 175),
        (NTC, "CCP2", [(PS, 285), (TI, 50), (QP, 30)], 365, 135, 175),
    ],
)
def test_exam_methods_durations_total_jury_and_company_period(
    name, scope, methods, total, jury, period_hours
):
    found = exam(name, scope)
    assert [(m.kind, m.duration_minutes) for m in found.methods] == methods
    assert found.total_minutes == total
    assert found.jury_minutes == jury
    assert found.company_period is not None
    assert (found.company_period.amount, found.company_period.unit) == (
        period_hours,
        PeriodUnit.HOURS,
    )


def test_exams_are_the_title_then_each_ccp():
    assert [e.scope for e in parsed(CC).exams] == ["certification", "CCP1", "CCP2"]
    assert [e.scope for e in parsed(NTC).exams] == ["certification", "CCP1", "CCP2"]


@pytest.mark.parametrize("name", [CC, NTC])
def test_a_sans_objet_questionnaire_row_is_not_a_method(name):
    for found in parsed(name).exams:
        kinds = [m.kind for m in found.methods]
        assert MethodKind.PROFESSIONAL_QUESTIONNAIRE not in kinds


def test_method_titles_are_kept_as_the_document_names_them():
    assert [m.title for m in exam(CC, "certification").methods] == [
        "Mise en situation professionnelle",
        "Entretien technique",
        "Questionnement à partir de production(s)",
        "Entretien final",
    ]


@pytest.mark.parametrize(
    ("name", "scope", "competencies"),
    [
        # title exams: §3.2 checkboxes
        (
            CC,
            "certification",
            [
                ["CP3", "CP5", "CP6", "CP7"],
                ["CP3", "CP4", "CP5", "CP6", "CP7"],
                ["CP1", "CP2", "CP3", "CP5", "CP8"],
                [],
            ],
        ),
        (
            NTC,
            "certification",
            [
                ["CP3", "CP4", "CP5", "CP6", "CP7", "CP8"],
                ["CP3", "CP4", "CP5", "CP6", "CP7", "CP8"],
                ["CP1", "CP2", "CP9"],
                [],
            ],
        ),
        # CCP exams: « Compétences évaluées » column, titles run together on one line
        (CC, "CCP1", [["CP3"], ["CP3", "CP4"], ["CP1", "CP2", "CP3"]]),
        (CC, "CCP2", [["CP5", "CP6", "CP7"], ["CP5", "CP6", "CP7"], ["CP8"]]),
        (NTC, "CCP1", [["CP3", "CP4"], ["CP3", "CP4"], ["CP1", "CP4"]]),
        (NTC, "CCP2", [["CP5", "CP6", "CP7", "CP8"], ["CP5", "CP6", "CP7", "CP8"], ["CP9"]]),
    ],
)
def test_competencies_assessed_by_each_method(name, scope, competencies):
    assert [m.competencies for m in exam(name, scope).methods] == competencies


@pytest.mark.parametrize(
    ("name", "scope", "supervised"),
    [
        # CC: « Une surveillance est requise » in the situation's organisation text
        (CC, "certification", [True, False, False, False]),
        (CC, "CCP1", [True, False, False]),
        (CC, "CCP2", [True, False, False]),
        # NTC §5 also lists the technical interview's preparation time
        (NTC, "certification", [True, True, False, False]),
        (NTC, "CCP1", [True, True, False]),
        (NTC, "CCP2", [True, True, False]),
    ],
)
def test_requires_supervision_follows_the_organisation_and_surveillance_texts(
    name, scope, supervised
):
    methods = exam(name, scope).methods
    assert [m.requires_supervision for m in methods] == supervised
    assert all(m.requires_jury for m in methods)


def test_method_organisation_continues_after_a_page_break():
    interview = exam(CC, "certification").methods[1]
    assert interview.organisation.startswith("L'entretien technique se déroule à l'issue")
    # seed line 1203, after the page footer and the repeated table header
    assert interview.organisation.endswith("Le candidat transmet la note au jury.")


@pytest.mark.parametrize(
    ("name", "scope", "productions"),
    [
        (
            CC,
            "certification",
            [
                ("Diaporama", ProductionKind.SLIDESHOW, 1, 24, 34),
                (
                    "Fiches techniques de produits ou de services",
                    ProductionKind.DOCUMENT,
                    5,
                    None,
                    None,
                ),
            ],
        ),
        (
            CC,
            "CCP1",
            [
                ("Diaporama", ProductionKind.SLIDESHOW, 1, 19, 27),
                (
                    "Fiches techniques de produits ou de services",
                    ProductionKind.DOCUMENT,
                    5,
                    None,
                    None,
                ),
            ],
        ),
        (CC, "CCP2", [("Diaporama", ProductionKind.SLIDESHOW, 1, 9, 13)]),
        (
            NTC,
            "certification",
            [
                ("Document", ProductionKind.DOCUMENT, 1, 32, 38),
                (
                    "Support de présentation de type diaporama",
                    ProductionKind.SLIDESHOW,
                    1,
                    28,
                    32,
                ),
            ],
        ),
        (
            NTC,
            "CCP1",
            [
                ("Document", ProductionKind.DOCUMENT, 1, 22, 26),
                (
                    "Support de présentation de type diaporama",
                    ProductionKind.SLIDESHOW,
                    1,
                    18,
                    22,
                ),
            ],
        ),
        (
            NTC,
            "CCP2",
            [
                # « Le document comporte une partie. Cette partie comporte entre 10 et 12 pages »
                ("Document", ProductionKind.DOCUMENT, 1, 10, 12),
                (
                    "Support de présentation de type diaporama",
                    ProductionKind.SLIDESHOW,
                    1,
                    13,
                    17,
                ),
            ],
        ),
    ],
)
def test_productions_brought_by_the_candidate(name, scope, productions):
    assert [
        (p.title, p.kind, p.quantity, p.min_units, p.max_units)
        for p in exam(name, scope).productions
    ] == productions


def test_jury_protocol_and_supervision_are_kept_with_the_exam():
    title = exam(CC, "certification")
    assert title.jury is not None
    assert title.jury.notes.startswith(
        "La présence du jury n'est pas requise pendant les 45 minutes"
    )
    assert "Composition" not in title.jury.notes  # « Sans objet. »
    assert title.supervision == (
        "Une surveillance est requise pendant les 45 minutes où le candidat prend"
        " connaissance du contexte d'entreprise."
    )


def test_complementary_information_goes_to_requirements():
    requirements = exam(CC, "certification").requirements
    assert requirements[0] == (
        "Entretien technique : Le candidat rédige la note de synthèse en mode hors-connexion"
        " sur un logiciel de traitement de texte, l'imprime et la transmet au jury."
    )
    assert any(r.startswith("Période en entreprise : ") and "280 heures" in r for r in requirements)
    assert any(r.startswith("Candidat VAE : ") for r in requirements)
    assert not any("Sans objet" in r for r in requirements)


# --- correspondences -----------------------------------------------------------------


def test_cc_correspondences_between_old_and_new_ccp():
    assert [dataclasses.astuple(c) for c in parsed(CC).correspondences] == [
        ("CCP1", "Prospecter un secteur de vente", "CCP1", "Prospecter un secteur de vente"),
        (
            "CCP2",
            "Vendre en face à face des produits et des services référencés aux entreprises et"
            " aux particuliers",
            "CCP2",
            "Accompagner le client et lui proposer des produits et des services",
        ),
    ]


def test_ntc_correspondences_between_old_and_new_ccp():
    assert [(c.old_code, c.old_title, c.new_code) for c in parsed(NTC).correspondences] == [
        (
            "CCP1",
            "Élaborer une stratégie commerciale omnicanale pour un secteur géographique défini",
            "CCP1",
        ),
        ("CCP2", "Prospecter et négocier une proposition commerciale", "CCP2"),
    ]


# --- warnings ------------------------------------------------------------------------


def test_ntc_prospector_misspelling_is_an_approximate_match_on_line_1874():
    warnings = [(w.code, w.line) for w in parsed(NTC).warnings]
    # 2650: « … du jury propre au CCP Négociateur une solution … » (misspelt CCP name)
    assert warnings == [(WarningCode.APPROXIMATE_NAME, 1874), (WarningCode.APPROXIMATE_NAME, 2650)]
    message = parsed(NTC).warnings[0].message
    assert "Prospector un secteur défini" in message
    assert "CP3" in message


def test_the_approximate_match_still_counts_as_the_competency():
    interview = exam(NTC, "certification").methods[1]
    assert interview.kind is TI
    assert "CP3" in interview.competencies


def test_cc_re_criteria_differing_from_the_reac_are_reported_with_their_lines():
    warnings = parsed(CC).warnings
    assert [(w.code, w.line) for w in warnings] == [
        (WarningCode.CRITERIA_MISMATCH, 1299),
        (WarningCode.CRITERIA_MISMATCH, 1309),
        # « … du jury propre au CCP Prospector un secteur de vente » (misspelt CCP name)
        (WarningCode.APPROXIMATE_NAME, 1480),
    ]
    assert warnings[0].message.startswith("CP3 ")
    assert "met en valeur" in warnings[0].message
    assert "mettent en valeur" in warnings[0].message
    assert warnings[1].message.startswith("CP6 ")
    assert "chez le client ou son entourage" in warnings[1].message


def test_ntc_ccp1_competency_without_method_is_left_for_checks_to_report():
    ref = parsed(NTC)
    assessed = {c for m in exam(NTC, "CCP1").methods for c in m.competencies}
    assert "CP2" not in assessed
    found = [(w.code, w.line, w.message[:10]) for w in checks.check(ref)]
    assert found == [(WarningCode.UNASSESSED_COMPETENCY, 2274, "CCP1 : la ")]


def test_cc_has_no_unassessed_competency_nor_duration_mismatch():
    assert checks.check(parsed(CC)) == []


def test_an_unknown_competency_title_in_the_re_is_an_unknown_reference():
    text = replace_line(
        seed_text(CC),
        1195,
        "Assurer le suivi de ses ventes\t01 h 45",
        "Gérer un portefeuille de grands comptes\t01 h 45",
    )
    ref = ministry.parse(source(CC, text))
    unknown = [w for w in ref.warnings if w.code is WarningCode.UNKNOWN_REFERENCE]
    assert [w.line for w in unknown] == [1195]
    assert "Gérer un portefeuille de grands comptes" in unknown[0].message


def test_a_criterion_missing_from_the_re_grid_is_a_criteria_mismatch():
    text = replace_line(
        seed_text(CC),
        1310,
        "<p>Le litige est traité dans les limites de son champ de responsabilité</p>",
        "",
    )
    ref = ministry.parse(source(CC, text))
    mismatches = [w for w in ref.warnings if w.code is WarningCode.CRITERIA_MISMATCH]
    assert [w.line for w in mismatches] == [1299, 1309, 1310]
    assert "CP7" in mismatches[2].message
    assert "3 critère(s) dans le RE, 4 dans le REAC" in mismatches[2].message


# --- source lines --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "line"),
    [
        (CC, "block:CCP1", 201),
        (CC, "block:CCP2", 251),
        (CC, "competency:CP1", 303),
        (CC, "competency:CP8", 896),
        (CC, "exam:certification", 1192),
        (CC, "method:certification:0", 1195),
        (CC, "method:certification:3", 1206),
        (CC, "exam:CCP1", 1390),
        (CC, "method:CCP1:1", 1400),
        (CC, "exam:CCP2", 1517),
        (CC, "method:CCP2:2", 1530),
        (NTC, "competency:CP9", 1449),
        (NTC, "exam:certification", 1864),
        (NTC, "method:certification:1", 1874),
        (NTC, "exam:CCP1", 2274),
        (NTC, "method:CCP2:2", 2548),
    ],
)
def test_source_lines_point_at_the_document(name, key, line):
    assert parsed(name).source_lines[key] == line


# --- truncated or unexpected documents -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "lines", "chars", "line", "message"),
    [
        (CC, 1136, None, 1133, "REAC seul ou document tronqué"),
        (CC, 700, None, 700, "REAC seul ou document tronqué"),
        (CC, 1300, None, 1300, "partie « RÉFÉRENTIEL D'ÉVALUATION DES CERTIFICATS"),
        (CC, 1404, None, 1402, "« Durée totale de l'épreuve pour le candidat » manque"),
        (CC, 1393, 300, 1393, "« Durée totale de l'épreuve pour le candidat » manque"),
        (CC, 1483, None, 1483, "pas de référentiel d'évaluation pour le CCP « Accompagner"),
        (CC, 1600, None, 1599, "« Reproduction interdite » absentes"),
        (NTC, 1000, None, 1000, "REAC seul ou document tronqué"),
        (NTC, 2280, None, 2277, "« Durée totale de l'épreuve pour le candidat » manque"),
        (NTC, 2500, None, 2500, "pas de référentiel d'évaluation pour le CCP « Négocier"),
        (NTC, 2548, 200, 2548, "« Durée totale de l'épreuve pour le candidat » manque"),
        (NTC, 2725, None, 2725, "« Reproduction interdite » absentes"),
    ],
)
def test_a_truncated_document_raises_with_the_line_where_it_stops(
    name, lines, chars, line, message
):
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(source(name, cut(name, lines, chars)))
    assert failure.value.line == line
    assert message in failure.value.message


def test_no_cut_before_the_end_yields_a_referentiel():
    lines = seed_text(NTC).split("\n")
    for stop in range(1810, 2770, 37):
        with pytest.raises(ImportFailure) as failure:
            ministry.parse(source(NTC, "\n".join(lines[:stop])))
        assert failure.value.line is not None
        assert 1 <= failure.value.line <= stop


def test_an_unknown_assessment_method_is_an_unexpected_structure():
    text = replace_line(seed_text(CC), 1206, "Entretien final\t", "Oral de motivation\t")
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(source(CC, text))
    assert failure.value.line == 1206
    assert "modalité d'évaluation inconnue « Oral de motivation »" in failure.value.message


def test_an_unreadable_duration_is_an_unexpected_structure():
    text = replace_line(seed_text(NTC), 2291, "00 h 40 min", "à définir")
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(source(NTC, text))
    assert failure.value.line == 2291
    assert failure.value.field == "durée"


def test_a_ccp_section_naming_no_activity_type_is_an_unexpected_structure():
    title = "Accompagner le client et lui proposer des produits et des services"
    text = replace_line(seed_text(CC), 1509, title, "Gérer une équipe commerciale")
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(source(CC, text))
    assert failure.value.line == 1509


# --- derived from the structure, not from the seeds ----------------------------------


def _summary(ref: Referentiel) -> object:
    data = ref.to_dict()
    data.pop("warnings")
    return data


def _without(text: str, start: str, stop: str) -> str:
    """The text with the lines from heading ``start`` to heading ``stop`` blanked."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip("#* ") == start)
    last = next(i for i in range(first + 1, len(lines)) if lines[i].strip("#* ") == stop)
    return "\n".join(lines[:first] + [""] * (last - first) + lines[last:])


@pytest.mark.parametrize("name", [CC, NTC])
def test_blocks_come_from_activity_fiches_when_the_synoptic_table_is_missing(name):
    text = _without(seed_text(name), "Vue synoptique de l'emploi-type", "FICHE EMPLOI TYPE")
    assert "N° Fiche AT" not in text
    assert _summary(ministry.parse(source(name, text))) == _summary(parsed(name))


@pytest.mark.parametrize("name", [CC, NTC])
def test_title_exam_falls_back_to_the_modalities_table_without_the_criteria_grid(name):
    text = _without(
        seed_text(name),
        "3.2. Critères d'évaluation des compétences professionnelles",
        "3.3. Évaluation des compétences transversales",
    )
    ref = ministry.parse(source(name, text))
    assert _summary(ref) == _summary(parsed(name))
    assert not [w for w in ref.warnings if w.code is WarningCode.CRITERIA_MISMATCH]


def test_markdown_headings_and_plain_text_read_the_same():
    plain = "\n".join(
        re.sub(r"^#+\s*", "", line).replace("**", "") for line in seed_text(NTC).split("\n")
    )
    assert _summary(ministry.parse(source(NTC, plain))) == _summary(parsed(NTC))


# --- text hygiene and performance ----------------------------------------------------


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("name", [CC, NTC])
def test_output_text_has_no_markup_footnotes_or_footers(name):
    dirty = [
        s
        for s in _strings(parsed(name).to_dict())
        if re.search(r"<[a-z/]|\*|¹|&[a-z]+;|\t|  |^\s|\s$|SIGLE|Type de document", s)
    ]
    assert dirty == []


def test_typographic_apostrophes_are_kept_and_still_match_the_re():
    # REAC fiche title with « ’ », RE tables with « ' »: same competency, no warning.
    text = replace_line(seed_text(CC), 898, "consolidant l'expérience", "consolidant l’expérience")
    ref = ministry.parse(source(CC, text))
    fidelisation = next(c for c in ref.competencies() if c.code == "CP8")
    assert fidelisation.title == "Fidéliser en consolidant l’expérience client"
    assert [w.code for w in ref.warnings] == [WarningCode.CRITERIA_MISMATCH] * 2 + [
        WarningCode.APPROXIMATE_NAME  # line 1480, « Prospector » in a jury heading
    ]
    assert "CP8" in exam(CC, "certification").methods[2].competencies
    assert "CP8" in ref.exam_for("certification").methods[2].competencies


@pytest.mark.parametrize("name", [CC, NTC])
def test_round_trip_through_the_canonical_dict(name):
    ref = parsed(name)
    assert Referentiel.from_dict(ref.to_dict()) == ref
    assert ref.problems() == []


# --- text helpers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("01 h 45 min", 105),
        ("00 h 55 min", 55),
        ("04 h 00 min", 240),
        ("1 h 30", 90),
        ("4 h", 240),
        ("45 minutes", 45),
        ("Sans objet", None),
    ],
)
def test_parse_duration(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Mise en situation professionnelle", PS),
        ("▪ Entretien technique", TI),
        (
            '<ul style="list-style-type: none"> <li>Questionnaire professionnel</li> </ul>',
            MethodKind.PROFESSIONAL_QUESTIONNAIRE,
        ),
        ("Questionnement à partir de production(s)", QP),
        ("<b>Entretien final</b>", FI),
        ("Autres modalités d'évaluation le cas échéant :", None),
    ],
)
def test_method_kind_from_the_document_name(name, kind):
    assert method_kind(name) == kind


def test_clean_strips_html_markdown_and_footnote_calls():
    assert clean("Les techniques du <i>social selling</i>¹ sont   mises") == (
        "Les techniques du social selling sont mises"
    )
    assert clean("### **Critères de performance**") == "Critères de performance"
    assert clean("une surface de 12 m² &amp; plus") == "une surface de 12 m² & plus"


def test_html_items_split_paragraphs_and_list_items():
    cell = "<p>Premier critère</p> <p>Second <i>critère</i></p><ul><li>- Troisième</li></ul>"
    assert html_items(cell) == ["Premier critère", "Second critère", "Troisième"]


def test_title_matcher_splits_titles_run_together():
    matcher = TitleMatcher(
        [
            ("CP3", "Prospecter un secteur défini"),
            ("CP4", "Analyser ses performances, élaborer et mettre en œuvre des actions"),
            ("CP7", "Négocier une solution technique et commerciale"),
        ]
    )
    matches, leftovers = matcher.segment(
        "Prospector un secteur défini Analyser ses performances, élaborer et mettre en"
        " oeuvre des actions Négocier une solution technique et commerciale Danser le tango"
    )
    assert [(m.code, m.exact) for m in matches] == [("CP3", False), ("CP4", True), ("CP7", True)]
    assert leftovers == ["Danser le tango"]
