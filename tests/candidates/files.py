"""Real production files built in memory for the tests (pypdf for PDFs, zips by hand)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence

import openpyxl
from pypdf import PdfWriter

# --- file builders ------------------------------------------------------------------------

PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
PPTX_SLIDE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PML_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"


def pdf(pages: int, *, password: str | None = None, owner_password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password, owner_password=owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_of(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def content_types(overrides: dict[str, str]) -> str:
    rows = "".join(
        f'<Override PartName="/{part}" ContentType="{type_}"/>' for part, type_ in overrides.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{CT_NS}">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{rows}</Types>"
    )


def pptx_parts(slides: int) -> dict[str, str | bytes]:
    names = [f"ppt/slides/slide{n}.xml" for n in range(1, slides + 1)]
    ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n}"/>' for n in range(1, slides + 1))
    return {
        "[Content_Types].xml": content_types(
            {"ppt/presentation.xml": PPTX_MAIN} | dict.fromkeys(names, PPTX_SLIDE)
        ),
        "_rels/.rels": "<Relationships/>",
        "ppt/presentation.xml": f'<p:presentation xmlns:p="{PML_NS}"><p:sldIdLst>{ids}'
        "</p:sldIdLst></p:presentation>",
        **dict.fromkeys(names, f'<p:sld xmlns:p="{PML_NS}"><p:cSld/></p:sld>'),
    }


def pptx(slides: int) -> bytes:
    return zip_of(pptx_parts(slides))


def odf(mimetype: str, body: str, *, manifest: str = "<manifest:manifest/>") -> bytes:
    return zip_of(
        {
            "mimetype": mimetype,
            "META-INF/manifest.xml": manifest,
            "content.xml": (
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                'office:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0">'
                f"<office:body>{body}</office:body></office:document-content>"
            ),
            "meta.xml": '<office:document-meta><meta:document-statistic meta:page-count="34"/>'
            "</office:document-meta>",
        }
    )


def odp(slides: int) -> bytes:
    pages = "".join(f'<draw:page draw:name="p{n}"/>' for n in range(slides))
    return odf(
        "application/vnd.oasis.opendocument.presentation",
        f"<office:presentation>{pages}</office:presentation>",
    )


def docx(*, declared_pages: int | None = None) -> bytes:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types({"word/document.xml": DOCX_MAIN}),
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": "<w:document/>",
    }
    if declared_pages is not None:
        parts["docProps/app.xml"] = f"<Properties><Pages>{declared_pages}</Pages></Properties>"
    return zip_of(parts)


def patch_declared_size(data: bytes, size: int) -> bytes:
    """Make every entry of the zip announce ``size`` uncompressed bytes (a zip bomb's header)."""
    patched = bytearray(data)
    start = 0
    while (start := patched.find(b"PK\x01\x02", start)) != -1:
        patched[start + 24 : start + 28] = struct.pack("<I", size)
        start += 4
    return bytes(patched)


def set_encrypted_flag(data: bytes) -> bytes:
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := patched.find(signature, start)) != -1:
            patched[start + offset] |= 0x1
            start += 4
    return bytes(patched)


# --- measure: what can be counted ---------------------------------------------------------


def xlsx(*sheets: Sequence[Sequence[object]], titles: Sequence[str] = ()) -> bytes:
    """A real workbook, one sheet per list of rows (the first sheet is the active one)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, rows in enumerate(sheets):
        sheet = workbook.create_sheet(titles[index] if index < len(titles) else f"Feuil{index}")
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
