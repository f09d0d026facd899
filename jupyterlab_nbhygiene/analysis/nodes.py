"""Per-tree results: the node index rules look at, and a cache keyed on the tree object.

symbols.py fills a :class:`NodeIndex` in the same walk that resolves the cell's names, so
a cell's tree is walked once however many rules look at its calls, strings or imports.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class NodeIndex:
    """The nodes several rules look for, collected while a cell's names are resolved."""

    calls: list[ast.Call] = field(default_factory=list)  # everywhere, in source order
    global_calls: list[ast.Call] = field(default_factory=list)  # not inside def/lambda/class
    strings: list[ast.Constant] = field(default_factory=list)  # in source order
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
    hit = _PER_TREE.get((key, id(tree)))
    if hit is not None and hit[0] is tree:
        return hit[1]  # type: ignore[return-value]
    value = compute(tree)
    remember(key, tree, value)
    return value


def remember(key: str, tree: ast.Module, value: object) -> None:
    """Store a result computed elsewhere, as `per_tree(key, tree, ...)` would have."""
    if len(_PER_TREE) >= _PER_TREE_LIMIT:
        _PER_TREE.clear()
    _PER_TREE[(key, id(tree))] = (tree, value)


def clear_per_tree() -> None:
    """Forget every per-tree result (caches.clear_caches calls this)."""
    _PER_TREE.clear()


def by_position(node: ast.expr) -> tuple[int, int, int, int]:
    """A sort key giving source order, an enclosing node before the nodes inside it."""
    return (
        node.lineno,
        node.col_offset,
        -(node.end_lineno or node.lineno),
        -(node.end_col_offset or 0),
    )
