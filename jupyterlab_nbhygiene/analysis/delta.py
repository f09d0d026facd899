"""A session's input, and how a delta request changes it (README, "REST API").

Pure functions over immutable values: `applied(last, delta)` gives the new input or
raises :class:`DeltaError` naming what is wrong; nothing here keeps state.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from .errors import AnalysisInputError
from .notebook import read_notebook, summarize_output


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


def full_input(notebook: Any, history: Any, settings: Any, path: str | None) -> Input:
    """The input a full body gives a session; raises an :class:`AnalysisInputError` for
    a malformed notebook or history, and a :class:`DeltaError` when a cell has no id or
    an id appears twice (a session tells cells by id)."""
    nb = read_notebook(notebook, path=path)  # the shape, checked before anything
    if nb.synthesized_ids:
        raise DeltaError(
            "Every cell needs an id to keep a session (nbformat 4.5 or later); "
            'send the notebook without "client" to analyse it once.'
        )
    ids = _once_each([cell.id for cell in nb.cells], "the notebook")
    if history is not None:
        if not isinstance(history, Mapping) or not isinstance(history.get("executions"), list):
            raise AnalysisInputError('The history must be an object with an "executions" list.')
        executions: tuple[Any, ...] | None = tuple(history["executions"])
    else:
        executions = None
    metadata = notebook.get("metadata") or {}
    return Input(
        nbformat=notebook.get("nbformat"),
        nbformat_minor=notebook.get("nbformat_minor", 5),
        metadata={k: metadata[k] for k in NOTEBOOK_METADATA if k in metadata},
        order=tuple(ids),
        cells={raw["id"]: stored(raw) for raw in notebook["cells"]},
        history=executions,
        settings=settings,
        path=path,
    )


def _once_each(ids: list[str], where: str) -> list[str]:
    """`ids`, or a :class:`DeltaError` naming the first that appears twice in `where`."""
    seen: set[str] = set()
    for cell_id in ids:
        if cell_id in seen:
            raise DeltaError(f"Cell id {cell_id!r} appears twice in {where}.")
        seen.add(cell_id)
    return ids


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

    The new order is "order" (every cell id), or the session's order changed by
    "order_changes" (see :func:`changed_order`), never both. With neither the session's
    cells and their order stay: every cell the delta gives must then be one the session
    knows (an edit, never an insertion).
    """
    if not isinstance(delta, Mapping):
        raise DeltaError('"delta" must be an object with "order", "cells" and "history".')
    if "order" in delta and "order_changes" in delta:
        raise DeltaError(
            'A delta gives the new order either whole ("delta.order") or as changes '
            '("delta.order_changes"), not both.'
        )
    given = _given(delta.get("cells", []))
    order = _new_order(last.order, delta, given)
    listed = set(order)
    cells = {cell_id: last.cells[cell_id] for cell_id in order if cell_id in last.cells}
    for cell_id, raw in given.items():
        if cell_id not in listed:
            raise DeltaError(_unlisted(cell_id, delta))
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


def _given(changed: Any) -> dict[str, Mapping[str, Any]]:
    """The cells of "delta.cells" by id, each id once."""
    if not isinstance(changed, list) or not all(isinstance(c, Mapping) for c in changed):
        raise DeltaError('"delta.cells" must be a list of cell objects.')
    given: dict[str, Mapping[str, Any]] = {}
    for raw in changed:
        cell_id = raw.get("id")
        if not isinstance(cell_id, str):
            raise DeltaError('Each cell in "delta.cells" needs a string "id".')
        if cell_id in given:
            raise DeltaError(f"Cell id {cell_id!r} appears twice in delta.cells.")
        given[cell_id] = raw
    return given


def _new_order(last: Sequence[str], delta: Mapping[str, Any], given: Collection[str]) -> list[str]:
    if "order_changes" in delta:
        return changed_order(last, delta["order_changes"], given)
    if "order" not in delta:
        return list(last)
    return _once_each(_ids(delta["order"], '"delta.order"'), "delta.order")


def _unlisted(cell_id: str, delta: Mapping[str, Any]) -> str:
    """Why a cell "delta.cells" gives cannot be in the new order."""
    if "order" in delta:
        return f"delta.cells gives cell {cell_id!r}, which delta.order does not list."
    if "order_changes" in delta:
        return (
            f"delta.cells gives cell {cell_id!r}, which is not in the order after "
            "delta.order_changes."
        )
    return (
        f"delta.cells gives cell {cell_id!r}, which the session does not know; a delta that "
        "adds a cell must place it with delta.order or delta.order_changes."
    )


def changed_order(last: Sequence[str], changes: Any, new: Collection[str]) -> list[str]:
    """`last` with "delta.order_changes" applied; `new`: the ids "delta.cells" gives.

    Drops every id of "removed", then inserts each entry of "inserted", in list order,
    right after its "after" (null: at the top). Either list may be left out. Raises
    :class:`DeltaError` naming the id of an operation that cannot be applied.
    """
    if not isinstance(changes, Mapping):
        raise DeltaError('"delta.order_changes" must be an object with "removed" and "inserted".')
    removed = _ids(changes.get("removed", []), '"delta.order_changes.removed"')
    inserted = _insertions(changes.get("inserted", []))
    known = set(last)
    dropped: set[str] = set()
    for cell_id in removed:
        if cell_id in dropped:
            raise DeltaError(f"delta.order_changes removes cell {cell_id!r} twice.")
        if cell_id not in known:
            raise DeltaError(
                f"delta.order_changes removes cell {cell_id!r}, which the session does not have."
            )
        dropped.add(cell_id)
    kept = [cell_id for cell_id in last if cell_id not in dropped]
    # The order as a linked list: each id's successor, None heading it and ending it.
    following: dict[str | None, str | None] = dict(zip((None, *kept), (*kept, None), strict=True))
    for cell_id, after in inserted:
        if cell_id in following:
            raise DeltaError(
                f"delta.order_changes inserts cell {cell_id!r}, which is already in the order "
                "(a move removes it first)."
            )
        if after not in following:
            raise DeltaError(
                f"delta.order_changes inserts cell {cell_id!r} after cell {after!r}, which is "
                "not in the order at that point."
            )
        if cell_id not in known and cell_id not in new:
            raise DeltaError(
                f"delta.order_changes inserts cell {cell_id!r}, which the session does not know "
                "and delta.cells does not give."
            )
        following[cell_id] = following[after]
        following[after] = cell_id
    order: list[str] = []
    at = following[None]
    while at is not None:
        order.append(at)
        at = following[at]
    return order


def _insertions(value: Any) -> list[tuple[str, str | None]]:
    """The (id, after) pairs of "delta.order_changes.inserted", their types checked."""
    if not isinstance(value, list):
        raise DeltaError('"delta.order_changes.inserted" must be a list of {"id", "after"}.')
    pairs: list[tuple[str, str | None]] = []
    for k, entry in enumerate(value):
        if (
            not isinstance(entry, Mapping)
            or not isinstance(entry.get("id"), str)
            or "after" not in entry
            or not isinstance(entry["after"], str | None)
        ):
            raise DeltaError(
                f"delta.order_changes.inserted[{k}] must be "
                '{"id": <cell id>, "after": <cell id or null>}.'
            )
        pairs.append((entry["id"], entry["after"]))
    return pairs


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


def _longest_increasing(values: list[int]) -> list[int]:
    """A longest strictly increasing subsequence of `values` (patience sorting)."""
    tails: list[int] = []  # tails[k]: index in `values` of the least tail of a run of k + 1
    tail_values: list[int] = []
    back: list[int] = []  # each index's predecessor in its run, -1 for none
    for k, value in enumerate(values):
        at = bisect.bisect_left(tail_values, value)
        back.append(tails[at - 1] if at else -1)
        if at == len(tails):
            tails.append(k)
            tail_values.append(value)
        else:
            tails[at] = k
            tail_values[at] = value
    run: list[int] = []
    k = tails[-1] if tails else -1
    while k != -1:
        run.append(values[k])
        k = back[k]
    return run[::-1]


def order_changes(before: list[str], after: list[str]) -> dict[str, Any]:
    """`delta.order_changes` from the order `before` to the order `after`, as the panel
    computes it (`orderChanges` in src/protocol.ts does the same): the ids outside a longest
    run that keeps its old order are moved, i.e. removed and inserted again; new ids are
    inserted, gone ids removed. For scripts that keep a session, and for tests."""
    old = {cell_id: k for k, cell_id in enumerate(before)}
    stay = {before[k] for k in _longest_increasing([old[c] for c in after if c in old])}
    inserted = [
        {"id": cell_id, "after": after[k - 1] if k else None}
        for k, cell_id in enumerate(after)
        if cell_id not in stay
    ]
    return {"removed": [c for c in before if c not in stay], "inserted": inserted}
