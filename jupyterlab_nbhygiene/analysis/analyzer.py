"""The analyzer: a pure function from notebook JSON (+ history, settings) to a report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .caches import gc_paused
from .context import AnalysisContext
from .graph import build_graph
from .history import HistoryMatch, match_history, read_history
from .model import CellIndex, CellSymbols, Notebook, ParsedCell
from .notebook import read_notebook
from .report import build_report
from .rules import run_rules
from .score import compute_score
from .settings import Settings
from .source import parse_cell
from .state import cell_states
from .symbols import cell_symbols


def analyze(
    notebook: Mapping[str, Any] | Notebook,
    history: Mapping[str, Any] | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
    *,
    path: str | None = None,
) -> dict[str, Any]:
    """Analyze one notebook and return its JSON report (architecture.md, "The report").

    `notebook` is nbformat v4 JSON (or an already read :class:`Notebook`); `history` the
    frontend's execution history JSON. Raises ``NotebookError``/``SettingsError`` (both
    ``ValueError``) with a message for the user when the input is malformed; never raises
    on cell contents, whatever they are.
    """
    with gc_paused():
        # The work is a call of its own so that its intermediate objects are freed before
        # the collector resumes: its first pass then only meets the report.
        return _analyze(notebook, history, settings, path)


def _analyze(
    notebook: Mapping[str, Any] | Notebook,
    history: Mapping[str, Any] | None,
    settings: Settings | Mapping[str, Any] | None,
    path: str | None,
) -> dict[str, Any]:
    nb = notebook if isinstance(notebook, Notebook) else read_notebook(notebook, path=path)
    executions = read_history(history) if history is not None else None
    conf = settings if isinstance(settings, Settings) else Settings.from_mapping(settings)
    ctx = build_context(nb, executions, conf)
    findings = run_rules(ctx)
    score, breakdown = compute_score(findings, conf)
    return build_report(ctx, findings, score, breakdown)


def build_context(nb: Notebook, executions: Any, settings: Settings) -> AnalysisContext:
    """Parse, collect symbols, link cells and compute states: the facts rules look at."""
    parsed: dict[CellIndex, ParsedCell] = {}
    symbols: dict[CellIndex, CellSymbols] = {}
    if nb.language == "python":
        for cell in nb.code_cells:
            parsed[cell.index] = p = parse_cell(cell.source)
            if p.tree is not None:
                symbols[cell.index] = cell_symbols(p)
    graph = build_graph(symbols, [c.index for c in nb.code_cells])
    how: HistoryMatch | None = None
    if executions is not None:
        executions, how = match_history(nb, executions)
    states = cell_states(nb, symbols, graph, executions, parsed=parsed)
    return AnalysisContext(
        notebook=nb,
        parsed=parsed,
        symbols=symbols,
        graph=graph,
        states=states,
        history=executions,
        settings=settings,
        history_match=how,
    )
