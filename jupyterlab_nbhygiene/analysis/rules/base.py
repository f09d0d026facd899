"""The rule record, the registry, and helpers every rule family shares.

A rule is plain data plus a `check(ctx)` function that yields `Draft` findings
(cell, line, message). Severity, category, settings and suppression are applied in one
place (`run_rules` in ``__init__.py``), so a rule only says *where* and *what to do*.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter
from typing import NamedTuple, TypeVar, cast

from ..context import AnalysisContext
from ..model import Category, Cell, CellIndex, CellSymbols, ParsedCell, Severity, cell_run_label
from ..nodes import NodeIndex, clear_per_tree, per_tree, per_trees
from ..symbols import cell_symbols, node_index

__all__ = [
    "REGISTRY",
    "Code",
    "CodeCells",
    "Draft",
    "NodeIndex",
    "Rule",
    "cell_drafts",
    "cell_ref",
    "cells_with",
    "clear_per_tree",
    "code_cells",
    "dotted_name",
    "node_index",
    "per_cell",
    "per_tree",
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
    """How messages point at another cell: `cell 4` (model.cell_label, 1-based) plus, when
    it has an execution count, when it ran (`cell 4 (run 7th)` for a prompt `[7]`): the two
    numbers a user sees on screen, in words (model.cell_run_label)."""
    cell = ctx.notebook.cells[index]
    return cell_run_label(index, cell.execution_count if cell.cell_type == "code" else None)


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


class Code(NamedTuple):
    """A code cell that parsed, without its position in the notebook.

    The tree, the parse and the symbols all follow from the source, so whatever is
    computed from a `Code` holds wherever the cell moves: cache it per tree (`per_cell`),
    and attach the cell index only when reporting.
    """

    tree: ast.Module
    parsed: ParsedCell
    symbols: CellSymbols
    source: str  # the cell's source, as written


class CodeCells(NamedTuple):
    """The code cells of one analysis, sorted out once for every rule (`code_cells`)."""

    indices: tuple[CellIndex, ...]  # code cells with a tree, in notebook order
    trees: tuple[ast.Module, ...]  # their trees, aligned with `indices`
    parsed: tuple[ParsedCell, ...]  # and their parses, aligned too
    # The other code cells, in notebook order: syntax errors, `%%bash` and the like,
    # and every code cell of a notebook that is not Python (no parse at all).
    rest: tuple[tuple[Cell, ParsedCell | None], ...]
    # The `Code` of each parsed cell, made when a rule first needs it (`_code`).
    codes: list[Code | None]


_INDEX = attrgetter("index")
_TREE = attrgetter("tree")
# The last analysis's code cells: every rule of one `run_rules` asks for the same context.
# They are forgotten when that context is (`_forget`), so that they keep nothing alive
# longer than the context itself does.
_LAST: tuple[weakref.ref[AnalysisContext], CodeCells] | None = None


def _forget(ref: weakref.ref[AnalysisContext]) -> None:
    global _LAST
    if _LAST is not None and _LAST[0] is ref:
        _LAST = None


def code_cells(ctx: AnalysisContext) -> CodeCells:
    """`ctx`'s code cells split into parsed ones and the rest (computed once per context)."""
    global _LAST
    last = _LAST
    if last is not None and last[0]() is ctx:
        return last[1]
    cells = ctx.notebook.code_cells
    indices = tuple(map(_INDEX, cells))
    parsed = tuple(map(ctx.parsed.get, indices))
    trees = _every_tree(parsed)
    found = (
        _split(cells, parsed)
        if trees is None
        else CodeCells(
            indices, trees, cast("tuple[ParsedCell, ...]", parsed), (), [None] * len(trees)
        )
    )
    _LAST = (weakref.ref(ctx, _forget), found)
    return found


def _every_tree(parsed: tuple[ParsedCell | None, ...]) -> tuple[ast.Module, ...] | None:
    """The trees of `parsed` when each has one (the usual case: map() and attrgetter keep
    the loop in C), else None: a syntax error or a cell magic that does not run Python
    (`%%bash`) gives no tree, and a notebook that is not Python has no parses at all."""
    try:
        trees = tuple(map(_TREE, parsed))
    except AttributeError:  # None has no `tree`
        return None
    return None if None in trees else trees


def _split(cells: tuple[Cell, ...], parsed: tuple[ParsedCell | None, ...]) -> CodeCells:
    """`CodeCells` when some code cells have no tree: those go to `rest`."""
    indices: list[CellIndex] = []
    trees: list[ast.Module] = []
    kept: list[ParsedCell] = []
    rest: list[tuple[Cell, ParsedCell | None]] = []
    for cell, p in zip(cells, parsed, strict=True):
        if p is None or p.tree is None:
            rest.append((cell, p))
        else:
            indices.append(cell.index)
            trees.append(p.tree)
            kept.append(p)
    return CodeCells(tuple(indices), tuple(trees), tuple(kept), tuple(rest), [None] * len(trees))


def _code(ctx: AnalysisContext, cells: CodeCells, at: int) -> Code:
    """The `Code` of the `at`-th parsed cell, made once per analysis and only for cells
    some rule has no cached result for (after an edit: the edited cells)."""
    code = cells.codes[at]
    if code is None:
        index, parsed = cells.indices[at], cells.parsed[at]
        symbols = ctx.symbols.get(index)
        if symbols is None:  # a context built without them: the same, cached, symbols
            symbols = cell_symbols(parsed)
        source = ctx.notebook.cells[index].source
        code = cells.codes[at] = Code(cells.trees[at], parsed, symbols, source)
    return code


def _results(ctx: AnalysisContext, key: str, compute: Callable[[Code], T]) -> tuple[T, ...]:
    cells = code_cells(ctx)
    return per_trees(key, cells.trees, lambda at: compute(_code(ctx, cells, at)))


def per_cell(
    ctx: AnalysisContext, key: str, compute: Callable[[Code], T]
) -> list[tuple[CellIndex, T]]:
    """`(index, compute(code))` for every parsed code cell in notebook order, each
    result cached per tree under `key`: `compute` must read nothing but its `Code` (and
    `key` must name every setting it depends on)."""
    return list(zip(code_cells(ctx).indices, _results(ctx, key, compute), strict=True))


def cells_with(
    ctx: AnalysisContext, key: str, compute: Callable[[Code], T | None]
) -> list[tuple[CellIndex, T]]:
    """`per_cell`, keeping only the cells whose result is not None, empty or false."""
    values = _results(ctx, key, compute)
    found = compress(zip(code_cells(ctx).indices, values, strict=True), values)
    return list(found)  # type: ignore[arg-type]  # compress left out the None results


def cell_drafts(
    ctx: AnalysisContext, key: str, compute: Callable[[Code], tuple[tuple[int, str], ...]]
) -> list[Draft]:
    """The drafts of a rule whose findings depend on one cell alone: `compute` gives a
    cell's (line, message) pairs, cached per tree under `key` (as for `per_cell`)."""
    return [
        (index, line, message)
        for index, found in cells_with(ctx, key, compute)
        for line, message in found
    ]
