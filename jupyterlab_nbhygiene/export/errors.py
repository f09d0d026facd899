"""Export's errors, both :class:`~..analysis.errors.AnalysisInputError`: a sentence for the user.

:class:`ExportError` is a refusal (the CLI exits 1, the server answers 409);
:class:`ExportInputError` is a request export cannot read (exit 2, HTTP 400). Anything
else export raises is a bug.
"""

from __future__ import annotations

from ..analysis.errors import AnalysisInputError


class ExportError(AnalysisInputError):
    """No safe result: the message names the cell (1-based, as the panel counts) and the
    name or magic at fault. The CLI exits 1 with it; the server answers 409 with it."""

    def __init__(self, message: str, *, cell: int | None = None, name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cell = cell
        self.name = name


class ExportInputError(AnalysisInputError):
    """The cells asked for cannot be exported as asked (no such cell, not a code cell, none
    named): the CLI exits 2 with it; the server answers 400 with it."""
