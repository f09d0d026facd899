"""The JSON report (architecture.md, "The report"): the one place that shapes it.

`report.schema.json` beside this module describes the result; keep both in step.
Edges of `depends_on` marked `"hidden": true` run from a cell below to the cell that used
its name before it was defined (README, "Cell states"); `upstream` and `downstream` ignore them.
Keys beyond the contract (`upstream`, `downstream`, `lines`, `changed_by_deleted`,
`syntax_error`, `cell_magic`, `skipped`, `history_match`) are extensions: consumers may ignore them.

A caller that analyses the same notebook again (a session) may hand the last report back
as :class:`Previous`: a cell whose entry would come out the same (same id and count, the
same facts, edges, state and missing names) keeps its last entry, and a finding its last
JSON, instead of being built again. The report is equal either way; entries are then
shared between reports, so read them only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .context import AnalysisContext
from .graph import effective_uses, slices
from .hidden import missing_by_cell
from .model import Cell, CellIndex, CellState, CellSymbols, Edge, Finding, MissingName
from .score import score_label

_NO_SYMBOLS = CellSymbols()
_MARKDOWN = CellState("markdown")


def _names(names: Iterable[str]) -> list[str]:
    return sorted(set(names))


_FindingKey = tuple[str, str, str, CellIndex | None, int | None, str]


def _key(finding: Finding) -> _FindingKey:
    f = finding
    return (f.rule, f.severity, f.category, f.cell, f.line, f.message)


@dataclass(frozen=True)
class Previous:
    """The last report of a notebook, and the context it came from (read it only)."""

    ctx: AnalysisContext
    report: Mapping[str, Any]
    slices: bool  # whether its code cells carry `upstream`/`downstream`


def build_report(
    ctx: AnalysisContext,
    findings: Sequence[Finding],
    score: int,
    breakdown: Mapping[str, int],
    *,
    with_slices: bool = True,
    previous: Previous | None = None,
) -> dict[str, Any]:
    """The report for one analysis: every cell (markdown too, in notebook order) and
    `findings` in the order given. Name lists are sorted and unique. Code cells carry
    their `upstream`/`downstream` slices when `with_slices` is true. With `previous` (the
    last report of the same notebook) its findings, and when neither report has slices
    its unchanged cell entries, are taken from it: the result is the same.
    """
    nb = ctx.notebook
    up, down = (
        slices(ctx.graph, [cell.index for cell in nb.code_cells]) if with_slices else ({}, {})
    )
    report: dict[str, Any] = {
        "path": nb.path,
        "language": nb.language,
        "score": int(score),
        "score_label": score_label(int(score), findings),
        "score_breakdown": {str(k): int(v) for k, v in breakdown.items()},
        "cells": _cells(
            ctx, up, down, None if with_slices or not previous or previous.slices else previous
        ),
        "findings": _findings(findings, previous),
    }
    if ctx.history_match is not None:
        report["history_match"] = ctx.history_match
    return report


# The parts of a cell's entry that depend on its symbols alone.
@dataclass(frozen=True, slots=True)
class _Fragment:
    defines: list[str]
    mutates: list[str]
    deletes: list[str]
    imports: list[str]
    uses: list[str]  # without builtins: those count only where a cell rebinds them
    define_lines: dict[str, int]
    use_lines: dict[str, int]
    mutate_lines: dict[str, int]


def _fragment(symbols: CellSymbols) -> _Fragment:
    return _Fragment(
        defines=_names(symbols.defines),
        mutates=_names(symbols.mutates),
        deletes=_names(symbols.deletes),
        imports=_names(r.name for r in symbols.imports if r.name != "*"),
        uses=sorted(symbols.uses),
        define_lines=dict(sorted(symbols.defines.items())),
        use_lines=dict(sorted(symbols.uses.items())),
        mutate_lines=dict(sorted(symbols.mutates.items())),
    )


def _text_cell(cell: Cell) -> dict[str, Any]:
    return {
        "index": cell.index,
        "id": cell.id,
        "cell_type": cell.cell_type,
        "execution_count": None,
        "defines": [],
        "uses": [],
        "mutates": [],
        "deletes": [],
        "imports": [],
        "depends_on": [],
        "state": "markdown",
        "stale_because": [],
        "fix_by": [],
        "hidden_because": [],
    }


def _edges(edges: Iterable[Edge]) -> list[dict[str, Any]]:
    # names: sorted and unique already
    return [{"cell": edge.source, "names": list(edge.names)} for edge in edges]


def _reasons(state: CellState) -> list[dict[str, Any]]:
    return [{"name": r.name, "cell": r.cell} for r in state.stale_because]


def _hidden_reasons(state: CellState) -> list[dict[str, Any]]:
    return [{"name": r.name, "cell": r.cell, "why": r.why} for r in state.hidden_because]


def _hidden_edges(state: CellState, missing: Iterable[MissingName] | None) -> list[dict[str, Any]]:
    """Edges from a cell below that defines a name to the cell that used it before: for a
    hidden cell, the cells its reasons name (with a history, the run it read); for any
    other cell, and a cell hidden only "via" a hidden cell above (a normal edge, from
    above), the first cell below defining each name it uses too early."""
    below: dict[CellIndex, list[str]] = {}
    own = [(r.cell, r.name) for r in state.hidden_because if r.why != "via"]
    pairs = own or [(m.defined_later_in, m.name) for m in missing or ()]
    for cell, name in pairs:
        if cell is not None:
            below.setdefault(cell, []).append(name)
    return [
        {"cell": cell, "names": sorted(set(names)), "hidden": True}
        for cell, names in sorted(below.items())
    ]


def _findings(findings: Sequence[Finding], previous: Previous | None) -> list[dict[str, Any]]:
    if previous is None or not previous.report.get("findings"):
        return [finding.to_json() for finding in findings]
    last = {_key_of(f): f for f in previous.report["findings"]}
    return [last.get(_key(finding)) or finding.to_json() for finding in findings]


def _key_of(finding: Mapping[str, Any]) -> _FindingKey:
    f = finding
    return (f["rule"], f["severity"], f["category"], f["cell"], f["line"], f["message"])


class _Unchanged:
    """Tells whether a cell's entry in the previous report holds for this analysis."""

    def __init__(self, ctx: AnalysisContext, previous: Previous) -> None:
        self.ctx, self.last = ctx, previous.ctx
        self.entries: Sequence[dict[str, Any]] = previous.report["cells"]
        self.missing = missing_by_cell(self.last.graph) if self.last.graph.missing else {}

    def entry(
        self, cell: Cell, symbols: CellSymbols, missing: Sequence[MissingName] | None
    ) -> dict[str, Any] | None:
        """The previous entry of `cell`, when it is the entry this analysis would build."""
        index, last, ctx = cell.index, self.last, self.ctx
        if index >= len(self.entries) or index >= len(last.notebook.cells):
            return None
        before = last.notebook.cells[index]
        if (
            before.id != cell.id
            or before.cell_type != "code"
            or before.execution_count != cell.execution_count
            or last.symbols.get(index, _NO_SYMBOLS) is not symbols
            or last.parsed.get(index) is not ctx.parsed.get(index)
            or last.states.get(index) != ctx.states.get(index)
            or last.graph.depends_on.get(index) != ctx.graph.depends_on.get(index)
            or self.missing.get(index) != missing
        ):
            return None
        if symbols.builtin_uses and _rebound(symbols, last.graph.definers) != _rebound(
            symbols, ctx.graph.definers
        ):
            return None  # `uses` counts the builtins some cell rebinds
        return self.entries[index]


def _rebound(symbols: CellSymbols, definers: Mapping[str, object]) -> set[str]:
    return {name for name in symbols.builtin_uses if name in definers}


def _cells(
    ctx: AnalysisContext,
    up: Mapping[CellIndex, tuple[CellIndex, ...]],
    down: Mapping[CellIndex, tuple[CellIndex, ...]],
    previous: Previous | None,
) -> list[dict[str, Any]]:
    """One entry per cell, in notebook order (one loop: this runs on every edit)."""
    states, symbols_of, parsed_of = ctx.states, ctx.symbols, ctx.parsed
    depends_on, definers = ctx.graph.depends_on, ctx.graph.definers
    missing = missing_by_cell(ctx.graph) if ctx.graph.missing else {}
    unchanged = _Unchanged(ctx, previous) if previous is not None else None
    entries: list[dict[str, Any]] = []
    for cell in ctx.notebook.cells:
        if cell.cell_type != "code":
            entries.append(_text_cell(cell))
            continue
        index = cell.index
        symbols = symbols_of.get(index, _NO_SYMBOLS)
        if unchanged is not None:
            kept = unchanged.entry(cell, symbols, missing.get(index))
            if kept is not None:
                entries.append(kept)
                continue
        state = states.get(index, _MARKDOWN)
        part = _fragment(symbols)
        uses, use_lines = part.uses, part.use_lines
        if symbols.builtin_uses and not definers.keys().isdisjoint(symbols.builtin_uses):
            effective = effective_uses(symbols, ctx.graph)
            uses, use_lines = sorted(effective), dict(sorted(effective.items()))
        entry: dict[str, Any] = {
            "index": index,
            "id": cell.id,
            "cell_type": "code",
            "execution_count": cell.execution_count,
            "defines": part.defines,
            "uses": uses,
            "mutates": part.mutates,
            "deletes": part.deletes,
            "imports": part.imports,
            "depends_on": _edges(edges) if (edges := depends_on.get(index)) else [],
            "state": state.state,
            "stale_because": _reasons(state) if state.stale_because else [],
            "fix_by": list(state.fix_by),
            "hidden_because": _hidden_reasons(state) if state.hidden_because else [],
            "lines": {
                "defines": part.define_lines,
                "uses": use_lines,
                "mutates": part.mutate_lines,
            },
        }
        if state.hidden_because or index in missing:
            entry["depends_on"].extend(_hidden_edges(state, missing.get(index)))
        if index in up:
            entry["upstream"] = list(up[index])
            entry["downstream"] = list(down[index])
        if state.changed_by_deleted:
            entry["changed_by_deleted"] = [
                {"name": d.name, "cell_id": d.cell_id} for d in state.changed_by_deleted
            ]
        parsed = parsed_of.get(index)
        if parsed is not None:
            if parsed.syntax_error is not None:
                problem = parsed.syntax_error
                entry["syntax_error"] = {"message": problem.message, "line": problem.line}
            if parsed.cell_magic is not None:
                entry["cell_magic"] = parsed.cell_magic
                entry["skipped"] = parsed.skipped
        entries.append(entry)
    return entries
