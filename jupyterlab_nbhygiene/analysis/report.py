"""The JSON report (architecture.md, "The report"): the one place that shapes it.

`report.schema.json` beside this module describes the result; keep both in step.
Keys beyond the contract (`upstream`, `downstream`, `lines`, `changed_by_deleted`,
`syntax_error`, `cell_magic`, `skipped`, `history_match`) are extensions: consumers may ignore them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .context import AnalysisContext
from .graph import effective_uses, slices
from .model import Cell, CellIndex, CellState, CellSymbols, Finding

_NO_SYMBOLS = CellSymbols()
_MARKDOWN = CellState("markdown")


def _names(names: Iterable[str]) -> list[str]:
    return sorted(set(names))


def build_report(
    ctx: AnalysisContext,
    findings: Sequence[Finding],
    score: int,
    breakdown: Mapping[str, int],
) -> dict[str, Any]:
    """The report for one analysis: every cell (markdown too, in notebook order) and
    `findings` in the order given. Name lists are sorted and unique.
    """
    nb = ctx.notebook
    up, down = slices(ctx.graph, [cell.index for cell in nb.code_cells])
    report: dict[str, Any] = {
        "path": nb.path,
        "language": nb.language,
        "score": int(score),
        "score_breakdown": {str(k): int(v) for k, v in breakdown.items()},
        "cells": [_cell(ctx, cell, up, down) for cell in nb.cells],
        "findings": [finding.to_json() for finding in findings],
    }
    if ctx.history_match is not None:
        report["history_match"] = ctx.history_match
    return report


# The parts of a cell's entry that depend on its symbols alone, per symbols object
# (symbols are cached per source, so an unchanged cell reuses its sorted lists). Each
# entry keeps its symbols alive so that the id() is not reused while cached.
_Fragment = tuple[list[str], list[str], list[str], list[str], dict[str, int], dict[str, int]]
_FRAGMENTS: dict[int, tuple[CellSymbols, _Fragment]] = {}
_FRAGMENTS_LIMIT = 16384


def _fragment(symbols: CellSymbols) -> _Fragment:
    hit = _FRAGMENTS.get(id(symbols))
    if hit is not None and hit[0] is symbols:
        return hit[1]
    fragment: _Fragment = (
        _names(symbols.defines),
        _names(symbols.mutates),
        _names(symbols.deletes),
        _names(r.name for r in symbols.imports if r.name != "*"),
        dict(sorted(symbols.defines.items())),
        dict(sorted(symbols.mutates.items())),
    )
    if len(_FRAGMENTS) >= _FRAGMENTS_LIMIT:
        _FRAGMENTS.clear()
    _FRAGMENTS[id(symbols)] = (symbols, fragment)
    return fragment


def clear_fragments() -> None:
    """Forget cached per-cell report parts (caches.clear_caches calls this)."""
    _FRAGMENTS.clear()


def _cell(
    ctx: AnalysisContext,
    cell: Cell,
    up: Mapping[CellIndex, tuple[CellIndex, ...]],
    down: Mapping[CellIndex, tuple[CellIndex, ...]],
) -> dict[str, Any]:
    state = ctx.states.get(cell.index, _MARKDOWN)
    is_code = cell.cell_type == "code"
    symbols = ctx.symbols.get(cell.index, _NO_SYMBOLS)
    defines, mutates, deletes, imports, define_lines, mutate_lines = _fragment(symbols)
    uses = effective_uses(symbols, ctx.graph) if is_code else {}
    # Copies: the cached lists must not leak into a report a caller may change.
    entry: dict[str, Any] = {
        "index": cell.index,
        "id": cell.id,
        "cell_type": cell.cell_type,
        "execution_count": cell.execution_count if is_code else None,
        "defines": defines[:],
        "uses": sorted(uses),
        "mutates": mutates[:],
        "deletes": deletes[:],
        "imports": imports[:],
        "depends_on": [
            {"cell": edge.source, "names": _names(edge.names)}
            for edge in ctx.graph.depends_on.get(cell.index, ())
        ],
        "state": state.state,
        "stale_because": [{"name": r.name, "cell": r.cell} for r in state.stale_because],
        "fix_by": list(state.fix_by),
    }
    if is_code:
        parsed = ctx.parsed.get(cell.index)
        entry["upstream"] = list(up[cell.index])
        entry["downstream"] = list(down[cell.index])
        entry["lines"] = {
            "defines": dict(define_lines),
            "uses": dict(sorted(uses.items())),
            "mutates": dict(mutate_lines),
        }
        if state.changed_by_deleted:
            entry["changed_by_deleted"] = [
                {"name": d.name, "cell_id": d.cell_id} for d in state.changed_by_deleted
            ]
        if parsed is not None and parsed.syntax_error is not None:
            problem = parsed.syntax_error
            entry["syntax_error"] = {"message": problem.message, "line": problem.line}
        if parsed is not None and parsed.cell_magic is not None:
            entry["cell_magic"] = parsed.cell_magic
            entry["skipped"] = parsed.skipped
    return entry
