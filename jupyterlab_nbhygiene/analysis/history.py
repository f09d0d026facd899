"""The execution history the frontend records (and `--history FILE` reads)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Execution
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
