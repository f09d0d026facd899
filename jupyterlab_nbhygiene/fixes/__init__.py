"""One-click repairs: pure functions from a notebook to edits and moves (README, "REST API").

`apply_fix(notebook, fix, cell)` returns `{"fix", "title", "edits": [{"cell_id", "source"}],
"moves": [{"cell_id", "to_index"}], "summary"}`. Edits replace a cell's whole source.
Moves are applied in the order given; `to_index` is the 0-based index the cell takes in the
notebook as the earlier moves left it. The notebook is never written here: the frontend
applies the result through the notebook model, as one undoable step.

Raises :class:`UnsafeFix` (HTTP 409) when the repair would break a dependency (the message
names it), ``NotebookError`` or :class:`FixInputError` (HTTP 400) for input that is not a
notebook, a fix or a cell. All three are ``AnalysisInputError``; anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..analysis import analyze, read_notebook
from .common import FixInputError, FixResult, UnsafeFix
from .imports import hoist_imports
from .move import move_cell
from .seed import seed_random

FIXES = ("move-cell", "hoist-imports", "seed-random")

__all__ = ["FIXES", "FixInputError", "FixResult", "UnsafeFix", "apply_fix"]


def apply_fix(notebook: Mapping[str, Any], fix: str, cell: int | None = None) -> dict[str, Any]:
    """The edits and moves that perform `fix` (module docstring); `cell` is the 0-based
    index of the cell the finding is on (needed by `move-cell`, ignored by the others)."""
    if fix not in FIXES:
        raise FixInputError(f'"fix" must be one of {", ".join(FIXES)}; got {fix!r}.')
    nb = read_notebook(notebook)
    if nb.language != "python":
        raise UnsafeFix(f"Repairs work on Python notebooks; this one is {nb.language}.")
    if cell is not None and (
        not isinstance(cell, int) or isinstance(cell, bool) or not 0 <= cell < len(nb.cells)
    ):
        raise FixInputError(f'"cell" must be a cell index from 0 to {len(nb.cells) - 1}.')
    if fix == "move-cell":
        if cell is None:
            raise FixInputError('"move-cell" needs "cell": the index of the cell to repair.')
        result = move_cell(nb, analyze(nb)["cells"], cell)
    elif fix == "hoist-imports":
        result = hoist_imports(nb)
    else:
        result = seed_random(nb)
    return result.to_json(fix)
