"""Ministry importer on REAC + RE variants that the two seeds do not show.

The variants are either built here, in the layout of the real documents (a PDF converted
to tab-separated text: the layout of ``cc-tp-00115-reac-re.txt``), from a small spec —
titles with three or four CCP, a CCS, questionnaires, no company period… — or obtained by
transforming the seed texts (noise, reordered grids, misspelt names).
Pure tests: no Django, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from attesta.referentiels.importers import checks, ministry, reader
from attesta.referentiels.importers.canonical import (
    MethodKind,
    PeriodUnit,
    ProductionKind,
    Referentiel,
    WarningCode,
)
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.ministry_text import parse_duration
from attesta.referentiels.importers.source import Source
from tests.referentiels.importers.seeds import CC, NTC, SEEDS

DATA = Path(__file__).resolve().parent / "data" / "ministry"

PS = MethodKind.PROFESSIONAL_SITUATION
TI = MethodKind.TECHNICAL_INTERVIEW
PQ = MethodKind.PROFESSIONAL_QUESTIONNAIRE
QP = MethodKind.QUESTIONING_FROM_PRODUCTIONS
FI = MethodKind.FINAL_INTERVIEW
APPROX = WarningCode.APPROXIMATE_NAME
UNKNOWN = WarningCode.UNKNOWN_REFERENCE
MISMATCH = WarningCode.CRITERIA_MISMATCH

# --- a document built from a spec ----------------------------------------------------

SITUATION = "Mise en situation professionnelle"
INTERVIEW = "Entretien technique"
QUESTIONNAIRE = "Questionnaire professionnel"
QUESTIONING = "Questionnement à partir de production(s)"
FINAL = "Entretien final"
OTHER_METHODS = (INTERVIEW, QUESTIONNAIRE, QUESTIONING)

_CRITERIA = (
    "La préparation de {obj} est conforme aux consignes",
    "Les règles de santé et de sécurité au travail sont respectées lors de {act}",
    "Les anomalies constatées sur {obj} sont identifiées",
    "Le compte rendu de {act} est clair et complet",
    "Les outils et les documents adaptés à {obj} sont choisis",
    "Le client est informé de l'avancement de {act}",
    "La traçabilité de {act} est assurée dans le système d'information",
)


@dataclass
class Comp:
    title: str
    obj: str  # « l'installation », for the criteria
    act: str  # « l'intervention »
    criteria: int = 4


@dataclass
class Activity:
    title: str
    comps: list[Comp]
    extension: bool = False  # activité type d'extension (CCS)


@dataclass
class Row:
    """One row of a « Modalités d'évaluation » table."""

    method: str
    comps: list[int] | None  # competency numbers; None → « Sans objet »
    duration: str = ""
    detail: str = "Sans objet"


@dataclass
class ExamSpec:
    rows: list[Row]
    total: str
    jury: str
    period: str | None = None  # paragraph under « La période en entreprise », None: absent
    productions: str | None = None  # paragraph under « Informations … production(s) »
    matrix: bool = False  # §3.2 grid (title exam only)
    matrix_order: list[int] | None = None  # competency numbers in grid order
    jury_name: str | None = None  # CCP name in « … du jury propre au CCP … »


@dataclass
class Spec:
    acronym: str
    code: str
    title: str
    activities: list[Activity]
    title_exam: ExamSpec
    exams: list[ExamSpec]  # one per activity, in the REAC order
    transversals: tuple[str, ...] = ("Communiquer", "Organiser ses actions")
    re_names: dict[int, str] = field(default_factory=dict)  # RE spelling of competencies
    ccs_part: str = "REFERENTIEL D'ÉVALUATION DES CERTIFICATS COMPLÉMENTAIRES DE SPÉCIALISATION"
    extension_marker: str = "fiche"  # "fiche", "synoptic" or "none"

    def numbered(self) -> list[tuple[int, Comp, Activity]]:
        result = []
        for activity in self.activities:
            for comp in activity.comps:
                result.append((len(result) + 1, comp, activity))
        return result


def criteria(comp: Comp) -> list[str]:
    return [t.format(obj=comp.obj, act=comp.act) for t in _CRITERIA[: comp.criteria]]


class Writer:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.lines: list[str] = []
        self.page = 0

    def add(self, *lines: str) -> None:
        for line in lines:
            self.lines.extend([line, ""])

    def footer(self, kind: str = "REAC") -> None:
        self.page += 1
        date = "Date de Validation" if kind == "REAC" else "Date dernier JO"
        s = self.spec
        self.lines.extend(
            [
                f"SIGLE\tType de document\tCode titre\tMillésime\t{date}"
                "\tDate de mise à jour\tPage",
                f"{s.acronym}\t{kind}\t{s.code}\t02\t14/03/2024\t15/03/2024\t{self.page}/60",
                "",
            ]
        )


def build(spec: Spec) -> str:
    w = Writer(spec)
    w.lines.append("")
    w.add("REFERENTIEL EMPLOI ACTIVITES COMPETENCES DU TITRE PROFESSIONNEL", spec.title)
    w.add("Niveau 4", "Site : <http://travail-emploi.gouv.fr>")
    w.footer()
    w.add("Liste des activités", f"Ancien TP : {spec.title}", "Activités :")
    w.lines.extend([f"- {a.title}" for a in spec.activities if not a.extension] + [""])
    w.add(f"Nouveau TP : {spec.title}", "Activités :")
    w.lines.extend([f"- {a.title}" for a in spec.activities] + [""])
    w.footer()
    _synoptic(w)
    w.footer()
    w.add("FICHE EMPLOI TYPE", spec.title)
    w.add("Définition de l'emploi type et des conditions d'exercice")
    w.add(f"Le {spec.title.lower()} intervient chez des clients professionnels et particuliers.")
    w.add("Compétences transversales de l'emploi", *spec.transversals)
    w.add("Niveau et/ou domaine d'activité", "Niveau 4 (Cadre national des certifications 2019)")
    w.lines.extend(["Code(s) NSF :", "255r--Electricité, électronique", ""])
    w.add("Fiche(s) Rome de rattachement", "I1401 Maintenance informatique et bureautique")
    w.footer()
    numbered = spec.numbered()
    for position, activity in enumerate(spec.activities, start=1):
        extension = activity.extension and spec.extension_marker == "fiche"
        w.add(f"FICHE ACTIVITÉ TYPE{' D’EXTENSION' if extension else ''} N° {position}")
        w.add(activity.title, "Définition, description de l'activité type et conditions d'exercice")
        w.add(f"Le technicien {activity.title[0].lower()}{activity.title[1:]}.")
        w.add("Réglementation d'activités (le cas échéant)", "Sans objet.")
        w.add("Liste des compétences professionnelles de l'activité type")
        w.lines.extend([c.title for c in activity.comps] + [""])
        w.add("Compétences transversales de l'activité type", *spec.transversals)
        w.footer()
    for number, comp, _activity in numbered:
        w.add(f"FICHE COMPÉTENCE PROFESSIONNELLE N° {number}", comp.title)
        w.add("Description de la compétence – processus de mise en œuvre")
        w.add(f"À partir des consignes, réaliser {comp.act} sur {comp.obj}.")
        w.add("Contexte(s) professionnel(s) de mise en œuvre", "Cette compétence s'exerce seul.")
        w.add("Critères de performance", *criteria(comp))
        w.add(
            "Savoir-faire techniques, savoir-faire organisationnels, savoir-faire relationnels,"
            " savoirs"
        )
        w.lines.extend([f"Préparer {comp.act}", f"Connaissance de {comp.obj}", ""])
        w.footer()
    w.add("FICHE DES COMPÉTENCES TRANSVERSALES DE L'EMPLOI")
    for title in spec.transversals:
        w.add(title, "Description de la compétence – processus de mise en œuvre")
        w.add(f"{title} dans toutes les situations.", "Critères de performance")
        w.add(f"{title} : la démarche est adaptée")
    w.footer()
    w.add("Glossaire du REAC", "Activité type", "Une activité type est un bloc de compétences.")
    w.add("Reproduction interdite", "Article L 122-4 du code de la propriété intellectuelle")
    w.lines.extend(["", ""])
    w.page = 0
    w.add("REFERENTIEL D'ÉVALUATION DU TITRE PROFESSIONNEL", spec.title, "Niveau 4")
    w.footer("RE")
    w.add("1. Références de la spécialité")
    w.add(f"Intitulé du titre professionnel : {spec.title}")
    w.add(f"Sigle du titre professionnel : {spec.acronym}")
    w.add("Niveau : 4 (Cadre national des certifications 2019)")
    w.add("Code(s) NSF : 255r - Electricité, électronique")
    w.add("Code(s) ROME : I1401", "Formacode : 24354, 31854")
    w.add("Date de l'arrêté : 01/03/2024", "Date de parution au JO de l'arrêté : 14/03/2024")
    w.add("Date d'effet de l'arrêté : 02/04/2024")
    w.add("2. Modalités d'évaluation générales des titres professionnels")
    w.add("Les modalités d'évaluation des titres professionnels sont définies par l'arrêté.")
    w.add(
        f"3 Dispositif d'évaluation spécifique pour la session du titre professionnel"
        f" {spec.acronym}"
    )
    w.footer("RE")
    _exam(w, spec.title_exam, "3.1. ", title=True)
    w.add(f"4. Conditions de présence et d'intervention du jury propre au titre {spec.acronym}")
    w.add(
        f"4.1. Durée totale de présence du jury pendant l'épreuve du candidat :"
        f" {spec.title_exam.jury}"
    )
    w.add("4.2. Protocole d'intervention du jury :", "Le jury s'appuie sur une grille.")
    w.add("4.3. Conditions particulières de composition du jury :", "Sans objet.")
    w.add("5. Conditions de surveillance et de confidentialité au cours de la session titre")
    w.add("Sans objet.")
    w.footer("RE")
    w.add("REFERENTIEL D'ÉVALUATION DES CERTIFICATS DE COMPETENCES PROFESSIONNELLES", spec.title)
    w.footer("RE")
    for activity, exam in zip(spec.activities, spec.exams, strict=True):
        if not activity.extension:
            _section(w, "CCP", activity, exam)
    extensions = [(a, e) for a, e in zip(spec.activities, spec.exams, strict=True) if a.extension]
    if extensions:
        w.add(spec.ccs_part, spec.title)
        w.footer("RE")
        for activity, exam in extensions:
            _section(w, "CCS", activity, exam)
    w.add("Annexe 1", "Plateau technique d'évaluation", "Locaux")
    w.lines.append("Modalité d'évaluation\tDésignation et description des locaux\tObservations")
    w.lines.extend([f"{SITUATION}\t1 atelier équipé\tSans objet", ""])
    w.footer("RE")
    w.add("ANNEXE 2", "CORRESPONDANCES DU TP")
    w.lines.append(f"{spec.title} Arrêté du 12/12/2018\t\t{spec.title} Arrêté du 01/03/2024\t")
    for activity in spec.activities:
        if not activity.extension:
            w.lines.append(f"CCP\t{activity.title}\tCCP\t{activity.title}")
    w.lines.append("")
    w.footer("RE")
    w.add("Reproduction interdite", "Article L 122-4 du code de la propriété intellectuelle")
    return "\n".join(w.lines)


def _synoptic(w: Writer) -> None:
    spec = w.spec
    w.add("Vue synoptique de l'emploi-type")
    w.lines.append("N° Fiche AT\tActivités types\tN° Fiche CP\tCompétences professionnelles")
    numbered = spec.numbered()
    for position, activity in enumerate(spec.activities, start=1):
        if activity.extension and spec.extension_marker == "synoptic":
            w.lines.append("\tActivité type d'extension\t\t")
        for index, (number, comp, _a) in enumerate([n for n in numbered if n[2] is activity]):
            head = f"{position}\t{activity.title}" if index == 0 else "\t"
            w.lines.append(f"{head}\t{number}\t{comp.title}")
    w.lines.append("")


def _titles(spec: Spec, numbers: list[int], sep: str) -> str:
    comps = {n: c for n, c, _a in spec.numbered()}
    names = [spec.re_names.get(n, comps[n].title) for n in numbers]
    return sep.join(f"<p>{t}</p>" for t in names) if sep == "<p>" else sep.join(names)


def _exam(w: Writer, exam: ExamSpec, number: str, *, title: bool) -> None:
    spec = w.spec
    w.add(f"{number}Modalités d'évaluation des compétences et organisation de l'épreuve")
    w.lines.append("Modalités\tCompétences évaluées\tDurée\tDétail de l'organisation de l'épreuve")
    others = False
    for row in exam.rows:
        if row.method in OTHER_METHODS and not others:
            w.lines.append("Autres modalités d'évaluation le cas échéant :\t\t\t")
            others = True
        label = f"▪ {row.method}" if row.method in OTHER_METHODS else row.method
        comps = (
            "Sans objet" if row.comps is None else _titles(spec, row.comps, "<p>" if title else " ")
        )
        w.lines.append(f"{label}\t{comps}\t{row.duration}\t{row.detail}")
    w.lines.append(f"\tDurée totale de l'épreuve pour le candidat :\t{exam.total}\t")
    w.lines.append("")
    for row in exam.rows:
        if row.method == FINAL:
            continue
        name = row.method[0].lower() + row.method[1:]
        article = "l'" if name[0] in "aeiouéè" else "la " if name.startswith("mise") else "le "
        w.add(f"Informations complémentaires concernant {article}{name} :")
        if row.method == QUESTIONING and exam.productions:
            w.add(exam.productions)
        else:
            w.add("Sans objet.")
    if exam.period is not None:
        w.add("La période en entreprise", exam.period)
    w.footer("RE")
    if exam.matrix:
        _matrix(w, exam)
        _transversal_table(w)


def _matrix(w: Writer, exam: ExamSpec) -> None:
    spec = w.spec
    w.add("3.2. Critères d'évaluation des compétences professionnelles")
    w.lines.append(
        "Compétences professionnelles\tCritères d'évaluation\t"
        f"{SITUATION}\tAutres modalités d'évaluation\t\t"
    )
    w.lines.append(f"\t\t\t{INTERVIEW}\t{QUESTIONNAIRE}\t{QUESTIONING}")
    checked: dict[int, set[str]] = {}
    for row in exam.rows:
        for number in row.comps or []:
            checked.setdefault(number, set()).add(row.method)
    comps = {n: (c, a) for n, c, a in spec.numbered() if not a.extension}
    order = exam.matrix_order or list(comps)
    current = None
    for number in order:
        comp, activity = comps[number]
        if exam.matrix_order is None and activity is not current:
            w.lines.append(f"{activity.title}\t\t\t\t\t")
            current = activity
        cells = [
            '<input checked="" type="checkbox"/>'
            if method in checked.get(number, set())
            else '<input type="checkbox"/>'
            for method in (SITUATION, *OTHER_METHODS)
        ]
        crits = " ".join(f"<p>{c}</p>" for c in criteria(comp))
        name = spec.re_names.get(number, comp.title)
        w.lines.append(f"{name}\t{crits}\t" + "\t".join(cells))
    w.lines.append("Obligations réglementaires le cas échéant :\t\t\t\t\t")
    w.lines.extend(["Néant\t\t\t\t\t", ""])
    w.footer("RE")


def _transversal_table(w: Writer) -> None:
    spec = w.spec
    w.add("3.3. Évaluation des compétences transversales")
    w.lines.append("Compétences transversales\tCompétences professionnelles concernées")
    first = [c.title for _n, c, a in spec.numbered() if not a.extension][:2]
    for title in spec.transversals:
        w.lines.append(f"{title}\t{first[0]}")
        w.lines.append(f"\t{first[1]}")
    w.lines.append("")


def _section(w: Writer, kind: str, activity: Activity, exam: ExamSpec) -> None:
    w.add(kind, activity.title)
    w.add(f"Les compétences des candidats pour l'accès au {kind} sont évaluées par un jury.")
    _exam(w, exam, "", title=False)
    name = activity.title if exam.jury_name is None else exam.jury_name
    w.add(f"Conditions de présence et d'intervention du jury propre au {kind} {name}")
    w.add(f"Durée totale de présence du jury pendant l'épreuve du candidat : {exam.jury}")
    w.add("Protocole d'intervention du jury :", "Le jury s'appuie sur une grille.")
    w.lines.extend(["Conditions particulières de composition du jury :", "Sans objet.", ""])
    w.add(f"Conditions de surveillance et de confidentialité au cours de la session {kind}")
    w.add("Sans objet.")
    w.footer("RE")


# --- the variant titles --------------------------------------------------------------


def _maintenance(extension: bool = False, **options: object) -> Spec:
    """3 CCP, 12 competencies (4 + 5 + 3); with ``extension``, a CCS of 2 more."""
    activities = [
        Activity(
            "Installer et mettre en service des équipements numériques chez le client",
            [
                Comp(
                    "Préparer l'intervention d'installation", "l'installation", "l'intervention", 5
                ),
                Comp(
                    "Installer et raccorder des équipements numériques",
                    "les équipements",
                    "le raccordement",
                    6,
                ),
                Comp(
                    "Paramétrer et mettre en service les équipements",
                    "les paramètres",
                    "la mise en service",
                    4,
                ),
                Comp(
                    "Former l'utilisateur à la prise en main des équipements",
                    "la prise en main",
                    "la formation de l'utilisateur",
                    3,
                ),
            ],
        ),
        Activity(
            "Assurer la maintenance préventive et corrective des équipements",
            [
                Comp(
                    "Réaliser la maintenance préventive d'un parc d'équipements",
                    "le parc",
                    "la maintenance préventive",
                    4,
                ),
                Comp(
                    "Diagnostiquer une panne matérielle ou logicielle",
                    "la panne",
                    "le diagnostic",
                    7,
                ),
                Comp("Remplacer un composant défectueux", "le composant", "le remplacement", 3),
                Comp(
                    "Mettre à jour les logiciels et les micrologiciels",
                    "les logiciels",
                    "la mise à jour",
                    4,
                ),
                Comp(
                    "Contrôler le fonctionnement après intervention",
                    "le fonctionnement",
                    "le contrôle",
                    5,
                ),
            ],
        ),
        Activity(
            "Accompagner les utilisateurs et rendre compte de ses interventions",
            [
                Comp(
                    "Accueillir et conseiller l'utilisateur à distance",
                    "la demande",
                    "l'accueil à distance",
                    6,
                ),
                Comp("Rédiger le rapport d'intervention", "le rapport", "la rédaction", 3),
                Comp(
                    "Proposer des améliorations du service à l'utilisateur",
                    "le service",
                    "la proposition d'amélioration",
                    4,
                ),
            ],
        ),
    ]
    questionnaire = (
        "Le questionnaire professionnel est passé sous surveillance, en dehors de la présence"
        " du jury."
    )
    exams = [
        ExamSpec(
            [
                Row(SITUATION, [2, 3], "1 h", "Le candidat installe un poste client."),
                Row(INTERVIEW, [1, 4], "45 min", "Le jury questionne le candidat."),
                Row(QUESTIONNAIRE, None),
                Row(QUESTIONING, None),
            ],
            total="01 h 45 min",
            jury="01 h 15 min",
            period="Sans objet.",
        ),
        ExamSpec(
            [
                Row(SITUATION, [5, 6, 7, 9], "02 h 00 min", "Le candidat dépanne un équipement."),
                Row(INTERVIEW, [5, 6], "00 h 30 min", "Le jury questionne le candidat."),
                Row(QUESTIONNAIRE, [8], "00 h 30 min", questionnaire),
                Row(QUESTIONING, None),
            ],
            total="03 h 00 min",
            jury="02 h 30 min",
        ),
        ExamSpec(
            [
                Row(SITUATION, None),
                Row(INTERVIEW, [10, 11, 12], "1 h", "Le jury questionne le candidat."),
                Row(QUESTIONNAIRE, [12], "00 h 30 min", questionnaire),
                Row(QUESTIONING, None),
            ],
            total="01 h 30 min",
            jury="01 h 00 min",
        ),
    ]
    title_exam = ExamSpec(
        [
            Row(SITUATION, [2, 3, 6, 7, 9, 10], "02 h 00 min", "Le candidat dépanne un poste."),
            Row(INTERVIEW, [1, 4, 5, 11], "00 h 30 min", "Le jury questionne le candidat."),
            Row(QUESTIONNAIRE, [8, 12], "00 h 30 min", questionnaire),
            Row(QUESTIONING, None),
            Row(FINAL, [], "00 h 20 min", "Y compris le temps d'échange sur le dossier."),
        ],
        total="03 h 20 min",
        jury="01 h 30 min",
        matrix=True,
    )
    if extension:
        activities.append(
            Activity(
                "Installer et maintenir des systèmes de vidéoprotection",
                [
                    Comp(
                        "Installer un système de vidéoprotection",
                        "le système",
                        "l'installation du système",
                        4,
                    ),
                    Comp(
                        "Maintenir un système de vidéoprotection en état de fonctionnement",
                        "les caméras",
                        "la maintenance des caméras",
                        5,
                    ),
                ],
                extension=True,
            )
        )
        exams.append(
            ExamSpec(
                [
                    Row(SITUATION, [13, 14], "02 h 30 min", "Le candidat installe deux caméras."),
                    Row(INTERVIEW, [14], "00 h 30 min", "Le jury questionne le candidat."),
                ],
                total="03 h 00 min",
                jury="01 h 00 min",
            )
        )
    spec = Spec(
        "TMEN",
        "TP-09901",
        "Technicien de maintenance en équipements numériques",
        activities,
        title_exam,
        exams,
    )
    for name, value in options.items():
        setattr(spec, name, value)
    return spec


def _logistics() -> Spec:
    """4 CCP, 14 competencies (5 + 2 + 4 + 3), a company period and productions."""

    def comps(*titles: str, sizes: tuple[int, ...]) -> list[Comp]:
        return [
            Comp(t, f"l'objet « {t.split()[-1]} »", f"l'action « {t.split()[0].lower()} »", n)
            for t, n in zip(titles, sizes, strict=True)
        ]

    activities = [
        Activity(
            "Organiser et contrôler les flux entrants",
            comps(
                "Organiser la réception des marchandises",
                "Contrôler la conformité des livraisons",
                "Gérer les stocks et réaliser les inventaires",
                "Optimiser le stockage dans l'entrepôt",
                "Traiter les litiges avec les transporteurs",
                sizes=(4, 5, 6, 3, 4),
            ),
        ),
        Activity(
            "Organiser les flux sortants",
            comps("Préparer les commandes des clients", "Organiser les expéditions", sizes=(5, 7)),
        ),
        Activity(
            "Encadrer une équipe d'opérateurs logistiques",
            comps(
                "Planifier l'activité de l'équipe logistique",
                "Animer une équipe d'opérateurs",
                "Veiller à la sécurité des personnes et des biens",
                "Suivre les indicateurs de performance logistique",
                sizes=(4, 4, 5, 3),
            ),
        ),
        Activity(
            "Piloter les relations avec les prestataires de transport",
            comps(
                "Sélectionner les prestataires de transport",
                "Négocier les conditions de transport",
                "Évaluer la qualité de service des prestataires",
                sizes=(3, 6, 4),
            ),
        ),
    ]
    period = (
        "Le candidat qui se présente à une session d'examen du titre ou du certificat de"
        " compétences professionnelles après un parcours de formation réalise le dossier à"
        " partir d'une période en entreprise d'une durée minimale de 210 heures pour le titre"
        " professionnel et de 70 heures pour un certificat de compétences professionnelles."
    )
    productions = (
        "En amont de l'examen, le candidat conçoit :\n- un dossier de projet ;\n"
        "- un diaporama.\nLe dossier comporte 15 à 20 pages hors annexes.\n"
        "Le diaporama comporte 8 à 12 diapositives."
    )
    title_exam = ExamSpec(
        [
            Row(SITUATION, [1, 2, 3, 6, 7, 8, 9, 10], "04 h 30 min", "Le candidat traite un cas."),
            Row(INTERVIEW, [4, 5, 11, 12], "1 h", "Le jury questionne le candidat."),
            Row(QUESTIONNAIRE, None),
            Row(QUESTIONING, [13, 14], "45 min", "Le jury questionne le candidat sur son dossier."),
            Row(FINAL, [], "00 h 15 min", "Y compris le temps d'échange sur le dossier."),
        ],
        total="06 h 30 min",
        jury="02 h 45 min",
        period=period,
        productions=productions,
        matrix=True,
    )

    def ccp(numbers: list[int], interview: list[int], questioning: list[int] | None) -> ExamSpec:
        rows = [
            Row(SITUATION, numbers, "02 h 00 min", "Le candidat traite un cas."),
            Row(INTERVIEW, interview, "00 h 30 min", "Le jury questionne le candidat."),
            Row(QUESTIONNAIRE, None),
            Row(
                QUESTIONING,
                questioning,
                "00 h 30 min" if questioning else "",
                "Le jury questionne le candidat." if questioning else "Sans objet",
            ),
        ]
        total = "03 h 00 min" if questioning else "02 h 30 min"
        return ExamSpec(
            rows,
            total=total,
            jury="01 h 30 min",
            period=period,
            productions=productions if questioning else None,
        )

    exams = [
        ccp([1, 2, 3], [4, 5], None),
        ccp([6, 7], [7], None),
        ccp([8, 9, 10], [11], None),
        ccp([], [12], [13, 14]),
    ]
    exams[3].rows[0] = Row(SITUATION, None)
    exams[3].total = "01 h 00 min"
    return Spec(
        "GOL", "TP-09902", "Gestionnaire des opérations logistiques", activities, title_exam, exams
    )


def parse_spec(spec: Spec) -> Referentiel:
    return ministry.parse(Source("variante.txt", build(spec)))


def shape(ref: Referentiel) -> list[tuple[str, list[str], list[int]]]:
    return [
        (b.code, [c.code for c in b.competencies], [len(c.criteria) for c in b.competencies])
        for b in ref.blocks
    ]


def methods(ref: Referentiel, scope: str) -> list[tuple[MethodKind, int | None, list[str]]]:
    exam = ref.exam_for(scope)
    assert exam is not None, scope
    return [(m.kind, m.duration_minutes, m.competencies) for m in exam.methods]


def cps(*numbers: int) -> list[str]:
    return [f"CP{n}" for n in numbers]


def warnings(ref: Referentiel) -> list[tuple[WarningCode, int | None]]:
    return [(w.code, w.line) for w in ref.warnings]


def line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based number of the first line containing ``needle`` after line ``start``."""
    lines = text.split("\n")
    return next(i + 1 for i in range(start, len(lines)) if needle in lines[i])


# --- 1. three and four CCP, fiches n° 10 and above ----------------------------------


def test_three_ccp_title_with_twelve_competencies():
    ref = parse_spec(_maintenance())
    assert shape(ref) == [
        ("CCP1", cps(1, 2, 3, 4), [5, 6, 4, 3]),
        ("CCP2", cps(5, 6, 7, 8, 9), [4, 7, 3, 4, 5]),
        ("CCP3", cps(10, 11, 12), [6, 3, 4]),
    ]
    assert [b.title for b in ref.blocks] == [
        "Installer et mettre en service des équipements numériques chez le client",
        "Assurer la maintenance préventive et corrective des équipements",
        "Accompagner les utilisateurs et rendre compte de ses interventions",
    ]
    twelve = ref.competencies()[-1]
    assert twelve.title == "Proposer des améliorations du service à l'utilisateur"
    assert [c.text for c in twelve.criteria][-1] == (
        "Le compte rendu de la proposition d'amélioration est clair et complet"
    )
    assert [e.scope for e in ref.exams] == ["certification", "CCP1", "CCP2", "CCP3"]
    assert ref.warnings == []
    assert checks.check(ref) == []
    assert ref.problems() == []


def test_three_ccp_title_exam_with_a_timed_professional_questionnaire():
    ref = parse_spec(_maintenance())
    assert methods(ref, "certification") == [
        (PS, 120, cps(2, 3, 6, 7, 9, 10)),
        (TI, 30, cps(1, 4, 5, 11)),
        (PQ, 30, cps(8, 12)),
        (FI, 20, []),
    ]
    title = ref.exam_for("certification")
    assert title is not None
    assert (title.total_minutes, title.jury_minutes) == (200, 90)
    questionnaire = title.methods[2]
    assert questionnaire.title == "Questionnaire professionnel"
    assert (questionnaire.requires_supervision, questionnaire.requires_jury) == (True, False)
    assert title.company_period is None
    assert title.productions == []


def test_three_ccp_exams_with_1_h_45_min_and_a_sans_objet_situation():
    ref = parse_spec(_maintenance())
    assert methods(ref, "CCP1") == [(PS, 60, cps(2, 3)), (TI, 45, cps(1, 4))]
    assert methods(ref, "CCP2") == [
        (PS, 120, cps(5, 6, 7, 9)),
        (TI, 30, cps(5, 6)),
        (PQ, 30, cps(8)),
    ]
    # « Mise en situation professionnelle | Sans objet » while other methods exist
    assert methods(ref, "CCP3") == [(TI, 60, cps(10, 11, 12)), (PQ, 30, cps(12))]
    figures = [(e.scope, e.total_minutes, e.jury_minutes) for e in ref.exams]
    assert figures == [
        ("certification", 200, 90),
        ("CCP1", 105, 75),
        ("CCP2", 180, 150),
        ("CCP3", 90, 60),
    ]
    # « La période en entreprise : Sans objet. » or no such paragraph: no company period
    assert [e.company_period for e in ref.exams] == [None] * 4
    assert [e.productions for e in ref.exams] == [[]] * 4
    assert not any("Sans objet" in r for e in ref.exams for r in e.requirements)


def test_four_ccp_title_with_fourteen_competencies():
    ref = parse_spec(_logistics())
    assert shape(ref) == [
        ("CCP1", cps(1, 2, 3, 4, 5), [4, 5, 6, 3, 4]),
        ("CCP2", cps(6, 7), [5, 7]),
        ("CCP3", cps(8, 9, 10, 11), [4, 4, 5, 3]),
        ("CCP4", cps(12, 13, 14), [3, 6, 4]),
    ]
    assert methods(ref, "certification") == [
        (PS, 270, cps(1, 2, 3, 6, 7, 8, 9, 10)),
        (TI, 60, cps(4, 5, 11, 12)),
        (QP, 45, cps(13, 14)),
        (FI, 15, []),
    ]
    assert methods(ref, "CCP1") == [(PS, 120, cps(1, 2, 3)), (TI, 30, cps(4, 5))]
    assert methods(ref, "CCP2") == [(PS, 120, cps(6, 7)), (TI, 30, cps(7))]
    assert methods(ref, "CCP3") == [(PS, 120, cps(8, 9, 10)), (TI, 30, cps(11))]
    assert methods(ref, "CCP4") == [(TI, 30, cps(12)), (QP, 30, cps(13, 14))]
    periods = [
        (e.scope, e.company_period.amount, e.company_period.unit)
        for e in ref.exams
        if e.company_period
    ]
    assert periods == [
        ("certification", 210, PeriodUnit.HOURS),
        ("CCP1", 70, PeriodUnit.HOURS),
        ("CCP2", 70, PeriodUnit.HOURS),
        ("CCP3", 70, PeriodUnit.HOURS),
        ("CCP4", 70, PeriodUnit.HOURS),
    ]
    title = ref.exam_for("certification")
    assert title is not None
    assert [(p.title, p.kind, p.min_units, p.max_units) for p in title.productions] == [
        ("Dossier de projet", ProductionKind.DOCUMENT, 15, 20),
        ("Diaporama", ProductionKind.SLIDESHOW, 8, 12),
    ]
    assert ref.warnings == []
    assert checks.check(ref) == []


# --- 3. a CCS (activité type d'extension) ---------------------------------------------


@pytest.mark.parametrize(
    ("marker", "part"),
    [
        # « FICHE ACTIVITÉ TYPE D'EXTENSION N° 4 »
        ("fiche", "REFERENTIEL D'ÉVALUATION DES CERTIFICATS COMPLÉMENTAIRES DE SPÉCIALISATION"),
        # an « Activité type d'extension » row in the synoptic table
        ("synoptic", "REFERENTIEL D'ÉVALUATION DU CERTIFICAT COMPLÉMENTAIRE DE SPÉCIALISATION"),
        # nothing in the REAC: the RE's « CCS » section names the activity type
        ("none", "REFERENTIEL D'ÉVALUATION DES CERTIFICATS COMPLÉMENTAIRES DE SPÉCIALISATION"),
    ],
)
def test_an_extension_activity_type_is_block_ccs1_with_its_exam(marker, part):
    ref = parse_spec(_maintenance(extension=True, extension_marker=marker, ccs_part=part))
    assert shape(ref) == [
        ("CCP1", cps(1, 2, 3, 4), [5, 6, 4, 3]),
        ("CCP2", cps(5, 6, 7, 8, 9), [4, 7, 3, 4, 5]),
        ("CCP3", cps(10, 11, 12), [6, 3, 4]),
        ("CCS1", cps(13, 14), [4, 5]),
    ]
    assert ref.blocks[3].title == "Installer et maintenir des systèmes de vidéoprotection"
    assert [b.extension for b in ref.blocks] == [False, False, False, True]
    assert [e.scope for e in ref.exams] == ["certification", "CCP1", "CCP2", "CCP3", "CCS1"]
    assert methods(ref, "CCS1") == [(PS, 150, cps(13, 14)), (TI, 30, cps(14))]
    ccs = ref.exam_for("CCS1")
    assert ccs is not None
    assert (ccs.total_minutes, ccs.jury_minutes, ccs.company_period) == (180, 60, None)
    # the title's exam is unchanged
    assert methods(ref, "certification")[0] == (PS, 120, cps(2, 3, 6, 7, 9, 10))
    assert ref.warnings == []
    assert checks.check(ref) == []
    assert ref.problems() == []


def test_an_extension_activity_type_without_its_re_section_is_imported_without_exam():
    full = build(_maintenance(extension=True))
    start = full.index("REFERENTIEL D'ÉVALUATION DES CERTIFICATS COMPLÉMENTAIRES")
    text = full[:start] + full[full.index("Annexe 1") :]
    ref = ministry.parse(Source("sans-ccs.txt", text))
    assert [b.code for b in ref.blocks] == ["CCP1", "CCP2", "CCP3", "CCS1"]
    assert [e.scope for e in ref.exams] == ["certification", "CCP1", "CCP2", "CCP3"]
    assert warnings(ref) == [(WarningCode.OTHER, line_of(text, "D’EXTENSION N° 4"))]
    assert "CCS1" in ref.warnings[0].message
    assert "sans épreuve" in ref.warnings[0].message


def test_a_ccs_naming_no_reac_activity_type_is_refused_with_its_line():
    text = build(_maintenance(extension=True)).replace(
        "CCS\n\nInstaller et maintenir des systèmes de vidéoprotection",
        "CCS\n\nPiloter une flotte de drones de surveillance",
    )
    with pytest.raises(ImportFailure) as failure:
        ministry.parse(Source("ccs.txt", text))
    assert failure.value.line == line_of(text, "Piloter une flotte de drones")
    assert "CCS (certificat complémentaire de spécialisation)" in failure.value.message
    assert "« Piloter une flotte de drones de surveillance »" in failure.value.message


# --- 4. text-level noise on the seeds ------------------------------------------------


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def parse_text(name: str, text: str) -> Referentiel:
    return ministry.parse(Source(name, text))


def summary(ref: Referentiel) -> object:
    data = ref.to_dict()
    data["warnings"] = [(w["code"], w["message"]) for w in data["warnings"]]
    return data


_SEED_SUMMARIES: dict[str, object] = {}


def seed_summary(name: str) -> object:
    if name not in _SEED_SUMMARIES:
        _SEED_SUMMARIES[name] = summary(parse_text(name, seed_text(name)))
    return _SEED_SUMMARIES[name]


def _prose(line: str) -> bool:
    return bool(line.strip()) and "\t" not in line and not line.lstrip().startswith(("-", "#"))


def _spaces(text: str) -> str:
    """Non-breaking spaces (U+00A0 before « : », U+202F inside « … »), doubled spaces."""
    text = text.replace(" :", "\u00a0:").replace("« ", "«\u202f").replace(" »", "\u202f»")
    text = re.sub(r"(\d\d) h (\d\d) min", "\\1\u00a0h\u00a0\\2\u00a0min", text)
    return "\n".join(
        line.replace(" est ", "  est ").replace(" de ", " de\u00a0") if _prose(line) else line
        for line in text.split("\n")
    )


def _tabs(text: str) -> str:
    """A stray tab inside every third sentence and heading (not inside tables)."""
    lines = text.split("\n")
    count = 0
    for index, line in enumerate(lines):
        if _prose(line) and " " in line.strip() and not line.startswith(("SIGLE", "Site")):
            count += 1
            if count % 3 == 0 or "Critères de performance" in line or "FICHE" in line:
                first, rest = line.split(" ", 1)
                lines[index] = f"{first}\t{rest}"
    return "\n".join(lines)


def _blank_lines(text: str) -> str:
    return re.sub(r"\n\n", "\n\n\n\n", text)


def _swap_footer_labels(text: str) -> str:
    """« Date dernier JO » ↔ « Date de Validation », « Sigle » in lower case, a blank line
    between the labels and the values."""
    text = text.replace("Date dernier JO", "@").replace("Date de Validation", "Date dernier JO")
    text = text.replace("@", "Date de Validation")
    return re.sub(r"(?m)^SIGLE(\t.*)\n", "Sigle\\1\n\n", text)


def _markdown(text: str) -> str:
    """Markdown headings added to the short lines a converter would take for headings."""
    return "\n".join(
        f"## {line}" if _prose(line) and len(line) < 90 and line[:1].isupper() else line
        for line in text.split("\n")
    )


@pytest.mark.parametrize("name", [CC, NTC])
@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t.replace("\n", "\r\n"),
        _spaces,
        _tabs,
        _blank_lines,
        _swap_footer_labels,
        _markdown,
        lambda t: _markdown(_tabs(_spaces(_blank_lines(t)))).replace("\n", "\r\n"),
    ],
    ids=["crlf", "nbsp", "tabs", "blank-lines", "footer-labels", "markdown", "all"],
)
def test_text_noise_reads_the_same(name, transform):
    text = transform(seed_text(name))
    assert text != seed_text(name)
    assert summary(parse_text(name, text)) == seed_summary(name)


@pytest.mark.parametrize("name", [CC, NTC])
def test_windows_bytes_with_a_bom_read_the_same_through_the_reader(name):
    data = b"\xef\xbb\xbf" + seed_text(name).replace("\n", "\r\n").encode("utf-8")
    ref = reader.parse(data, filename=name)
    seed = reader.parse(seed_text(name).encode("utf-8"), filename=name)
    assert summary(ref) == summary(seed)
    assert warnings(ref) == warnings(seed)


def _with_footer(text: str, before: int, *, header: bool = True) -> str:
    """A page footer inserted before line ``before`` (the lines after it keep their text)."""
    lines = text.split("\n")
    footer = [
        "",
        "SIGLE\tType de document\tCode titre\tMillésime\tDate de Validation\tDate de mise à jour"
        "\tPage",
        "CC\tRE\tTP-00115\t09\t09/07/2023\t10/07/2023\t4/34",
        "",
    ]
    if not header:
        footer = footer[1:]
    return "\n".join(lines[: before - 1] + footer + lines[before - 1 :])


def test_page_footers_falling_inside_tables_and_criteria_lists_are_ignored():
    text = seed_text(CC)
    for before in (1300, 1292, 1291, 1197, 1196, 325):  # bottom first: numbers stay right
        text = _with_footer(text, before)
    assert summary(parse_text(CC, text)) == seed_summary(CC)


def test_a_grid_row_split_by_a_page_break_without_repeated_header():
    lines = seed_text(CC).split("\n")
    row = lines[1290].split("\t")  # « Assurer une veille professionnelle et commerciale »
    paragraphs = row[1].split("</p> <p>")
    head = "</p> <p>".join(paragraphs[:2]) + "</p>"
    tail = "<p>" + "</p> <p>".join(paragraphs[2:])
    first = "\t".join([row[0], head, *row[2:]])
    continued = "\t".join(["", tail, *(['<input type="checkbox"/>'] * len(row[2:]))])
    footer = ["", "SIGLE\tType de document\tCode titre", "CC\tRE\tTP-00115", ""]
    lines[1290:1291] = [first, *footer, continued]
    ref = parse_text(CC, "\n".join(lines))
    assert summary(ref) == seed_summary(CC)


def _br_cells(text: str) -> str:
    return re.sub(
        r"<p>(.*?)</p>(?: (?=<p>))?",
        lambda m: m.group(1) + "<br>",
        text,
    )


def _li_cells(text: str) -> str:
    def cell(match: re.Match[str]) -> str:
        items = re.findall(r"<p>(.*?)</p>", match.group(0))
        return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"

    return re.sub(r"(?:<p>.*?</p> *)+", cell, text)


@pytest.mark.parametrize("name", [CC, NTC])
@pytest.mark.parametrize("transform", [_br_cells, _li_cells], ids=["br", "li"])
def test_grid_criteria_as_br_or_li_instead_of_paragraphs(name, transform):
    text = transform(seed_text(name))
    assert "<p>" not in text
    assert summary(parse_text(name, text)) == seed_summary(name)


# --- 5. names in the RE that differ from the REAC's ----------------------------------


def replace_line(text: str, number: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[number - 1], (number, old)
    lines[number - 1] = lines[number - 1].replace(old, new)
    return "\n".join(lines)


def without_warnings(ref: Referentiel) -> object:
    data = ref.to_dict()
    del data["warnings"]
    return data


def seed_without_warnings(name: str) -> object:
    return without_warnings(parse_text(name, seed_text(name)))


def test_typographic_differences_in_re_names_are_the_same_name():
    # œ → oe, accents dropped, ’ for ', upper case: identical once folded, no warning
    text = seed_text(CC)
    text = replace_line(text, 1299, "Mettre en œuvre la démarche", "Mettre en oeuvre la demarche")
    text = replace_line(text, 1309, "l'entretien de vente\t", "l’entretien de vente\t")
    text = replace_line(text, 1325, "Fidéliser en consolidant", "FIDELISER EN CONSOLIDANT")
    text = replace_line(text, 1393, "Mettre en œuvre", "Mettre en oeuvre")
    ref = parse_text(CC, text)
    assert without_warnings(ref) == seed_without_warnings(CC)
    assert warnings(ref) == [(MISMATCH, 1299), (MISMATCH, 1309), (APPROX, 1480)]


def test_misspelt_re_names_are_approximate_matches_with_their_lines():
    text = seed_text(CC)
    # §3.2 grid row, §3.3 transversal and competency, CCP title, run-together CCP cell
    text = replace_line(text, 1300, "commerciales et en", "comerciales et en")
    text = replace_line(text, 1333, "Organiser ses actions", "Organiser ces actions")
    text = replace_line(text, 1326, "la démarche de prospection", "la démarche de prospections")
    text = replace_line(text, 1382, "secteur de vente", "secteur de ventes")
    text = replace_line(
        text, 1400, "Analyser ses performances commerciales", "Analyser ses performance commerciale"
    )
    ref = parse_text(CC, text)
    assert without_warnings(ref) == seed_without_warnings(CC)
    assert warnings(ref) == [
        (MISMATCH, 1299),
        (APPROX, 1300),
        (MISMATCH, 1309),
        (APPROX, 1326),
        (APPROX, 1333),
        (APPROX, 1382),
        (APPROX, 1400),
        (APPROX, 1480),  # in the seed: « … du jury propre au CCP Prospector un secteur … »
    ]
    messages = {w.line: w.message for w in ref.warnings}
    assert "CP4" in messages[1300]
    assert "CP3" in messages[1326]
    assert "CT3" in messages[1333]
    assert "CCP1" in messages[1382]
    assert "Analyser ses performance commerciale" in messages[1400]


def test_re_names_matching_nothing_are_unknown_references_never_a_crash():
    text = seed_text(CC)
    text = replace_line(
        text,
        1300,
        "Analyser ses performances commerciales et en rendre compte",
        "Piloter la flotte de véhicules",
    )
    text = replace_line(text, 1528, "Assurer le suivi de ses ventes", "Gérer la paie du personnel")
    ref = parse_text(CC, text)
    assert warnings(ref) == [
        # the §3.1 table lists CP4 for the interview, the grid no longer does
        (WarningCode.OTHER, 1197),
        (MISMATCH, 1299),
        (UNKNOWN, 1300),
        (MISMATCH, 1309),
        (APPROX, 1480),
        (UNKNOWN, 1528),
    ]
    assert "seulement au tableau des modalités : CP4" in ref.warnings[0].message
    assert "Piloter la flotte de véhicules" in ref.warnings[2].message
    assert "Gérer la paie du personnel" in ref.warnings[5].message
    # what could not be resolved is left out, the rest is read as before
    assert [m.competencies for m in ref.exam_for("certification").methods][1] == cps(3, 5, 6, 7)
    assert [m.competencies for m in ref.exam_for("CCP2").methods][1] == cps(5, 6)


# --- 6. RE order differing from the REAC's -------------------------------------------


def test_grid_rows_in_another_order_than_the_reac():
    spec = _maintenance()
    reference = parse_spec(spec)
    spec.title_exam.matrix_order = [12, 1, 7, 3, 10, 2, 9, 4, 11, 6, 8, 5]
    ref = parse_spec(spec)
    assert without_warnings(ref) == without_warnings(reference)
    assert methods(ref, "certification")[:3] == [
        (PS, 120, cps(2, 3, 6, 7, 9, 10)),
        (TI, 30, cps(1, 4, 5, 11)),
        (PQ, 30, cps(8, 12)),
    ]
    assert ref.warnings == []


def test_seed_grid_rows_swapped_across_activity_types():
    lines = seed_text(CC).split("\n")
    lines[1290], lines[1308] = lines[1308], lines[1290]  # CP1 ↔ CP6
    ref = parse_text(CC, "\n".join(lines))
    assert without_warnings(ref) == seed_without_warnings(CC)
    assert warnings(ref) == [(MISMATCH, 1291), (MISMATCH, 1299), (APPROX, 1480)]
    assert ref.warnings[0].message.startswith("CP6 ")


@pytest.mark.parametrize(
    ("name", "first", "second", "end"), [(CC, 1380, 1507, 1604), (NTC, 2264, 2520, 2684)]
)
def test_ccp_sections_in_another_order_than_the_reac(name, first, second, end):
    lines = seed_text(name).split("\n")
    one, two = lines[first - 1 : second - 1], lines[second - 1 : end - 1]
    lines[first - 1 : end - 1] = two + one
    ref = parse_text(name, "\n".join(lines))
    assert without_warnings(ref) == seed_without_warnings(name)
    assert [e.scope for e in ref.exams] == ["certification", "CCP1", "CCP2"]
    assert [(w.code, w.message) for w in ref.warnings] == [
        (w.code, w.message) for w in parse_text(name, seed_text(name)).warnings
    ]


# --- the CCP named in « Conditions de présence … du jury propre au CCP … » -----------


@pytest.mark.parametrize(
    ("jury_name", "expected"),
    [
        ("Installer et mettre en service des équipements numériques chez le client", []),
        ("Installer et mettre en service des equipement numériques chez le client", [APPROX]),
        ("Installer et mettre en service des équipements", []),  # cut by a line break
        ("Assurer la maintenance préventive et corrective des équipements", [WarningCode.OTHER]),
        ("Conduire un engin de chantier", [UNKNOWN]),
    ],
)
def test_the_ccp_named_in_the_jury_heading_is_checked(jury_name, expected):
    spec = _maintenance()
    spec.exams[0].jury_name = jury_name
    text = build(spec)
    ref = parse_text("jury.txt", text)
    line = line_of(text, f"du jury propre au CCP {jury_name}")
    assert warnings(ref) == [(code, line) for code in expected]
    assert methods(ref, "CCP1") == [(PS, 60, cps(2, 3)), (TI, 45, cps(1, 4))]
    if expected == [WarningCode.OTHER]:
        assert "CCP2" in ref.warnings[0].message
        assert "CCP1" in ref.warnings[0].message


# --- 2. company periods and durations ------------------------------------------------


def test_a_seed_whose_re_has_no_company_period():
    text = "\n".join(
        "Sans objet." if "durée minimale de" in line else line for line in seed_text(CC).split("\n")
    )
    ref = parse_text(CC, text)
    assert [e.company_period for e in ref.exams] == [None, None, None]
    assert [len(e.methods) for e in ref.exams] == [4, 3, 3]


def test_a_preparation_period_is_not_a_company_period():
    text = build(_maintenance()).replace(
        "Informations complémentaires concernant l'entretien technique :\n\nSans objet.",
        "Informations complémentaires concernant l'entretien technique :\n\n"
        "Le candidat dispose d'une période de préparation de 1 h avant l'entretien.",
        1,
    )
    assert "période de préparation de 1 h" in text
    ref = parse_text("preparation.txt", text)
    assert [e.company_period for e in ref.exams] == [None] * 4
    title = ref.exam_for("certification")
    assert title is not None
    assert any("période de préparation de 1 h" in r for r in title.requirements)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("02 h 00 min", 120),
        ("00 h 30 min", 30),
        ("1 h", 60),
        ("45 min", 45),
        ("02\u00a0h\u00a000\u00a0min", 120),
        ("00\u202fh\u202f30\u202fmin", 30),
        ("1h30", 90),
        ("2 heures", 120),
        ("30 mn", 30),
    ],
)
def test_duration_spellings(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("durations", "expected"),
    [
        (("1 h", "45 min", "01 h 45 min"), (60, 45, 105)),
        (("02 h 00 min", "00 h 30 min", "02 h 30 min"), (120, 30, 150)),
        (("1h00", "0 h 30", "1 h 30"), (60, 30, 90)),
    ],
)
def test_duration_spellings_in_an_exam_table(durations, expected):
    spec = _maintenance()
    rows = spec.exams[0].rows
    rows[0].duration, rows[1].duration, spec.exams[0].total = durations
    ref = parse_spec(spec)
    exam = ref.exam_for("CCP1")
    assert exam is not None
    assert (*[m.duration_minutes for m in exam.methods], exam.total_minutes) == expected
    assert checks.check(ref) == []


# --- other spellings of the same structure -------------------------------------------


def _restyled(text: str) -> str:
    """Numbered CCP/CCS headings with their title, ☒/☐ check boxes, « N°10 », markdown."""
    text = re.sub(r"(?m)^(CC[PS])\n\n(.+)$", lambda m: f"{m.group(1)} n° 1 : {m.group(2)}", text)
    text = text.replace('<input checked="" type="checkbox"/>', "☒")
    text = text.replace('<input type="checkbox"/>', "☐")
    text = re.sub(r"N° (\d\d)\b", r"N°\1", text)
    return _markdown(text).replace("\n", "\r\n")


@pytest.mark.parametrize("spec", [_maintenance(extension=True), _logistics()], ids=["ccs", "4ccp"])
def test_restyled_variants_read_the_same(spec):
    text = build(spec)
    restyled = _restyled(text)
    assert "☒" in restyled
    assert "N°12" in restyled
    assert "\r\n## CCP n° 1 : " in restyled
    assert summary(parse_text("restyled.md", restyled)) == summary(parse_text("v.txt", text))


@pytest.mark.parametrize("spec", [_maintenance(extension=True), _logistics()], ids=["ccs", "4ccp"])
def test_variants_round_trip(spec):
    # Parsing speed is measured by `make bench` (benchmarks/parse_seeds.py), not here.
    ref = parse_text("v.txt", build(spec))
    assert Referentiel.from_dict(ref.to_dict()) == ref
    assert ref.problems() == []
