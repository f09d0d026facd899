"""The one error export and the fixes raise: a sentence for the user."""

from __future__ import annotations


class ExportError(ValueError):
    """No safe result: the message names the cell (1-based, as the panel counts) and the
    name or magic at fault. The CLI exits 1 with it; the server answers 409 with it."""

    def __init__(self, message: str, *, cell: int | None = None, name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cell = cell
        self.name = name
