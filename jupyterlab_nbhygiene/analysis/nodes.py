"""Per-tree results: the node index rules look at, and a cache keyed on the tree object.

symbols.py fills a :class:`NodeIndex` in the same walk that resolves the cell's names, so
a cell's tree is walked once however many rules look at its calls, strings or imports.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress, count
from operator import is_not
from typing import TypeVar, cast

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


# Per-tree results (the node index, per-cell rule results through `per_tree`/`per_trees`) are
# keyed on the tree object: parse_cell caches one tree per source, so an unchanged cell
# keeps its tree and hits, and an edited cell gets a new tree and misses. Each entry keeps
# its tree alive so that the id() cannot be reused by another object while cached. One
# table per key, so that a rule reading every cell looks each one up with a single get.
_Entry = tuple[ast.Module, object, object]  # (tree, value, `under` it was computed for)
_PER_TREE: dict[str, dict[int, _Entry]] = {}
# Per key: twice the parse cache (source.parse_cell), so no notebook it holds thrashes.
_PER_KEY_LIMIT = 16384


def _table(key: str) -> dict[int, _Entry]:
    table = _PER_TREE.get(key)
    if table is None:
        table = _PER_TREE[key] = {}
    elif len(table) >= _PER_KEY_LIMIT:
        table.clear()
    return table


def per_tree(key: str, tree: ast.Module, compute: Callable[[ast.Module], T]) -> T:
    """`compute(tree)`, cached per tree object under `key` (one key per kind of result).

    For results that depend on one cell's tree only; treat them as read-only.
    """
    table = _PER_TREE.get(key)
    if table is not None:
        hit = table.get(id(tree))
        if hit is not None and hit[0] is tree and hit[2] is None:
            return hit[1]  # type: ignore[return-value]
    value = compute(tree)
    remember(key, tree, value)
    return value


# The last batch per key: (trees, their results, `under`). A notebook analysed again
# after an edit holds the same tree objects as last time but for a run of cells around
# the edit (or an inserted or deleted cell): the results of the unchanged head and tail
# are reused as they are, found by comparing tree pointers in C, and only the trees in
# between are looked up.
_LAST_BATCH: dict[str, tuple[tuple[ast.Module, ...], tuple[object, ...], object]] = {}


def per_trees(
    key: str,
    trees: tuple[ast.Module, ...],
    compute: Callable[[int], T],
    *,
    under: object = None,
) -> tuple[T, ...]:
    """The result for each tree, cached as `per_tree(key, tree, ...)`: `compute(i)`
    gives the result for `trees[i]` when it is not cached.

    One pass for a rule that reads every cell. `compute(i)` may read what belongs to
    `trees[i]` (its cell's parse and symbols), never the cell's position or neighbours.
    A result that also depends on something notebook-wide (the imports of every cell)
    passes that as `under`, interned so that equal values are the same object: a cached
    result is used only when it was computed under that very object.
    """
    table = _table(key)
    done: tuple[T, ...] = ()  # the last batch's results, when computed under `under`
    head = tail = 0
    last = _LAST_BATCH.get(key)
    if last is not None and last[2] is under:
        done = cast("tuple[T, ...]", last[1])
        head = _same_run(trees, last[0])
        if head < len(trees):
            tail = min(_same_run(trees[::-1], last[0][::-1]), len(trees) - head)
    between: list[T] = []
    get = table.get
    for at in range(head, len(trees) - tail):
        tree = trees[at]
        hit = get(id(tree))
        if hit is not None and hit[0] is tree and hit[2] is under:
            between.append(hit[1])  # type: ignore[arg-type]
        else:
            value = compute(at)
            table[id(tree)] = (tree, value, under)
            between.append(value)
    result = done[:head] + tuple(between) + done[len(done) - tail :]
    _LAST_BATCH[key] = (trees, result, under)
    return result


def _same_run(trees: tuple[ast.Module, ...], last: tuple[ast.Module, ...]) -> int:
    """How many trees at the start of `trees` are the very objects at the start of `last`."""
    return next(compress(count(), map(is_not, trees, last)), min(len(trees), len(last)))


def remember(key: str, tree: ast.Module, value: object) -> None:
    """Store a result computed elsewhere, as `per_tree(key, tree, ...)` would have."""
    _table(key)[id(tree)] = (tree, value, None)


def clear_per_tree() -> None:
    """Forget every per-tree result (caches.clear_caches calls this)."""
    _PER_TREE.clear()
    _LAST_BATCH.clear()


def by_position(node: ast.expr) -> tuple[int, int, int, int]:
    """A sort key giving source order, an enclosing node before the nodes inside it."""
    return (
        node.lineno,
        node.col_offset,
        -(node.end_lineno or node.lineno),
        -(node.end_col_offset or 0),
    )
