"""Reading candidate lists (XLSX and CSV): formats, header, row rules, file-level errors."""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest
from openpyxl.utils.datetime import MAC_EPOCH

from attesta.candidates.candidate_list import (
    CandidateList,
    Progress,
    RowError,
    read_candidate_list,
)
from tests.candidates.files import xlsx

TODAY = date(2026, 6, 15)
HEADER = [
    "Nom",
    "Prénom(s)",
    "Date de naissance",
    "Lieu de naissance",
    "Pays de naissance",
    "Email",
    "Téléphone",
]
GOOD = ["Lefèvre", "Éloïse", "12/03/1990", "Lyon", "France", "eloise@example.fr", "0612345678"]


def csv_bytes(
    rows: Sequence[Sequence[object]], *, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def read(
    data: bytes, filename: str = "candidats.csv", *, progress: Progress | None = None
) -> CandidateList:
    return read_candidate_list(data, filename, today=TODAY, progress=progress)


def read_one(**values: object) -> tuple[object, list[str]]:
    """Read a one-row XLSX where `values` override GOOD (by field name); the row and messages."""
    columns = dict(zip(HEADER, GOOD, strict=True))
    names = {
        "last_name": "Nom",
        "first_names": "Prénom(s)",
        "birth_date": "Date de naissance",
        "birth_place": "Lieu de naissance",
        "birth_country": "Pays de naissance",
        "email": "Email",
        "phone": "Téléphone",
    }
    extra = {"blocks": "Blocs", "path": "Parcours", "certification_code": "Code certification"}
    for key, value in values.items():
        columns[names.get(key) or extra[key]] = value
    result = read(xlsx([list(columns), list(columns.values())]), "liste.xlsx")
    assert result.file_errors == []
    (row,) = result.rows
    return row, [error.message for error in row.errors]


# --- formats ---------------------------------------------------------------------------------


def test_xlsx_is_read_with_typed_cells():
    data = xlsx(
        [
            HEADER,
            ["Lefèvre", "Éloïse", datetime(1990, 3, 12), "Lyon", "France", "e@x.fr", 612345678],
        ]
    )

    result = read(data, "liste.xlsx")

    assert result.is_valid
    (row,) = result.rows
    assert (row.line, row.last_name, row.first_names, row.birth_date) == (
        2,
        "Lefèvre",
        "Éloïse",
        date(1990, 3, 12),
    )
    assert row.phone == "+33 6 12 34 56 78"  # leading zero lost by a number cell
    assert result.columns["first_names"] == "Prénom(s)"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ";"),
        ("utf-8-sig", ";"),
        ("utf-8-sig", ","),
        ("cp1252", ";"),
        ("cp1252", "\t"),
        ("utf-8", "\t"),
        ("utf-16", "\t"),  # Excel « Texte Unicode »
    ],
)
def test_csv_encodings_and_separators(encoding, delimiter):
    data = csv_bytes([HEADER, GOOD], delimiter=delimiter, encoding=encoding)

    result = read(data)

    assert result.file_errors == []
    (row,) = result.rows
    assert (row.last_name, row.first_names, row.birth_date) == (
        "Lefèvre",
        "Éloïse",
        date(1990, 3, 12),
    )
    assert result.columns["first_names"] == "Prénom(s)"


def test_csv_quoted_fields_keep_separators_and_line_breaks():
    data = (
        "Nom;Prénom(s);Date de naissance;Lieu de naissance;Blocs\r\n"
        '"Martin; dit ""Max""";"Jean\nPaul";01/02/1999;"Saint-Denis; Réunion";"BC01;\nbc02"\r\n'
    ).encode()

    (row,) = read(data).rows

    assert row.last_name == 'Martin; dit "Max"'
    assert row.first_names == "Jean Paul"
    assert row.birth_place == "Saint-Denis; Réunion"
    assert row.blocks == ("BC01", "BC02")
    assert row.errors == []


def test_excel_sep_line_sets_the_separator_and_is_not_a_row():
    data = b"sep=,\r\n" + csv_bytes([HEADER, GOOD, [*GOOD[:2], "", *GOOD[3:]]], delimiter=",")

    result = read(data)

    assert [row.line for row in result.rows] == [2, 3]
    assert result.rows[1].errors == [
        RowError(3, "Date de naissance", "Valeur obligatoire manquante.")
    ]


# --- header ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("NOM", "last_name"),
        ("Nom de naissance", "last_name"),
        ("nom de famille *", "last_name"),
        ("Prénoms", "first_names"),
        ("PRENOM(S)", "first_names"),
        ("Prénom", "first_names"),
        ("Date de naissance (JJ/MM/AAAA)", "birth_date"),
        ("Né(e) le", "birth_date"),
        ("Commune de naissance", "birth_place"),
        ("  Lieu  de   naissance ", "birth_place"),
        ("Pays de naissance", "birth_country"),
        ("Courriel", "email"),
        ("Adresse e-mail", "email"),
        ("E-mail", "email"),
        ("Tél.", "phone"),
        ("Portable", "phone"),
        ("Code certification", "certification_code"),
        ("CCP visés", "blocks"),
        ("Blocs", "blocks"),
        ("Voie d'accès", "path"),
        ("Parcours", "path"),
    ],
)
def test_header_synonyms(written, field):
    header = ["Nom", "Prénom(s)", "Date de naissance", "Lieu de naissance"]
    standard = {
        "last_name": 0,
        "first_names": 1,
        "birth_date": 2,
        "birth_place": 3,
    }
    if field in standard:
        header[standard[field]] = written
    else:
        header.append(written)

    result = read(csv_bytes([header, [*GOOD[:4], ""]]))

    assert result.file_errors == []
    assert result.columns[field] == " ".join(written.split())


def test_header_is_found_below_a_title_and_line_numbers_are_the_sheet_rows():
    data = xlsx(
        [
            ["Liste des candidats — session de juin"],
            [],
            ["Centre : AFPA Lyon", None, None, "Date : 01/06/2026"],
            HEADER,
            GOOD,
            [],
            [None, None, None],
            ["Martin", "Paul", "1988-07-01", "", "Maroc", "", ""],
        ]
    )

    result = read(data, "liste.xlsx")

    assert result.is_valid
    assert [row.line for row in result.rows] == [5, 8]
    assert result.rows[1].birth_country == "Maroc"


def test_the_sheet_with_the_header_is_used_even_when_another_is_active():
    data = xlsx(
        [["Mode d'emploi"], ["Remplissez la feuille Candidats"]],
        [HEADER, GOOD],
        titles=["Mode d'emploi", "Candidats"],
    )

    result = read(data, "liste.xlsx")

    assert result.is_valid
    assert result.rows[0].last_name == "Lefèvre"


def test_a_wrong_declared_sheet_dimension_does_not_truncate_the_rows():
    original = xlsx([HEADER, *[[*GOOD[:1], f"Prénom{'a' * i}", *GOOD[2:]] for i in range(5)]])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', content)
            target.writestr(item, content)

    result = read(buffer.getvalue(), "liste.xlsx")

    assert len(result.rows) == 5
    assert result.is_valid


def test_missing_required_columns_are_named_in_one_file_error():
    result = read(csv_bytes([["Nom", "Lieu de naissance", "Email"], ["Dupont", "Lyon", ""]]))

    assert result.file_errors == [
        "Colonnes obligatoires absentes : « Prénom(s) », « Date de naissance »."
    ]
    assert result.rows == []
    assert not result.is_valid


def test_birth_place_and_country_columns_both_missing_is_a_file_error():
    result = read(csv_bytes([HEADER[:3], GOOD[:3]]))

    assert result.file_errors == [
        "Colonne « Lieu de naissance » ou « Pays de naissance » absente "
        "(l'une des deux est obligatoire)."
    ]


def test_two_columns_for_the_same_field_is_a_file_error():
    result = read(csv_bytes([[*HEADER, "Nom de naissance"], [*GOOD, "Lefèvre"]]))

    assert result.file_errors == [
        "Les colonnes « Nom » et « Nom de naissance » désignent toutes le même champ (Nom) : "
        "n'en gardez qu'une."
    ]


# --- row rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12/03/1990", date(1990, 3, 12)),
        ("2/3/1990", date(1990, 3, 2)),
        ("12.03.1990", date(1990, 3, 12)),
        ("12-03-1990", date(1990, 3, 12)),
        ("1990-03-12", date(1990, 3, 12)),
        ("12/03/1990 00:00:00", date(1990, 3, 12)),
        ("1990-03-12T00:00:00", date(1990, 3, 12)),
        (datetime(1990, 3, 12), date(1990, 3, 12)),
        (datetime(1990, 3, 12, 14, 30), date(1990, 3, 12)),
        (32944, date(1990, 3, 12)),  # Excel serial number in a number cell
        (32944.25, date(1990, 3, 12)),
        ("32944", date(1990, 3, 12)),  # serial number as text
        ("15/06/2012", date(2012, 6, 15)),  # 14 years old today
    ],
)
def test_birth_date_formats(value, expected):
    row, errors = read_one(birth_date=value)

    assert errors == []
    assert row.birth_date == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Valeur obligatoire manquante."),
        ("31/02/1990", "Date inexistante « 31/02/1990 »."),
        ("1990-13-01", "Date inexistante « 1990-13-01 »."),
        ("12/03/90", "Année sur deux chiffres « 12/03/90 » : écrivez-la en entier (JJ/MM/AAAA)."),
        ("mars 1990", "Date illisible « mars 1990 » (attendu : JJ/MM/AAAA)."),
        ("1990", "Date illisible « 1990 » (attendu : JJ/MM/AAAA)."),
        ("15/06/2026", "La date de naissance « 15/06/2026 » n'est pas dans le passé."),
        ("01/01/2030", "La date de naissance « 01/01/2030 » n'est pas dans le passé."),
        ("16/06/2012", "Le candidat doit avoir au moins 14 ans (né le 16/06/2012)."),
        ("15/06/1926", "Date de naissance invraisemblable « 15/06/1926 » (plus de 100 ans)."),
        (0, "Nombre « 0 » qui n'est pas une date Excel."),
        (-3, "Nombre « -3 » qui n'est pas une date Excel."),
        (time(8, 30), "Une durée ou une heure (« 08:30:00 ») au lieu d'une date."),
    ],
)
def test_birth_date_errors(value, message):
    row, errors = read_one(birth_date=value)

    assert errors == [message]
    assert row.birth_date is None


def test_birth_date_serial_numbers_follow_the_workbook_epoch():
    workbook = openpyxl.Workbook()
    workbook.epoch = MAC_EPOCH
    workbook.active.append(HEADER)
    workbook.active.append([*GOOD[:2], 31482, *GOOD[3:]])
    buffer = io.BytesIO()
    workbook.save(buffer)

    (row,) = read(buffer.getvalue(), "mac.xlsx").rows

    assert row.birth_date == date(1990, 3, 12)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("06 12 34 56 78", "+33 6 12 34 56 78"),
        ("0612345678", "+33 6 12 34 56 78"),
        ("06.12.34.56.78", "+33 6 12 34 56 78"),
        ("06-12-34-56-78", "+33 6 12 34 56 78"),
        ("01 23 45 67 89", "+33 1 23 45 67 89"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("+33612345678", "+33 6 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "+33 6 12 34 56 78"),
        ("0033 6 12 34 56 78", "+33 6 12 34 56 78"),
        (612345678, "+33 6 12 34 56 78"),
        ("0692 12 34 56", "+262 692 12 34 56"),
        ("0596 61 23 45", "+596 596 61 23 45"),
        ("+32 470 12 34 56", "+32 470 12 34 56"),
        ("+212  6 12 34 56 78", "+212 6 12 34 56 78"),
        ("", ""),
    ],
)
def test_phone_normalisation(value, expected):
    row, errors = read_one(phone=value)

    assert errors == []
    assert row.phone == expected


@pytest.mark.parametrize(
    "value", ["06 12 34 56", "06 12 34 56 78 90", "00 12 34 56 78", "+33 6 12", "+1 23", "appeler"]
)
def test_phone_errors(value):
    row, errors = read_one(phone=value)

    assert errors == [
        f"Numéro de téléphone invalide « {value} » "
        "(attendu : 06 12 34 56 78, +33 6 12 34 56 78 ou +indicatif pour l'étranger)."
    ]
    assert row.phone == value


@pytest.mark.parametrize(
    ("value", "expected", "valid"),
    [
        ("eloise@example.fr", "eloise@example.fr", True),
        (" Eloise.Lefevre@Example.FR ", "Eloise.Lefevre@example.fr", True),
        ("", "", True),
        ("eloise@example", "eloise@example", False),
        ("eloise.example.fr", "eloise.example.fr", False),
        ("eloise @example.fr", "eloise @example.fr", False),
    ],
)
def test_email(value, expected, valid):
    row, errors = read_one(email=value)

    assert row.email == expected
    assert errors == ([] if valid else [f"Adresse e-mail invalide « {expected} »."])


def test_names_are_trimmed_and_collapsed_but_kept_as_written():
    row, errors = read_one(last_name="  de La\u00a0Fontaine ", first_names=" Jean \n  Marie ")

    assert errors == []
    assert (row.last_name, row.first_names) == ("de La Fontaine", "Jean Marie")


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"last_name": ""}, "Nom", "Valeur obligatoire manquante."),
        ({"first_names": "   "}, "Prénom(s)", "Valeur obligatoire manquante."),
        ({"last_name": "Dupont 2"}, "Nom", "« Dupont 2 » contient des chiffres."),
        ({"first_names": 1990}, "Prénom(s)", "« 1990 » contient des chiffres."),
        (
            {"birth_place": "", "birth_country": ""},
            "Lieu de naissance",
            "Lieu ou pays de naissance obligatoire (l'un des deux).",
        ),
        (
            {"path": "alternance"},
            "Parcours",
            "Parcours inconnu « alternance » : formation, VAE, capitalisation ou mixte.",
        ),
    ],
)
def test_row_errors_name_the_column_as_written(values, column, message):
    row, _ = read_one(**values)

    assert row.errors == [RowError(2, column, message)]


@pytest.mark.parametrize(("place", "country"), [("Lyon", ""), ("", "Maroc"), ("Dakar", "Sénégal")])
def test_birth_place_or_country_is_enough(place, country):
    row, errors = read_one(birth_place=place, birth_country=country)

    assert errors == []
    assert (row.birth_place, row.birth_country) == (place, country)


def test_birth_country_column_alone_is_enough():
    result = read(
        csv_bytes(
            [
                ["Nom", "Prénoms", "Date de naissance", "Pays de naissance"],
                ["Diallo", "Awa", "01/01/2000", ""],
            ]
        )
    )

    assert result.rows[0].errors == [
        RowError(2, "Pays de naissance", "Lieu ou pays de naissance obligatoire (l'un des deux).")
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("formation", "training"),
        ("Formation", "training"),
        ("VAE", "vae"),
        ("V.A.E.", "vae"),
        ("Capitalisation", "capitalisation"),
        ("mixte", "mixed"),
        ("", None),
    ],
)
def test_path_values(value, expected):
    row, errors = read_one(path=value)

    assert errors == []
    assert row.path == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ()),
        ("BC01", ("BC01",)),
        ("bc01, BC02 ;BC03", ("BC01", "BC02", "BC03")),
        ("CCP 1;CCP  2;ccp 1", ("CCP 1", "CCP 2")),
    ],
)
def test_blocks(value, expected):
    row, errors = read_one(blocks=value, certification_code=" rncp37849 ")

    assert errors == []
    assert row.blocks == expected
    assert row.certification_code == "RNCP37849"


def test_duplicates_are_flagged_on_the_second_occurrence_only():
    data = csv_bytes(
        [
            HEADER,
            GOOD,
            ["Dupont", "Marc", "01/01/1980", "Lille", "", "", ""],
            ["LEFEVRE", "eloise", "1990-03-12", "Paris", "", "", ""],
            ["Lefèvre", "Éloïse", "13/03/1990", "Lyon", "", "", ""],
        ]
    )

    result = read(data)

    assert [row.errors for row in result.rows] == [
        [],
        [],
        [RowError(4, "Nom", "Doublon de la ligne 2 (mêmes nom, prénoms et date de naissance).")],
        [],
    ]


def test_three_bad_rows_among_ten_give_exactly_their_errors():
    rows = [
        ["Martin", "Paul", "01/02/1985", "Lyon", "France", "paul@example.fr", "0611223344"],
        ["Bernard", "Julie", "1992-11-30", "Nantes", "", "", ""],
        ["Petit", "Lucas", "29/02/2001", "Brest", "", "", ""],  # not a leap year
        ["Robert", "Chloé", "05/05/1995", "", "Belgique", "", "+32 470 12 34 56"],
        ["Richard", "Hugo", "12/12/1999", "Metz", "", "hugo@", ""],  # bad e-mail
        ["Durand", "Léa", "07/07/2000", "Lille", "", "", ""],
        ["Dubois", "", "08/08/1988", "", "", "", "06 12"],  # three errors
        ["Moreau", "Louis", "09/09/1977", "Nice", "", "", ""],
        ["Laurent", "Emma", "10/10/2005", "Dijon", "", "", ""],
        ["Simon", "Nathan", "11/11/1991", "Rennes", "", "", ""],
    ]

    result = read(xlsx([HEADER, *rows]), "liste.xlsx")

    assert result.file_errors == []
    assert len(result.rows) == 10
    assert len(result.valid_rows) == 7
    assert [row.line for row in result.invalid_rows] == [4, 6, 8]
    assert not result.is_valid
    assert [error for row in result.rows for error in row.errors] == [
        RowError(4, "Date de naissance", "Date inexistante « 29/02/2001 »."),
        RowError(6, "Email", "Adresse e-mail invalide « hugo@ »."),
        RowError(8, "Prénom(s)", "Valeur obligatoire manquante."),
        RowError(8, "Lieu de naissance", "Lieu ou pays de naissance obligatoire (l'un des deux)."),
        RowError(
            8,
            "Téléphone",
            "Numéro de téléphone invalide « 06 12 » "
            "(attendu : 06 12 34 56 78, +33 6 12 34 56 78 ou +indicatif pour l'étranger).",
        ),
    ]


# --- file-level errors -----------------------------------------------------------------------

HINT = "Enregistrez la liste depuis votre tableur au format Excel (.xlsx) ou « CSV UTF-8 »."


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide."),
        (b" \r\n\r\n", "Le fichier est vide."),
        (b";;;\r\n;;\r\n", "Le fichier ne contient aucune donnée."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "Format Excel 97-2003 (.xls) ou classeur protégé par mot de passe : ce format "
            f"n'est pas pris en charge. {HINT}",
        ),
        (
            zipped({"word/document.xml": b"<w/>"}),
            f"Le fichier est une archive ZIP, pas un classeur Excel. {HINT}",
        ),
        (
            zipped(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<x/>",
                }
            ),
            f"Le fichier est un document OpenDocument (.ods), pas un classeur Excel. {HINT}",
        ),
        (b"PK\x03\x04 truncated", f"Fichier ZIP endommagé. {HINT}"),
        (
            zipped({"xl/workbook.xml": b"<not a workbook", "[Content_Types].xml": b""}),
            f"Classeur Excel illisible ou endommagé (liste.xlsx). {HINT}",
        ),
        (
            "Nom;Prénom;Naissance\n".encode("utf-16-le"),  # UTF-16 without BOM
            "Le fichier n'est ni un classeur Excel (.xlsx) ni un fichier CSV lisible "
            f"(contenu binaire ou encodage non reconnu). {HINT}",
        ),
        (
            b"Nom;Pr\x81nom\n",  # neither UTF-8 nor Windows-1252
            f"Encodage du fichier CSV non reconnu (ni UTF-8 ni Windows-1252). {HINT}",
        ),
        (
            b"%PDF-1.7\n\x01\x02\x03 stream",
            "Le fichier n'est ni un classeur Excel (.xlsx) ni un fichier CSV lisible "
            f"(contenu binaire). {HINT}",
        ),
        (
            "Nom;Prénom(s);Date de naissance;Lieu de naissance\r\n".encode(),
            "Aucun candidat : le tableau ne contient que la ligne d'en-tête.",
        ),
    ],
)
def test_unreadable_files_give_one_clear_file_error(data, message):
    result = read(data, "liste.xlsx")

    assert result.file_errors == [message]
    assert result.rows == []
    assert not result.is_valid


NO_HEADER = (
    "Aucune ligne d'en-tête reconnue dans les 30 premières lignes : la première ligne du "
    "tableau doit nommer les colonnes (« Nom », « Prénom(s) », « Date de naissance », "
    "« Lieu de naissance »…)."
)


def test_sheet_without_header():
    result = read(xlsx([["Dupont", "Jean", "01/01/1990"], ["Durand", "Lou", "02/02/1992"]]))

    assert result.file_errors == [NO_HEADER]


def test_header_below_the_thirtieth_row_is_not_looked_for():
    result = read(csv_bytes([["notes"]] * 30 + [HEADER, GOOD]))

    assert result.file_errors == [NO_HEADER]


def test_a_damaged_sheet_inside_a_valid_zip():
    original = xlsx([HEADER, GOOD])
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            target.writestr(item, content)

    result = read(buffer.getvalue(), "liste.xlsx")

    assert result.file_errors == [f"Classeur Excel endommagé. {HINT}"]


@pytest.mark.parametrize("seed", range(20))
def test_binary_garbage_never_raises(seed):
    noise = random.Random(seed).randbytes(2000)

    for data in (noise, b"PK\x03\x04" + noise):
        result = read(data)
        assert len(result.file_errors) == 1
        assert result.rows == []


# --- large files -----------------------------------------------------------------------------


def many_rows(count: int) -> list[list[object]]:
    return [
        ["Martin", "Jeanne", date(1950, 1, 1) + timedelta(days=7 * i), "Lyon", "", "", ""]
        for i in range(count)
    ]


def test_progress_is_reported_every_500_rows_with_the_total():
    calls: list[tuple[int, int | None]] = []

    result = read(
        xlsx([HEADER, *many_rows(1200)]), "liste.xlsx", progress=lambda *a: calls.append(a)
    )

    assert len(result.rows) == 1200
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]


def test_progress_on_a_csv():
    calls: list[tuple[int, int | None]] = []
    rows = [[*row[:2], row[2].strftime("%d/%m/%Y"), *row[3:]] for row in many_rows(1000)]

    result = read(csv_bytes([HEADER, *rows]), progress=lambda *a: calls.append(a))

    assert result.file_errors == []
    assert len(result.valid_rows) == 1000
    assert calls == [(500, 1000), (1000, 1000)]
