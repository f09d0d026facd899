"""The analyzer: a pure function from notebook JSON (+ history, settings) to a report.

The pipeline reads straight: parse and symbols per cell (facts.py) -> without changes to
imported modules (imported.py) -> graph (graph.py) -> states (state.py) -> rules (rules/)
-> score (score.py) -> report (report.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from .context import AnalysisContext
from .facts import CellFacts, cell_facts
from .graph import build_graph
from .history import HistoryMatch, match_history, read_history
from .imported import imported_only, without_module_changes
from .model import CellIndex, CellSymbols, Execution, Notebook, ParsedCell
from .notebook import read_notebook
from .relink import relink
from .report import Previous, build_report
from .rules import run_rules
from .score import compute_score
from .settings import Settings
from .state import cell_states

FactsOf = Callable[[str], CellFacts]
"""Gives the facts of a cell's source: `facts.cell_facts`, or a session's own table."""


def analyze(
    notebook: Mapping[str, Any] | Notebook,
    history: Mapping[str, Any] | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
    *,
    path: str | None = None,
    slices: bool = True,
    facts: FactsOf | None = None,
) -> dict[str, Any]:
    """Analyze one notebook and return its JSON report (architecture.md, "The report").

    `notebook` is nbformat v4 JSON (or an already read :class:`Notebook`); its outputs
    may be output summaries. `history` is the frontend's execution history JSON. With
    `slices`, code cells carry their `upstream`/`downstream` lists. `facts` gives the
    facts of a cell source (default: :func:`facts.cell_facts`); any function returning
    `compute_facts(source)` gives the same report.

    A pure function: the report depends on the arguments alone, the arguments are not
    changed, and no call leaves state that another call reads, except the bounded cache
    of per-source cell facts, which holds only what `compute_facts` gives again. Safe to
    call from several threads at once.

    Raises ``NotebookError``/``SettingsError`` (both ``AnalysisInputError``) with a
    message for the user when the input is malformed; never raises on cell contents,
    whatever they are.
    """
    return analysis(notebook, history, settings, path=path, slices=slices, facts=facts)[0]


def analysis(
    notebook: Mapping[str, Any] | Notebook,
    history: Mapping[str, Any] | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
    *,
    path: str | None = None,
    slices: bool = True,
    facts: FactsOf | None = None,
    previous: Previous | None = None,
) -> tuple[dict[str, Any], AnalysisContext]:
    """`analyze()`'s report, and the context it was computed from (graph, states, ...):
    the same pure function, for a caller that keeps the context (read it only).

    `previous` (the last report of this notebook and its context) lets the report reuse
    the entries of unchanged cells (report.Previous); the report is the same without it.
    """
    nb = notebook if isinstance(notebook, Notebook) else read_notebook(notebook, path=path)
    executions = read_history(history) if history is not None else None
    conf = settings if isinstance(settings, Settings) else Settings.from_mapping(settings)
    last = None if previous is None else previous.ctx
    ctx = build_context(nb, executions, conf, facts=facts, previous=last)
    findings = run_rules(ctx)
    score, breakdown = compute_score(findings, conf)
    report = build_report(ctx, findings, score, breakdown, with_slices=slices, previous=previous)
    return report, ctx


def build_context(
    nb: Notebook,
    executions: Sequence[Execution] | None,
    settings: Settings,
    *,
    facts: FactsOf | None = None,
    previous: AnalysisContext | None = None,
) -> AnalysisContext:
    """Parse, collect symbols, link cells and compute states: the facts rules look at.

    With `previous` (the context of the last analysis of this notebook) the graph is
    relinked from its graph where the edit allows (relink.py): the same graph."""
    facts_of = facts or cell_facts
    per_cell: dict[CellIndex, CellFacts] = {}
    parsed: dict[CellIndex, ParsedCell] = {}
    symbols: dict[CellIndex, CellSymbols] = {}
    if nb.language == "python":
        for cell in nb.code_cells:
            per_cell[cell.index] = found = facts_of(cell.source)
            parsed[cell.index] = found.parsed
            if found.parsed.tree is not None:
                symbols[cell.index] = found.symbols
    # Calling or configuring an imported module is not a change of data (imported.py).
    modules = imported_only(symbols.values())
    if modules:
        for index, sym in symbols.items():
            kept = without_module_changes(sym, modules)
            if kept is not sym:
                symbols[index] = kept
                per_cell[index] = replace(per_cell[index], symbols=kept)
    order = [c.index for c in nb.code_cells]
    graph = None
    if previous is not None and previous.notebook.language == nb.language:
        before = [c.index for c in previous.notebook.code_cells]
        graph = relink(previous.graph, previous.symbols, symbols, order, before)
    if graph is None:
        graph = build_graph(symbols, order)
    how: HistoryMatch | None = None
    if executions is not None:
        executions, how = match_history(nb, executions)
    states = cell_states(
        nb, symbols, graph, executions, parsed=parsed, facts_of=facts_of, modules=modules
    )
    return AnalysisContext(
        notebook=nb,
        parsed=parsed,
        symbols=symbols,
        graph=graph,
        states=states,
        history=executions,
        settings=settings,
        history_match=how,
        facts=per_cell,
    )
