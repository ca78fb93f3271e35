"""Bad input: a clear error naming the file (and line), never a half-read référentiel."""

from __future__ import annotations

import pytest

from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.reader import parse
from tests.conftest import seed_bytes


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "le fichier est vide", None),
        (b"  \n\n \t\n", "le fichier est vide", None),
        (b"REFERENTIEL\n\x00\x01\x02binary", "binaire", 2),
        ("première ligne\ndeuxième ligne é\n".encode("latin-1"), "pas en UTF-8", 1),
        (b"Liste de courses\n- pain\n- lait\n", "format non reconnu", 1),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binaire", 3),
    ],
)
def test_unreadable_documents_are_refused_with_file_and_line(data, message, line):
    with pytest.raises(ImportFailure) as caught:
        parse(data, filename="document.txt")
    assert message in caught.value.message
    assert caught.value.filename == "document.txt"
    assert caught.value.line == line
    assert str(caught.value).startswith("document.txt")


def test_a_latin1_copy_of_a_real_seed_is_refused_at_its_first_accented_line():
    text = seed_bytes("cc").decode()
    data = text.encode("latin-1", errors="replace")
    first_accent = next(i for i, line in enumerate(text.split("\n"), 1) if not line.isascii())
    with pytest.raises(ImportFailure) as caught:
        parse(data, filename="cc-latin1.txt")
    assert caught.value.line == first_accent


@pytest.mark.parametrize("key", ["cc", "ntc", "attache", "devco", "charge"])
@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8])
def test_a_seed_cut_in_the_middle_of_a_line_is_refused_as_truncated(key, fraction):
    data = seed_bytes(key)
    cut = data[: int(len(data) * fraction)].decode(errors="ignore").encode()
    with pytest.raises(ImportFailure) as caught:
        parse(cut, filename=f"{key}-tronque.txt")
    assert caught.value.line is not None
    assert str(caught.value).startswith(f"{key}-tronque.txt, ligne ")


@pytest.mark.parametrize("key", ["cc", "ntc"])
@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8, 0.95])
def test_a_ministry_document_cut_between_two_lines_is_refused(key, fraction):
    lines = seed_bytes(key).split(b"\n")
    cut = b"\n".join(lines[: int(len(lines) * fraction)]) + b"\n"
    with pytest.raises(ImportFailure) as caught:
        parse(cut, filename=f"{key}-tronque.txt")
    assert caught.value.line is not None
