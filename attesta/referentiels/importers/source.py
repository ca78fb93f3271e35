"""Reading a source document safely: bytes in, numbered text lines out, or ImportFailure."""

from __future__ import annotations

from dataclasses import dataclass

from attesta.referentiels.importers.errors import ImportFailure


@dataclass(frozen=True)
class Source:
    filename: str
    text: str

    @property
    def lines(self) -> list[str]:
        """Lines of the document; ``lines[i]`` is line ``i + 1``."""
        return self.text.split("\n")

    def fail(
        self, message: str, *, line: int | None = None, field: str | None = None
    ) -> ImportFailure:
        return ImportFailure(message, filename=self.filename, line=line, field=field)


def decode(data: bytes, *, filename: str) -> Source:
    """Decode a document as UTF-8 text, refusing empty, binary and non-UTF-8 input."""
    if not data.strip():
        raise ImportFailure("le fichier est vide", filename=filename)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ImportFailure(
            "le fichier est binaire (octet nul), pas un texte", filename=filename, line=line
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailure(
            f"le fichier n'est pas en UTF-8 (octet 0x{data[exc.start]:02x} invalide)",
            filename=filename,
            line=line,
        ) from exc
    return Source(filename=filename, text=text.replace("\r\n", "\n").replace("\r", "\n"))
