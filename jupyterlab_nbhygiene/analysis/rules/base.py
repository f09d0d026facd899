"""The rule record, the registry, and helpers every rule family shares.

A rule is plain data plus a `check(ctx)` function that yields :class:`Draft` findings
(cell, line, message). Severity, category, settings and suppression are applied in one
place (`run_rules` in ``__init__.py``), so a rule only says *where* and *what to do*.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..context import AnalysisContext
from ..model import Category, CellIndex, Severity

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


def cell_label(ctx: AnalysisContext, index: CellIndex) -> str:
    """How messages name a cell: `cell 3` plus its execution count when it has one."""
    cell = ctx.notebook.cells[index]
    if cell.cell_type == "code" and cell.execution_count is not None:
        return f"cell {index} [{cell.execution_count}]"
    return f"cell {index}"


def code_trees(ctx: AnalysisContext) -> Iterator[tuple[CellIndex, ast.Module]]:
    """The parsed code cells in notebook order (cells that did not parse are skipped)."""
    for cell in ctx.notebook.code_cells:
        parsed = ctx.parsed.get(cell.index)
        if parsed is not None and parsed.tree is not None and not parsed.skipped:
            yield cell.index, parsed.tree


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass
class NodeIndex:
    """The nodes several rules look for, collected in one walk of a cell's tree."""

    calls: list[ast.Call] = field(default_factory=list)  # everywhere, in source order
    global_calls: list[ast.Call] = field(default_factory=list)  # not inside def/lambda
    strings: list[ast.Constant] = field(default_factory=list)
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)  # global ones
    all_imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    loop_targets: set[str] = field(default_factory=set)  # global `for` target names


# Trees are shared through parse_cell's cache, so their index can be too. The tree is kept
# with its index so that its id() cannot be reused by another object while cached.
_INDEX: dict[int, tuple[ast.Module, NodeIndex]] = {}
_INDEX_LIMIT = 16384


def node_index(tree: ast.Module) -> NodeIndex:
    """One walk of `tree` (cached per tree object; treat the result as read-only)."""
    hit = _INDEX.get(id(tree))
    if hit is not None and hit[0] is tree:
        return hit[1]
    index = NodeIndex()
    stack: list[tuple[ast.AST, bool]] = [(node, False) for node in reversed(tree.body)]
    while stack:
        node, scoped = stack.pop()
        if isinstance(node, ast.Call):
            index.calls.append(node)
            if not scoped:
                index.global_calls.append(node)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                index.strings.append(node)
            continue
        elif isinstance(node, ast.Import | ast.ImportFrom):
            index.all_imports.append(node)
            if not scoped:
                index.imports.append(node)
            continue
        elif isinstance(node, ast.For | ast.AsyncFor) and not scoped:
            index.loop_targets.update(
                n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)
            )
        inner = scoped or isinstance(node, _SCOPES)
        children = list(ast.iter_child_nodes(node))
        stack.extend((child, inner) for child in reversed(children))
    if len(_INDEX) >= _INDEX_LIMIT:
        _INDEX.clear()
    _INDEX[id(tree)] = (tree, index)
    return index


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
