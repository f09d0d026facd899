"""The execution history the frontend records (and `--history FILE` reads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

from .model import Execution, Notebook
from .notebook import NotebookError


def read_history(data: Any) -> tuple[Execution, ...]:
    """Validate `{"executions": [{"cell_id", "source", "execution_count"}, ...]}`.

    Raises :class:`NotebookError` with a sentence for the user when the shape is wrong.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("executions"), list):
        raise NotebookError('The history must be an object with an "executions" list.')
    executions: list[Execution] = []
    for i, raw in enumerate(data["executions"]):
        if not isinstance(raw, Mapping):
            raise NotebookError(f"History entry {i} must be an object.")
        cell_id, source = raw.get("cell_id"), raw.get("source")
        count = raw.get("execution_count")
        status = raw.get("status")
        if not isinstance(cell_id, str) or not isinstance(source, str):
            raise NotebookError(f"History entry {i} needs a string cell_id and source.")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            raise NotebookError(f"History entry {i}'s execution_count must be an integer.")
        executions.append(
            Execution(
                cell_id=cell_id,
                source=source,
                execution_count=count,
                status=status if status in ("ok", "error") else None,
            )
        )
    return tuple(executions)


HistoryMatch = Literal["id", "source", "none"]


def match_history(
    nb: Notebook, executions: Sequence[Execution]
) -> tuple[tuple[Execution, ...], HistoryMatch]:
    """Tie executions to the notebook's cells, and say how (`history_match` in the report).

    Executions name cells by id. When no id matches and the file had no cell ids (the
    analysis made up `cell-N`), the frontend's ids cannot be known: each execution is then
    tied to the first code cell whose current source is the one it ran. A cell edited
    since it ran matches nothing that way and shows as unexecuted, which the report's
    `history_match: "source"` warns about; `"none"` means no execution matched at all.
    """
    ids = {cell.id for cell in nb.cells}
    if not executions or any(e.cell_id in ids for e in executions):
        return tuple(executions), "id"
    if not nb.synthesized_ids:
        return tuple(executions), "none"
    by_source: dict[str, str] = {}
    for cell in nb.code_cells:
        by_source.setdefault(_normalized(cell.source), cell.id)
    matched = tuple(
        replace(e, cell_id=by_source.get(_normalized(e.source), e.cell_id)) for e in executions
    )
    if not any(e.cell_id in ids for e in matched):
        return tuple(executions), "none"
    return matched, "source"


def _normalized(source: str) -> str:
    return source.replace("\r\n", "\n").rstrip()
