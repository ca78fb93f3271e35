"""Candidate lists sent by training centres: read, normalise and validate (no models, no database).

:func:`read_candidate_list` takes the uploaded bytes and returns a :class:`CandidateList`: one
:class:`CandidateRow` per spreadsheet row, each with its own :class:`RowError` list (French
messages, the spreadsheet's row number and the column header as written in the file), plus
file-level errors. Nothing is saved here: the caller imports the list when it is valid, or only
its ``valid_rows`` when the user asks for it.

What is read:

- formats, recognised from the content (the filename only sharpens a message): XLSX (a zip
  holding ``xl/workbook.xml``, read with openpyxl in read-only mode, cached formula values);
  CSV in UTF-8 with or without BOM, UTF-16 with BOM (Excel's « Texte Unicode »), else
  Windows-1252 (French Excel's « CSV (séparateur : point-virgule) »); separator ``;``, ``,`` or
  tab, chosen as the one under which a header row is found; an Excel ``sep=;`` first line is
  honoured. Old ``.xls``, OpenDocument, other zips, binary data → a file-level error;
- the header row: the first row (among the first 30) naming at least two known columns; header
  cells are compared without accents, case, punctuation or a parenthesised hint (« Date de
  naissance (JJ/MM/AAAA) »). In a workbook, the sheet whose header names the most known columns
  wins (the active sheet on a tie). Unknown columns are ignored; two columns meaning the same
  field, or a missing required column, are file-level errors;
- rows: entirely empty rows are skipped; line numbers are the spreadsheet's (CSV: the record
  number, i.e. the row Excel shows, a ``sep=`` line not counted).

Rules for each row: last name, first names and birth date required; names trimmed with inner
whitespace collapsed, written as given (the last name is not upper-cased), no digits; birth
date as JJ/MM/AAAA (also ``-`` or ``.``), AAAA-MM-JJ, an Excel date cell or an Excel serial
number, a real date, in the past, the candidate at least 14 and under 100 years old; birth
place or birth country required; e-mail checked with Django's validator (the one the model
field will use), domain lower-cased; French phone numbers normalised to « +33 6 12 34 56 78 »
(overseas departments to their own code, « +262 692 12 34 56 »), a number starting with ``+``
and another country code kept as written; blocks split on ``,`` ``;`` or line breaks,
upper-cased, empty meaning the whole certification; path « formation », « VAE »,
« capitalisation », « mixte » → ``training``, ``vae``, ``capitalisation``, ``mixed``; a row
with the same names and birth date as an earlier one is flagged as a duplicate of it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final, Literal, TypeVar

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

from attesta.core.text import fold_accents

Progress = Callable[[int, int | None], None]
"""Called as ``progress(rows_done, rows_total)``; the total is ``None`` when unknown."""

Path = Literal["training", "vae", "capitalisation", "mixed"]
_T = TypeVar("_T")

PROGRESS_EVERY: Final = 500
HEADER_SEARCH_ROWS: Final = 30
MINIMUM_AGE: Final = 14
MAXIMUM_AGE: Final = 100
MAX_XLSX_UNCOMPRESSED_BYTES: Final = 200 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class CandidateRow:
    """One data row, normalised. Fields that could not be read hold the cleaned text as given
    (``birth_date`` is then ``None``) so that the preview can show it next to its error."""

    line: int
    last_name: str
    first_names: str
    birth_date: date | None
    birth_place: str = ""
    birth_country: str = ""
    email: str = ""
    phone: str = ""
    certification_code: str = ""
    blocks: tuple[str, ...] = ()
    path: Path | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class CandidateList:
    """The outcome of reading a file. When ``file_errors`` is not empty, ``rows`` is empty."""

    rows: list[CandidateRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """Field name → the column header as written in the file, for the columns found."""

    @property
    def valid_rows(self) -> list[CandidateRow]:
        return [row for row in self.rows if row.is_valid]

    @property
    def invalid_rows(self) -> list[CandidateRow]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.invalid_rows


@dataclass(frozen=True)
class _Column:
    field: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False


COLUMNS: Final = (
    _Column("last_name", "Nom", ("nom", "nom de naissance", "nom de famille"), required=True),
    _Column("first_names", "Prénom(s)", ("prenom", "prenoms"), required=True),
    _Column(
        "birth_date",
        "Date de naissance",
        ("date de naissance", "date naissance", "ne le", "ne e le"),
        required=True,
    ),
    _Column(
        "birth_place",
        "Lieu de naissance",
        ("lieu de naissance", "commune de naissance", "ville de naissance"),
    ),
    _Column("birth_country", "Pays de naissance", ("pays de naissance",)),
    _Column(
        "email",
        "Email",
        (
            "email",
            "e mail",
            "mail",
            "courriel",
            "adresse e mail",
            "adresse email",
            "adresse mail",
            "adresse electronique",
        ),
    ),
    _Column(
        "phone",
        "Téléphone",
        ("telephone", "tel", "portable", "mobile", "telephone portable", "numero de telephone"),
    ),
    _Column(
        "certification_code",
        "Code certification",
        ("code certification", "code de la certification", "code rncp"),
    ),
    _Column("blocks", "Blocs", ("blocs", "blocs vises", "ccp vises", "ccp")),
    _Column("path", "Parcours", ("parcours", "voie d acces")),
)
_LABELS: Final = {column.field: column.label for column in COLUMNS}

_PATHS: Final[dict[str, Path]] = {
    "formation": "training",
    "training": "training",
    "vae": "vae",
    "v a e": "vae",
    "validation des acquis de l experience": "vae",
    "capitalisation": "capitalisation",
    "mixte": "mixed",
    "parcours mixte": "mixed",
    "mixed": "mixed",
}

# National prefixes of the overseas departments, which have their own country codes.
_OVERSEAS: Final = {
    **dict.fromkeys(("0262", "0263", "0269", "0639", "0692", "0693"), "262"),
    **dict.fromkeys(("0590", "0690", "0691"), "590"),
    **dict.fromkeys(("0594", "0694"), "594"),
    **dict.fromkeys(("0596", "0696", "0697"), "596"),
}

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")
_PHONE_CHARS = re.compile(r"\+?[\d\s.\-/()]+")
_NON_DIGIT = re.compile(r"\D")
_BLOCK_SEPARATORS = re.compile(r"[,;\n]")
_PARENTHESISED = re.compile(r"\([^)]*\)")
_NON_ALNUM = re.compile(r"[\W_]+")
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"sep=(.)\r?\n?")

_UNREADABLE_HINT: Final = (
    "Enregistrez la liste depuis votre tableur au format Excel (.xlsx) ou « CSV UTF-8 »."
)


class _Unreadable(Exception):
    """The file cannot be read at all; the message is the file-level error shown."""


# --- entry point -----------------------------------------------------------------------------


def read_candidate_list(
    data: bytes,
    filename: str,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> CandidateList:
    """Read and check a candidate list. Never raises on bad input: see ``file_errors``.

    ``progress`` is called every :data:`PROGRESS_EVERY` data rows and once at the end.
    ``today`` is the reference date for the age rules (default: the current date).
    """
    today = today or date.today()
    if not data.strip():
        return CandidateList(file_errors=["Le fichier est vide."])
    try:
        if data.startswith(b"PK\x03\x04"):
            return _read_xlsx(data, filename, progress, today)
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise _Unreadable(
                "Format Excel 97-2003 (.xls) ou classeur protégé par mot de passe : ce format "
                "n'est pas pris en charge. " + _UNREADABLE_HINT
            )
        return _read_csv(data, progress, today)
    except _Unreadable as error:
        return CandidateList(file_errors=[str(error)])


# --- XLSX ------------------------------------------------------------------------------------


@dataclass
class _Table:
    """Rows of one sheet (or of a CSV under one separator), as (line, cells) pairs."""

    rows: Iterator[tuple[int, Sequence[object]]]
    total: int | None
    epoch: datetime = WINDOWS_EPOCH


def _read_xlsx(data: bytes, filename: str, progress: Progress | None, today: date) -> CandidateList:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _Unreadable(f"Fichier ZIP endommagé. {_UNREADABLE_HINT}") from error
    if "xl/workbook.xml" not in names:
        kind = "un document OpenDocument (.ods)" if "content.xml" in names else "une archive ZIP"
        raise _Unreadable(f"Le fichier est {kind}, pas un classeur Excel. {_UNREADABLE_HINT}")
    if uncompressed > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise _Unreadable("Classeur trop volumineux (plus de 200 Mo une fois décompressé).")
    try:
        # openpyxl raises many kinds of exception on a damaged workbook: any of them means
        # the file cannot be read (the guard covers openpyxl's calls only, not our code).
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise _Unreadable(
            f"Classeur Excel illisible ou endommagé ({filename}). {_UNREADABLE_HINT}"
        ) from error
    try:
        sheets = list(workbook.worksheets)
        active = workbook.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        tables = [_sheet_table(sheet, workbook.epoch) for sheet in sheets]
        return _read_tables(tables, progress, today)
    finally:
        workbook.close()


def _sheet_table(sheet: Any, epoch: datetime) -> _Table:
    """``sheet`` is an openpyxl ``ReadOnlyWorksheet`` (openpyxl ships no type hints)."""
    total = _openpyxl_call(lambda: sheet.max_row)
    # The declared dimension can be wrong (some generators write "A1"): read every row.
    _openpyxl_call(sheet.reset_dimensions)
    rows = _openpyxl_call(lambda: sheet.iter_rows(values_only=True))
    return _Table(
        _guarded(enumerate(rows, start=1)), total if isinstance(total, int) else None, epoch
    )


def _openpyxl_call(call: Callable[[], _T]) -> _T:
    try:
        return call()
    except Exception as error:  # see _read_xlsx
        raise _Unreadable(f"Classeur Excel endommagé. {_UNREADABLE_HINT}") from error


def _guarded(
    rows: Iterator[tuple[int, Sequence[object]]],
) -> Iterator[tuple[int, Sequence[object]]]:
    """openpyxl parses the sheet lazily: a damaged sheet fails while rows are read."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # see _read_xlsx
            raise _Unreadable(f"Classeur Excel endommagé. {_UNREADABLE_HINT}") from error
        yield row


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(data: bytes, progress: Progress | None, today: date) -> CandidateList:
    text = _decode(data)
    delimiters: tuple[str, ...] = (";", ",", "\t")
    declared = _SEP_LINE.match(text)
    if declared:  # Excel's own hint, not shown as a row when Excel opens the file
        delimiters = (declared.group(1),)
        text = text[declared.end() :]
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    tables = []
    for delimiter in delimiters:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        tables.append(_Table(_guarded_csv(enumerate(records, start=1)), total))
    return _read_tables(tables, progress, today)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif b"\x00" in data:
        raise _Unreadable(
            "Le fichier n'est ni un classeur Excel (.xlsx) ni un fichier CSV lisible "
            f"(contenu binaire ou encodage non reconnu). {_UNREADABLE_HINT}"
        )
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise _Unreadable(
                "Le fichier n'est ni un classeur Excel (.xlsx) ni un fichier CSV lisible "
                f"(contenu binaire). {_UNREADABLE_HINT}"
            )
        return text
    raise _Unreadable(
        "Encodage du fichier CSV non reconnu (ni UTF-8 ni Windows-1252). " + _UNREADABLE_HINT
    )


def _guarded_csv(
    rows: Iterator[tuple[int, list[str]]],
) -> Iterator[tuple[int, Sequence[object]]]:
    try:
        yield from rows
    except csv.Error as error:
        raise _Unreadable(f"Fichier CSV mal formé : {error}. {_UNREADABLE_HINT}") from error


# --- header ----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Compare-only form: no accents, case, punctuation or extra spaces."""
    bare = fold_accents(text).casefold()
    return " ".join(_NON_ALNUM.sub(" ", bare).split())


def _header_key(text: str) -> str:
    return _fold(_PARENTHESISED.sub(" ", text))


_HEADER_FIELDS: Final = {
    _header_key(synonym): column.field for column in COLUMNS for synonym in column.synonyms
}


@dataclass
class _Header:
    line: int
    index: dict[str, int]
    written: dict[str, str]
    problems: list[str]


def _find_header(table: _Table) -> tuple[_Header | None, bool]:
    """The header row among the first rows, and whether any non-empty row was seen."""
    saw_data = False
    for line, cells in table.rows:
        if line > HEADER_SEARCH_ROWS:
            break
        found: dict[str, list[tuple[int, str]]] = {}
        for index, cell in enumerate(cells):
            written = _text(cell)
            if not written:
                continue
            saw_data = saw_data or any(character.isalnum() for character in written)
            key = _HEADER_FIELDS.get(_header_key(written))
            if key is not None:
                found.setdefault(key, []).append((index, written))
        if len(found) >= 2:
            return _header(line, found), True
    return None, saw_data


def _header(line: int, found: dict[str, list[tuple[int, str]]]) -> _Header:
    problems = []
    for key, columns in found.items():
        if len(columns) > 1:
            names = " et ".join(f"« {written} »" for _, written in columns)
            problems.append(
                f"Les colonnes {names} désignent toutes le même champ ({_LABELS[key]}) : "
                "n'en gardez qu'une."
            )
    missing = [c.label for c in COLUMNS if c.required and c.field not in found]
    if missing:
        names = ", ".join(f"« {label} »" for label in missing)
        plural = "s" if len(missing) > 1 else ""
        problems.append(f"Colonne{plural} obligatoire{plural} absente{plural} : {names}.")
    if "birth_place" not in found and "birth_country" not in found:
        problems.append(
            "Colonne « Lieu de naissance » ou « Pays de naissance » absente "
            "(l'une des deux est obligatoire)."
        )
    return _Header(
        line=line,
        index={key: columns[0][0] for key, columns in found.items()},
        written={key: columns[0][1] for key, columns in found.items()},
        problems=problems,
    )


# --- rows ------------------------------------------------------------------------------------


def _read_tables(tables: list[_Table], progress: Progress | None, today: date) -> CandidateList:
    found: list[tuple[_Table, _Header]] = []
    saw_data = False
    for table in tables:
        header, any_data = _find_header(table)
        saw_data = saw_data or any_data
        if header is not None:
            found.append((table, header))
    if not found:
        if not saw_data:
            raise _Unreadable("Le fichier ne contient aucune donnée.")
        raise _Unreadable(
            f"Aucune ligne d'en-tête reconnue dans les {HEADER_SEARCH_ROWS} premières lignes : "
            "la première ligne du tableau doit nommer les colonnes (« Nom », « Prénom(s) », "
            "« Date de naissance », « Lieu de naissance »…)."
        )
    table, header = max(found, key=lambda pair: len(pair[1].index))  # the first on a tie
    if header.problems:
        return CandidateList(file_errors=header.problems, columns=header.written)
    rows = _read_rows(table, header, progress, today)
    if not rows:
        return CandidateList(
            file_errors=["Aucun candidat : le tableau ne contient que la ligne d'en-tête."],
            columns=header.written,
        )
    return CandidateList(rows=rows, columns=header.written)


def _read_rows(
    table: _Table, header: _Header, progress: Progress | None, today: date
) -> list[CandidateRow]:
    total = table.total - header.line if table.total is not None else None
    rows = []
    seen: dict[tuple[str, str, date], int] = {}
    done = 0
    reported: tuple[int, int | None] | None = None
    for line, cells in table.rows:
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            reported = (done, total if total is not None and total >= done else None)
            progress(*reported)
        if any(_raw(cell).strip() for cell in cells):
            rows.append(_check_row(line, cells, header, table.epoch, today, seen))
    if progress is not None and reported != (done, done):
        progress(done, done)
    return rows


class _Invalid(Exception):
    """A value that cannot be accepted; the message is the row error shown."""


def _check_row(
    line: int,
    cells: Sequence[object],
    header: _Header,
    epoch: datetime,
    today: date,
    seen: dict[tuple[str, str, date], int],
) -> CandidateRow:
    errors: list[RowError] = []

    def cell(key: str) -> object:
        index = header.index.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def error(key: str, message: str) -> None:
        errors.append(RowError(line, header.written[key], message))

    last_name = _text(cell("last_name"))
    first_names = _text(cell("first_names"))
    for key, name in (("last_name", last_name), ("first_names", first_names)):
        if not name:
            error(key, "Valeur obligatoire manquante.")
        elif any(character.isdigit() for character in name):
            error(key, f"« {name} » contient des chiffres.")

    birth_date: date | None = None
    if _raw(cell("birth_date")).strip():
        try:
            birth_date = _birth_date(cell("birth_date"), epoch, today)
        except _Invalid as invalid:
            error("birth_date", str(invalid))
    else:
        error("birth_date", "Valeur obligatoire manquante.")

    birth_place = _text(cell("birth_place"))
    birth_country = _text(cell("birth_country"))
    if not birth_place and not birth_country:
        key = "birth_place" if "birth_place" in header.index else "birth_country"
        error(key, "Lieu ou pays de naissance obligatoire (l'un des deux).")

    email = _text(cell("email"))
    if email:
        try:
            email = _email(email)
        except _Invalid as invalid:
            error("email", str(invalid))

    phone = _text(cell("phone"))
    if phone:
        try:
            phone = _phone(phone)
        except _Invalid as invalid:
            error("phone", str(invalid))

    path: Path | None = None
    path_text = _text(cell("path"))
    if path_text:
        path = _PATHS.get(_fold(path_text))
        if path is None:
            error(
                "path",
                f"Parcours inconnu « {path_text} » : formation, VAE, capitalisation ou mixte.",
            )

    if birth_date is not None and last_name and first_names:
        identity = (_fold(last_name), _fold(first_names), birth_date)
        if identity in seen:
            error(
                "last_name",
                f"Doublon de la ligne {seen[identity]} (mêmes nom, prénoms et date de naissance).",
            )
        else:
            seen[identity] = line

    return CandidateRow(
        line=line,
        last_name=last_name,
        first_names=first_names,
        birth_date=birth_date,
        birth_place=birth_place,
        birth_country=birth_country,
        email=email,
        phone=phone,
        certification_code=_text(cell("certification_code")).upper(),
        blocks=_blocks(cell("blocks")),
        path=path,
        errors=errors,
    )


# --- values ----------------------------------------------------------------------------------


def _raw(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _text(value: object) -> str:
    """The cell as text, trimmed, inner whitespace (line breaks, no-break spaces) collapsed."""
    return " ".join(_raw(value).translate(_INVISIBLE).split())


def _birth_date(value: object, epoch: datetime, today: date) -> date:
    birth = _parse_date(value, epoch)
    shown = birth.strftime("%d/%m/%Y")
    if birth >= today:
        raise _Invalid(f"La date de naissance « {shown} » n'est pas dans le passé.")
    if birth > _years_before(today, MINIMUM_AGE):
        raise _Invalid(f"Le candidat doit avoir au moins {MINIMUM_AGE} ans (né le {shown}).")
    if birth <= _years_before(today, MAXIMUM_AGE):
        raise _Invalid(f"Date de naissance invraisemblable « {shown} » (plus de 100 ans).")
    return birth


def _parse_date(value: object, epoch: datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time | timedelta):
        raise _Invalid(f"Une durée ou une heure (« {value} ») au lieu d'une date.")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value), epoch)
    text = _text(value)
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _YMD.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif _SERIAL.fullmatch(text):
        return _from_serial(float(text.replace(",", ".")), epoch)
    elif _SHORT_YEAR.fullmatch(text):
        raise _Invalid(f"Année sur deux chiffres « {text} » : écrivez-la en entier (JJ/MM/AAAA).")
    else:
        raise _Invalid(f"Date illisible « {text} » (attendu : JJ/MM/AAAA).")
    try:
        return date(year, month, day)
    except ValueError:
        raise _Invalid(f"Date inexistante « {text} ».") from None


def _from_serial(serial: float, epoch: datetime) -> date:
    # Excel's largest date is serial 2958465 (31/12/9999).
    if not 1 <= serial < 2958466:
        raise _Invalid(f"Nombre « {_raw(serial)} » qui n'est pas une date Excel.")
    converted: datetime = from_excel(serial, epoch)
    return converted.date()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise _Invalid(f"Adresse e-mail invalide « {text} ».") from None
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def _phone(text: str) -> str:
    invalid = _Invalid(
        f"Numéro de téléphone invalide « {text} » "
        "(attendu : 06 12 34 56 78, +33 6 12 34 56 78 ou +indicatif pour l'étranger)."
    )
    if not _PHONE_CHARS.fullmatch(text):
        raise invalid
    digits = _NON_DIGIT.sub("", text)
    if text.startswith("+33") or digits.startswith("0033"):
        rest = digits[2:] if text.startswith("+") else digits[4:]
        national = rest if rest.startswith("0") else "0" + rest  # « +33 (0)6 … »
    elif text.startswith("+"):
        if 8 <= len(digits) <= 15:
            return text  # another country: kept as written
        raise invalid
    elif len(digits) == 9 and digits[0] != "0":  # leading zero lost in a number cell
        national = "0" + digits
    else:
        national = digits
    if len(national) != 10 or national[0] != "0" or national[1] == "0":
        raise invalid
    n = national
    if n[:4] in _OVERSEAS:
        return f"+{_OVERSEAS[n[:4]]} {n[1:4]} {n[4:6]} {n[6:8]} {n[8:10]}"
    return f"+33 {n[1]} {n[2:4]} {n[4:6]} {n[6:8]} {n[8:10]}"


def _blocks(value: object) -> tuple[str, ...]:
    codes = (" ".join(part.split()).upper() for part in _BLOCK_SEPARATORS.split(_raw(value)))
    return tuple(dict.fromkeys(code for code in codes if code))
