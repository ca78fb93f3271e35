"""Productions the candidate uploads before the exam session: what they are, how long they are,
and whether they meet what the référentiel requires.

Pure: no Django, no database. Two steps:

- :func:`measure` recognises an uploaded file by its content (magic bytes, then the parts of
  the zip for office files) and counts what can be counted: PDF pages (pypdf), PPTX and ODP
  slides. A Word or OpenDocument text has no page count until it is laid out, so its pages
  are ``None``. A damaged, empty, password-protected or suspicious file raises
  :class:`ProductionError`. Work is bounded: files over :data:`MAX_SIZE`, zips declaring more
  than :data:`MAX_ZIP_ENTRIES` entries or :data:`MAX_SIZE` uncompressed bytes are refused
  before anything is decompressed; then every entry is decompressed once to check its CRC
  (a damaged file is refused), and XML with a DOCTYPE or entity declarations is refused.
- :func:`conformity` compares the measures of the files uploaded for one required
  :class:`~attesta.referentiels.importers.canonical.Production` with its quantity and bounds.

Rules of :func:`conformity`:

- quantity counts files: five product sheets are five files, and one PDF holding the five
  sheets is one file (not conforming: the candidate splits it, or the manager decides);
- bounds apply to each file, in slides for a slideshow and in pages for a document;
- a slideshow accepts PPTX and ODP (counted in slides) and PDF (one page per slide, as every
  presentation software exports it); a document accepts PDF (counted in pages), DOCX and ODT
  (pages unknown); an « other » production accepts any recognised or unrecognised file;
- a count that cannot be known (DOCX, ODT, some encrypted PDFs) makes the production « à
  vérifier par le responsable », never non-conforming;
- the status is the worst found: ``missing`` (no file) > ``not_conform`` > ``to_check`` >
  ``conform``; ``messages`` lists every problem found, in French, and is empty when conform.
"""

from __future__ import annotations

import enum
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.parsers import expat

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from attesta.referentiels.importers.canonical import Production, ProductionKind

MAX_SIZE = 200 * 1024 * 1024  # bytes: uploaded file, and uncompressed content of a zip
MAX_ZIP_ENTRIES = 10_000  # a 100-slide deck with media has a few hundred
_CHUNK = 1024 * 1024
_HINT_BYTES = 1024 * 1024  # docProps/app.xml, meta.xml, mimetype: read at most this much


class FileKind(enum.StrEnum):
    PDF = "pdf"
    PPTX = "pptx"
    ODP = "odp"
    DOCX = "docx"
    ODT = "odt"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _FILE_KIND_LABELS[self]


_FILE_KIND_LABELS = {
    FileKind.PDF: "PDF",
    FileKind.PPTX: "PowerPoint (PPTX)",
    FileKind.ODP: "présentation OpenDocument (ODP)",
    FileKind.DOCX: "Word (DOCX)",
    FileKind.ODT: "texte OpenDocument (ODT)",
    FileKind.OTHER: "format non reconnu",
}


class Status(enum.StrEnum):
    CONFORM = "conform"
    NOT_CONFORM = "not_conform"
    TO_CHECK = "to_check"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.CONFORM: "Conforme",
    Status.NOT_CONFORM: "Non conforme",
    Status.TO_CHECK: "À vérifier par le responsable",
    Status.MISSING: "Manquant",
}
_SEVERITY = [Status.CONFORM, Status.TO_CHECK, Status.NOT_CONFORM, Status.MISSING]


class ProductionError(Exception):
    """The file cannot be accepted as it is (empty, damaged, protected, suspicious)."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"« {filename} » : {reason}")
        self.filename = filename
        self.reason = reason


@dataclass(frozen=True)
class Measure:
    file_kind: FileKind
    pages: int | None = None  # PDF pages; None when unknown or not paged
    slides: int | None = None  # PPTX/ODP slides
    note: str = ""  # French, for the candidate and the manager; empty when nothing to say
    filename: str = ""  # as uploaded, used in conformity messages


@dataclass(frozen=True)
class Conformity:
    status: Status
    messages: list[str] = field(default_factory=list)


# --- measure ------------------------------------------------------------------------------

_UPLOAD_HINT = "déposez un PDF, un diaporama (PPTX, ODP) ou un document (DOCX, ODT)"
_SUFFIX_KINDS = {
    "pdf": FileKind.PDF,
    "pptx": FileKind.PPTX,
    "pptm": FileKind.PPTX,
    "ppsx": FileKind.PPTX,
    "odp": FileKind.ODP,
    "docx": FileKind.DOCX,
    "docm": FileKind.DOCX,
    "odt": FileKind.ODT,
}
_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office, and password-protected OOXML
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def measure(data: bytes, filename: str) -> Measure:
    """What the file is and how long it is. Raises :class:`ProductionError` when it cannot be
    accepted; returns ``FileKind.OTHER`` with an explanatory note for a readable file of a
    format Attesta does not measure (image, legacy Office, archive…)."""
    if not data:
        raise ProductionError(filename, "le fichier est vide.")
    if len(data) > MAX_SIZE:
        raise ProductionError(
            filename, f"le fichier dépasse {MAX_SIZE // (1024 * 1024)} Mo, il est refusé."
        )
    if data.startswith(_ZIP):
        found = _measure_zip(data, filename)
    elif data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ProductionError(
                filename,
                "le document est protégé par un mot de passe : le jury ne pourra pas l'ouvrir.",
            )
        found = _other(
            "Ancien format Office (.ppt, .doc) non pris en charge : enregistrez-le en PDF, "
            "PPTX ou DOCX."
        )
    elif b"%PDF-" in data[:1024]:  # readers accept a header anywhere in the first kilobyte
        found = _measure_pdf(data, filename)
    elif image := next((name for magic, name in _IMAGES.items() if data.startswith(magic)), ""):
        found = _other(f"Image {image} non prise en charge : {_UPLOAD_HINT}.")
    elif claimed := _claimed(filename):
        raise ProductionError(filename, f"ce n'est pas un fichier {claimed.label} valide.")
    else:
        found = _other(f"Format non reconnu : {_UPLOAD_HINT}.")
    claimed = _claimed(filename)
    note = found.note
    if claimed is not None and found.file_kind not in (claimed, FileKind.OTHER):
        mismatch = f"L'extension annonce un fichier {claimed.label} mais c'est un fichier "
        note = " ".join(filter(None, [mismatch + f"{found.file_kind.label}.", note]))
    return Measure(found.file_kind, found.pages, found.slides, note, filename)


def _claimed(filename: str) -> FileKind | None:
    """The kind the file's extension announces, if it is one Attesta measures."""
    stem, dot, suffix = filename.rpartition(".")
    return _SUFFIX_KINDS.get(suffix.lower()) if dot and stem else None


def _other(note: str) -> Measure:
    return Measure(FileKind.OTHER, note=note)


def _measure_pdf(data: bytes, filename: str) -> Measure:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ProductionError(
                filename, "le PDF est protégé par un mot de passe : le jury ne pourra pas l'ouvrir."
            )
        pages = len(reader.pages)
    except ProductionError:
        raise
    except DependencyError:  # AES-encrypted without a crypto library: opens, but unreadable here
        return Measure(
            FileKind.PDF,
            note="PDF chiffré (il s'ouvre sans mot de passe) : nombre de pages non lu.",
        )
    except Exception as error:  # pypdf raises many kinds on damaged files; all mean the same
        raise ProductionError(filename, "le PDF est endommagé ou illisible.") from error
    return Measure(FileKind.PDF, pages=pages)


def _measure_zip(data: bytes, filename: str) -> Measure:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive, filename)
            return _identify_archive(archive, filename)
    except ProductionError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        raise ProductionError(filename, "le fichier est endommagé ou tronqué.") from error
    except expat.ExpatError as error:
        raise ProductionError(filename, "le fichier contient un XML invalide.") from error


def _check_archive(archive: zipfile.ZipFile, filename: str) -> None:
    """Refuse zip bombs before decompressing anything, then check every entry's CRC: the
    declared sizes bound the work, since zipfile never yields more than the declared size."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ProductionError(
            filename, f"l'archive contient {len(entries)} éléments, c'est anormal : refusée."
        )
    if sum(entry.file_size for entry in entries) > MAX_SIZE:
        raise ProductionError(
            filename,
            f"le contenu décompressé dépasse {MAX_SIZE // (1024 * 1024)} Mo, c'est anormal : "
            "refusé.",
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ProductionError(
            filename, "le fichier est protégé par un mot de passe : le jury ne pourra pas l'ouvrir."
        )
    for entry in entries:
        with archive.open(entry) as stream:
            while stream.read(_CHUNK):
                pass


_PRESENTATION_TYPES = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
}
_SLIDE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
_WORD_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.presentation": FileKind.ODP,
    "application/vnd.oasis.opendocument.text": FileKind.ODT,
}
_DRAW_PAGE = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0 page"
_WORD_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d{1,6})\s*</")
_ODT_PAGES = re.compile(rb"meta:page-count=\"(\d{1,6})\"")


def _identify_archive(archive: zipfile.ZipFile, filename: str) -> Measure:
    names = set(archive.namelist())
    if "mimetype" in names:
        mimetype = _read_start(archive, "mimetype").decode("ascii", "replace").strip()
        kind = _ODF_TYPES.get(mimetype)
        if kind is None:
            return _other(f"Fichier OpenDocument non pris en charge ({mimetype}) : {_UPLOAD_HINT}.")
        if b"encryption-data" in _read_start(archive, "META-INF/manifest.xml"):
            raise ProductionError(
                filename,
                "le document est protégé par un mot de passe : le jury ne pourra pas l'ouvrir.",
            )
        if "content.xml" not in names:
            raise ProductionError(filename, f"ce n'est pas un fichier {kind.label} valide.")
        if kind is FileKind.ODP:
            return Measure(FileKind.ODP, slides=_count_odp_slides(archive, filename))
        declared = _ODT_PAGES.search(_read_start(archive, "meta.xml"))
        return Measure(FileKind.ODT, note=_unpaged_note("LibreOffice", declared))
    if "[Content_Types].xml" in names:
        overrides = _content_types(archive, filename)
        main = {part for part, type_ in overrides.items() if type_ in _PRESENTATION_TYPES}
        if main:
            if not main <= names:
                raise ProductionError(
                    filename, f"ce n'est pas un fichier {FileKind.PPTX.label} valide."
                )
            slides = {part for part, type_ in overrides.items() if type_ == _SLIDE_TYPE}
            return Measure(FileKind.PPTX, slides=len(slides & names))
        if any(type_ in _WORD_TYPES for type_ in overrides.values()):
            declared = _WORD_PAGES.search(_read_start(archive, "docProps/app.xml"))
            return Measure(FileKind.DOCX, note=_unpaged_note("Word", declared))
    if claimed := _claimed(filename):
        raise ProductionError(filename, f"ce n'est pas un fichier {claimed.label} valide.")
    return _other(
        "Archive ou document Office non pris en charge (ZIP, classeur…) : déposez chaque "
        "production séparément, en PDF, PPTX, ODP, DOCX ou ODT."
    )


def _unpaged_note(software: str, declared: re.Match[bytes] | None) -> str:
    note = "Le nombre de pages dépend de la mise en page et ne peut pas être compté ici"
    if declared:
        pages = int(declared.group(1))
        note += f" ({software} en indiquait {pages} à l'enregistrement, valeur non vérifiée)"
    return note + " : un export PDF permet de le vérifier."


def _read_start(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most the first megabyte of an optional part (b"" when absent)."""
    try:
        with archive.open(name) as stream:
            return stream.read(_HINT_BYTES)
    except KeyError:
        return b""


def _content_types(archive: zipfile.ZipFile, filename: str) -> dict[str, str]:
    """``[Content_Types].xml`` overrides: part name without the leading slash → content type."""
    overrides: dict[str, str] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "Override" and "PartName" in attributes:
            overrides[attributes["PartName"].lstrip("/")] = attributes.get("ContentType", "")

    _parse_xml(archive, "[Content_Types].xml", filename, start)
    return overrides


def _count_odp_slides(archive: zipfile.ZipFile, filename: str) -> int:
    count = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        if name == _DRAW_PAGE:
            count += 1

    _parse_xml(archive, "content.xml", filename, start)
    return count


def _parse_xml(
    archive: zipfile.ZipFile,
    part: str,
    filename: str,
    start: Callable[[str, dict[str, str]], None],
) -> None:
    """Stream one part through expat, refusing DTDs and entities (billion laughs)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_: object) -> None:
        raise ProductionError(filename, "le fichier contient un XML refusé (déclarations DTD).")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    with archive.open(part) as stream:
        parser.ParseFile(stream)


# --- conformity ---------------------------------------------------------------------------

_ACCEPTED = {
    ProductionKind.SLIDESHOW: ({FileKind.PPTX, FileKind.ODP, FileKind.PDF}, "PDF, PPTX ou ODP"),
    ProductionKind.DOCUMENT: ({FileKind.PDF, FileKind.DOCX, FileKind.ODT}, "PDF, DOCX ou ODT"),
}


def conformity(requirement: Production, measures: Sequence[Measure]) -> Conformity:
    """Whether the files uploaded for ``requirement`` meet it (see the module's rules)."""
    title = requirement.title
    expected = requirement.quantity
    if not measures:
        return Conformity(
            Status.MISSING, [f"{title} : aucun fichier déposé, {_count(expected, 'attendu')}."]
        )
    found: list[tuple[Status, str]] = []
    if len(measures) != expected:
        found.append(
            (
                Status.NOT_CONFORM,
                f"{title} : {_count(len(measures), 'fichier déposé')}, "
                f"{_count(expected, 'attendu')}.",
            )
        )
    for item in measures:
        found.extend(_check_file(requirement, item))
    status = max((status for status, _ in found), key=_SEVERITY.index, default=Status.CONFORM)
    return Conformity(status, [message for _, message in found])


def _check_file(requirement: Production, item: Measure) -> list[tuple[Status, str]]:
    subject = f"{requirement.title} « {item.filename} »" if item.filename else requirement.title
    note = f" ({item.note})" if item.note else ""
    bounded = requirement.min_units is not None or requirement.max_units is not None
    if requirement.kind not in _ACCEPTED:  # ProductionKind.OTHER: any file, unit unknown
        if bounded:
            return [(Status.TO_CHECK, f"{subject} : taille à vérifier par le responsable.")]
        return []
    accepted, accepted_label = _ACCEPTED[requirement.kind]
    if item.file_kind not in accepted:
        what = (
            "format non pris en charge"
            if item.file_kind is FileKind.OTHER
            else f"{item.file_kind.label} non accepté"
        )
        return [(Status.NOT_CONFORM, f"{subject} : {what}, {accepted_label} attendu.")]
    slideshow = requirement.kind is ProductionKind.SLIDESHOW
    counted = item.slides if item.file_kind in (FileKind.PPTX, FileKind.ODP) else item.pages
    unit = "diapositive" if slideshow and item.file_kind is not FileKind.PDF else "page"
    if counted is None:
        if not bounded:
            return []
        return [
            (
                Status.TO_CHECK,
                f"{subject} : nombre de {unit}s inconnu, à vérifier par le responsable "
                f"(il en faut {_bounds(requirement)}){note}.",
            )
        ]
    too_few = requirement.min_units is not None and counted < requirement.min_units
    too_many = requirement.max_units is not None and counted > requirement.max_units
    if too_few or too_many:
        per_slide = " (une page par diapositive)" if unit == "page" and slideshow else ""
        return [
            (
                Status.NOT_CONFORM,
                f"{subject} : {_count(counted, unit)}, il en faut "
                f"{_bounds(requirement)}{per_slide}.",
            )
        ]
    if counted == 0:
        return [(Status.NOT_CONFORM, f"{subject} : aucune {unit}.")]
    return []


def _count(number: int, singular: str) -> str:
    """« 0 page », « 1 page », « 5 pages », « 2 fichiers déposés » (French: singular below 2)."""
    word = singular if number < 2 else " ".join(w + "s" for w in singular.split())
    return f"{number} {word}"


def _bounds(requirement: Production) -> str:
    low, high = requirement.min_units, requirement.max_units
    if low is not None and high is not None:
        return f"{low}" if low == high else f"de {low} à {high}"
    if low is not None:
        return f"au moins {low}"
    return f"au plus {high}"
