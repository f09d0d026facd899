"""The rule record, the registry, and helpers every rule family shares.

A rule is plain data plus a `check(ctx)` function that yields :class:`Draft` findings
(cell, line, message). Severity, category, settings and suppression are applied in one
place (`run_rules` in ``__init__.py``), so a rule only says *where* and *what to do*.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from ..context import AnalysisContext
from ..model import Category, CellIndex, Severity, cell_label
from ..visitor import LEAF_TYPES, child_fields

T = TypeVar("T")

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
    loaded: set[str] = field(default_factory=set)  # every name read, in any scope


# Per-tree results (the node index, and per-cell rule results through `per_tree`) are
# keyed on the tree object: parse_cell caches one tree per source, so an unchanged cell
# keeps its tree and hits, and an edited cell gets a new tree and misses. Each entry keeps
# its tree alive so that the id() cannot be reused by another object while cached.
_PER_TREE: dict[tuple[str, int], tuple[ast.Module, object]] = {}
_PER_TREE_LIMIT = 65536


def per_tree(key: str, tree: ast.Module, compute: Callable[[ast.Module], T]) -> T:
    """`compute(tree)`, cached per tree object under `key` (one key per kind of result).

    For results that depend on one cell's tree only; treat them as read-only.
    """
    slot = (key, id(tree))
    hit = _PER_TREE.get(slot)
    if hit is not None and hit[0] is tree:
        return hit[1]  # type: ignore[return-value]
    value = compute(tree)
    if len(_PER_TREE) >= _PER_TREE_LIMIT:
        _PER_TREE.clear()
    _PER_TREE[slot] = (tree, value)
    return value


def clear_per_tree() -> None:
    """Forget every per-tree result (caches.clear_caches calls this)."""
    _PER_TREE.clear()


def node_index(tree: ast.Module) -> NodeIndex:
    """One walk of `tree` (cached per tree object; treat the result as read-only)."""
    return per_tree("node-index", tree, _walk)


# Per node type, the fields that can hold child nodes: operators, contexts and plain
# values are skipped, which is most of what `ast.iter_child_nodes` would visit.
# Lists of plain values (`global a, b` names, `**x` keys of a dict) hold str and None.
_FIELDS: dict[type[object], tuple[str, ...]] = {str: (), type(None): ()}


def _fields(node_type: type[object]) -> tuple[str, ...]:
    fields = _FIELDS.get(node_type)
    if fields is None:
        fields = _FIELDS[node_type] = child_fields(node_type)  # type: ignore[arg-type]
    return fields


def _walk(tree: ast.Module) -> NodeIndex:
    index = NodeIndex()
    calls, strings, all_imports = index.calls, index.strings, index.all_imports
    loaded = index.loaded
    # Global statements first, depth first in source order; nested scopes are walked
    # when met, with the same loop, and only add to the scope-blind lists.
    stack: list[ast.AST] = list(reversed(tree.body))
    scoped_depth: list[int] = []  # stack heights below which nodes are inside a scope
    fields_of = _FIELDS
    while stack:
        node = stack.pop()
        while scoped_depth and len(stack) < scoped_depth[-1]:
            scoped_depth.pop()
        node_type = type(node)
        if node_type is ast.Call:
            calls.append(node)  # type: ignore[arg-type]
            if not scoped_depth:
                index.global_calls.append(node)  # type: ignore[arg-type]
        elif node_type is ast.Constant:
            if isinstance(node.value, str):  # type: ignore[attr-defined]
                strings.append(node)  # type: ignore[arg-type]
            continue
        elif node_type is ast.Name:
            if type(node.ctx) is ast.Load:  # type: ignore[attr-defined]
                loaded.add(node.id)  # type: ignore[attr-defined]
            continue
        elif node_type in _LEAVES:
            continue
        elif node_type is ast.Import or node_type is ast.ImportFrom:
            all_imports.append(node)  # type: ignore[arg-type]
            if not scoped_depth:
                index.imports.append(node)  # type: ignore[arg-type]
            continue
        elif (node_type is ast.For or node_type is ast.AsyncFor) and not scoped_depth:
            index.loop_targets.update(
                n.id
                for n in ast.walk(node.target)  # type: ignore[attr-defined]
                if isinstance(n, ast.Name)
            )
        if node_type in _SCOPE_TYPES:
            scoped_depth.append(len(stack))
        fields = fields_of.get(node_type) or _fields(node_type)
        children: list[ast.AST] = []
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                children.extend(value)
            elif value is not None and not isinstance(value, str | int | float | bytes):
                children.append(value)
        children.reverse()
        stack.extend(children)
    return index


_SCOPE_TYPES = frozenset(_SCOPES)
_LEAVES = frozenset(
    sub for leaf in LEAF_TYPES if leaf is not ast.Constant for sub in (leaf, *leaf.__subclasses__())
)


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
