"""The rule record, the registry, and helpers every rule family shares.

A rule is plain data plus a `check(ctx)` function that yields :class:`Draft` findings
(cell, line, message). Severity, category, settings and suppression are applied in one
place (`run_rules` in ``__init__.py``), so a rule only says *where* and *what to do*.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..context import AnalysisContext
from ..model import Category, CellIndex, Severity, cell_label
from ..nodes import NodeIndex, clear_per_tree, per_tree
from ..symbols import node_index

__all__ = [
    "REGISTRY",
    "Draft",
    "NodeIndex",
    "Rule",
    "cell_ref",
    "clear_per_tree",
    "code_trees",
    "dotted_name",
    "node_index",
    "per_tree",
    "plural",
    "rule",
]

Check = Callable[[AnalysisContext], Iterable["Draft"]]


@dataclass(frozen=True)
class Draft:
    """A finding before the rule's id, severity and category are attached."""

    cell: CellIndex | None
    line: int | None
    message: str


@dataclass(frozen=True)
class Rule:
    """One catalogue entry (docs/rules.md)."""

    id: str
    category: Category
    severity: Severity
    summary: str
    rationale: str
    check: Check
    # False for rules that only look at the notebook's structure and outputs, so they
    # still run on notebooks of other languages, where no Python analysis exists.
    needs_python: bool = True


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    category: Category,
    severity: Severity,
    summary: str,
    rationale: str,
    *,
    needs_python: bool = True,
) -> Callable[[Check], Check]:
    """Register `check` under `rule_id`; ids are unique and stable."""

    def register(check: Check) -> Check:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} is registered twice")
        REGISTRY[rule_id] = Rule(
            rule_id, category, severity, summary, rationale, check, needs_python
        )
        return check

    return register


def cell_ref(ctx: AnalysisContext, index: CellIndex) -> str:
    """How messages point at another cell: `cell 4` (model.cell_label, 1-based) plus its
    execution count when it has one (`cell 4 [7]`), the two numbers a user sees on screen."""
    cell = ctx.notebook.cells[index]
    if cell.cell_type == "code" and cell.execution_count is not None:
        return f"{cell_label(index)} [{cell.execution_count}]"
    return cell_label(index)


def code_trees(ctx: AnalysisContext) -> Iterator[tuple[CellIndex, ast.Module]]:
    """The parsed code cells in notebook order (cells that did not parse are skipped)."""
    for cell in ctx.notebook.code_cells:
        parsed = ctx.parsed.get(cell.index)
        if parsed is not None and parsed.tree is not None and not parsed.skipped:
            yield cell.index, parsed.tree


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
