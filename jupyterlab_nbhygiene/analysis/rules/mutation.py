"""Rules on hidden state made by changing values across cells."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..context import AnalysisContext
from ..model import CellIndex
from .base import Draft, cell_label, dotted_name, node_index, plural, rule

_REFITS = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict"})
_PLOT_HANDLES = frozenset({"fig", "ax", "axes", "axs"})


def _binding_cell(ctx: AnalysisContext, name: str, before: CellIndex) -> CellIndex | None:
    """The nearest cell above `before` that binds `name` (mutating cells do not count)."""
    found: CellIndex | None = None
    for index in ctx.graph.definers.get(name, ()):
        if index >= before:
            break
        symbols = ctx.symbols.get(index)
        if symbols is not None and name in symbols.defines:
            found = index
    return found


def _fits(ctx: AnalysisContext, index: CellIndex, name: str, line: int) -> bool:
    """True when the change on `line` is `name.fit(...)`: refitting starts over, so it is
    not the hidden state this rule is about (`model` is defined in one cell, fit in another
    in most notebooks)."""
    parsed = ctx.parsed.get(index)
    if parsed is None or parsed.tree is None:
        return False
    for node in node_index(parsed.tree).calls:
        if (
            node.lineno == line
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _REFITS
            and dotted_name(node.func.value) == name
        ):
            return True
    return False


def _imported(ctx: AnalysisContext, name: str, index: CellIndex) -> bool:
    symbols = ctx.symbols.get(index)
    return symbols is not None and any(rec.name == name for rec in symbols.imports)


def _def_or_class(ctx: AnalysisContext, name: str, index: CellIndex) -> bool:
    """True when cell `index` binds `name` with `def` or `class` (setting attributes on
    those, `Cls.method = ...`, is patching code, not changing data)."""
    parsed = ctx.parsed.get(index)
    if parsed is None or parsed.tree is None:
        return False
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.name == name
        for node in parsed.tree.body
    )


def _loop_or_plot_names(ctx: AnalysisContext, index: CellIndex) -> frozenset[str]:
    """`for` targets and plot handles a cell binds: throwaway names each cell re-creates."""
    parsed = ctx.parsed.get(index)
    if parsed is None or parsed.tree is None:
        return _PLOT_HANDLES
    return _PLOT_HANDLES | node_index(parsed.tree).loop_targets


@rule(
    "cross-cell-mutation",
    "reproducibility",
    "warning",
    "A cell changes in place a value that another cell defined.",
    "Re-running either cell alone changes results (`df.dropna(inplace=True)`, "
    "`lst.append(...)`, `df['c'] = ...`); the state on screen depends on how often each ran.",
)
def cross_cell_mutation(ctx: AnalysisContext) -> Iterator[Draft]:
    for index, symbols in sorted(ctx.symbols.items()):
        for name, line in sorted(symbols.mutates.items(), key=lambda kv: (kv[1], kv[0])):
            if name in symbols.defines and symbols.defines[name] <= line:
                continue  # bound in this very cell before the change: re-running is safe
            source = _binding_cell(ctx, name, index)
            if (
                source is None
                or _imported(ctx, name, source)
                or _def_or_class(ctx, name, source)
                or _fits(ctx, index, name, line)
            ):
                # No binding above is use-before-definition's job; setting a module's
                # attributes (`pd.options...`) is configuration, not data.
                continue
            yield Draft(
                index,
                line,
                f"`{name}` is changed in place here but defined in {cell_label(ctx, source)}: "
                f"running this cell twice, or cell {source} again, gives another state. "
                f"Work on a copy (`{name}2 = {name}.copy()`) or make the change in cell {source}.",
            )


@rule(
    "non-idempotent-cell",
    "reproducibility",
    "warning",
    "A cell reads and rebinds the same global (`x = x + 1`, `df = df.dropna()`).",
    "Running the cell twice gives another state than running it once.",
)
def non_idempotent(ctx: AnalysisContext) -> Iterator[Draft]:
    for index, symbols in sorted(ctx.symbols.items()):
        for name, line in sorted(symbols.rebinds_own_input.items(), key=lambda kv: kv[1]):
            yield Draft(
                index,
                line,
                f"`{name}` is read and rebound in the same cell: running it twice gives "
                f"another `{name}`. Bind the result to a new name (`{name}_2 = ...`).",
            )


def _bindings(ctx: AnalysisContext) -> dict[str, list[CellIndex]]:
    """Cells that bind each name by assignment/def (not import, not a read-and-rebind)."""
    cells: dict[str, list[CellIndex]] = {}
    for index, symbols in sorted(ctx.symbols.items()):
        skip = {rec.name for rec in symbols.imports} | set(symbols.rebinds_own_input)
        skip |= _loop_or_plot_names(ctx, index)
        for name in symbols.defines:
            if name in skip or name.startswith("_"):
                continue
            cells.setdefault(name, []).append(index)
    return cells


@rule(
    "redefined-across-cells",
    "reproducibility",
    "info",
    "The same global is bound in several cells.",
    "Which value a reader sees depends on which of those cells ran last.",
)
def redefined(ctx: AnalysisContext) -> Iterator[Draft]:
    for name, cells in sorted(_bindings(ctx).items()):
        if len(cells) < 2:
            continue
        second = cells[1]
        symbols = ctx.symbols[second]
        where = ", ".join(str(i) for i in cells)
        yield Draft(
            second,
            symbols.defines.get(name),
            f"`{name}` is bound in {plural(len(cells), 'cell')} ({where}): its value depends "
            f"on which ran last. Give each value its own name.",
        )
