"""Incremental analysis of one open notebook: the last input, and the facts of its cells.

An :class:`AnalysisSession` holds what the frontend sent last (cells by id, their order,
the execution history, settings, path), the facts of each cell source, and the context of
the last report (graph, states). A full request
replaces all of it; a delta (README, "REST API") names the cells that changed, the new
order (left out when no cell was added, deleted or moved) and the executions since the
last request. Either way the report comes from the
same pure function as a cold analysis (`analyzer.analyze`), which the session hands the
facts of the sources it already knows: an unchanged cell is not parsed again, and the
report is exactly the one a cold analysis of the same notebook gives.

Outputs are kept as summaries (type, error name and value, MIME types, size): all the
analysis reads of them, whatever the frontend sent.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

from .analyzer import analysis
from .context import AnalysisContext
from .errors import AnalysisInputError
from .facts import CellFacts, compute_facts
from .notebook import read_notebook, summarize_output

ConflictReason = Literal["no-session", "revision"]


class DeltaError(AnalysisInputError):
    """A delta request that cannot be applied as given; the message is for the user."""


class SessionConflict(Exception):
    """The request does not follow the session's last state: the client sends a full body.

    `reason` is "no-session" (no such session, or it expired) or "revision" (the delta
    was made against another revision than the session's).
    """

    def __init__(self, reason: ConflictReason, message: str) -> None:
        super().__init__(message)
        self.reason: ConflictReason = reason


class _Keep:
    """The type of :data:`KEEP`."""


KEEP: Final = _Keep()
"""For `settings`/`path` of :meth:`AnalysisSession.apply`: keep the session's last value."""

_NOTEBOOK_METADATA = ("kernelspec", "language_info")  # all the analysis reads of it


@dataclass(frozen=True)
class _Input:
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


class AnalysisSession:
    """One open notebook's last input, per-cell facts, last context and revision.

    `analyze_full` and `apply` mutate the session; each acquires `self.lock` for the whole
    call, so requests on one session run one after the other (another session's do not
    wait). A failed request (bad input) leaves the session as it was.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._revision = 0
        self._input: _Input | None = None
        self._facts: dict[str, CellFacts] = {}  # by source: the cells' and the history's
        self._context: AnalysisContext | None = None  # of the last report

    @property
    def revision(self) -> int:
        """The revision of the last report (0 before the first)."""
        return self._revision

    @property
    def context(self) -> AnalysisContext | None:
        """What the last report was computed from (cells, facts, graph, states); read it
        only. None before the first report."""
        return self._context

    def notebook(self) -> dict[str, Any] | None:
        """The notebook as the session holds it (outputs as summaries), or None."""
        with self.lock:
            return None if self._input is None else self._input.notebook()

    def analyze_full(
        self,
        notebook: Any,
        history: Any = None,
        settings: Any = None,
        *,
        path: str | None = None,
        slices: bool = False,
    ) -> dict[str, Any]:
        """The report for `notebook`, which replaces what the session held.

        Mutates the session, acquiring `self.lock`. The report carries `revision`.
        Raises an :class:`AnalysisInputError` for malformed input (a session needs a
        string id on every cell, each id once).
        """
        nb = read_notebook(notebook, path=path)  # the shape, checked before anything
        if nb.synthesized_ids:
            raise DeltaError(
                "Every cell needs an id to keep a session (nbformat 4.5 or later); "
                'send the notebook without "client" to analyse it once.'
            )
        ids = [cell.id for cell in nb.cells]
        seen: set[str] = set()
        for cell_id in ids:
            if cell_id in seen:
                raise DeltaError(f"Cell id {cell_id!r} appears twice in the notebook.")
            seen.add(cell_id)
        if history is not None:
            if not isinstance(history, Mapping) or not isinstance(history.get("executions"), list):
                raise AnalysisInputError('The history must be an object with an "executions" list.')
            executions: tuple[Any, ...] | None = tuple(history["executions"])
        else:
            executions = None
        metadata = notebook.get("metadata") or {}
        candidate = _Input(
            nbformat=notebook.get("nbformat"),
            nbformat_minor=notebook.get("nbformat_minor", 5),
            metadata={k: metadata[k] for k in _NOTEBOOK_METADATA if k in metadata},
            order=tuple(ids),
            cells={raw["id"]: _stored(raw) for raw in notebook["cells"]},
            history=executions,
            settings=settings,
            path=path,
        )
        with self.lock:
            return self._commit(candidate, slices)

    def apply(
        self,
        base_revision: int,
        delta: Any,
        settings: Any = KEEP,
        *,
        path: str | _Keep | None = KEEP,
        slices: bool = False,
    ) -> dict[str, Any]:
        """The report after applying `delta` to the session's notebook.

        Mutates the session, acquiring `self.lock`. Raises :class:`SessionConflict` when
        the session has no notebook yet or `base_revision` is not its revision, and a
        :class:`DeltaError` (or another :class:`AnalysisInputError`) for bad input.
        """
        with self.lock:
            last = self._input
            if last is None:
                raise SessionConflict(
                    "no-session", "This session has no notebook yet: send the full notebook."
                )
            if base_revision != self._revision:
                raise SessionConflict(
                    "revision",
                    f"The delta was made against revision {base_revision}, but the session is "
                    f"at revision {self._revision}: send the full notebook.",
                )
            candidate = _applied(last, delta)
            if not isinstance(settings, _Keep):
                candidate = replace(candidate, settings=settings)
            if not isinstance(path, _Keep):
                candidate = replace(candidate, path=path)
            return self._commit(candidate, slices)

    def _commit(self, candidate: _Input, slices: bool) -> dict[str, Any]:
        """Analyse `candidate`; on success it becomes the session's input (lock held)."""
        known = self._facts
        used: dict[str, CellFacts] = {}

        def facts_of(source: str) -> CellFacts:
            found = used.get(source)
            if found is None:
                found = known.get(source) or compute_facts(source)
                used[source] = found
            return found

        history = None if candidate.history is None else {"executions": list(candidate.history)}
        report, context = analysis(
            candidate.notebook(),
            history,
            candidate.settings,
            path=candidate.path,
            slices=slices,
            facts=facts_of,
        )
        self._input, self._facts, self._context = candidate, used, context
        self._revision += 1
        report["revision"] = self._revision
        return report


def _stored(raw: Mapping[str, Any]) -> dict[str, Any]:
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


def _applied(last: _Input, delta: Any) -> _Input:
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
        cells[cell_id] = _stored(raw)
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
