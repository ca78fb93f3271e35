"""Certifier-table importer on the variations real RNCP référentiel tables show.

Two kinds of variant documents:

- the three seeds rewritten the way other certifiers write the same thing (block headings,
  competency codes, criteria codes, line endings, spaces, page noise): the result must be
  exactly the seed's;
- small realistic documents under ``data/certifier/`` written in other styles (RNCP block
  codes, « Épreuve N », three columns…), whose every extracted value is asserted.

Pure tests: no Django, no database.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from attesta.referentiels.importers import certifier, reader
from attesta.referentiels.importers import certifier_methods as methods
from attesta.referentiels.importers.canonical import (
    CompanyPeriod,
    Jury,
    MethodKind,
    PeriodUnit,
    Production,
    ProductionKind,
    Referentiel,
    WarningCode,
)
from attesta.referentiels.importers.certifier_criteria import CriteriaReader
from attesta.referentiels.importers.certifier_layout import competency_code, word_heading
from attesta.referentiels.importers.certifier_text import tokenize
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.source import Source
from tests.referentiels.importers.seeds import (
    ATTACHE,
    CERTIFIER_SEEDS,
    CHARGE,
    DEVELOPPEMENT,
    SEEDS,
)

DATA = Path(__file__).resolve().parent / "data" / "certifier"

PS = MethodKind.PROFESSIONAL_SITUATION
WCS = MethodKind.WRITTEN_CASE_STUDY
ROLE = MethodKind.ORAL_ROLE_PLAY
WP = MethodKind.WRITTEN_PRODUCTION
DEF = MethodKind.ORAL_DEFENCE
TECH = MethodKind.TECHNICAL_INTERVIEW
OTHER = WarningCode.OTHER

HEADER = (
    "RÉFÉRENTIEL D'ACTIVITÉS\tRÉFÉRENTIEL DE COMPÉTENCES\tRÉFÉRENTIEL D'ÉVALUATION\t\n"
    "\t\tMODALITÉS D'ÉVALUATION\tCRITÈRES D'ÉVALUATION"
)


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@functools.cache
def seed(name: str) -> Referentiel:
    return certifier.parse(Source(filename=name, text=seed_text(name)))


def parse_text(text: str, filename: str = "referentiel.txt") -> Referentiel:
    return certifier.parse(Source(filename=filename, text=text))


@functools.cache
def fixture(name: str) -> Referentiel:
    return parse_text((DATA / name).read_text(encoding="utf-8"), filename=name)


def in_column(text: str, column: int, pattern: str, replace: str | Callable) -> str:
    """Rewrite the start of one column's cells in every table row."""
    lines = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) > column:
            cells[column] = re.sub(pattern, replace, cells[column])
        lines.append("\t".join(cells))
    return "\n".join(lines)


def insert_after(text: str, lines: dict[int, str]) -> str:
    """Insert ``lines[n]`` after line n (1-based)."""
    result = []
    for number, line in enumerate(text.split("\n"), 1):
        result.append(line)
        if number in lines:
            result.append(lines[number])
    return "\n".join(result)


def same_content(found: Referentiel, expected: Referentiel) -> None:
    assert found.blocks == expected.blocks
    assert found.exams == expected.exams
    assert (found.code, found.title, found.level) == (expected.code, expected.title, expected.level)


def codes(referentiel: Referentiel) -> list[list[str]]:
    return [[c.code for c in b.competencies] for b in referentiel.blocks]


# --- the seeds, written otherwise --------------------------------------------------------------

CHARGE_HEADING = r"^Bloc (\d) "


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("RNCP37849BC0{n} - ", "RNCP37849"),
        ("RNCP37849 BC0{n} – ", "RNCP37849"),
        ("Bloc de compétences n°{n} : ", "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL"),
        ("BLOC DE COMPÉTENCES N° {n} - ", "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL"),
        ("BLOC {n} – ", "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL"),
        ("Bloc {n}. ", "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL"),
        ("BC0{n} ", "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL"),
        ("BC{n} : ", "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL"),
    ],
)
def test_block_heading_wordings(heading: str, code: str) -> None:
    text = in_column(seed_text(CHARGE), 0, CHARGE_HEADING, lambda m: heading.format(n=m.group(1)))
    found = parse_text(text, filename=CHARGE)
    assert found.blocks == seed(CHARGE).blocks
    assert found.exams == seed(CHARGE).exams
    assert found.warnings == seed(CHARGE).warnings
    assert found.code == code


def test_block_heading_in_the_activity_column_of_the_first_row() -> None:
    """« Bloc 1 … » merged into the row below it (« <p>Bloc 1 …</p> <p>A1.1 …</p> »)."""
    lines = seed_text(CHARGE).split("\n")
    for index in (34, 18, 6):  # the heading rows, bottom up
        title = lines[index].split("\t")[0]
        activity, rest = lines[index + 1].split("\t", 1)
        lines[index : index + 2] = [
            f"<p>RNCP37849BC0{title[5]} - {title[7:]}</p> <p>{activity}</p>\t{rest}"
        ]
    found = parse_text("\n".join(lines), filename=CHARGE)
    assert found.blocks == seed(CHARGE).blocks
    assert found.exams == seed(CHARGE).exams
    assert [w.message for w in found.warnings] == [w.message for w in seed(CHARGE).warnings]


@pytest.mark.parametrize(
    "code", ["C{n}. ", "C{n} : ", "C{n} – ", "C.{n} ", "Compétence {n} : ", "Compétence C{n} - "]
)
def test_competency_code_wordings(code: str) -> None:
    text = in_column(
        seed_text(ATTACHE), 1, r"^(<p>)?C ?(\d+) ?- ?", lambda m: (m[1] or "") + code.format(n=m[2])
    )
    assert text != seed_text(ATTACHE)
    assert parse_text(text, filename=ATTACHE) == seed(ATTACHE)


def test_bare_numeric_competency_codes() -> None:
    """« 1.1 Réaliser une veille » in the competency column is C1.1."""
    text = in_column(seed_text(DEVELOPPEMENT), 1, r"^(<p>)?C(\d\.\d)", r"\1\2")
    assert "\t1.1 Réaliser" in text
    assert parse_text(text, filename=DEVELOPPEMENT) == seed(DEVELOPPEMENT)


def test_criteria_coded_ce_for_critere_d_evaluation() -> None:
    found = parse_text(re.sub(r"\bCR(\d)", r"CE\1", seed_text(CHARGE)), filename=CHARGE)
    expected = seed(CHARGE)
    assert [cr.code for cr in found.competencies()[0].criteria] == ["CE1.1.1"]
    assert [[cr.code for cr in c.criteria] for c in found.competencies()] == [
        [cr.code.replace("CR", "CE") for cr in c.criteria if cr.code]
        for c in expected.competencies()
    ]
    assert [[cr.text for cr in c.criteria] for c in found.competencies()] == [
        [cr.text for cr in c.criteria] for c in expected.competencies()
    ]
    assert found.warnings == expected.warnings


def typographic(text: str) -> str:
    """Windows line endings and the non-breaking spaces French typography puts before « : »,
    inside « », in « n° 2 »."""
    text = text.replace(" :", "\xa0:").replace("« ", "«\xa0").replace(" »", "\xa0»")
    return text.replace("\n", "\r\n")


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_windows_line_endings_and_non_breaking_spaces(name: str) -> None:
    text = typographic(seed_text(name))
    assert "\r\n" in text
    assert "\xa0" in text
    assert parse_text(text, filename=name) == seed(name)
    # the whole reading chain (bytes, decoding, checks) gives the same too
    assert reader.parse(text.encode("utf-8"), filename=name).blocks == seed(name).blocks


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_extra_empty_trailing_cells(name: str) -> None:
    text = "\n".join(
        f"{line}\t\t" if "\t" in line else line for line in seed_text(name).split("\n")
    )
    assert parse_text(text, filename=name) == seed(name)


def test_page_footers_inside_blocks_are_ignored() -> None:
    """Page footers without the header row repeated after them, between two rows of a
    block (after lines 27, 38 and 54 of the seed)."""
    text = insert_after(
        seed_text(ATTACHE),
        {27: "Page 3 / 9", 38: "", 54: "Attaché commercial – Référentiel – version 2024 – page 6"},
    )
    text = text.replace("\nPage 3 / 9\n", "\n\nPage 3 / 9\n\n")
    found = parse_text(text, filename=ATTACHE)
    same_content(found, seed(ATTACHE))
    assert [(w.code, w.line, w.message) for w in found.warnings] == [
        (OTHER, 29, "ligne hors tableau ignorée : « Page 3 / 9 »"),
        (
            OTHER,
            59,
            "ligne hors tableau ignorée : « Attaché commercial – Référentiel – version 2024 "
            "– page 6 »",
        ),
    ]


def test_header_row_repeated_inside_a_block() -> None:
    """The table header repeated between two competencies of block 1 (a page break)."""
    found = parse_text(insert_after(seed_text(CHARGE), {9: HEADER}), filename=CHARGE)
    same_content(found, seed(CHARGE))
    assert [w.line for w in found.warnings] == [8, 22, 27, 38, 43]  # the seed's, shifted


# --- truncation -----------------------------------------------------------------------------

ANNOUNCED = "La certification est composée de 3 blocs de compétences."


def test_a_table_cut_before_an_announced_block_is_refused() -> None:
    lines = seed_text(CHARGE).split("\n")
    lines.insert(3, ANNOUNCED)
    complete = parse_text("\n".join(lines), filename=CHARGE)
    same_content(complete, seed(CHARGE))
    # cut between two rows, just before « Bloc 3 »: nothing else tells it is cut
    cut = "\n".join(lines[:32])
    assert (
        codes(parse_text("\n".join(seed_text(CHARGE).split("\n")[:31]))) == codes(seed(CHARGE))[:2]
    )
    with pytest.raises(ImportFailure) as failure:
        parse_text(cut, filename=CHARGE)
    assert failure.value.line == 4
    assert "3 blocs de compétences annoncés, 2 dans le tableau" in failure.value.message
    assert "tronqué" in failure.value.message


def test_announced_blocks_that_do_not_match_a_complete_table_are_warned_about() -> None:
    lines = seed_text(ATTACHE).split("\n")
    lines.insert(1, "Le titre comprend quatre blocs de compétences.")
    found = parse_text("\n".join(lines), filename=ATTACHE)
    same_content(found, seed(ATTACHE))
    assert [(w.code, w.line, w.message) for w in found.warnings] == [
        (OTHER, 2, "4 blocs de compétences annoncés, 3 dans le tableau")
    ]


# --- an RNCP-coded référentiel (data/certifier/rncp37849-gestionnaire-paie.txt) ----------------

PAIE = "rncp37849-gestionnaire-paie.txt"


def test_rncp_coded_identity_and_blocks() -> None:
    paie = fixture(PAIE)
    # « RÉFÉRENTIEL DE COMPÉTENCES ET D'ÉVALUATION – Titre Gestionnaire de paie », « Titre RNCP
    # de niveau 5 », « enregistrée au RNCP sous le n° 37849 »; the RNCP35123 of the
    # equivalences after the table is another title's
    assert (paie.code, paie.title, paie.level) == ("RNCP37849", "Gestionnaire de paie", 5)
    assert [(b.code, b.title, b.description) for b in paie.blocks] == [
        (
            "BC01",
            "Collecter et contrôler les éléments de paie",
            "A1.1 Collecte des éléments variables\nA1.2 Veille sociale",
        ),
        ("BC02", "Établir les bulletins et les déclarations", "A2.1 Établissement des bulletins"),
        (
            "BC03",
            "Contribuer à la gestion administrative du personnel",
            "A3.1 Gestion administrative",
        ),
    ]
    assert codes(paie) == [["C1", "C2", "C3"], ["C4", "C5", "C6"], ["C7", "C8"]]
    assert [c.title for c in paie.blocks[0].competencies] == [
        "Collecter les éléments variables de paie auprès des services concernés",
        "Contrôler la cohérence des éléments collectés",
        "Assurer une veille sociale et réglementaire",
    ]


def test_rncp_coded_criteria_in_every_list_style() -> None:
    criteria = {
        c.code: [(cr.code, cr.text) for cr in c.criteria] for c in fixture(PAIE).competencies()
    }
    assert criteria == {
        # « CE1.1 … CE1.2 … » (critères d'évaluation coded CE)
        "C1": [
            ("CE1.1", "Les éléments collectés sont complets."),
            ("CE1.2", "Les absences sont justifiées."),
        ],
        # « - a - b » without any tag
        "C2": [
            (None, "Les anomalies sont détectées"),
            (None, "Les corrections sont justifiées"),
        ],
        # « • a • b »
        "C3": [
            (None, "Les sources sont fiables"),
            (None, "Les évolutions récentes sont identifiées"),
        ],
        # « 1) a 2) b 3) c »
        "C4": [
            (None, "Les bulletins sont justes"),
            (None, "Les cotisations sont exactes"),
            (None, "Les délais sont respectés"),
        ],
        # two sentences in a plain cell
        "C5": [
            (None, "Les déclarations sont conformes."),
            (None, "Elles sont transmises dans les délais."),
        ],
        # <li> items
        "C6": [(None, "La réponse est exacte"), (None, "Le vocabulaire est adapté au salarié")],
        # ✓ items
        "C7": [(None, "Les formalités sont complètes"), (None, "Les délais légaux sont respectés")],
        # two <p>
        "C8": [(None, "Les indicateurs sont justes."), (None, "Le tableau de bord est lisible.")],
    }


def test_rncp_coded_exams_with_several_numbered_exams_per_block() -> None:
    exams = {e.scope: e for e in fixture(PAIE).exams}
    assert {
        scope: [(m.code, m.title, m.kind, m.duration_minutes, m.competencies) for m in e.methods]
        for scope, e in exams.items()
    } == {
        # « durée : 2h30 (C1, C2) », « Entretien technique de 30 mn »
        "BC01": [
            ("E1", "Étude de cas écrite", WCS, 150, ["C1", "C2"]),
            ("E2", "Entretien technique de 30 mn", TECH, 30, ["C3"]),
        ],
        # « durée : 2 h 30 » with non-breaking spaces, « cf. E3 », « 45' »
        "BC02": [
            ("E3", "Mise en situation professionnelle sur logiciel de paie", PS, 150, ["C4", "C5"]),
            ("E4", "Jeu de rôle oral de 45' avec un salarié", ROLE, 45, ["C6"]),
        ],
        # « (durée : 1h) », « Voir E5 »
        "BC03": [
            (
                "E5",
                "Dossier professionnel de 20 à 30 pages rédigé à l'issue d'un stage de 8 semaines "
                "en entreprise, présenté devant un jury composé de 2 professionnels du secteur",
                WP,
                60,
                ["C7", "C8"],
            )
        ],
        "certification": [],
    }
    assert [exams[s].total_minutes for s in ("BC01", "BC02", "BC03")] == [180, 195, 60]
    last = exams["BC03"]
    assert last.company_period == CompanyPeriod(8, PeriodUnit.WEEKS)
    assert last.productions == [
        Production("Dossier professionnel", ProductionKind.DOCUMENT, min_units=20, max_units=30)
    ]
    assert last.jury is not None
    assert (last.jury.members, last.jury.profiles) == (2, ["professionnels du secteur"])


def test_rncp_coded_text_after_the_table() -> None:
    exam = fixture(PAIE).exam_for("certification")
    assert exam is not None
    assert exam.requirements == [
        "Par la formation : validation des 3 blocs de compétences et du stage en entreprise.",
        "Par la VAE : dossier de validation et entretien avec un jury de trois membres dont un "
        "professionnel du secteur.",
        "Parcours mixte : la certification peut être obtenue en combinant formation et VAE.",
        "Équivalences : le bloc RNCP37849BC02 correspond au bloc RNCP35123BC03 du titre "
        "Assistant paie.",
    ]
    # the VAE jury is not the training route's
    assert (exam.jury, exam.company_period, exam.productions) == (None, None, [])


def test_rncp_coded_warnings() -> None:
    """A running footer inside block 1, the header repeated inside block 2: only the
    footer is worth a word."""
    assert [(w.code, w.line, w.message) for w in fixture(PAIE).warnings] == [
        (
            OTHER,
            13,
            "ligne hors tableau ignorée : « Gestionnaire de paie – RNCP37849 – Page 2 sur 6 »",
        ),
    ]


# --- headings in the activity column, « Épreuve N » (data/.../responsable-point-de-vente.txt) --

BOUTIQUE = "responsable-point-de-vente.txt"


def test_word_headings_in_the_activity_column() -> None:
    boutique = fixture(BOUTIQUE)
    # « Titre RNCP de niveau 6 « Responsable de point de vente » », « Fiche RNCP n°38412 »
    assert (boutique.code, boutique.title, boutique.level) == (
        "RNCP38412",
        "Responsable de point de vente",
        6,
    )
    # « Bloc de compétences n°1 : », « BLOC 2 – », « Bloc 3. », each in the activity cell
    # of its first competency's row
    assert [(b.code, b.title, b.description) for b in boutique.blocks] == [
        (
            "BC01",
            "Piloter l'activité commerciale du point de vente",
            "Analyse des ventes et des stocks\nConstruction du budget",
        ),
        ("BC02", "Manager l'équipe du point de vente", ""),
        ("BC03", "Développer la relation client", ""),
    ]
    # « C.1 », « C.2 », « C3 : », « Compétence 4 : », « C 5 -Fidéliser », « C5a », « C5b »
    assert [(c.code, c.title) for c in boutique.competencies()] == [
        ("C1", "Analyser les performances commerciales du point de vente"),
        ("C2", "Construire le budget prévisionnel du point de vente"),
        ("C3", "Recruter un collaborateur"),
        ("C4", "Animer l'équipe au quotidien"),
        ("C5", "Fidéliser la clientèle du point de vente"),
        ("C5a", "Traiter les réclamations des clients"),
        ("C5b", "Mesurer la satisfaction des clients"),
    ]


def test_criteria_as_sentences_br_lines_and_lettered_items() -> None:
    criteria = {c.code: [cr.text for cr in c.criteria] for c in fixture(BOUTIQUE).competencies()}
    assert criteria == {
        # one <p> holding three sentences
        "C1": [
            "Les indicateurs retenus sont pertinents.",
            "Les écarts sont expliqués.",
            "Des actions correctives sont proposées.",
        ],
        # lines separated by <br>
        "C2": [
            "Le budget est équilibré",
            "Les hypothèses sont réalistes",
            "Le calendrier est tenu",
        ],
        "C3": ["La fiche de poste est complète", "L'entretien est structuré"],
        "C4": ["Les objectifs sont partagés", "Les réunions sont préparées"],
        # « a) … b) … »
        "C5": ["Le programme de fidélité est adapté", "Les résultats sont mesurés"],
        "C5a": ["Les réclamations sont traitées sous 48 heures."],
        "C5b": ["Le questionnaire est adapté", "Le taux de réponse est suffisant"],
    }


def test_numbered_epreuves_and_references_to_them() -> None:
    exams = {e.scope: e for e in fixture(BOUTIQUE).exams}
    assert {
        scope: [(m.title, m.kind, m.duration_minutes, m.competencies) for m in e.methods]
        for scope, e in exams.items()
    } == {
        # « – 3 heures », « Voir épreuve 1 »
        "BC01": [("Épreuve 1 : étude de cas écrite", WCS, 180, ["C1", "C2"])],
        # « , 20 minutes », « durée : 1h »
        "BC02": [
            ("Épreuve 2 : mise en situation professionnelle orale", ROLE, 20, ["C3"]),
            (
                "Épreuve 3 : présentation orale appuyée sur un support de présentation de 10 à 15 "
                "diapositives",
                DEF,
                60,
                ["C4"],
            ),
        ],
        # « 1 heure 30 »; C5a spans the row, « Voir épreuve 4 » points back at it
        "BC03": [
            (
                "Épreuve 4 : rapport d'activité rédigé à l'issue d'une période de 12 semaines en "
                "entreprise",
                WP,
                90,
                ["C5", "C5a", "C5b"],
            )
        ],
        "certification": [],
    }
    assert exams["BC02"].productions == [
        Production("Support de présentation", ProductionKind.SLIDESHOW, min_units=10, max_units=15)
    ]
    assert exams["BC03"].company_period == CompanyPeriod(12, PeriodUnit.WEEKS)
    assert exams["BC03"].productions == [Production("Rapport d'activité", ProductionKind.DOCUMENT)]
    assert [exams[s].total_minutes for s in ("BC01", "BC02", "BC03")] == [180, 80, 90]


def test_vae_section_after_the_table_is_kept_apart() -> None:
    """The jury under « Validation par la VAE » is the VAE route's, not the training's."""
    exam = fixture(BOUTIQUE).exam_for("certification")
    assert exam is not None
    assert exam.requirements == [
        "Le candidat présente un dossier de validation des acquis devant un jury de trois "
        "membres dont au moins deux professionnels du métier.",
        "La certification peut être obtenue par un parcours mixte associant formation et VAE.",
    ]
    assert (exam.jury, exam.productions) == (None, [])
    assert fixture(BOUTIQUE).warnings == []


# --- three columns (data/certifier/technicien-support-3-colonnes.txt) ---------------------------

SUPPORT = "technicien-support-3-colonnes.txt"


def test_three_columns_with_modalites_and_criteres_in_one_cell() -> None:
    support = fixture(SUPPORT)
    assert (support.code, support.title, support.level) == (
        "TECHNICIEN-SUPPORT-INFORMATIQUE",
        "Technicien support informatique",
        5,
    )
    # « BC01 Assister… » on its own row; bare « 1.1 » codes
    assert [(b.code, b.title) for b in support.blocks] == [
        ("BC01", "Assister les utilisateurs"),
        ("BC02", "Administrer le parc informatique"),
    ]
    assert {c.code: [(cr.code, cr.text) for cr in c.criteria] for c in support.competencies()} == {
        "C1.1": [
            ("CR1.1.1", "Le diagnostic est méthodique."),
            ("CR1.1.2", "La cause de l'incident est identifiée."),
        ],
        "C1.2": [
            ("CR1.2.1", "La solution est testée avec l'utilisateur."),
            ("CR1.2.2", "L'escalade est justifiée."),
        ],
        "C2.1": [(None, "Le poste est opérationnel."), (None, "Le déploiement est documenté.")],
    }
    assert [
        [(m.title, m.kind, m.duration_minutes, m.competencies) for m in e.methods]
        for e in support.exams
    ] == [
        # « (compétences 1.1 et 1.2) »
        [("Étude de cas écrite", WCS, 120, ["C1.1", "C1.2"])],
        [("Mise en situation professionnelle sur plateau technique", PS, 210, ["C2.1"])],
    ]
    assert support.warnings == []


def test_three_columns_without_a_criteria_label_are_refused() -> None:
    text = "\n".join(
        [
            "Titre : Technicien support",
            "RÉFÉRENTIEL D'ACTIVITÉS\tRÉFÉRENTIEL DE COMPÉTENCES\tRÉFÉRENTIEL D'ÉVALUATION",
            "Bloc 1 Assister\t\t",
            "\tC1 Diagnostiquer\tÉtude de cas écrite, 2 h. Le diagnostic est méthodique.",
            "",
            "Fin.",
        ]
    )
    with pytest.raises(ImportFailure) as failure:
        parse_text(text)
    assert failure.value.line == 4
    assert "tableau à trois colonnes" in failure.value.message


# --- more noise and wordings, on small tables -------------------------------------------------


def table(*rows: str, preamble: str = "Titre : Conseiller clientèle") -> str:
    return "\n".join([preamble, "", HEADER, *rows])


def test_a_reference_to_another_blocks_exam_is_warned_about() -> None:
    found = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1 - Vendre\tE1 Étude de cas écrite (2 h)\tLe prix est juste.",
            "Bloc 2 Fidéliser\t\t\t",
            "\tC2 - Fidéliser\tJeu de rôle (20 min)\tLe client revient.",
            "\tC3 - Relancer\tcf. E1\tLa relance est faite.",
            "",
            "Fin du référentiel.",
        )
    )
    assert [(w.code, w.line, w.message) for w in found.warnings] == [
        (
            WarningCode.UNKNOWN_REFERENCE,
            9,
            "« cf. E1 » : modalité du bloc BC01, les compétences de la ligne n'y sont pas "
            "rattachées",
        )
    ]


def test_e_code_points_at_an_epreuve_of_that_number() -> None:
    found = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1 - Vendre\tÉpreuve 2 : étude de cas écrite (2 h)\tLe prix est juste.",
            "\tC2 - Relancer\tÉpreuve 3 : relance téléphonique simulée (20 min)\tLa relance "
            "est faite.",
            "\tC3 - Conclure\tcf. E2\tLa vente est conclue.",
            "",
            "Fin du référentiel.",
        )
    )
    exam = found.exam_for("BC01")
    assert exam is not None
    assert [m.competencies for m in exam.methods] == [["C1", "C3"], ["C2"]]
    assert found.warnings == []


def test_long_text_then_rows_is_not_taken_for_a_page_footer() -> None:
    """After a real paragraph, tab-separated lines are a table of the text after the main
    one (equivalences), not the main table going on."""
    found = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1 - Vendre\tÉtude de cas écrite (2 h)\tLe prix est juste.",
            "",
            "Les blocs de compétences du présent titre sont acquis par équivalence pour les "
            "titulaires des certifications suivantes :",
            "Bloc 1 du titre Vendeur\tRNCP12345BC01\tBloc 1\t",
        )
    )
    assert codes(found) == [["C1"]]
    exam = found.exam_for("certification")
    assert exam is not None
    assert len(exam.requirements) == 1
    assert exam.requirements[0].startswith("Les blocs de compétences du présent titre")
    assert found.code == "CONSEILLER-CLIENTELE"  # not the RNCP code of another title


def test_a_block_named_after_the_table_starts_no_block() -> None:
    found = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1 - Vendre\tÉtude de cas écrite (2 h)\tLe prix est juste.",
            "Bloc 2 Fidéliser\t\t\t",
            "\tC2 - Fidéliser\tJeu de rôle (20 min)\tLe client revient.",
            "",
            "Bloc 1 : équivalent au bloc 2 du titre Vendeur conseil (dispense d'épreuve).",
        )
    )
    assert codes(found) == [["C1"], ["C2"]]
    exam = found.exam_for("certification")
    assert exam is not None
    assert exam.requirements == [
        "Bloc 1 : équivalent au bloc 2 du titre Vendeur conseil (dispense d'épreuve)."
    ]


# --- helpers, one wording at a time ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("RNCP37849BC01 - Gérer la paie", 1),
        ("RNCP 37849 BC02 – Gérer la paie", 2),
        ("Bloc de compétences n°2 : Vendre", 2),
        ("Bloc de compétences 3 - Vendre", 3),
        ("BLOC 3 – Manager", 3),
        ("Bloc 1. Prospecter", 1),
        ("BC01 Prospecter", 1),
        ("BC 02 - Vendre", 2),
        ("Bloc n° 4 : Piloter", 4),
        ("Activité type 2 : Vendre", 2),
        ("1.1 Vendre", None),
        ("Blocage des comptes", None),
    ],
)
def test_block_heading_numbers(text: str, number: int | None) -> None:
    assert word_heading(text) == number


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("C1. Analyser", "C1"),
        ("C.1 Analyser", "C1"),
        ("C1 : Analyser", "C1"),
        ("1.1 Analyser", "C1.1"),
        ("1.2.3. Analyser", "C1.2.3"),
        ("Compétence 1 : Analyser", "C1"),
        ("Compétence n°12 - Analyser", "C12"),
        ("C 11 -Participer", "C11"),
        ("C1.2.4 Élaborer", "C1.2.4"),
        ("C1a Traiter", "C1a"),
        ("C2.1b - Traiter", "C2.1b"),
        ("1. Analyser", None),
        ("Ce dossier", None),
        ("CE1.2 Le prix est juste", None),
    ],
)
def test_competency_codes(text: str, code: str | None) -> None:
    assert competency_code(text) == code


def test_bare_numbers_are_no_competency_outside_its_column() -> None:
    assert competency_code("1.1 Analyser", bare=False) is None
    assert competency_code("C1.1 Analyser", bare=False) == "C1.1"


@pytest.mark.parametrize(
    ("cell", "criteria"),
    [
        (
            "- Le prix est juste - La marge est calculée",
            ["Le prix est juste", "La marge est calculée"],
        ),
        (
            "– Le prix est juste – La marge est calculée",
            ["Le prix est juste", "La marge est calculée"],
        ),
        (
            "1) Le prix est juste 2) La marge est calculée",
            ["Le prix est juste", "La marge est calculée"],
        ),
        (
            "<p>1. Le prix est juste. 2. La marge est calculée.</p>",
            ["Le prix est juste.", "La marge est calculée."],
        ),
        (
            "a) Le prix est juste b) La marge est calculée",
            ["Le prix est juste", "La marge est calculée"],
        ),
        (
            "<p>Le prix est juste. La marge est calculée.</p>",
            ["Le prix est juste.", "La marge est calculée."],
        ),
        (
            "Le prix est juste<br/>La marge est calculée",
            ["Le prix est juste", "La marge est calculée"],
        ),
        (
            "✓ Le prix est juste ✓ La marge est calculée",
            ["Le prix est juste", "La marge est calculée"],
        ),
        # numbers that do not follow 1, 2… are no list
        (
            "2) La marge est calculée 3) Le prix est juste",
            ["2) La marge est calculée 3) Le prix est juste"],
        ),
    ],
)
def test_criteria_list_styles(cell: str, criteria: list[str]) -> None:
    reader_ = CriteriaReader()
    reader_.read(tokenize(cell), continuation=False)
    assert [c.text for c in reader_.criteria] == criteria


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("durée 2h30", 150),
        ("durée 2 h 30", 150),
        ("durée\xa0: 2\xa0h\xa030", 150),
        ("1 heure 30 de préparation", 90),
        ("1 heure et 30 minutes", 90),
        ("entretien de 30 mn", 30),
        ("épreuve de 3 heures", 180),
        ("trois heures", 180),
        ("20 minutes", 20),
        ("durée : 1h", 60),
        ("jeu de rôle de 45'", 45),
        ("durée 1h45'", 105),
        ("d'une durée d'une heure", 60),
        ("2 heures et demie", 150),
        ("une demi-heure", 30),
        ("4 h et 2 cas à traiter", 240),
    ],
)
def test_duration_wordings(text: str, minutes: int) -> None:
    assert methods.durations(text) == methods.Durations(minutes, None, False)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("à l'issue d'un stage de 8 semaines", CompanyPeriod(8, PeriodUnit.WEEKS)),
        ("après 12 semaines en entreprise", CompanyPeriod(12, PeriodUnit.WEEKS)),
        ("un stage de 420 heures", CompanyPeriod(420, PeriodUnit.HOURS)),
        ("420 heures en entreprise", CompanyPeriod(420, PeriodUnit.HOURS)),
        ("une période en entreprise de 2 mois", CompanyPeriod(2, PeriodUnit.MONTHS)),
        ("2 mois de stage", CompanyPeriod(2, PeriodUnit.MONTHS)),
        ("une immersion de 65 jours ouvrés", CompanyPeriod(65, PeriodUnit.WORKING_DAYS)),
        ("65 jours ouvrés en entreprise", CompanyPeriod(65, PeriodUnit.WORKING_DAYS)),
    ],
)
def test_company_period_wordings(text: str, period: CompanyPeriod) -> None:
    found = methods.company_period(text)
    assert found is not None
    assert found.period == period


@pytest.mark.parametrize(
    ("text", "jury"),
    [
        ("devant un jury composé de 2 professionnels.", Jury(2, ["professionnels"])),
        (
            "devant un jury de trois membres dont un professionnel du secteur.",
            Jury(3, ["professionnel du secteur"]),
        ),
        (
            "devant un jury de trois membres dont au moins deux professionnels du métier.",
            Jury(3, ["professionnels du métier"]),
        ),
        (
            "Le jury est composé de deux professionnels du secteur (hors formateurs).",
            Jury(2, ["professionnels du secteur"]),
        ),
        (
            "un jury composé de 3 membres : 1 formateur et 2 professionnels.",
            Jury(3, ["formateur", "professionnels"]),
        ),
    ],
)
def test_jury_wordings(text: str, jury: Jury) -> None:
    found = methods.jury(text)
    assert found is not None
    assert (found.members, found.profiles) == (jury.members, jury.profiles)


@pytest.mark.parametrize(
    ("text", "production"),
    [
        ("un dossier de 20 à 30 pages", Production("Dossier", ProductionKind.DOCUMENT, 1, 20, 30)),
        (
            "un support de présentation de 10 à 15 diapositives",
            Production("Support de présentation", ProductionKind.SLIDESHOW, 1, 10, 15),
        ),
        (
            "un mémoire de 40 pages minimum",
            Production("Mémoire", ProductionKind.DOCUMENT, 1, 40, None),
        ),
        (
            "un rapport écrit de 15 pages maximum",
            Production("Rapport écrit", ProductionKind.DOCUMENT, 1, None, 15),
        ),
    ],
)
def test_production_wordings(text: str, production: Production) -> None:
    assert methods.productions(text, from_method=False) == [production]


@pytest.mark.parametrize(
    ("preamble", "code", "title", "level"),
    [
        (
            "RÉFÉRENTIEL DE COMPÉTENCES ET D'ÉVALUATION – Titre Gestionnaire de paie\n"
            "Titre RNCP de niveau 5",
            "GESTIONNAIRE-DE-PAIE",
            "Gestionnaire de paie",
            5,
        ),
        (
            "Titre RNCP de niveau 6 « Responsable de point de vente »\n"
            "Certification professionnelle enregistrée au RNCP sous le n° 37849",
            "RNCP37849",
            "Responsable de point de vente",
            6,
        ),
        (
            "Titre professionnel de niveau 6 : Responsable de point de vente\nCode RNCP : 37849",
            "RNCP37849",
            "Responsable de point de vente",
            6,
        ),
        (
            "Intitulé de la certification : Technicien support\nNiveau : 5\nRNCP 38001",
            "RNCP38001",
            "Technicien support",
            5,
        ),
    ],
)
def test_preamble_wordings(preamble: str, code: str, title: str, level: int) -> None:
    found = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1 - Vendre\tÉtude de cas écrite (2 h)\tLe prix est juste.",
            "",
            "Fin du référentiel.",
            preamble=preamble,
        )
    )
    assert (found.code, found.title, found.level) == (code, title, level)


def test_criteria_codes_numbered_within_their_competency() -> None:
    """« CE1 », « CE2 » under any competency, « CR1.1 » under C1: fine; « CR2.1 » under C1
    is worth a warning."""
    found = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1 - Vendre\tÉtude de cas écrite (2 h)\tCR1.1 Le prix est juste. CR1.2 La marge "
            "est calculée.",
            "\tC2 - Relancer\t\tCE1 La relance est faite. CE2 Elle est tracée.",
            "\tC3 - Conclure\t\tCR2.1 La vente est conclue.",
            "",
            "Fin du référentiel.",
        )
    )
    assert [[c.code for c in comp.criteria] for comp in found.competencies()] == [
        ["CR1.1", "CR1.2"],
        ["CE1", "CE2"],
        ["CR2.1"],
    ]
    assert [(w.code, w.line, w.message) for w in found.warnings] == [
        (WarningCode.CRITERIA_MISMATCH, 8, "le critère CR2.1 est rangé sous la compétence C3")
    ]


# --- competency numbering restarting in each block ------------------------------------------

RESTART = (
    "numérotation des compétences reprise à chaque bloc (C1 déjà dans le bloc 1) : chaque code "
    "est préfixé par celui de son bloc (BC02-C1…)"
)


def renumbered_in_each_block(number: str) -> str:
    """Attaché commercial's C1–C7, C8–C14, C15–C22 numbered 1–7, 1–7, 1–8."""
    n = int(number)
    return str(n - 14 if n >= 15 else n - 7 if n >= 8 else n)


def prefixed(found: Referentiel) -> Referentiel:
    """The référentiel with each competency code prefixed with its block's (« BC02-C1 »)."""
    result = copy.deepcopy(found)
    new_codes = {}
    for block in result.blocks:
        for competency in block.competencies:
            number = renumbered_in_each_block(competency.code[1:])
            new_codes[competency.code] = f"{block.code}-C{number}"
            competency.code = new_codes[competency.code]
    for exam in result.exams:
        for method in exam.methods:
            method.competencies = [new_codes[c] for c in method.competencies]
            method.organisation = re.sub(
                r"compétences ([\d-]+)", renumbered_references, method.organisation
            )
    return result


def renumbered_references(match: re.Match[str]) -> str:
    """« compétences 8-9-11-12-13 » → « compétences 1-2-4-5-6 »."""
    return "compétences " + "-".join(renumbered_in_each_block(n) for n in match.group(1).split("-"))


def test_seed_numbered_again_in_each_block_gets_block_prefixed_codes() -> None:
    """Attaché commercial with C8… written C1… in block 2 and C15… written C1… in block 3, the
    method's « valide les compétences 8-9-11-12-13 » written « 1-2-4-5-6 »: same content, each
    code prefixed with its block's, one warning at block 2's C1."""
    text = in_column(
        seed_text(ATTACHE),
        1,
        r"^(<p>)?(C ?)(\d+)",
        lambda m: f"{m.group(1) or ''}{m.group(2)}{renumbered_in_each_block(m.group(3))}",
    )
    text = in_column(text, 2, r"compétences ([\d-]+)", renumbered_references)
    assert "compétences 1-2-4-5-6" in text
    assert "compétences 3-7" in text
    found = parse_text(text, filename=ATTACHE)
    expected = prefixed(seed(ATTACHE))
    same_content(found, expected)
    assert codes(found)[1] == [f"BC02-C{n}" for n in range(1, 8)]
    assert [m.competencies for m in found.exams[1].methods] == [
        ["BC02-C1", "BC02-C2", "BC02-C4", "BC02-C5", "BC02-C6"],
        ["BC02-C3", "BC02-C7"],
    ]
    assert [(w.code, w.line, w.message) for w in found.warnings] == [(OTHER, 43, RESTART)]
    assert found.source_lines["competency:BC02-C1"] == 43
    assert found.problems() == []


PAR_BLOC = "assistant-rh-numerotation-par-bloc.txt"


def test_restarting_numbering_blocks_and_codes() -> None:
    found = fixture(PAR_BLOC)
    assert (found.code, found.title, found.level) == (
        "RNCP38765",
        "Assistant ressources humaines",
        5,
    )
    assert [(b.code, b.title) for b in found.blocks] == [
        ("BC01", "Assurer l'administration du personnel"),
        ("BC02", "Contribuer au recrutement et à l'intégration des salariés"),
        ("BC03", "Participer au développement des compétences"),
    ]
    # titles stay the competency's text, without the code
    assert [(c.code, c.title) for c in found.competencies()] == [
        ("BC01-C1", "Constituer et tenir à jour les dossiers individuels des salariés"),
        ("BC01-C2", "Établir les contrats de travail et leurs avenants"),
        ("BC01-C3", "Suivre les absences et les congés des salariés"),
        ("BC02-C1", "Rédiger une offre d'emploi à partir d'une fiche de poste"),
        ("BC02-C2", "Conduire un entretien de présélection"),
        ("BC02-C3", "Organiser l'accueil d'un nouveau salarié"),
        ("BC03-C1", "Recueillir les besoins de formation des salariés"),
        ("BC03-C2", "Élaborer le plan de développement des compétences"),
        ("BC03-C3", "Évaluer les actions de formation"),
    ]
    assert [len(b.competencies) for b in found.blocks] == [3, 3, 3]
    # BC02-C3 comes after the page footer and the repeated header
    assert [found.source_lines[f"competency:BC02-C{n}"] for n in (1, 2, 3)] == [14, 15, 20]
    assert found.problems() == []


def test_restarting_numbering_criteria_in_every_shape() -> None:
    criteria = {
        c.code: [(cr.code, cr.text) for cr in c.criteria] for c in fixture(PAR_BLOC).competencies()
    }
    assert criteria == {
        # « CR1.1 », « CR2.1 »: numbered within the competency
        "BC01-C1": [
            ("CR1.1", "Les pièces obligatoires sont présentes."),
            ("CR1.2", "Le classement respecte la confidentialité des données."),
        ],
        "BC01-C2": [
            ("CR2.1", "Le contrat choisi est adapté à la situation."),
            ("CR2.2", "Les clauses obligatoires figurent au contrat."),
        ],
        # sentences in one <p>
        "BC01-C3": [
            (None, "Les absences sont enregistrées."),
            (None, "Les soldes de congés sont justes."),
        ],
        # ✓ items
        "BC02-C1": [
            (None, "L'offre reprend les missions du poste"),
            (None, "L'offre respecte le principe de non-discrimination"),
        ],
        # <li> items
        "BC02-C2": [
            (None, "L'entretien est structuré"),
            (None, "Les questions posées sont ouvertes"),
        ],
        # <p> paragraphs
        "BC02-C3": [
            (None, "Le livret d'accueil est complet."),
            (None, "Le parcours d'intégration est planifié."),
        ],
        # flat « CE1 », « CE2 »
        "BC03-C1": [
            ("CE1", "Les besoins sont recueillis auprès des managers."),
            ("CE2", "Les besoins sont hiérarchisés."),
        ],
        # « CR3.2.1 »: block 3, competency 2 — no mismatch
        "BC03-C2": [
            ("CR3.2.1", "Le plan respecte le budget alloué."),
            ("CR3.2.2", "Le plan est validé par la direction."),
        ],
        # « 1) … 2) … »
        "BC03-C3": [
            (None, "Les indicateurs d'évaluation sont définis"),
            (None, "Les résultats sont analysés"),
        ],
    }


def test_restarting_numbering_methods_resolve_references_in_their_block() -> None:
    """« (C1, C2) », « valide les compétences 1 et 3 » and « Voir évaluation 1 » (each block
    numbers its évaluations from 1 too) mean the method's own block's."""
    exams = {e.scope: e for e in fixture(PAR_BLOC).exams}
    assert {
        scope: [(m.title, m.kind, m.duration_minutes, m.competencies) for m in e.methods]
        for scope, e in exams.items()
    } == {
        # « (C1, C2) » on C1's row, C2's method cell empty
        "BC01": [
            ("Évaluation 1 : étude de cas écrite", WCS, 180, ["BC01-C1", "BC01-C2"]),
            (
                "Évaluation 2 : questionnaire professionnel de 45 minutes",
                MethodKind.PROFESSIONAL_QUESTIONNAIRE,
                45,
                ["BC01-C3"],
            ),
        ],
        # « valide les compétences 1 et 3 » on C1's row names C3, two rows and a page break
        # below, whose row says « Voir évaluation 1 »
        "BC02": [
            (
                "Évaluation 1 : mise en situation professionnelle écrite",
                WCS,
                120,
                ["BC02-C1", "BC02-C3"],
            ),
            ("Évaluation 2 : jeu de rôle de 30 minutes avec un candidat", ROLE, 30, ["BC02-C2"]),
        ],
        # « Voir évaluation 1 » is block 3's Évaluation 1, not block 1's or 2's
        "BC03": [
            (
                "Évaluation 1 : dossier professionnel de 15 à 20 pages rédigé à l'issue d'une "
                "période de 8 semaines en entreprise",
                WP,
                20,
                ["BC03-C1", "BC03-C2"],
            ),
            (
                "Évaluation 2 : soutenance orale de 30 minutes devant un jury composé d'un "
                "professionnel des ressources humaines et d'un formateur",
                DEF,
                30,
                ["BC03-C3"],
            ),
        ],
        "certification": [],
    }
    assert [exams[s].total_minutes for s in ("BC01", "BC02", "BC03")] == [225, 150, 50]
    assert exams["BC03"].company_period == CompanyPeriod(8, PeriodUnit.WEEKS)
    assert exams["BC03"].productions == [
        Production("Dossier professionnel", ProductionKind.DOCUMENT, min_units=15, max_units=20)
    ]


def test_restarting_numbering_warnings() -> None:
    """One warning, at the first repeated code (block 2's C1, line 14); the page footer."""
    assert [(w.code, w.line, w.message) for w in fixture(PAR_BLOC).warnings] == [
        (OTHER, 14, RESTART),
        (
            OTHER,
            16,
            "ligne hors tableau ignorée : « Assistant ressources humaines – RNCP38765 – Page 2 "
            "sur 3 »",
        ),
    ]
    # and the format-independent checks find every competency assessed
    data = (DATA / PAR_BLOC).read_bytes()
    assert [w.code for w in reader.parse(data, filename=PAR_BLOC).warnings] == [OTHER] * 3


def test_restarting_numbering_references_across_rows_and_blocks() -> None:
    found = parse_text(
        table(
            "Bloc 1 Prospecter\t\t\t",
            "\tC1 - Qualifier le fichier\tÉtude de cas écrite (2 h)\tLe fichier est qualifié.",
            "\tC2 - Planifier les appels\t\tLe planning est réaliste.",
            "\tC3 - Mener les appels\t\tLes appels sont menés.",
            "\tC4 - Suivre les rendez-vous\t\tLes rendez-vous sont suivis.",
            "Bloc 2 Vendre\t\t\t",
            "\tC1 - Découvrir les besoins\tÉvaluation 1 : jeu de rôle de 20 minutes (C1, C3)\t"
            "CR2.1.1 Les besoins sont reformulés.",
            "\tC2 - Chiffrer l'offre\tÉvaluation 2 : étude de cas écrite de 1 h, valide les "
            "compétences 2 et 4\tCR1.3 Le prix est juste.",
            "\tC3 - Conclure la vente\tVoir évaluation 1\tLa vente est conclue.",
            "Bloc 3 Fidéliser\t\t\t",
            "\tC1 - Fidéliser le client\tÉvaluation 1 : entretien technique de 30 minutes (C1, "
            "C2, C3)\tLe client revient.",
            "\tC2 - Traiter les réclamations\t\tLa réclamation est traitée.",
            "",
            "Fin du référentiel.",
        )
    )
    assert codes(found) == [
        ["BC01-C1", "BC01-C2", "BC01-C3", "BC01-C4"],
        ["BC02-C1", "BC02-C2", "BC02-C3"],
        ["BC03-C1", "BC03-C2"],
    ]
    assert {e.scope: [m.competencies for m in e.methods] for e in found.exams} == {
        "BC01": [["BC01-C1", "BC01-C2", "BC01-C3", "BC01-C4"]],
        # « (C1, C3) »: the C3 two rows below, also pointing back with « Voir évaluation 1 »
        "BC02": [["BC02-C1", "BC02-C3"], ["BC01-C4", "BC02-C2"]],
        # C3 is in neither row of block 3, and in two other blocks: left out
        "BC03": [["BC03-C1", "BC03-C2"]],
    }
    assert [(w.code, w.line, w.message) for w in found.warnings] == [
        (
            OTHER,
            11,
            "numérotation des compétences reprise à chaque bloc (C1 déjà dans le bloc 1) : "
            "chaque code est préfixé par celui de son bloc (BC02-C1…)",
        ),
        # « CR2.1.1 » under block 2's C1 is fine, « CR1.3 » under its C2 is not
        (
            WarningCode.CRITERIA_MISMATCH,
            12,
            "le critère CR1.3 est rangé sous la compétence BC02-C2",
        ),
        # « compétences 2 et 4 »: block 2 has no C4, block 1 has
        (OTHER, 12, "BC02 : la modalité cite BC01-C4, compétence d'un autre bloc"),
        (
            WarningCode.UNKNOWN_REFERENCE,
            15,
            "BC03 : la modalité cite C3, absente du bloc et présente dans plusieurs autres "
            "(BC01-C3, BC02-C3) : référence ignorée",
        ),
    ]
    assert [[cr.code for cr in c.criteria] for c in found.blocks[1].competencies] == [
        ["CR2.1.1"],
        ["CR1.3"],
        [None],
    ]


def test_restarting_hierarchical_numbering() -> None:
    """« C1.1 » again in block 2: its first number is no block number, so « C2.1 » in block 1
    is not worth the « en-tête de bloc manquant » warning it got before the restart showed."""
    found = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1.1 - Prospecter\tÉtude de cas écrite (2 h)\tLe fichier est qualifié.",
            "\tC2.1 - Vendre\t\tLe prix est juste.",
            "Bloc 2 Fidéliser\t\t\t",
            "\tC1.1 - Fidéliser\tJeu de rôle (20 min)\tLe client revient.",
            "\tC1.2 - Relancer\t\tLa relance est faite.",
            "",
            "Fin du référentiel.",
        )
    )
    assert codes(found) == [["BC01-C1.1", "BC01-C2.1"], ["BC02-C1.1", "BC02-C1.2"]]
    assert [m.competencies for e in found.exams for m in e.methods] == [
        ["BC01-C1.1", "BC01-C2.1"],
        ["BC02-C1.1", "BC02-C1.2"],
    ]
    assert [(w.line, w.message) for w in found.warnings] == [
        (
            9,
            "numérotation des compétences reprise à chaque bloc (C1.1 déjà dans le bloc 1) : "
            "chaque code est préfixé par celui de son bloc (BC02-C1.1…)",
        )
    ]


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        # block 2 goes on from C3, then repeats block 1's C2: a mistake, not a restart
        (
            [
                "\tC1 - Vendre\tÉtude de cas écrite (2 h)\tA.",
                "\tC2 - Relancer\t\tB.",
                "Bloc 2 Fidéliser\t\t\t",
                "\tC3 - Fidéliser\tJeu de rôle (20 min)\tC.",
                "\tC2 - Relancer encore\t\tD.",
            ],
            10,
            "la compétence C2 apparaît deux fois (déjà ligne 7, dans le bloc 1)",
        ),
        # a restart, then a code twice within block 2
        (
            [
                "\tC1 - Vendre\tÉtude de cas écrite (2 h)\tA.",
                "Bloc 2 Fidéliser\t\t\t",
                "\tC1 - Fidéliser\tJeu de rôle (20 min)\tC.",
                "\tC1 - Relancer\t\tD.",
            ],
            9,
            "la compétence C1 apparaît deux fois (déjà ligne 8)",
        ),
    ],
    ids=["no-restart", "twice-in-a-block"],
)
def test_a_code_repeated_otherwise_is_refused(rows: list[str], line: int, reason: str) -> None:
    with pytest.raises(ImportFailure) as failure:
        parse_text(table("Bloc 1 Vendre\t\t\t", *rows, "", "Fin du référentiel."))
    assert failure.value.line == line
    assert failure.value.message.startswith(reason)
