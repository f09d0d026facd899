"""The rule record and helpers every rule family shares.

A rule is plain data plus a `check(ctx)` function that yields `Draft` findings
(cell, line, message). Severity, category, settings and suppression are applied in one
place (`run_rules` in ``__init__.py``), so a rule only says *where* and *what to do*.
`rule(...)` makes the record; the catalogue in ``__init__.py`` lists every rule by hand.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from ..context import AnalysisContext, Code, CodeCells
from ..model import Category, CellIndex, Severity, cell_run_label
from ..nodes import NodeIndex

__all__ = [
    "Code",
    "CodeCells",
    "Draft",
    "NodeIndex",
    "Rule",
    "cell_drafts",
    "cell_ref",
    "cells_with",
    "code_cells",
    "dotted_name",
    "per_cell",
    "plural",
    "rule",
]

T = TypeVar("T")

Draft = tuple[CellIndex | None, int | None, str]
"""A finding before the rule's id, severity and category are attached: `(cell, line,
message)`, where a cell of None means the whole notebook and a line of None the whole
cell. A plain tuple: large notebooks give thousands, and nothing is cheaper to make."""

Check = Callable[[AnalysisContext], Iterable[Draft]]


@dataclass(frozen=True)
class Rule:
    """One catalogue entry (docs/rules.md). Calling it runs its check."""

    id: str
    category: Category
    severity: Severity
    summary: str
    rationale: str
    check: Check
    # False for rules that only look at the notebook's structure and outputs, so they
    # still run on notebooks of other languages, where no Python analysis exists.
    needs_python: bool = True

    def __call__(self, ctx: AnalysisContext) -> Iterable[Draft]:
        return self.check(ctx)


def rule(
    rule_id: str,
    category: Category,
    severity: Severity,
    summary: str,
    rationale: str,
    *,
    needs_python: bool = True,
) -> Callable[[Check], Rule]:
    """Make `check` the rule `rule_id` (ids are unique and stable; the catalogue checks)."""

    def make(check: Check) -> Rule:
        return Rule(rule_id, category, severity, summary, rationale, check, needs_python)

    return make


def cell_ref(ctx: AnalysisContext, index: CellIndex) -> str:
    """How messages point at another cell: `cell 4` (model.cell_label, 1-based) plus, when
    it has an execution count, when it ran (`cell 4 (run 7th)` for a prompt `[7]`): the two
    numbers a user sees on screen, in words (model.cell_run_label)."""
    cell = ctx.notebook.cells[index]
    return cell_run_label(index, cell.execution_count if cell.cell_type == "code" else None)


def outputs_word(ctx: AnalysisContext) -> str:
    """How messages name a cell's outputs: `saved outputs` for a file as saved; `outputs`
    with an execution history (a live session, also after a restart: they may come from
    this session)."""
    return "outputs" if ctx.history is not None else "saved outputs"


def dotted_name(node: ast.AST) -> str | None:
    """`np.random.rand` for an Attribute/Name chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def code_cells(ctx: AnalysisContext) -> CodeCells:
    """`ctx`'s code cells split into parsed ones and the rest (made once per context)."""
    return ctx.code_cells


def per_cell(ctx: AnalysisContext, compute: Callable[[Code], T]) -> list[tuple[CellIndex, T]]:
    """`(index, compute(code))` for every parsed code cell, in notebook order.

    `compute` reads only what follows from a cell's source (not its position): its value
    is kept with the cell's facts (`Code.once`), so an unchanged cell is not read again."""
    return [(code.cell, code.once(compute)) for code in ctx.code_cells.parsed]


def cells_with(
    ctx: AnalysisContext, compute: Callable[[Code], T | None]
) -> list[tuple[CellIndex, T]]:
    """`per_cell`, keeping only the cells whose result is not None, empty or false."""
    found: list[tuple[CellIndex, T]] = []
    for code in ctx.code_cells.parsed:
        value = code.once(compute)
        if value:
            found.append((code.cell, value))
    return found


def cell_drafts(
    ctx: AnalysisContext, compute: Callable[[Code], tuple[tuple[int, str], ...]]
) -> list[Draft]:
    """The drafts of a rule whose findings depend on one cell's source alone: `compute`
    gives a cell's (line, message) pairs, kept with its facts as in `per_cell`."""
    return [
        (code.cell, line, message)
        for code in ctx.code_cells.parsed
        for line, message in code.once(compute)
    ]
