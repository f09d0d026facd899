"""A session's input, and how a delta request changes it (README, "REST API").

Pure functions over immutable values: `applied(last, delta)` gives the new input or
raises :class:`DeltaError` naming what is wrong; nothing here keeps state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from .errors import AnalysisInputError
from .notebook import summarize_output


class DeltaError(AnalysisInputError):
    """A delta request that cannot be applied as given; the message is for the user."""


NOTEBOOK_METADATA: Final = ("kernelspec", "language_info")  # all the analysis reads of it


@dataclass(frozen=True)
class Input:
    """Everything the session's next report is computed from; replaced, never changed."""

    nbformat: Any
    nbformat_minor: Any
    metadata: Mapping[str, Any]
    order: tuple[str, ...]
    cells: Mapping[str, Mapping[str, Any]]  # by id, outputs as summaries
    history: tuple[Any, ...] | None  # raw executions; None: the request had no history
    settings: Any
    path: str | None

    def notebook(self) -> dict[str, Any]:
        return {
            "nbformat": self.nbformat,
            "nbformat_minor": self.nbformat_minor,
            "metadata": dict(self.metadata),
            "cells": [dict(self.cells[cell_id]) for cell_id in self.order],
        }


def stored(raw: Mapping[str, Any]) -> dict[str, Any]:
    """What the session keeps of a cell: what the analysis reads, outputs as summaries.

    Values of the wrong type are kept as they are, so that reading the notebook refuses
    them with its own message.
    """
    cell: dict[str, Any] = {
        key: raw[key] for key in ("id", "cell_type", "source", "execution_count") if key in raw
    }
    outputs = raw.get("outputs")
    if isinstance(outputs, list) and all(isinstance(o, Mapping) for o in outputs):
        cell["outputs"] = [summarize_output(o) for o in outputs]
    elif outputs is not None:
        cell["outputs"] = outputs
    metadata = raw.get("metadata")
    if isinstance(metadata, Mapping) and "tags" in metadata:
        cell["metadata"] = {"tags": metadata["tags"]}
    return cell


def _ids(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
        raise DeltaError(f"{what} must be a list of cell ids (strings).")
    return value


def applied(last: Input, delta: Any) -> Input:
    """`last` with `delta` applied; raises :class:`DeltaError` naming what is wrong.

    Without "order" the session's cells and their order stay: every cell the delta gives
    must then be one the session knows (an edit, never an insertion).
    """
    if not isinstance(delta, Mapping):
        raise DeltaError('"delta" must be an object with "order", "cells" and "history".')
    kept = "order" not in delta  # the cells and their order are the session's
    order = list(last.order) if kept else _ids(delta["order"], '"delta.order"')
    seen: set[str] = set()
    for cell_id in order:
        if cell_id in seen:
            raise DeltaError(f"Cell id {cell_id!r} appears twice in delta.order.")
        seen.add(cell_id)
    changed = delta.get("cells", [])
    if not isinstance(changed, list) or not all(isinstance(c, Mapping) for c in changed):
        raise DeltaError('"delta.cells" must be a list of cell objects.')
    cells = {cell_id: last.cells[cell_id] for cell_id in order if cell_id in last.cells}
    given: set[str] = set()
    for raw in changed:
        cell_id = raw.get("id")
        if not isinstance(cell_id, str):
            raise DeltaError('Each cell in "delta.cells" needs a string "id".')
        if cell_id in given:
            raise DeltaError(f"Cell id {cell_id!r} appears twice in delta.cells.")
        if cell_id not in seen:
            raise DeltaError(
                f"delta.cells gives cell {cell_id!r}, which the session does not know; "
                "a delta that adds a cell must give the new order in delta.order."
                if kept
                else f"delta.cells gives cell {cell_id!r}, which delta.order does not list."
            )
        given.add(cell_id)
        cells[cell_id] = stored(raw)
    for cell_id in order:
        if cell_id not in cells:
            raise DeltaError(
                f"delta.order names cell {cell_id!r}, which the session does not know and "
                f"delta.cells does not give."
            )
    return replace(
        last,
        order=tuple(order),
        cells=cells,
        history=_history(last.history, delta.get("history", []), delta.get("history_reset")),
    )


def _history(last: Sequence[Any] | None, added: Any, reset: Any) -> tuple[Any, ...] | None:
    if not isinstance(added, list) or not all(isinstance(e, Mapping) for e in added):
        raise DeltaError('"delta.history" must be a list of execution objects.')
    if reset is not None and not isinstance(reset, bool):
        raise DeltaError('"delta.history_reset" must be true or false.')
    if reset:
        return tuple(added)
    if last is None:
        return tuple(added) if added else None
    return (*last, *added) if added else tuple(last)
