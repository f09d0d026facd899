"""The JSON report (architecture.md, "The report"): the one place that shapes it.

`report.schema.json` beside this module describes the result; keep both in step.
Keys beyond the contract (`upstream`, `downstream`, `lines`, `changed_by_deleted`,
`syntax_error`, `cell_magic`, `skipped`) are extensions: consumers may ignore them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .context import AnalysisContext
from .graph import downstream, effective_uses, upstream
from .model import Cell, CellState, CellSymbols, Finding

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
    return {
        "path": nb.path,
        "language": nb.language,
        "score": int(score),
        "score_breakdown": {str(k): int(v) for k, v in breakdown.items()},
        "cells": [_cell(ctx, cell) for cell in nb.cells],
        "findings": [finding.to_json() for finding in findings],
    }


def _cell(ctx: AnalysisContext, cell: Cell) -> dict[str, Any]:
    state = ctx.states.get(cell.index, _MARKDOWN)
    entry: dict[str, Any] = {
        "index": cell.index,
        "id": cell.id,
        "cell_type": cell.cell_type,
        "execution_count": cell.execution_count if cell.cell_type == "code" else None,
    }
    symbols = ctx.symbols.get(cell.index, _NO_SYMBOLS)
    is_code = cell.cell_type == "code"
    uses = effective_uses(symbols, ctx.graph) if is_code else {}
    entry.update(
        defines=_names(symbols.defines),
        uses=_names(uses),
        mutates=_names(symbols.mutates),
        deletes=_names(symbols.deletes),
        imports=_names(r.name for r in symbols.imports if r.name != "*"),
        depends_on=[
            {"cell": edge.source, "names": _names(edge.names)}
            for edge in ctx.graph.depends_on.get(cell.index, ())
        ],
        state=state.state,
        stale_because=[{"name": r.name, "cell": r.cell} for r in state.stale_because],
        fix_by=list(state.fix_by),
    )
    if is_code:
        parsed = ctx.parsed.get(cell.index)
        entry["upstream"] = list(upstream(ctx.graph, cell.index))
        entry["downstream"] = list(downstream(ctx.graph, cell.index))
        entry["lines"] = {
            "defines": dict(sorted(symbols.defines.items())),
            "uses": dict(sorted(uses.items())),
            "mutates": dict(sorted(symbols.mutates.items())),
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
