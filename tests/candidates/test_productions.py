"""Productions: real files are built in the tests (pypdf for PDFs, zips by hand for office
files), measured, then compared with the productions the CC and NTC référentiels require."""

from __future__ import annotations

import io
import zipfile

import pytest

from attesta.candidates.productions import (
    MAX_ZIP_ENTRIES,
    Conformity,
    FileKind,
    Measure,
    ProductionError,
    Status,
    conformity,
    measure,
)
from attesta.referentiels.importers.canonical import Production, ProductionKind
from tests.candidates.files import (
    PPTX_MAIN,
    content_types,
    docx,
    odf,
    odp,
    patch_declared_size,
    pdf,
    pptx,
    set_encrypted_flag,
    zip_of,
)
from tests.conftest import parsed_seed


def test_pdf_is_counted_in_pages() -> None:
    assert measure(pdf(3), "dossier.pdf") == Measure(FileKind.PDF, 3, None, "", "dossier.pdf")


def test_pdf_opening_without_a_password_is_counted_even_when_encrypted() -> None:
    found = measure(pdf(2, password="", owner_password="owner"), "restreint.pdf")
    assert (found.file_kind, found.pages) == (FileKind.PDF, 2)


def test_pptx_is_counted_in_slides() -> None:
    assert measure(pptx(28), "soutenance.pptx") == Measure(
        FileKind.PPTX, None, 28, "", "soutenance.pptx"
    )


def test_odp_is_counted_in_slides() -> None:
    found = measure(odp(26), "soutenance.odp")
    assert (found.file_kind, found.slides, found.pages) == (FileKind.ODP, 26, None)


def test_docx_is_a_document_whose_pages_cannot_be_counted() -> None:
    found = measure(docx(), "dossier.docx")
    assert (found.file_kind, found.pages, found.slides) == (FileKind.DOCX, None, None)
    assert "mise en page" in found.note
    assert "export PDF" in found.note


def test_docx_note_repeats_the_page_count_word_saved_without_trusting_it() -> None:
    found = measure(docx(declared_pages=35), "dossier.docx")
    assert found.pages is None
    assert "Word en indiquait 35 à l'enregistrement, valeur non vérifiée" in found.note


def test_odt_is_a_document_whose_pages_cannot_be_counted() -> None:
    found = measure(odf("application/vnd.oasis.opendocument.text", "<office:text/>"), "d.odt")
    assert (found.file_kind, found.pages) == (FileKind.ODT, None)
    assert "LibreOffice en indiquait 34" in found.note


def test_a_pdf_stored_inside_a_zip_is_not_taken_for_a_pdf() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("dossier.pdf", pdf(32))
    found = measure(buffer.getvalue(), "dossier.zip")
    assert (found.file_kind, found.pages) == (FileKind.OTHER, None)


def test_a_pdf_header_after_leading_bytes_is_still_a_pdf() -> None:
    assert measure(b"\r\n" + pdf(2), "scan.pdf").pages == 2


def test_content_decides_the_kind_and_a_misleading_extension_is_noted() -> None:
    found = measure(pptx(25), "diaporama.pdf")
    assert (found.file_kind, found.slides) == (FileKind.PPTX, 25)
    assert found.note == (
        "L'extension annonce un fichier PDF mais c'est un fichier PowerPoint (PPTX)."
    )


@pytest.mark.parametrize(
    ("data", "filename", "note"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "capture.png", "Image PNG non prise en charge"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "photo.jpg", "Image JPEG non prise en charge"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "diaporama.pptx", "Image PNG non prise en charge"),
        (b"Bonjour le jury", "notes.txt", "Format non reconnu"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "vieux.ppt",
            "Ancien format Office (.ppt, .doc) non pris en charge",
        ),
        (zip_of({"a.txt": "a", "b.txt": "b"}), "fiches.zip", "Archive ou document Office"),
        (
            odf("application/vnd.oasis.opendocument.spreadsheet", "<office:spreadsheet/>"),
            "budget.ods",
            "Fichier OpenDocument non pris en charge",
        ),
    ],
)
def test_unsupported_formats_are_other_with_a_french_explanation(
    data: bytes, filename: str, note: str
) -> None:
    found = measure(data, filename)
    assert (found.file_kind, found.pages, found.slides) == (FileKind.OTHER, None, None)
    assert found.note.startswith(note)
    assert found.filename == filename


# --- measure: what is refused -------------------------------------------------------------


def _corrupt_member(data: bytes) -> bytes:
    """Flip bytes inside the compressed slides, leaving the zip structure intact."""
    patched = bytearray(data)
    start = patched.find(b"ppt/slides/slide1.xml") + len("ppt/slides/slide1.xml")
    for i in range(start + 2, start + 12):
        patched[i] ^= 0xFF
    return bytes(patched)


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "vide.pdf", "le fichier est vide."),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "casse.pdf", "le PDF est endommagé ou illisible."),
        (pdf(4)[:300], "tronque.pdf", "le PDF est endommagé ou illisible."),
        (pdf(2, password="secret"), "secret.pdf", "le PDF est protégé par un mot de passe"),
        (pptx(24)[:700], "tronque.pptx", "le fichier est endommagé ou tronqué."),
        (_corrupt_member(pptx(24)), "abime.pptx", "le fichier est endommagé ou tronqué."),
        (b"pas un diaporama", "faux.pptx", "ce n'est pas un fichier PowerPoint (PPTX) valide."),
        (
            zip_of({"ppt/slides/slide1.xml": "<p:sld/>"}),
            "sans-types.pptx",
            "ce n'est pas un fichier PowerPoint (PPTX) valide.",
        ),
        (
            zip_of({"[Content_Types].xml": content_types({"ppt/presentation.xml": PPTX_MAIN})}),
            "sans-presentation.pptx",
            "ce n'est pas un fichier PowerPoint (PPTX) valide.",
        ),
        (
            zip_of({"[Content_Types].xml": "<Types><Override"}),
            "xml-casse.pptx",
            "le fichier contient un XML invalide.",
        ),
        (
            zip_of(
                {
                    "[Content_Types].xml": '<!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>',
                    "ppt/presentation.xml": "<p/>",
                }
            ),
            "entites.pptx",
            "le fichier contient un XML refusé (déclarations DTD).",
        ),
        (
            patch_declared_size(pptx(24), 300 * 1024 * 1024),
            "bombe.pptx",
            "le contenu décompressé dépasse 200 Mo",
        ),
        (
            zip_of({f"ppt/media/{n}.xml": "" for n in range(MAX_ZIP_ENTRIES + 1)}),
            "entrees.pptx",
            f"l'archive contient {MAX_ZIP_ENTRIES + 1} éléments",
        ),
        (set_encrypted_flag(pptx(24)), "zip-chiffre.pptx", "le fichier est protégé par un mot"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "protege.pptx",
            "le document est protégé par un mot de passe",
        ),
        (
            odf(
                "application/vnd.oasis.opendocument.presentation",
                "",
                manifest="<manifest:manifest><manifest:encryption-data/></manifest:manifest>",
            ),
            "protege.odp",
            "le document est protégé par un mot de passe",
        ),
    ],
)
def test_unacceptable_files_raise_an_error_naming_the_file(
    data: bytes, filename: str, reason: str
) -> None:
    with pytest.raises(ProductionError) as raised:
        measure(data, filename)
    assert raised.value.filename == filename
    assert raised.value.reason.startswith(reason)
    assert str(raised.value).startswith(f"« {filename} » : {reason}")


def test_a_highly_compressed_file_is_refused_before_being_decompressed() -> None:
    # 201 MB of zeros compress to about 200 kB: the declared size alone refuses it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", content_types({}))
        with archive.open("ppt/media/zeros.bin", "w") as member:
            for _ in range(201):
                member.write(bytes(1024 * 1024))
    # Only the declared sizes, read before any entry is decompressed, give this reason.
    with pytest.raises(ProductionError, match="contenu décompressé dépasse 200 Mo"):
        measure(buffer.getvalue(), "bombe.pptx")


# --- conformity ---------------------------------------------------------------------------

CC_SLIDESHOW = Production("Diaporama", ProductionKind.SLIDESHOW, 1, 24, 34)
CC_SHEETS = Production("Fiches produit", ProductionKind.DOCUMENT, quantity=5)
NTC_DOCUMENT = Production("Document", ProductionKind.DOCUMENT, 1, 32, 38)
POSTER = Production("Affiche", ProductionKind.OTHER)


def slides(
    count: int | None, name: str = "soutenance.pptx", kind: FileKind = FileKind.PPTX
) -> Measure:
    return Measure(kind, slides=count, filename=name)


def pages(count: int | None, name: str = "dossier.pdf", note: str = "") -> Measure:
    return Measure(FileKind.PDF, pages=count, note=note, filename=name)


def docx_measure(name: str = "dossier.docx") -> Measure:
    return Measure(FileKind.DOCX, note="pages non comptées", filename=name)


def sheets(count: int) -> list[Measure]:
    return [pages(1, f"fiche-{n}.pdf") for n in range(1, count + 1)]


@pytest.mark.parametrize(
    ("requirement", "measures", "expected"),
    [
        # CC: one slideshow of 24 to 34 slides.
        (
            CC_SLIDESHOW,
            [slides(23)],
            Conformity(
                Status.NOT_CONFORM,
                ["Diaporama « soutenance.pptx » : 23 diapositives, il en faut de 24 à 34."],
            ),
        ),
        (CC_SLIDESHOW, [slides(24)], Conformity(Status.CONFORM)),
        (CC_SLIDESHOW, [slides(34)], Conformity(Status.CONFORM)),
        (
            CC_SLIDESHOW,
            [slides(35)],
            Conformity(
                Status.NOT_CONFORM,
                ["Diaporama « soutenance.pptx » : 35 diapositives, il en faut de 24 à 34."],
            ),
        ),
        (CC_SLIDESHOW, [slides(30, "s.odp", FileKind.ODP)], Conformity(Status.CONFORM)),
        (CC_SLIDESHOW, [pages(24, "export.pdf")], Conformity(Status.CONFORM)),
        (
            CC_SLIDESHOW,
            [pages(22, "export.pdf")],
            Conformity(
                Status.NOT_CONFORM,
                [
                    "Diaporama « export.pdf » : 22 pages, il en faut de 24 à 34 "
                    "(une page par diapositive)."
                ],
            ),
        ),
        (
            CC_SLIDESHOW,
            [docx_measure("notes.docx")],
            Conformity(
                Status.NOT_CONFORM,
                ["Diaporama « notes.docx » : Word (DOCX) non accepté, PDF, PPTX ou ODP attendu."],
            ),
        ),
        (
            CC_SLIDESHOW,
            [Measure(FileKind.OTHER, note="Image PNG", filename="capture.png")],
            Conformity(
                Status.NOT_CONFORM,
                [
                    "Diaporama « capture.png » : format non pris en charge, "
                    "PDF, PPTX ou ODP attendu."
                ],
            ),
        ),
        (
            CC_SLIDESHOW,
            [slides(24), slides(25, "copie.pptx")],
            Conformity(Status.NOT_CONFORM, ["Diaporama : 2 fichiers déposés, 1 attendu."]),
        ),
        (
            CC_SLIDESHOW,
            [],
            Conformity(Status.MISSING, ["Diaporama : aucun fichier déposé, 1 attendu."]),
        ),
        # CC: five product sheets, no size: quantity counts files.
        (CC_SHEETS, sheets(5), Conformity(Status.CONFORM)),
        (
            CC_SHEETS,
            sheets(4),
            Conformity(Status.NOT_CONFORM, ["Fiches produit : 4 fichiers déposés, 5 attendus."]),
        ),
        (
            CC_SHEETS,
            sheets(6),
            Conformity(Status.NOT_CONFORM, ["Fiches produit : 6 fichiers déposés, 5 attendus."]),
        ),
        (
            CC_SHEETS,
            [pages(5, "toutes-les-fiches.pdf")],
            Conformity(Status.NOT_CONFORM, ["Fiches produit : 1 fichier déposé, 5 attendus."]),
        ),
        (CC_SHEETS, [*sheets(4), docx_measure("fiche-5.docx")], Conformity(Status.CONFORM)),
        (
            CC_SHEETS,
            [],
            Conformity(Status.MISSING, ["Fiches produit : aucun fichier déposé, 5 attendus."]),
        ),
        # NTC: one document of 32 to 38 pages.
        (
            NTC_DOCUMENT,
            [pages(31)],
            Conformity(
                Status.NOT_CONFORM, ["Document « dossier.pdf » : 31 pages, il en faut de 32 à 38."]
            ),
        ),
        (NTC_DOCUMENT, [pages(32)], Conformity(Status.CONFORM)),
        (NTC_DOCUMENT, [pages(38)], Conformity(Status.CONFORM)),
        (
            NTC_DOCUMENT,
            [pages(39)],
            Conformity(
                Status.NOT_CONFORM, ["Document « dossier.pdf » : 39 pages, il en faut de 32 à 38."]
            ),
        ),
        (
            NTC_DOCUMENT,
            [Measure(FileKind.ODT, filename="d.odt")],
            Conformity(
                Status.TO_CHECK,
                [
                    "Document « d.odt » : nombre de pages inconnu, à vérifier par le responsable "
                    "(il en faut de 32 à 38)."
                ],
            ),
        ),
        (
            NTC_DOCUMENT,
            [slides(34)],
            Conformity(
                Status.NOT_CONFORM,
                [
                    "Document « soutenance.pptx » : PowerPoint (PPTX) non accepté, "
                    "PDF, DOCX ou ODT attendu."
                ],
            ),
        ),
        # Unknown counts are for the manager to check, never a failure.
        (
            NTC_DOCUMENT,
            [docx_measure()],
            Conformity(
                Status.TO_CHECK,
                [
                    "Document « dossier.docx » : nombre de pages inconnu, à vérifier par le "
                    "responsable (il en faut de 32 à 38) (pages non comptées)."
                ],
            ),
        ),
        (
            CC_SLIDESHOW,
            [slides(None)],
            Conformity(
                Status.TO_CHECK,
                [
                    "Diaporama « soutenance.pptx » : nombre de diapositives inconnu, à vérifier "
                    "par le responsable (il en faut de 24 à 34)."
                ],
            ),
        ),
        (CC_SHEETS, [*sheets(4), pages(None, "fiche-5.pdf")], Conformity(Status.CONFORM)),
        # The worst status wins, every problem is listed.
        (
            CC_SHEETS,
            [*sheets(3), Measure(FileKind.OTHER, filename="fiche.png")],
            Conformity(
                Status.NOT_CONFORM,
                [
                    "Fiches produit : 4 fichiers déposés, 5 attendus.",
                    "Fiches produit « fiche.png » : format non pris en charge, "
                    "PDF, DOCX ou ODT attendu.",
                ],
            ),
        ),
        # Empty content, one-sided and exact bounds, « other » productions.
        (
            Production("Diaporama", ProductionKind.SLIDESHOW),
            [slides(0)],
            Conformity(Status.NOT_CONFORM, ["Diaporama « soutenance.pptx » : aucune diapositive."]),
        ),
        (
            Production("Rapport", ProductionKind.DOCUMENT, max_units=20),
            [pages(21, "rapport.pdf")],
            Conformity(
                Status.NOT_CONFORM, ["Rapport « rapport.pdf » : 21 pages, il en faut au plus 20."]
            ),
        ),
        (
            Production("Rapport", ProductionKind.DOCUMENT, min_units=10),
            [pages(1, "rapport.pdf")],
            Conformity(
                Status.NOT_CONFORM,
                ["Rapport « rapport.pdf » : 1 page, il en faut au moins 10."],
            ),
        ),
        (
            Production("Fiche", ProductionKind.DOCUMENT, min_units=2, max_units=2),
            [pages(3, "fiche.pdf")],
            Conformity(Status.NOT_CONFORM, ["Fiche « fiche.pdf » : 3 pages, il en faut 2."]),
        ),
        (POSTER, [Measure(FileKind.OTHER, filename="affiche.png")], Conformity(Status.CONFORM)),
        (
            Production("Affiche", ProductionKind.OTHER, max_units=1),
            [Measure(FileKind.OTHER, filename="affiche.png")],
            Conformity(
                Status.TO_CHECK,
                ["Affiche « affiche.png » : taille à vérifier par le responsable."],
            ),
        ),
    ],
)
def test_conformity(requirement: Production, measures: list[Measure], expected: Conformity) -> None:
    assert conformity(requirement, measures) == expected


def test_conformity_is_checked_from_real_files_against_the_cc_referentiel() -> None:
    exam = parsed_seed("cc").exam_for("certification")
    assert exam is not None
    slideshow, product_sheets = exam.productions
    assert conformity(slideshow, [measure(pptx(24), "soutenance.pptx")]).status == Status.CONFORM
    assert conformity(slideshow, [measure(pdf(34), "soutenance.pdf")]).status == Status.CONFORM
    uploaded = [measure(pdf(1), f"fiche-{n}.pdf") for n in range(1, 6)]
    assert conformity(product_sheets, uploaded).status == Status.CONFORM


def test_conformity_is_checked_from_real_files_against_the_ntc_referentiel() -> None:
    exam = parsed_seed("ntc").exam_for("certification")
    assert exam is not None
    document, slideshow = exam.productions
    assert conformity(document, [measure(pdf(31), "dossier.pdf")]) == Conformity(
        Status.NOT_CONFORM, ["Document « dossier.pdf » : 31 pages, il en faut de 32 à 38."]
    )
    found = conformity(document, [measure(docx(declared_pages=35), "dossier.docx")])
    assert found.status == Status.TO_CHECK
    assert "Word en indiquait 35" in found.messages[0]
    assert conformity(slideshow, [measure(odp(27), "support.odp")]) == Conformity(
        Status.NOT_CONFORM,
        [
            "Support de présentation de type diaporama « support.odp » : 27 diapositives, "
            "il en faut de 28 à 32."
        ],
    )


def test_statuses_have_french_labels() -> None:
    assert [status.label for status in Status] == [
        "Conforme",
        "Non conforme",
        "À vérifier par le responsable",
        "Manquant",
    ]
