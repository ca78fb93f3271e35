"""The one error an importer raises: what is wrong and where (file, line, field)."""

from __future__ import annotations


class ImportFailure(Exception):
    def __init__(
        self, message: str, *, filename: str, line: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.filename = filename
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = self.filename if self.line is None else f"{self.filename}, ligne {self.line}"
        if self.field:
            where += f", champ « {self.field} »"
        return f"{where} : {self.message}"
