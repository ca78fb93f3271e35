"""Certifier-table importer (RNCP style): the three real seeds, other tables of the same
family, truncated and foreign inputs.

Pure tests: no Django, no database. Expected values are read from the seed documents
(line numbers are 1-based lines of the seed files); criteria texts are literal source
text with tags and ✓ bullets removed.
"""

from __future__ import annotations

import functools
import re

import pytest

from attesta.referentiels.importers import certifier, checks
from attesta.referentiels.importers import certifier_methods as methods
from attesta.referentiels.importers.canonical import (
    CompanyPeriod,
    Competency,
    Jury,
    Kind,
    MethodKind,
    PeriodUnit,
    Production,
    ProductionKind,
    Referentiel,
    WarningCode,
)
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.source import Source
from tests.referentiels.importers.seeds import (
    ATTACHE,
    CERTIFIER_SEEDS,
    CHARGE,
    DEVELOPPEMENT,
    MINISTRY_SEEDS,
    SEEDS,
)

PS = MethodKind.PROFESSIONAL_SITUATION
WCS = MethodKind.WRITTEN_CASE_STUDY
ROLE = MethodKind.ORAL_ROLE_PLAY
WP = MethodKind.WRITTEN_PRODUCTION
DEF = MethodKind.ORAL_DEFENCE
OTHER = MethodKind.OTHER


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@functools.cache
def seed(name: str) -> Referentiel:
    return certifier.parse(Source(filename=name, text=seed_text(name)))


def parse_text(text: str, filename: str = "referentiel.txt") -> Referentiel:
    return certifier.parse(Source(filename=filename, text=text))


def cut_after_line(name: str, line: int) -> str:
    return "\n".join(seed_text(name).split("\n")[:line])


def cut_inside_line(name: str, line: int, keep: float) -> str:
    lines = seed_text(name).split("\n")
    kept = lines[line - 1][: int(len(lines[line - 1]) * keep)]
    return "\n".join([*lines[: line - 1], kept])


def competency(referentiel: Referentiel, code: str) -> Competency:
    return next(c for c in referentiel.competencies() if c.code == code)


HEADER = (
    "RÉFÉRENTIEL D'ACTIVITÉS <i>décrit les situations de travail</i>\t"
    "RÉFÉRENTIEL DE COMPÉTENCES <i>identifie les compétences</i>\t"
    "RÉFÉRENTIEL D'ÉVALUATION <i>définit les critères</i>\t"
)
SUBHEADER = "\t\tMODALITÉS D'ÉVALUATION\tCRITÈRES D'ÉVALUATION"


def table(*rows: str, preamble: str = "Titre : Conseiller clientèle") -> str:
    return "\n".join([preamble, "", HEADER, SUBHEADER, *rows])


# --- recognising the format ----------------------------------------------------------------


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_looks_like_recognises_each_certifier_seed(name: str) -> None:
    assert certifier.looks_like(Source(filename=name, text=seed_text(name)))


@pytest.mark.parametrize("name", MINISTRY_SEEDS)
def test_looks_like_rejects_ministry_reac(name: str) -> None:
    assert not certifier.looks_like(Source(filename=name, text=seed_text(name)))


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour,\n\nVoici le compte rendu de la réunion du 3 mars.\tÀ bientôt.",
        "REFERENTIEL EMPLOI ACTIVITES COMPETENCES\tActivités\tCompétences\tÉvaluation",
        # the right words, but not a table row (no tab between the columns)
        "REFERENTIEL D'ACTIVITES REFERENTIEL DE COMPETENCES REFERENTIEL D'EVALUATION",
        "",
    ],
    ids=["prose", "reac-title", "no-tabs", "empty"],
)
def test_looks_like_rejects_other_text(text: str) -> None:
    assert not certifier.looks_like(Source(filename="x.txt", text=text))


@pytest.mark.parametrize(
    "header",
    [
        "REFERENTIEL D'ACTIVITES\tREFERENTIEL DE COMPETENCES\tREFERENTIEL D'EVALUATION",
        "Référentiel d’activités\tRéférentiel de compétences\tRéférentiel de certification",
    ],
    ids=["no-accents", "lowercase-typographic-apostrophe"],
)
def test_looks_like_accepts_header_with_or_without_accents(header: str) -> None:
    assert certifier.looks_like(Source(filename="x.txt", text=f"Préambule\n{header}\n"))


def test_prose_is_refused_with_a_line() -> None:
    with pytest.raises(ImportFailure) as failure:
        parse_text("Ce document n'est pas un référentiel.\nIl parle d'autre chose.")
    assert failure.value.line == 1
    assert "en-tête du tableau introuvable" in failure.value.message


@pytest.mark.parametrize("name", MINISTRY_SEEDS)
def test_ministry_reac_is_refused(name: str) -> None:
    with pytest.raises(ImportFailure, match="en-tête du tableau introuvable"):
        certifier.parse(Source(filename=name, text=seed_text(name)))


# --- identity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "title"),
    [
        (ATTACHE, "ATTACHE-COMMERCIAL", "Attache commercial"),
        (CHARGE, "CHARGE-DU-DEVELOPPEMENT-COMMERCIAL", "Chargé.e du développement commercial"),
        # no title in the document: taken from the file name, with a warning
        (DEVELOPPEMENT, "DEVELOPPEMENT-COMMERCIAL", "Developpement commercial"),
    ],
)
def test_code_and_title_come_from_the_document(name: str, code: str, title: str) -> None:
    referentiel = seed(name)
    assert (referentiel.code, referentiel.title) == (code, title)
    assert referentiel.kind is Kind.CERTIFIER
    assert referentiel.source_format == "certifier_table"
    assert referentiel.level is None


def test_missing_title_is_warned_about() -> None:
    warnings = [w for w in seed(DEVELOPPEMENT).warnings if "intitulé" in w.message]
    assert [(w.code, w.line) for w in warnings] == [(WarningCode.OTHER, None)]


# --- blocks and competencies ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "blocks"),
    [
        (
            ATTACHE,
            [
                (
                    "BC01",
                    "Définir et mettre en œuvre une stratégie de conquête commerciale sur un "
                    "secteur",
                ),
                ("BC02", "Négocier et vendre des produits et services en BTOB et BTOC"),
                ("BC03", "Assurer le suivi de la relation client et de l'activité commerciale"),
            ],
        ),
        (
            DEVELOPPEMENT,
            [
                ("BC01", "Elaboration d'un plan de développement commercial"),
                ("BC02", "Déclinaison de la stratégie de développement du portefeuille client"),
                ("BC03", "Développement de la relation client et fidélisation du portefeuille"),
                ("BC04", "Encadrement et animation d'une équipe commerciale"),
                ("BC05", "Evaluation des résultats d'un plan d'actions commerciales"),
            ],
        ),
        (
            CHARGE,
            [
                (
                    "BC01",
                    "Élaborer avec la direction la stratégie de développement commercial dans "
                    "une démarche RSE",
                ),
                (
                    "BC02",
                    "Développer et suivre la performance commerciale dans un contexte omnicanal",
                ),
                ("BC03", "Optimiser la relation client et manager une équipe commerciale"),
            ],
        ),
    ],
)
def test_block_codes_and_titles(name: str, blocks: list[tuple[str, str]]) -> None:
    assert [(b.code, b.title) for b in seed(name).blocks] == blocks


@pytest.mark.parametrize(
    ("name", "code", "description"),
    [
        (
            ATTACHE,
            "BC03",
            "Suivi de la relation commerciale avec les clients\n"
            "3.1. Suivi de la relation client Mise à jour des données\n"
            "3.2. Contribution à l'amélioration continue des process de vente\n"
            "3.3. Détection d'opportunités d'affaires et actions en découlant : vente "
            "additionnelle, actions de fidélisation\n"
            "Suivi de l'activité et reporting 3.4. Suivi de la relation client Mise à jour des "
            "données\n"
            "Activités transverses 3.5. Communication avec les parties prenantes en interne",
        ),
        (
            DEVELOPPEMENT,
            "BC01",
            "A1.1 Etude du marché, des clients et des concurrents\n"
            "A1.2 Contribution à la définition d'une stratégie marketing et commerciale\n"
            "A1.3 Conception et argumentation d'une proposition de plan d'actions commerciales",
        ),
        (
            CHARGE,
            "BC02",
            "A2.1 Développement de la performance commerciale\n"
            "A2.2 Suivi de la performance commerciale",
        ),
    ],
)
def test_block_description_is_the_activity_column(name: str, code: str, description: str) -> None:
    block = next(b for b in seed(name).blocks if b.code == code)
    assert block.description == description


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        (
            ATTACHE,
            [
                [f"C{n}" for n in range(1, 8)],
                [f"C{n}" for n in range(8, 15)],
                [f"C{n}" for n in range(15, 23)],
            ],
        ),
        (
            DEVELOPPEMENT,
            [
                ["C1.1", "C1.2", "C1.3", "C1.4", "C1.5"],
                ["C2.1", "C2.2", "C2.3", "C2.4"],
                ["C3.1", "C3.2", "C3.3"],
                ["C4.1", "C4.2", "C4.3", "C4.4"],
                ["C5.1", "C5.2"],
            ],
        ),
        (
            CHARGE,
            [
                ["C1.1.1", "C1.1.2", "C1.1.3", "C1.2.1", "C1.2.2", "C1.2.3", "C1.2.4"],
                [
                    "C2.1.1",
                    "C2.1.2",
                    "C2.1.3",
                    "C2.1.4.1",
                    "C2.1.4.2",
                    "C2.1.5",
                    "C2.2.1",
                    "C2.2.2",
                    "C2.2.3",
                    "C2.2.4",
                ],
                [
                    "C3.1.1",
                    "C3.1.2",
                    "C3.1.3",
                    "C3.2.1",
                    "C3.2.2",
                    "C3.2.3",
                    "C3.2.4",
                    "C3.2.5",
                    "C3.2.6",
                    "C3.2.7",
                ],
            ],
        ),
    ],
)
def test_competency_codes_per_block(name: str, codes: list[list[str]]) -> None:
    assert [[c.code for c in b.competencies] for b in seed(name).blocks] == codes


@pytest.mark.parametrize(
    ("name", "code", "title"),
    [
        # « C 11 -Participer » → C11, title without the code
        (
            ATTACHE,
            "C11",
            "Participer à la recherche de solutions techniques en collaboration avec le service "
            "production/technique afin de concevoir une prestation complexe et personnalisée "
            "adaptée aux besoins détectés",
        ),
        (
            ATTACHE,
            "C17",
            "Gérer les réclamations, insatisfactions et les litiges, individuellement ou en lien "
            "avec l'équipe après-vente, afin de garantir la qualité de la relation client et le "
            "processus d'amélioration continue de la démarche qualité",
        ),
        # the title stops where the list of « en … » begins; a trailing colon is dropped
        (
            ATTACHE,
            "C10",
            "Dans un contexte B to B ou B to C, mener un entretien de négociation structuré avec "
            "un prospect / client dans une relation gagnant/gagnant à l'aide de l'argumentaire "
            "et des outils d'aide à la vente en vue de concrétiser la vente et d'instaurer un "
            "partenariat durable",
        ),
        (DEVELOPPEMENT, "C1.1", "Réaliser une veille commerciale"),
        # the cell is continued on the next page: both halves make the title
        (
            DEVELOPPEMENT,
            "C1.2",
            "Contribuer à la définition des profils client type (buyer personas) en cohérence "
            "avec la segmentation en collaboration avec le service marketing, en s'appuyant sur "
            "la collecte et l'analyse de données qualitatives (retours de l'équipe commerciale, "
            "réalisation d'interview...) ou quantitative (bases de données clients, sondage...) "
            "afin de commercialiser une offre de produits ou services adaptée au public cible",
        ),
        # « C1.5 - Présenter » → title without the dash
        (
            DEVELOPPEMENT,
            "C1.5",
            "Présenter et défendre une proposition de plan d'action commerciale ainsi que le "
            "budget associé en explicitant les choix au regard des cibles, du positionnement "
            "de l'offre et de la stratégie d'entreprise, de manière à obtenir la validation de "
            "la direction commerciale",
        ),
        # a row shifted one column left (« <p>C3.2.4 …</p> ⇥ ⇥ ⇥ <p>CR3.2.4 …</p> »)
        (
            CHARGE,
            "C3.2.4",
            "Animer l'équipe commerciale de façon individuelle et collective en choisissant les "
            "techniques appropriées pour maintenir un lien régulier avec chaque collaborateur et "
            "une unité au sein de l'équipe afin de favoriser l'appartenance et la productivité",
        ),
    ],
)
def test_competency_title_without_its_code(name: str, code: str, title: str) -> None:
    assert competency(seed(name), code).title == title


def test_competency_list_goes_to_description() -> None:
    description = competency(seed(DEVELOPPEMENT), "C2.2").description
    assert description == (
        "- en collaboration avec le service marketing, le service communication ou des "
        "prestataires\n"
        "- en identifiant les objectifs, et en participant à la définition d'un message clé, "
        "ainsi que les canaux de diffusion\n"
        "de manière à accroître la visibilité de l'offre et favoriser le développement des "
        "ventes."
    )
    assert competency(seed(ATTACHE), "C10").description.splitlines()[0] == (
        "- en découvrant les besoins par le questionnement du prospect"
    )


# --- criteria -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        (ATTACHE, [[4, 5, 2, 3, 2, 2, 2], [3, 4, 7, 1, 2, 1, 2], [2, 2, 3, 1, 2, 1, 5, 2]]),
        (DEVELOPPEMENT, [[5, 2, 4, 6, 3], [7, 4, 3, 4], [4, 5, 3], [4, 4, 2, 4], [4, 3]]),
        (CHARGE, [[1] * 7, [1] * 10, [1] * 10]),
    ],
)
def test_criteria_counts_per_competency(name: str, counts: list[list[int]]) -> None:
    assert [[len(c.criteria) for c in b.competencies] for b in seed(name).blocks] == counts


# (seed, competency, first criterion, last criterion or None when it is the only one)
FIRST_AND_LAST_CRITERIA: list[tuple[str, str, str, str | None]] = [
    (
        ATTACHE,
        "C1",
        (
            "Le diagnostic de l'entreprise respecte la méthodologie SWOT (Forces, Faiblesses, "
            "Opportunités, Menaces)"
        ),
        (
            "Le traitement des données quantitatives est pertinent : indicateurs choisis sont "
            "en cohérence avec l'objectif de l'analyse, les calculs sont justes"
        ),
    ),
    (
        ATTACHE,
        "C2",
        (
            "La stratégie de vente / prospection est définie en termes de segmentation, cible "
            "(avec 3 critères précis)"
        ),
        "Les choix d'actions sont argumentés",
    ),
    (
        ATTACHE,
        "C3",
        "Les critères de segmentation sont opérationnels",
        (
            "Les cibles choisies sont cohérentes avec l'analyse du marché, elles sont "
            "caractérisées précisément"
        ),
    ),
    (
        ATTACHE,
        "C4",
        "Le scénario d'entretien de qualification est structuré",
        "Le media social choisi est le plus adapté à la cible",
    ),
    (
        ATTACHE,
        "C5",
        (
            "La nature des informations à intégrer et leurs libellés permettent une "
            "exploitation commerciale future"
        ),
        "La nature des informations et les modalités de traitements sont conformes au RGPD",
    ),
    (
        ATTACHE,
        "C6",
        "Le planning répond à une méthodologie, les activités sont priorisées",
        "Les contraintes de l'environnement de travail sont prises en compte",
    ),
    (
        ATTACHE,
        "C7",
        "Le choix du canal est cohérent avec la cible",
        (
            "Le contenu du message est vendeur, cohérent avec le positionnement de "
            "l'entreprise et adapté à la cible"
        ),
    ),
    (
        ATTACHE,
        "C8",
        "L'objectif fixé est double : quantitatif et qualitatif",
        (
            "L'objectif de négociation est rédigé en termes de coût, qualité, quantité, délais "
            "(QQCD)."
        ),
    ),
    (
        ATTACHE,
        "C9",
        "La structure de l'argumentaire CAP caractéristiques, avantages, preuves est respectée",
        "Des exemples de preuve sont proposées",
    ),
    (
        ATTACHE,
        "C10",
        "Les modalités de l'échange, la durée, l'objectif sont clairement définis",
        "La posture et le mode de communication sont adaptés à son interlocuteur",
    ),
    (
        ATTACHE,
        "C11",
        "Les questions nécessitant des précisions techniques sont clairement formulées",
        None,
    ),
    (
        ATTACHE,
        "C12",
        (
            "La proposition commerciale comporte toutes les rubriques (contexte de la demande, "
            "objectifs, méthodologie, planning, budget, CGV)"
        ),
        "Le document contractuel est conforme",
    ),
    (
        ATTACHE,
        "C13",
        (
            "Les différentes étapes sensibles sont identifiées et une action adaptée est "
            "proposée pour rassurer / informer le client"
        ),
        None,
    ),
    (
        ATTACHE,
        "C14",
        (
            "Les actions de sell out proposées sont réalistes au regard du budget de vente et "
            "du temps disponible"
        ),
        (
            "Les arguments d'aide à la revente promulgués au client professionnel pourront "
            "être réutilisés (implantation de produits, merchandising, arguments de vente...)"
        ),
    ),
    (
        ATTACHE,
        "C15",
        (
            '"Une action de suivi client est proposée (scénario téléphonique, planning de '
            "relance, mail...) au choix"
        ),
        (
            "Les questions prévues permettent de valider la réalisation et la conformité de la "
            "prestation auprès du client et de recueillir son assentiment"
        ),
    ),
    (
        ATTACHE,
        "C16",
        (
            "L'analyse des enquêtes de satisfaction client est regroupée dans une matrice « "
            "attente- satisfaction »"
        ),
        "Les formules sur Excel sont adaptées et les calculs justes",
    ),
    (
        ATTACHE,
        "C17",
        (
            "La technique de communication et la formulation du message apporte une visibilité "
            "et une solution opérationnelle au client"
        ),
        "Un compromis acceptable pour les deux parties est proposé",
    ),
    (
        ATTACHE,
        "C18",
        (
            'Les pistes de "repeat business" sont pertinentes au regard des achats passés du '
            "client et de sa typologie"
        ),
        None,
    ),
    (
        ATTACHE,
        "C19",
        "L'action de fidélisation proposée est pertinente et évaluée financièrement",
        (
            "Elle remplit le double objectif : augmentation du volume d'affaires et "
            "fidélisation du client"
        ),
    ),
    (
        ATTACHE,
        "C20",
        "Les méthodes de calcul des indicateurs de performance et les résultats sont justes",
        None,
    ),
    (
        ATTACHE,
        "C21",
        (
            "Les tableaux de bord établis à l'aide d'un tableur sont clairs, structurés et "
            "lisibles, ils permettent une lecture rapide"
        ),
        "Des pistes d'amélioration sont proposées avec des objectifs SMART",
    ),
    (
        ATTACHE,
        "C22",
        (
            "Le formalisme de la communication écrite (compte-rendu) est conforme aux "
            "pratiques professionnelles"
        ),
        (
            "Les problématiques de mise en œuvre de la compétence en situation de handicap "
            "sont prises en compte dans la mesure du possible"
        ),
    ),
    (
        DEVELOPPEMENT,
        "C1.1",
        (
            "La détermination des objectifs de la veille permet de délimiter le périmètre de "
            "recherche."
        ),
        (
            "L'analyse des données collectées met en évidence les informations nécessitant une "
            "réaction urgente, et les opportunités de développement commercial détectées."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C1.2",
        (
            "La description des profils se basent sur les éléments suivants CSP des cibles, "
            "portrait sociologique, habitudes de consommation et aspirations des cibles."
        ),
        (
            "Les techniques utilisées pour récolter les données permettent de recenser des "
            "données fiables (récence, complétude et traçabilité) et qualitatives pour "
            "analyser les caractéristiques du public cible."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C1.3",
        (
            "Le candidat identifie de manière exhaustive les enjeux rencontrés par "
            "l'organisation (visibilité produit, attractivité, distinction de la concurrence, "
            "notoriété...),"
        ),
        (
            "Les objectifs marketing et commerciaux sont réalistes i.e qui tiennent compte de "
            "l'ambition de développement de l'entreprise et du résultat des études de marché."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C1.4",
        "Les atouts et freins du PAC antérieur sont pris en compte.",
        (
            "Les indicateurs de performance associés sont cohérents par rapport à la nature "
            "des objectifs de la stratégie commerciale."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C1.5",
        (
            "La présentation est structurée et inclue des éléments chiffrés, quantitatifs et "
            "qualitatifs, réponse aux risques, avantages."
        ),
        (
            "Le candidat démontre la pertinence de ses propositions au regard des cibles, du "
            "positionnement de l'offre et de la stratégie commerciale"
        ),
    ),
    (
        DEVELOPPEMENT,
        "C2.1",
        "La méthodologie de recueil et de traitement des informations est bien choisie.",
        "Il prévoit des propositions de réponses aux objections potentielles.",
    ),
    (
        DEVELOPPEMENT,
        "C2.2",
        "Les objectifs de la campagne de communication sont clairement définis.",
        (
            "Les canaux de communication choisis sont adaptés aux types de profils et "
            "habitudes du public cible."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C2.3",
        "Les objectifs de la négociation sont définis et hiérarchisés.",
        (
            "Le candidat tient compte des renseignements collectés et des scénarii envisagés "
            "pour définir sa stratégie de négociation."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C2.4",
        (
            "Le candidat s'exprime avec clarté, dynamisme et emploi un langage adapté à la "
            "situation."
        ),
        (
            "Les objections sont analysées et traitées : le candidat utilise des techniques de "
            "reformulation/ de questionnement et cherche à cerner les raisons sous-jacentes, "
            "avant d'y apporter des réponses."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C3.1",
        (
            "L'analyse des données recueillies met en relief les forces et faiblesses de la "
            "gestion de la relation client."
        ),
        (
            "Le candidat démontre sa capacité à proposer une expérience client novatrice en "
            "intégrant les usages et tendances actuels."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C3.2",
        (
            "L'analyse du portefeuille client s'appuie sur une sélection d'indicateurs "
            "pertinents (volume des ventes, nombre de commande par client, ventes répétitives, "
            "panier moyen, taux de croissance...)."
        ),
        "Le choix des indicateurs et des outils de pilotage est judicieux.",
    ),
    (
        DEVELOPPEMENT,
        "C3.3",
        (
            "Le candidat applique des techniques de questionnement et d'analyse qui permettent "
            "d'identifier et de mieux comprendre le contexte et les attentes du client."
        ),
        (
            "Le candidat fait preuve d'assertivité et présente des solutions adaptées à la "
            "problématique du client."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C4.1",
        (
            "Le candidat identifie les tâches, missions et responsabilités de chacun des "
            "membres de l'équipe."
        ),
        (
            "Les indicateurs de mesure sélectionnés permettent d'évaluer les performances "
            "individuelles et collectives de l'équipe."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C4.2",
        "Le candidat identifie les freins et les leviers de motivation.",
        (
            "L'argumentaire développé pour présenter ses choix d'actions s'appuie sur des "
            "éléments tangibles."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C4.3",
        (
            "Le candidat identifie les points forts et les axes d'amélioration des modalités "
            "de communication et de coopération au sein du service et interservices."
        ),
        (
            "Les outils, et bonnes pratiques préconisés tiennent compte des axes "
            "d'amélioration / ou problématiques identifiés."
        ),
    ),
    (
        DEVELOPPEMENT,
        "C4.4",
        "Les objectifs de formation sont clairs et réalistes.",
        "Les techniques d'animation envisagées permettent une participation active du public.",
    ),
    (
        DEVELOPPEMENT,
        "C5.1",
        "Le tableau de bord est lisible, les informations sont structurées et hiérarchisées.",
        (
            "L'évaluation des résultats permet de mettre en évidence des pistes de solutions "
            "correctives"
        ),
    ),
    (
        DEVELOPPEMENT,
        "C5.2",
        "Le candidat identifie des leviers d'amélioration de la performance commerciale.",
        (
            "Les préconisations sont opérationnelles : elles intègrent le planning envisagé, "
            "les acteurs, les moyens à mobiliser, ainsi qu'une estimation des coûts."
        ),
    ),
    (
        CHARGE,
        "C1.1.1",
        (
            "Le processus défini respecte l'ensemble des étapes d'une veille efficace. Les "
            "sources identifiées sont fiables et actualisées. Elles permettent de remonter une "
            "information pertinente."
        ),
        None,
    ),
    (
        CHARGE,
        "C1.1.2",
        (
            "Les informations sont triées et synthétisées avant leur analyse. L'analyse, "
            "argumentée, met en avant avec pertinence les risques et les opportunités de "
            "développement commercial du secteur et de son évolution. Les opportunités de "
            "développement commercial sont étudiées dans le respect du développement durable "
            "et plus généralement de la RSE."
        ),
        None,
    ),
    (
        CHARGE,
        "C1.1.3",
        (
            "L'analyse de la chaîne de valeur est exhaustive. Les propositions d'amélioration "
            "des activités de l'entreprise (activités principales et activités de soutien) "
            "sont pertinentes et issues d'une synthèse des forces et faiblesses argumentées."
        ),
        None,
    ),
    (
        CHARGE,
        "C1.2.1",
        (
            "Les priorités de développement économique et les objectifs stratégiques sont "
            "identifiés avec précision et chiffrés (augmentation du chiffre d'affaires, de la "
            "marge, de la notoriété, etc.). Elles prennent en compte la démarche RSE de la "
            "direction générale. La répartition de stratégie de développement commercial entre "
            "physique et digital est adaptée à l'ensemble des contraintes et des "
            "caractéristiques de l'entreprise. Elle est réaliste."
        ),
        None,
    ),
    (
        CHARGE,
        "C1.2.2",
        (
            "Le plan d'actions commerciales est clair et précis. Les contraintes de chacune "
            "des parties impliquées dans sa réalisation sont identifiées et contextualisées. "
            "Il permet de mettre en œuvre avec succès le projet de développement commercial "
            "fixé par la direction en priorisant au maximum le commerce durable."
        ),
        None,
    ),
    (
        CHARGE,
        "C1.2.3",
        (
            "Les tâches récurrentes et chronophages de la force de vente sont identifiées et "
            "analysées avec pertinence. Les solutions d'automatisation sont efficaces et "
            "réalistes dans le contexte d'entreprise (rappel de prospects, envoi d'e-mails, "
            "analyses systématisées des leads, etc.). Le CRM est utilisé et optimisé en "
            "fonction des modifications proposées."
        ),
        None,
    ),
    (
        CHARGE,
        "C1.2.4",
        (
            "Le tableur sélectionné (Excel, Google Sheets, Lotus, etc.) est utilisé avec "
            "maîtrise. Le budget est fiable et exhaustif. Les calculs du seuil de rentabilité "
            "et du point mort sont justes. Les ratios de rentabilité sont pertinents et "
            "démontrent la rentabilité du développement envisagé. Les coûts et les rations "
            "spécifiques au e-commerce sont maîtrisés et intégrés dans l'analyse."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.1.1",
        (
            "Le persona du public cible est efficace. Les études retenues sont fiables et "
            "actualisées. Il décrit et met en relation avec pertinence les caractéristiques de "
            "l'entreprise avec les besoins, les objectifs et les comportements du public "
            "cible."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.1.2",
        (
            "La stratégie et le plan de prospection omnicanal mis en place sont personnalisés "
            "en fonction du public cible et des objectifs fixés. Les canaux privilégiés et la "
            "ou les méthodes d'approche des prospects sont efficaces et permettent de détecter "
            "les opportunités de marché de manière qualitative. Les spécificités "
            "réglementaires et techniques du e-commerce sont prises en compte dans la "
            "stratégie."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.1.3",
        (
            "La proposition commerciale synthétise la problématique du futur client, la "
            "contextualisation de la demande et la manière de résoudre le problème. La valeur "
            "du produit/service concerné est mise en avant et corrélée avec la problématique "
            "du prospect, son organisation et les enjeux. L'offre comprend la totalité des "
            "éléments permettant au prospect de comparer avec les concurrents et de prendre "
            "une décision éclairée (diagnostic de situation, solution apportée, délai ou "
            "rétroplanning, chiffrage, garantie)."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.1.4.1",
        (
            "La négociation est préparée en amont avec précision : objectifs de négociation "
            "clairs, limites de négociation, réponses aux éventuelles objections, etc. La "
            "négociation est menée dans un climat de dialogue ouvert. Les arguments et les "
            "réponses aux objections sont clairs et compréhensibles par l'ensemble des parties "
            "prenantes. Les techniques de négociation utilisées sont efficaces et adaptées au "
            "fil de la négociation avec pertinence. Le stress et les émotions sont maîtrisés. "
            "Les techniques de conclusion sont maîtrisées et utilisées avec pertinence "
            "(directe, alternative, intermédiaire, conditionnelle, diversion, balance, "
            "avantage supplémentaire, etc.)."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.1.4.2",
        (
            "Les différents leviers du marketing digital sont adaptés au contexte de "
            "l'entreprise et à sa capacité à gérer le e-commerce : Search engine marketing, "
            "Search engine optimization, campagne emailing, affiliation, display, réseaux "
            "sociaux, mise en place des partenariats, etc."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.1.5",
        (
            "Le contrat reprend les termes négociés avec exhaustivité. Il comprend la totalité "
            "des obligations légales et réglementaires. Il est conçu dans le respect du "
            "partenaire et de ses obligations. Les spécificités réglementaires des "
            "partenariats et du e-commerce sont mentionnées dans les contrats des partenaires "
            "du digital."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.2.1",
        (
            "Les indicateurs de performance sont limités en nombre efficaces au regard des "
            "objectifs fixés par la stratégie de développement commercial et opérationnels. "
            "Ils concernent les résultats, les objectifs commerciaux, les activités de vente "
            "et la RSE. Les KPI du e-commerce sont intégrés avec justesse au tableau de bord "
            "de suivi de l'activité commerciale. Le tableau de bord permet de visualiser de "
            "manière synthétique les écarts entre objectifs et résultats de l'activité "
            "commerciale globale."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.2.2",
        (
            "Les données à remonter et leurs sources sont identifiées de manière exhaustive et "
            "pertinente (import de fichier Excel, gestion commerciales, CRM, etc.). Les "
            "calculs sont automatisés et justes. Le tableau de bord est fiable et exploitable."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.2.3",
        (
            "L'analyse des indicateurs de performance est juste et pertinente. Les résultats "
            "sont synthétisés et mis en relation avec les objectifs fixés et le contexte "
            "environnemental. L'analyse sépare avec justesse les résultats des ventes "
            "physiques et issues du e-commerce. Les actions correctives sont efficaces et "
            "diversifiées (priorisation des cibles, mise en place de nouveaux moyens de "
            "communication ou de vente, développement des compétences, etc.)."
        ),
        None,
    ),
    (
        CHARGE,
        "C2.2.4",
        (
            "Le rapport est clair et lisible par tous les destinataires. Il comprend les "
            "éléments nécessaires à une prise de décision de la direction. L'anglais écrit est "
            "maîtrisé."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.1.1",
        (
            "Les informations intégrées à l'analyse du portefeuille clients sont fiables et "
            "actualisées (coordonnées, projets signés, spécificités, etc.). L'analyse est "
            "réalisée à partir de méthodes justifiées (20/80, ABC, rentabilité, segmentation, "
            "etc.) et calculées avec justesse. Les préconisations de développement des ventes "
            "sur les clients actuels sont pertinentes et prennent en compte la spécificité des "
            "membres de l'équipe et du secteur."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.1.2",
        (
            "Les indicateurs qualitatifs sont adaptés au secteur et à l'entreprise (indice de "
            "satisfaction client, nombre de réclamations, part de fidélisation, réachat, "
            "recommandations clients, etc.). La satisfaction et les sources d'insatisfactions "
            "client sont analysées avec pertinence. Les préconisations d'amélioration sont "
            "réalistes."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.1.3",
        (
            "Les indicateurs clés de performance des points de contact sont calculés avec "
            "justesse (Net Promoter Score NPS, Customer Satisfaction CSAT, Customer Effort "
            "Score CES, etc.). L'analyse du parcours permet d'identifier les points de "
            "friction. Les optimisations proposées mettent le client au cœur des stratégies "
            "commerciales et prennent en considération les contraintes de l'ensemble des "
            "parties prenantes."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.2.1",
        (
            "Les besoins des partenaires sont identifiés et contextualisés. L'offre "
            "commerciale est adaptée avec efficacité et respecte les contraintes de la "
            "stratégie commerciale (tarifs, logistiques, conditions de ventes, etc.). Les "
            "stratégies d'accompagnement sont performantes et permettent le développement du "
            "chiffre d'affaires dans un cadre gagnant-gagnant (communication, invitation, "
            "vente en collaboration sur le terrain, mise en place d'une plateforme commune, "
            "etc.). L'animation des partenaires du e-commerce (link, plateforme, market place, "
            "etc. est efficace)."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.2.2",
        (
            "Le process de traitement des litiges catégorise les litiges, les rôles et les "
            "responsabilités de chacun avec pertinence et exhaustivité (qualité, prix, "
            "administratif, délai, manquants, etc.). Les solutions possibles sont répertoriées "
            "et argumentées. Lors du contact avec le client et/ou le partenaire, la ou les "
            "solutions amiables sont privilégiées. Le/la candidat.e démontre son empathie et "
            "sa capacité d'écoute. Le conflit est résolu et la relation gardée."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.2.3",
        (
            "La structure organisationnelle de la force commerciale est claire et efficace. "
            "Elle est conforme à la stratégie commerciale. Les rôles, responsabilités, enjeux "
            "et objectifs de chacun des membres de l'équipe sont définis avec précision et "
            "prennent en compte les compétences de chacun."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.2.4",
        (
            "Les rituels d'animation collective sont instaurés avec efficacité et rigueur "
            "(réunions en mode hybride, debrief, séminaires, visites, etc.). Les techniques de "
            "réunion sont utilisées avec efficacité. Les leviers de motivation de chacun des "
            "collaborateurs sont identifiés et pertinents (primes, challenges, évolution "
            "souhaitée, prises de responsabilités, formation, etc.). Les outils et les "
            "techniques d'animation et de suivi individuel sont adaptés aux leviers "
            "identifiés."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.2.5",
        (
            "Les compétences nécessaires à la réalisation des objectifs fixés sont identifiées "
            "avec exhaustivité. Elles sont rapprochées des compétences existantes avec "
            "pertinence. Les manques sont mis en exergue. La décision de recruter ou de former "
            "est argumentée et permet de combler les manques identifiés. Elle tient compte des "
            "contraintes de l'entreprise et de la démarche RSE."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.2.6",
        (
            "À l'oral le/la candidat.e : - adapte avec pertinence sa communication en fonction "
            "du langage verbal et non-verbal de son interlocuteur ; - communique efficacement "
            "en fonction des objectifs qu'il/elle s'était donné.e ; - contrôle et utilise ses "
            "émotions à bon escient ; - affirme ses choix avec charisme et assertivité. La "
            "communication écrite est claire et directe et les termes employés sont "
            "professionnels et compréhensibles par tous. Les codes de la communication écrite "
            "sont maîtrisés (orthographe, grammaire, formules de politesse, introduction, "
            "date, qualité du signataire, etc.). À l'oral comme à l'écrit, le français et "
            "l'anglais sont maîtrisés (entre B2 et C1). La communication est fluide et "
            "compréhensible par tous."
        ),
        None,
    ),
    (
        CHARGE,
        "C3.2.7",
        (
            "L'analyse porte sur les indicateurs quantitatifs (C.A, marge, litiges, taux de "
            "fidélisation, coût d'acquisition d'un nouveau client, etc.) et qualitatifs "
            "(motivation, formation connaissance des produits, intégration, etc.) pertinents "
            "et fiables. Les écarts au regard des objectifs fixés sont identifiés avec "
            "justesse et contextualisés. Les axes d'amélioration proposés sont efficaces et "
            "adaptés au public concerné."
        ),
        None,
    ),
]


@pytest.mark.parametrize(("name", "code", "first", "last"), FIRST_AND_LAST_CRITERIA)
def test_first_and_last_criterion_of_every_competency(
    name: str, code: str, first: str, last: str | None
) -> None:
    criteria = competency(seed(name), code).criteria
    assert criteria[0].text == first
    if last is None:
        assert len(criteria) == 1
    else:
        assert criteria[-1].text == last


def test_every_competency_is_in_the_first_and_last_table() -> None:
    listed = {(name, code) for name, code, _, _ in FIRST_AND_LAST_CRITERIA}
    expected = {(name, c.code) for name in CERTIFIER_SEEDS for c in seed(name).competencies()}
    assert listed == expected


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_criteria_are_literal_source_text(name: str) -> None:
    source = re.sub(r"<[^>]+>", " ", seed_text(name)).replace("✓", " ").replace("•", " ")
    source = re.sub(r"\s+", " ", source)
    for criterion in (cr for c in seed(name).competencies() for cr in c.criteria):
        assert criterion.text.replace(" - ", " ") in source.replace(" - ", " ")


@pytest.mark.parametrize(
    ("code", "group", "count"),
    [
        ("C1", "Qualité de la méthodologie de l'analyse", 4),
        # the group heading is on line 27; three of its five criteria are on line 31
        ("C2", "Pertinence de la stratégie et solidité de la méthode utilisée", 5),
        ("C3", "Pertinence des cibles choisies", 2),  # inside <u>…</u>
        ("C5", "Qualité du fichier", 2),  # no <p>: « Qualité du fichier : ✓ … »
        ("C14", "Valeur ajoutée des conseils d'aide à la vente", 2),
        ("C21", "Valeur ajoutée du reporting et de ses conclusions", 5),
        ("C15", None, 2),
        ("C22", None, 2),
    ],
)
def test_criteria_group_headings(code: str, group: str | None, count: int) -> None:
    criteria = competency(seed(ATTACHE), code).criteria
    assert [c.group for c in criteria] == [group] * count
    assert all(c.code is None for c in criteria)


def test_coded_criteria_keep_their_code_and_all_their_sentences() -> None:
    referentiel = seed(CHARGE)
    criteria = [(c.code, cr) for c in referentiel.competencies() for cr in c.criteria]
    assert len(criteria) == 27
    assert [cr.code for _, cr in criteria] == [f"CR{code[1:]}" for code, _ in criteria]
    assert all(cr.group is None for _, cr in criteria)
    assert competency(referentiel, "C1.1.1").criteria[0].text == (
        "Le processus défini respecte l'ensemble des étapes d'une veille efficace. Les sources "
        "identifiées sont fiables et actualisées. Elles permettent de remonter une information "
        "pertinente."
    )


def test_a_sentence_introducing_a_list_keeps_its_list() -> None:
    criteria = competency(seed(DEVELOPPEMENT), "C2.3").criteria
    assert [c.text for c in criteria] == [
        "Les objectifs de la négociation sont définis et hiérarchisés.",
        "L'analyse des attentes et besoins du prospect/ ou client permet au candidat : - de "
        "déceler les freins et les motivations d'achat, - de préparer des arguments "
        "spécifiques en créant un lien entre l'offre et les besoins/ attentes identifiées.",
        "Le candidat tient compte des renseignements collectés et des scénarii envisagés pour "
        "définir sa stratégie de négociation.",
    ]


def test_a_plain_cell_gives_one_criterion_per_sentence() -> None:
    criteria = competency(seed(DEVELOPPEMENT), "C3.1").criteria
    assert [c.text[:40] for c in criteria] == [
        "L'analyse des données recueillies met en",
        "Les outils mis en œuvre permettent de me",
        "Les préconisations en matière d'expérien",
        "Le candidat démontre sa capacité à propo",
    ]


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_texts_are_clean(name: str) -> None:
    referentiel = seed(name)
    texts = [b.title for b in referentiel.blocks] + [b.description for b in referentiel.blocks]
    for c in referentiel.competencies():
        texts += [c.title, c.description, *(cr.text for cr in c.criteria)]
        texts += [cr.group for cr in c.criteria if cr.group]
    for exam in referentiel.exams:
        texts += [m.title for m in exam.methods] + [m.organisation for m in exam.methods]
        texts += exam.requirements
    for text in texts:
        assert not re.search(r"<[a-z/]|&[a-z]+;|[✓•]|  |\t", text), text
        assert text == text.strip()


# --- exams -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "scope", "methods"),
    [
        (ATTACHE, "BC01", [(None, WCS, 300, [f"C{n}" for n in range(1, 8)])]),
        # « valide les compétences 8-9-11-12-13 » / « 10-14 », and « Voir évaluation 1 »
        (
            ATTACHE,
            "BC02",
            [
                (None, WCS, 240, ["C8", "C9", "C11", "C12", "C13"]),
                (None, ROLE, 20, ["C10", "C14"]),
            ],
        ),
        # Evaluation 2's description starts on the row after its heading (line 68)
        (
            ATTACHE,
            "BC03",
            [
                (None, WCS, 210, ["C15", "C16", "C17", "C18", "C19"]),
                (None, WCS, 210, ["C20", "C21", "C22"]),
            ],
        ),
        (
            CHARGE,
            "BC01",
            [
                (
                    "E1",
                    WCS,
                    None,
                    ["C1.1.1", "C1.1.2", "C1.1.3", "C1.2.1", "C1.2.2", "C1.2.3", "C1.2.4"],
                )
            ],
        ),
        # the written E2 names every competency but C2.1.4.1, assessed orally
        (
            CHARGE,
            "BC02",
            [
                (
                    "E2",
                    WCS,
                    None,
                    [
                        "C2.1.1",
                        "C2.1.2",
                        "C2.1.3",
                        "C2.1.4.2",
                        "C2.1.5",
                        "C2.2.1",
                        "C2.2.2",
                        "C2.2.3",
                        "C2.2.4",
                    ],
                ),
                (None, ROLE, None, ["C2.1.4.1"]),
            ],
        ),
        (
            CHARGE,
            "BC03",
            [
                (
                    "E3",
                    WP,
                    None,
                    [f"C3.1.{n}" for n in (1, 2, 3)] + [f"C3.2.{n}" for n in range(1, 8)],
                ),
                (None, DEF, None, ["C3.2.6"]),
            ],
        ),
        (
            DEVELOPPEMENT,
            "BC01",
            [
                (None, WP, None, ["C1.1"]),
                (None, WP, None, ["C1.2"]),
                (None, WP, None, ["C1.3"]),
                (None, WP, None, ["C1.4"]),
                (None, PS, None, ["C1.5"]),
            ],
        ),
        (DEVELOPPEMENT, "BC04", [(None, PS, None, [f"C4.{n}"]) for n in range(1, 5)]),
        (DEVELOPPEMENT, "BC05", [(None, WP, None, ["C5.1"]), (None, WP, None, ["C5.2"])]),
    ],
)
def test_exam_methods(
    name: str, scope: str, methods: list[tuple[str | None, MethodKind, int | None, list[str]]]
) -> None:
    exam = seed(name).exam_for(scope)
    assert exam is not None
    assert [(m.code, m.kind, m.duration_minutes, m.competencies) for m in exam.methods] == methods


@pytest.mark.parametrize(
    ("name", "scope", "titles"),
    [
        (ATTACHE, "BC01", ["Mise en situation professionnelle"]),
        (
            ATTACHE,
            "BC02",
            [
                "Mises en situations professionnelles – Evaluation 1",
                "Mise en situations professionnelles – Evaluation 2",
            ],
        ),
        (
            CHARGE,
            "BC03",
            [
                "Production écrite individuelle à la suite d'une mise en situation réelle en "
                "entreprise au sein d'un service commercial d'une durée minimale de 65 jours "
                "ouvrés",
                "Le candidat soutient oralement son écrit devant un jury composé d'un.e "
                "représentant.e du certificateur et d'un.e représentant.e du métier visé",
            ],
        ),
        (
            DEVELOPPEMENT,
            "BC04",
            ["Cas pratique : Analyse réflexive"] * 3 + ["Mise en situation professionnelle"],
        ),
    ],
)
def test_method_titles_as_the_document_names_them(name: str, scope: str, titles: list[str]) -> None:
    exam = seed(name).exam_for(scope)
    assert exam is not None
    assert [m.title for m in exam.methods] == titles


@pytest.mark.parametrize(
    ("name", "totals"),
    [
        # no total stated: the sum of the methods' durations
        (ATTACHE, {"BC01": 300, "BC02": 260, "BC03": 420, "certification": None}),
        # durations unknown: no total
        (CHARGE, {"BC01": None, "BC02": None, "BC03": None}),
        (DEVELOPPEMENT, {f"BC0{n}": None for n in range(1, 6)}),
    ],
)
def test_exam_totals(name: str, totals: dict[str, int | None]) -> None:
    assert {e.scope: e.total_minutes for e in seed(name).exams} == totals


@pytest.mark.parametrize(
    ("name", "scope", "period"),
    [
        # « une période d'application pratique en entreprise d'au moins 3 mois » (line 82)
        (ATTACHE, "certification", CompanyPeriod(3, PeriodUnit.MONTHS)),
        (ATTACHE, "BC01", None),
        # « d'une durée minimale de 65 jours ouvrés » in E3 (line 36)
        (CHARGE, "BC03", CompanyPeriod(65, PeriodUnit.WORKING_DAYS)),
        (CHARGE, "BC01", None),
        (DEVELOPPEMENT, "BC01", None),
    ],
)
def test_company_period(name: str, scope: str, period: CompanyPeriod | None) -> None:
    exam = seed(name).exam_for(scope)
    assert exam is not None
    assert exam.company_period == period


def test_oral_defence_before_a_jury_of_two() -> None:
    exam = seed(CHARGE).exam_for("BC03")
    assert exam is not None
    assert exam.jury == Jury(
        members=2,
        profiles=["représentant.e du certificateur", "représentant.e du métier visé"],
        notes=(
            "Le candidat soutient oralement son écrit devant un jury composé d'un.e "
            "représentant.e du certificateur et d'un.e représentant.e du métier visé"
        ),
    )
    assert [(m.kind, m.requires_jury) for m in exam.methods] == [(WP, False), (DEF, True)]


@pytest.mark.parametrize(
    ("name", "scope", "productions"),
    [
        (
            ATTACHE,
            "certification",
            [Production("Dossier de valorisation des compétences", ProductionKind.DOCUMENT)],
        ),
        (CHARGE, "BC03", [Production("Production écrite individuelle", ProductionKind.DOCUMENT)]),
        (
            DEVELOPPEMENT,
            "BC01",
            [
                Production("Rapport de veille", ProductionKind.DOCUMENT),
                Production("Fiches de synthèse", ProductionKind.DOCUMENT),
            ],
        ),
        (ATTACHE, "BC01", []),
    ],
)
def test_productions(name: str, scope: str, productions: list[Production]) -> None:
    exam = seed(name).exam_for(scope)
    assert exam is not None
    assert exam.productions == productions


def test_capitalisation_note_is_a_requirement_of_each_block_exam() -> None:
    note = (
        "Lorsqu'un candidat se présente uniquement sur un bloc de compétences (capitalisation "
        "de bloc), la modalité est amenée à évoluer. Dans ce cadre, le candidat doit présenter "
        "un « dossier professionnel » reprenant l'ensemble des éléments précités. Les critères "
        "restent les mêmes."
    )
    assert [e.requirements for e in seed(DEVELOPPEMENT).exams] == [[note]] * 5
    for exam in seed(DEVELOPPEMENT).exams:
        assert all("-----" not in m.organisation for m in exam.methods)
        assert all("Lorsqu'un candidat" not in m.organisation for m in exam.methods)


def test_text_after_the_table_becomes_certification_requirements() -> None:
    exam = seed(ATTACHE).exam_for("certification")
    assert exam is not None
    assert exam.methods == []
    assert exam.requirements == [
        "Description des modalités d'acquisition de la certification par capitalisation des "
        "blocs de compétences et/ou par équivalence",
        "Voie d'accès à la certification par la formation : Validation des blocs de "
        "compétences par leurs modalités d'évaluations spécifiques",
        "Validation des évaluations complémentaires : un dossier de valorisation des "
        "compétences prenant appui sur une période d'application pratique en entreprise d'au "
        "moins 3 mois, évaluée par une grille tuteur.",
        "Voie d'accès à la certification par la VAE : Validation de l'ensemble des blocs de "
        "compétences par un dossier de valorisation et un entretien devant un jury.",
        "Parcours mixte : L'accès à la certification professionnelle est également possible "
        "par la mise en œuvre d'un parcours mixte (formation + VAE).",
    ]
    assert exam.jury is None  # the jury of the VAE route is not the training route's


def test_preamble_is_not_part_of_the_referentiel() -> None:
    referentiel = seed(ATTACHE)
    dumped = str(referentiel.to_dict())
    assert "handicap du candidat" not in dumped
    assert "L6113-1" not in dumped


# --- source lines and warnings ----------------------------------------------------------------


def test_source_lines_point_at_the_seed() -> None:
    lines = seed(ATTACHE).source_lines
    assert {k: lines[k] for k in ("block:BC01", "block:BC02", "block:BC03")} == {
        "block:BC01": 26,
        "block:BC02": 43,
        "block:BC03": 59,
    }
    assert (lines["competency:C1"], lines["competency:C11"], lines["competency:C22"]) == (
        26,
        49,
        72,
    )
    assert (lines["exam:BC02"], lines["method:BC02:0"], lines["method:BC02:1"]) == (43, 43, 48)
    assert (lines["method:BC03:1"], lines["exam:certification"]) == (67, 74)
    charge = seed(CHARGE).source_lines
    assert (charge["competency:C3.2.7"], charge["method:BC03:1"]) == (48, 41)


def test_seed_without_guesses_has_no_warning() -> None:
    assert seed(ATTACHE).warnings == []


def test_methods_without_duration_are_warned_about_with_their_line() -> None:
    found = [(w.code, w.line, w.message) for w in seed(CHARGE).warnings]
    prefix = "durée non indiquée pour la modalité"
    assert found == [
        (
            WarningCode.OTHER,
            8,
            f"BC01 : {prefix} « Mise en situation professionnelle individuelle écrite "
            "reconstituée en centre de… » (E1)",
        ),
        (
            WarningCode.OTHER,
            20,
            f"BC02 : {prefix} « Mises en situations professionnelles individuelles écrites "
            "reconstituées sur la… » (E2)",
        ),
        (
            WarningCode.OTHER,
            25,
            f"BC02 : {prefix} « Mise en situation professionnelle orale individuelle au cours "
            "de laquelle le… »",
        ),
        (
            WarningCode.OTHER,
            36,
            f"BC03 : {prefix} « Production écrite individuelle à la suite d'une mise en "
            "situation réelle en… » (E3)",
        ),
        (
            WarningCode.OTHER,
            41,
            f"BC03 : {prefix} « Le candidat soutient oralement son écrit devant un jury composé "
            "d'un.e… »",
        ),
    ]


def test_every_method_without_duration_is_warned_about() -> None:
    referentiel = seed(DEVELOPPEMENT)
    lines = [w.line for w in referentiel.warnings if "durée non indiquée" in w.message]
    methods = [
        referentiel.source_lines[k] for k in referentiel.source_lines if k.startswith("method:")
    ]
    assert lines == sorted(methods)
    assert len(lines) == 18


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_every_competency_is_assessed(name: str) -> None:
    """The format-independent checks find nothing to say about the seeds' exams."""
    assert checks.check(seed(name)) == []


@pytest.mark.parametrize("name", CERTIFIER_SEEDS)
def test_canonical_round_trip(name: str) -> None:
    referentiel = seed(name)
    assert Referentiel.from_dict(referentiel.to_dict()) == referentiel


# --- truncated and malformed tables -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "keep", "line", "reason"),
    [
        # block 2's first method names C11–C13, which never come
        (ATTACHE, 44, 43, "la modalité cite C11"),
        # « 2 Mises en situations professionnelles » announced, one found
        (ATTACHE, 62, 59, "2 modalités annoncées"),
        # Evaluation 2 stops at its heading
        (ATTACHE, 67, 67, "s'arrête à son intitulé"),
        (CHARGE, 7, 7, "le bloc 1"),
        (CHARGE, 17, 17, "en-tête de tableau"),
        (CHARGE, 35, 35, "le bloc 3"),
        (CHARGE, 48, 48, "la compétence C3.2.7 n'a aucun critère"),
        # every other method ends with the capitalisation note
        (DEVELOPPEMENT, 39, 39, "la note qui termine chaque modalité"),
        (DEVELOPPEMENT, 62, 62, "la note qui termine chaque modalité"),
        (DEVELOPPEMENT, 36, 36, "s'arrête à son intitulé"),
    ],
)
def test_table_cut_after_a_line_is_refused(name: str, keep: int, line: int, reason: str) -> None:
    with pytest.raises(ImportFailure) as failure:
        parse_text(cut_after_line(name, keep), filename=name)
    assert failure.value.line == line
    assert reason in failure.value.message
    assert failure.value.filename == name


@pytest.mark.parametrize(
    ("name", "line", "keep", "reason"),
    [
        (ATTACHE, 26, 0.5, "ligne incomplète"),
        (ATTACHE, 43, 0.03, "n'est ni une ligne du tableau"),
        (CHARGE, 50, 0.5, "phrase inachevée"),
        (CHARGE, 40, 0.02, "n'est ni une ligne du tableau"),
        (DEVELOPPEMENT, 65, 0.3, "ligne incomplète"),
    ],
)
def test_table_cut_inside_a_line_is_refused(name: str, line: int, keep: float, reason: str) -> None:
    with pytest.raises(ImportFailure) as failure:
        parse_text(cut_inside_line(name, line, keep))
    assert failure.value.line == line
    assert reason in failure.value.message


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        (
            [
                "Bloc 1 Vendre\t\t\t",
                "Bloc 2 Fidéliser\t\t\t",
                "\tC1 - Vendre\tÉtude de cas\tCritère.",
            ],
            5,
            "le bloc 1",
        ),
        (["\tC1 - Vendre\tÉtude de cas\tLe prix est juste."], 5, "ne commence pas par un bloc"),
        (["Bloc 1 Vendre\t\t\t", "\tC1 - Vendre\tÉtude de cas\tA.\tB\tC"], 6, "6 colonnes"),
        (["Bloc 1 Vendre\t\t\t", "\t\tÉtude de cas\tLe prix est juste."], 6, "sans compétence"),
        (
            ["Bloc 1 Vendre\t\t\t", "\tC1 - Vendre\tÉtude de cas\tA.", "\tC1 - Revendre\t\tB."],
            7,
            "apparaît deux fois",
        ),
        (
            ["Bloc 1 Vendre\t\t\t", "\tVendre sans code\tÉtude de cas\tA."],
            6,
            "compétence sans code",
        ),
    ],
    ids=[
        "empty-block",
        "no-block",
        "too-many-columns",
        "criteria-first",
        "duplicate",
        "uncoded",
    ],
)
def test_unexpected_structure_is_refused(rows: list[str], line: int, reason: str) -> None:
    with pytest.raises(ImportFailure) as failure:
        parse_text(table(*rows, "Fin du référentiel, version du 1er mars."))
    assert failure.value.line == line
    assert reason in failure.value.message


# --- other tables of the same family ---------------------------------------------------------

FAMILY = """\
Référentiel de certification – Responsable de la relation client (RNCP36543)

Niveau 6 du cadre national des certifications.

RÉFÉRENTIEL D’ACTIVITÉS\tRÉFÉRENTIEL DE COMPÉTENCES\tRÉFÉRENTIEL D’ÉVALUATION
\t\tMODALITÉS D’ÉVALUATION\tCRITÈRES D’ÉVALUATION
Bloc de compétences n°1 : Piloter la relation client\t\t\t
1. Analyse de la satisfaction\t<p>C1 : Analyser la satisfaction des clients</p>\t\
<p>Épreuve 1 : étude de cas écrite, durée : 3h00 (C1, C2)</p>\t\
<p>Qualité de l'analyse :</p><ul><li>Les indicateurs sont pertinents</li>\
<li>Les écarts sont expliqués</li></ul>
2. Plan d'action\t<p>C2 : Proposer un plan d'action</p>\tVoir épreuve 1\t\
<ul><li>Le plan est réaliste</li></ul>
Page 2 / 4

RÉFÉRENTIEL D’ACTIVITÉS\tRÉFÉRENTIEL DE COMPÉTENCES\tRÉFÉRENTIEL D’ÉVALUATION
\t\tMODALITÉS D’ÉVALUATION\tCRITÈRES D’ÉVALUATION
Bloc de compétences n°2 : Manager l'équipe\t\t\t
Animation\tC3 - Animer une équipe\t<p>Épreuve 2 : soutenance orale de 30 minutes devant \
un jury composé de deux professionnels du secteur, à partir d'un rapport de 30 à 40 pages \
rédigé à l'issue d'un stage de 12 semaines en entreprise.</p>\t\
<p>Le candidat identifie les leviers de motivation.</p><p>Les réunions sont structurées.</p>
\tC4 - Recruter un collaborateur\tJeu de rôle : entretien de recrutement simulé (20 min) \
(C4, C9)\t• La grille d'entretien est complète • Les questions sont non discriminantes
\tC5 - Intégrer un collaborateur\tVoir épreuve 3\t<p>Le parcours d'intégration est planifié.</p>

Modalités complémentaires

La certification est délivrée après validation des deux blocs.
"""


@functools.cache
def family() -> Referentiel:
    return parse_text(FAMILY, filename="responsable-relation-client.txt")


def test_family_table_identity() -> None:
    referentiel = family()
    assert (referentiel.code, referentiel.title, referentiel.level) == (
        "RNCP36543",
        "Responsable de la relation client",
        6,
    )
    assert [(b.code, b.title) for b in referentiel.blocks] == [
        ("BC01", "Piloter la relation client"),
        ("BC02", "Manager l'équipe"),
    ]
    # « 1. » and « 2. » are activities here, blocks being « Bloc de compétences n°N »
    assert referentiel.blocks[0].description == "1. Analyse de la satisfaction\n2. Plan d'action"


def test_family_table_criteria_from_li_items_and_bullets() -> None:
    referentiel = family()
    assert [(c.group, c.text) for c in competency(referentiel, "C1").criteria] == [
        ("Qualité de l'analyse", "Les indicateurs sont pertinents"),
        ("Qualité de l'analyse", "Les écarts sont expliqués"),
    ]
    assert [c.text for c in competency(referentiel, "C4").criteria] == [
        "La grille d'entretien est complète",
        "Les questions sont non discriminantes",
    ]


def test_family_table_exams() -> None:
    referentiel = family()
    first, second = referentiel.exam_for("BC01"), referentiel.exam_for("BC02")
    assert first is not None
    assert second is not None
    assert [(m.title, m.kind, m.duration_minutes, m.competencies) for m in first.methods] == [
        ("Épreuve 1 : étude de cas écrite", WCS, 180, ["C1", "C2"]),
    ]
    assert [(m.kind, m.duration_minutes, m.competencies) for m in second.methods] == [
        (DEF, 30, ["C3"]),
        (ROLE, 20, ["C4"]),
    ]
    assert second.total_minutes == 50
    assert second.company_period == CompanyPeriod(12, PeriodUnit.WEEKS)
    assert second.productions == [
        Production("Rapport", ProductionKind.DOCUMENT, min_units=30, max_units=40)
    ]
    assert second.jury is not None
    assert (second.jury.members, second.jury.profiles) == (2, ["professionnels du secteur"])


def test_family_table_warnings() -> None:
    found = [(w.code, w.line, w.message) for w in family().warnings]
    assert found == [
        (WarningCode.OTHER, 10, "ligne hors tableau ignorée : « Page 2 / 4 »"),
        (
            WarningCode.UNKNOWN_REFERENCE,
            16,
            "la modalité cite la compétence C9, absente du tableau",
        ),
        (
            WarningCode.UNKNOWN_REFERENCE,
            17,
            "« Voir épreuve 3 » : aucune modalité de ce nom plus haut dans le bloc",
        ),
    ]


def test_family_table_postamble() -> None:
    exam = family().exam_for("certification")
    assert exam is not None
    assert exam.requirements == ["La certification est délivrée après validation des deux blocs."]


def test_competency_of_another_block_number_is_warned_about() -> None:
    referentiel = parse_text(
        table(
            "Bloc 1 Vendre\t\t\t",
            "\tC1.1 Vendre\tÉtude de cas écrite (2 h)\tLe prix est juste.",
            "\tC2.1 Fidéliser\t\tLe client revient.",
            "",
            "Fin du référentiel, version du 1er mars.",
        )
    )
    assert [c.code for c in referentiel.blocks[0].competencies] == ["C1.1", "C2.1"]
    assert [(w.line, w.message) for w in referentiel.warnings] == [
        (7, "la compétence C2.1 est rangée dans le bloc 1 : en-tête de bloc 2 manquant ?")
    ]


def test_numbered_blocks_when_the_document_has_no_block_word() -> None:
    referentiel = parse_text(
        table(
            "1. Vendre\tC1 - Prospecter des clients\tÉtude de cas écrite - durée 2 h\t"
            "<p>Les cibles sont pertinentes.</p>",
            "2. Conseiller\tC2 - Conseiller un client\tJeu de rôle (30 minutes)\t"
            "<p>Les besoins sont reformulés.</p>",
            "",
            "Document mis à jour le 3 mars 2025.",
        )
    )
    assert [(b.code, b.title, [c.code for c in b.competencies]) for b in referentiel.blocks] == [
        ("BC01", "Vendre", ["C1"]),
        ("BC02", "Conseiller", ["C2"]),
    ]
    assert [e.methods[0].kind for e in referentiel.exams if e.methods] == [WCS, ROLE]
    assert referentiel.code == "CONSEILLER-CLIENTELE"


def test_several_competencies_in_one_cell_are_split() -> None:
    referentiel = parse_text(
        table(
            "Bloc 1 Gérer la paie\t<p>C1 - Établir les bulletins</p> <p>C2 - Contrôler les "
            "déclarations</p>\tÉtude de cas écrite sur table – 1h30\t<p>Les bulletins sont "
            "justes.</p>",
            "",
            "Fin du document.",
        )
    )
    assert [(c.code, c.title, len(c.criteria)) for c in referentiel.competencies()] == [
        ("C1", "Établir les bulletins", 0),
        ("C2", "Contrôler les déclarations", 1),
    ]
    exam = referentiel.exam_for("BC01")
    assert exam is not None
    assert [(m.title, m.duration_minutes, m.competencies) for m in exam.methods] == [
        ("Étude de cas écrite sur table", 90, ["C1", "C2"]),
    ]
    assert [w.code for w in referentiel.warnings] == [
        WarningCode.CRITERIA_MISMATCH,
        WarningCode.CRITERIA_MISMATCH,
    ]


# --- reading the method column --------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "kind"),
    [
        ("Mise en situation professionnelle", "étude de cas écrit sur PC - durée 5 h", WCS),
        ("Mise en situation professionnelle", "jeu de rôle à l'oral -durée : 20 min", ROLE),
        ("Mise en situation professionnelle", "le candidat doit élaborer un plan", PS),
        ("Mise en situation professionnelle orale individuelle", "", ROLE),
        ("Mise en situation professionnelle individuelle écrite", "", WCS),
        ("Simulation orale d'un entretien de vente", "", ROLE),
        ("Entretien de vente (jeu de rôle)", "", ROLE),
        ("Soutenance orale du dossier", "", DEF),
        ("Le candidat soutient oralement son écrit devant un jury", "", DEF),
        ("Présentation orale du projet", "", DEF),
        ("Production écrite individuelle", "", WP),
        ("Rapport d'activité", "", WP),
        ("Projet professionnel", "il présente dans un rapport de veille", WP),
        ("Entretien technique", "", MethodKind.TECHNICAL_INTERVIEW),
        ("Entretien final avec le jury", "", MethodKind.FINAL_INTERVIEW),
        ("Questionnaire professionnel", "", MethodKind.PROFESSIONAL_QUESTIONNAIRE),
        # a professional or consulting project is handed in as a written production
        ("Projet professionnel", "le candidat mène un entretien de vente", WP),
        ("Projet de consulting", "", WP),
        # « entretien » in a description is the subject; « par rapport aux » is no report
        ("Cas", "le candidat mène un entretien de vente", OTHER),
        ("Projet", "les écarts par rapports aux objectifs", OTHER),
    ],
)
def test_method_kind_from_its_wording(title: str, body: str, kind: MethodKind) -> None:
    assert methods.classify(title, body) is kind


@pytest.mark.parametrize(
    ("text", "minutes", "total", "summed"),
    [
        ("étude de cas écrit sur PC - durée 5 h A partir", 300, None, False),
        ("durée 3h30 : A partir de données", 210, None, False),
        ("jeu de rôle à l'oral -durée : 20 min - valide", 20, None, False),
        ("Durée : 01h30", 90, None, False),
        ("épreuve de 4h", 240, None, False),
        ("un entretien de 20 minutes", 20, None, False),
        ("1 heure 30 de préparation", 90, None, False),
        ("préparation 30 min puis entretien 20 min", 50, None, True),
        ("durée totale : 2 h", 120, 120, False),
        ("d'une durée minimale de 65 jours ouvrés", None, None, False),
        ("(C2.2.4)", None, None, False),
    ],
)
def test_method_duration_from_its_text(
    text: str, minutes: int | None, total: int | None, summed: bool
) -> None:
    assert methods.durations(text) == methods.Durations(minutes, total, summed)


@pytest.mark.parametrize(
    ("text", "period", "calendar_days"),
    [
        (
            "période d'application pratique en entreprise d'au moins 3 mois",
            CompanyPeriod(3, PeriodUnit.MONTHS),
            False,
        ),
        ("3 mois en entreprise", CompanyPeriod(3, PeriodUnit.MONTHS), False),
        (
            "mise en situation réelle en entreprise d'une durée minimale de 65 jours ouvrés",
            CompanyPeriod(65, PeriodUnit.WORKING_DAYS),
            False,
        ),
        ("un stage de 8 semaines", CompanyPeriod(8, PeriodUnit.WEEKS), False),
        ("420 heures de stage en entreprise", CompanyPeriod(420, PeriodUnit.HOURS), False),
        ("stage de 20 jours", CompanyPeriod(20, PeriodUnit.WORKING_DAYS), True),
    ],
)
def test_company_period_from_its_text(
    text: str, period: CompanyPeriod, calendar_days: bool
) -> None:
    assert methods.company_period(text) == methods.Period(period, calendar_days)


def test_no_company_period_in_a_case_study() -> None:
    assert methods.company_period("étude de cas sur une entreprise fictive, durée 4 h") is None


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("- la synthèse des stratégies des concurrents (C1.1.2) ;", ["1.1.2"]),
        ("durée 4 h - valide les compétences 8-9-11-12-13", ["8", "9", "11", "12", "13"]),
        ("évalue les compétences C3 à C5", ["3", "4", "5"]),
        ("(C1, C2 et C4)", ["1", "2", "4"]),
        ("Commune aux blocs de compétences 1 et 2", []),
        ("le français et l'anglais sont maîtrisés (entre B2 et C1)", []),
    ],
)
def test_competencies_a_method_names(text: str, numbers: list[str]) -> None:
    assert methods.referenced_numbers(text) == numbers


@pytest.mark.parametrize(
    ("text", "members", "profiles"),
    [
        (
            "devant un jury composé d'un.e représentant.e du certificateur et d'un.e "
            "représentant.e du métier visé.",
            2,
            ["représentant.e du certificateur", "représentant.e du métier visé"],
        ),
        (
            "devant un jury de trois membres : un représentant du certificateur, un formateur "
            "et un professionnel.",
            3,
            ["représentant du certificateur", "formateur", "professionnel"],
        ),
        (
            "devant un jury composé de deux professionnels du secteur.",
            2,
            ["professionnels du secteur"],
        ),
    ],
)
def test_jury_from_its_text(text: str, members: int, profiles: list[str]) -> None:
    found = methods.jury(text)
    assert found is not None
    assert (found.members, found.profiles) == (members, profiles)


def test_no_jury_without_its_composition() -> None:
    assert methods.jury("un dossier de valorisation et un entretien devant un jury.") is None


def test_sized_productions() -> None:
    found = methods.productions(
        "un diaporama de 10 à 15 diapositives et un dossier de 32 à 38 pages", from_method=False
    )
    assert found == [
        Production("Diaporama", ProductionKind.SLIDESHOW, min_units=10, max_units=15),
        Production("Dossier", ProductionKind.DOCUMENT, min_units=32, max_units=38),
    ]
