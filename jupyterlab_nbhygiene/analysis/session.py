"""Incremental analysis of one open notebook: the last input, and the facts of its cells.

An :class:`AnalysisSession` holds what the frontend sent last (cells by id, their order,
the execution history, settings, path), the facts of each cell source, and the last
report with the context it came from (graph, states). A full request replaces all of it;
a delta (README, "REST API", and delta.py) names the cells that changed, the order when
cells were added, deleted or moved, and the executions since the last request. Either
way the report comes from the same pure function as a cold analysis
(`analyzer.analysis`), which the session hands what it already knows:

- the facts of the sources it has seen: an unchanged cell is not parsed again, and what
  rules read of one cell alone is kept with its facts (`CellFacts.once`);
- the last report and its context (`report.Previous`): the graph is relinked from the
  last graph when the edited cells leave the same names behind (relink.py), and every
  cell whose entry would come out the same keeps its last entry.

The report is exactly the one a cold analysis of the same notebook gives (a property
test checks it over random edits).

Outputs are kept as summaries (type, error name and value, MIME types, size): all the
analysis reads of them, whatever the frontend sent.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any, Final, Literal

from .analyzer import analysis
from .context import AnalysisContext
from .delta import Input, applied, full_input
from .facts import CellFacts, compute_facts
from .report import Previous

ConflictReason = Literal["no-session", "revision"]


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


class AnalysisSession:
    """One open notebook's last input, per-cell facts, last context and revision.

    `analyze_full` and `apply` mutate the session; each acquires `self.lock` for the whole
    call, so requests on one session run one after the other (another session's do not
    wait). A failed request (bad input) leaves the session as it was.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._revision = 0
        self._input: Input | None = None
        self._facts: dict[str, CellFacts] = {}  # by source: the cells' and the history's
        # The last report and its context: the next analysis relinks from its graph and
        # reuses its unchanged entries (report.Previous), so callers read reports only.
        self._last: Previous | None = None

    @property
    def revision(self) -> int:
        """The revision of the last report (0 before the first)."""
        return self._revision

    @property
    def context(self) -> AnalysisContext | None:
        """What the last report was computed from (cells, facts, graph, states); read it
        only. None before the first report."""
        return None if self._last is None else self._last.ctx

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
        candidate = full_input(notebook, history, settings, path)
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
            candidate = applied(last, delta)
            if not isinstance(settings, _Keep):
                candidate = replace(candidate, settings=settings)
            if not isinstance(path, _Keep):
                candidate = replace(candidate, path=path)
            return self._commit(candidate, slices)

    def _commit(self, candidate: Input, slices: bool) -> dict[str, Any]:
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
            previous=self._last,
        )
        self._input, self._facts = candidate, used
        self._last = Previous(context, report, slices)
        self._revision += 1
        report["revision"] = self._revision
        return report
