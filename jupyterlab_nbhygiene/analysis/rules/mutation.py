"""Rules on hidden state made by changing values across cells."""

from __future__ import annotations

import ast
from bisect import bisect_right
from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple

from ..context import AnalysisContext
from ..model import CellIndex, cell_label, cells_label
from ..namespace import generator_state, root_name
from .base import (
    Code,
    Draft,
    cell_drafts,
    cell_ref,
    cells_with,
    dotted_name,
    node_index,
    per_cell,
    per_tree,
    rule,
)

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


def _sites(tree: ast.Module) -> dict[str, tuple[int, ...]]:
    """Lines where a cell changes a name in a way this rule ignores, per root name:
    estimator fitting (`model.fit(...)`: the normal ML flow, kept as a mutation for the
    graph so that predicting cells depend on it), draws from a random generator
    (`rng.normal()`, `np.random.seed(0)`: kept so that every later draw depends on them),
    and item assignment whose right-hand side does not read the changed name
    (`df["c"] = other`: a fresh column from other data).
    """
    quiet: dict[str, set[int]] = {}
    loud: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            generator = generator_state(node.func)
            if generator is not None:
                quiet.setdefault(generator, set()).add(node.lineno)
            if node.func.attr in _REFITS:
                name = dotted_name(node.func.value)
                if name is not None:
                    quiet.setdefault(name, set()).add(node.lineno)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            reads = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            for target in targets:
                if isinstance(target, ast.Subscript):
                    root = root_name(target)
                    if root is None:
                        continue
                    if root.id in reads:
                        loud.add((root.id, target.lineno))
                    else:
                        quiet.setdefault(root.id, set()).add(target.lineno)
    # A line that also changes the name loudly (`df["a"] = 1; df.pop("b")`) stays loud.
    return {
        name: tuple(sorted(line for line in lines if (name, line) not in loud))
        for name, lines in quiet.items()
    }


def _quiet_change(ctx: AnalysisContext, index: CellIndex, name: str, line: int) -> bool:
    """True when the first change of `name` (on `line`) is one this rule leaves alone."""
    parsed = ctx.parsed.get(index)
    if parsed is None or parsed.tree is None:
        return False
    return line in per_tree("mutation-sites", parsed.tree, _sites).get(name, ())


def _outside_changes(code: Code) -> tuple[tuple[str, int], ...]:
    """(name, line) of each in-place change in a cell, by line, that the cell itself did
    not bind before: re-running a cell that binds the name first is safe (cached per tree)."""
    if not code.symbols.mutates:
        return ()  # most cells: nothing to sort
    defines = code.symbols.defines
    return tuple(
        (name, line)
        for name, line in sorted(code.symbols.mutates.items(), key=lambda kv: (kv[1], kv[0]))
        if not (name in defines and defines[name] <= line)
    )


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


@rule(
    "cross-cell-mutation",
    "reproducibility",
    "warning",
    "A cell changes in place a value that another cell defined.",
    "Re-running either cell alone changes results (`df.dropna(inplace=True)`, "
    "`lst.append(...)`, `df['c'] = ...`); the state on screen depends on how often each ran.",
)
def cross_cell_mutation(ctx: AnalysisContext) -> Iterator[Draft]:
    for index, changes in cells_with(ctx, "outside-changes", _outside_changes):
        for name, line in changes:
            source = _binding_cell(ctx, name, index)
            if (
                source is None
                or _imported(ctx, name, source)
                or _def_or_class(ctx, name, source)
                or _quiet_change(ctx, index, name, line)
            ):
                # No binding above is use-before-definition's job; setting a module's
                # attributes (`pd.options...`) is configuration, not data.
                continue
            yield (
                index,
                line,
                f"`{name}` is changed in place here but defined in {cell_ref(ctx, source)}: "
                f"running this cell twice, or {cell_label(source)} again, gives another state. "
                f"Work on a copy (`{name}2 = {name}.copy()`) or make the change in "
                f"{cell_label(source)}.",
            )


@rule(
    "non-idempotent-cell",
    "reproducibility",
    "warning",
    "A cell reads and rebinds the same global (`x = x + 1`, `df = df.dropna()`).",
    "Running the cell twice gives another state than running it once.",
)
def non_idempotent(ctx: AnalysisContext) -> list[Draft]:
    return cell_drafts(ctx, "non-idempotent", _rebinds)


def _rebinds(code: Code) -> tuple[tuple[int, str], ...]:
    """(line, message) for each name a cell reads and rebinds, by line (cached per tree)."""
    if not code.symbols.rebinds_own_input:
        return ()  # most cells: nothing to sort
    return tuple(
        (
            line,
            f"`{name}` is read and rebound in the same cell: running it twice gives "
            f"another `{name}`. Bind the result to a new name (`{name}_2 = ...`).",
        )
        for name, line in sorted(code.symbols.rebinds_own_input.items(), key=lambda kv: kv[1])
    )


class _Bindings(NamedTuple):
    """What `redefined-across-cells` needs of one cell (cached per tree)."""

    # Name -> (line, read by the cell itself) per name bound by assignment or def: not
    # an import, a read-and-rebind, a `for` target, a plot handle or a `_private` name.
    binds: dict[str, tuple[int, bool]]
    reads: frozenset[str]  # names the cell reads or changes in place


def _bindings(code: Code) -> _Bindings:
    symbols = code.symbols
    index = node_index(code.tree)
    # `for` targets and plot handles are throwaway names each cell re-creates.
    skip = {rec.name for rec in symbols.imports} | set(symbols.rebinds_own_input)
    skip |= _PLOT_HANDLES | index.loop_targets
    # A cell reading its own binding (`df = load()`, then `df.head()`) used the value.
    binds = {
        name: (line, name in index.loaded)
        for name, line in symbols.defines.items()
        if name not in skip and not name.startswith("_") and "." not in name  # `np.random`
    }
    return _Bindings(binds, frozenset(symbols.uses).union(symbols.mutates))


_Bound = tuple[CellIndex, int, bool]  # a cell binding a name: its index, line, own read


def _overwritten_unread(
    cells: list[_Bound], readers: list[CellIndex]
) -> tuple[CellIndex, CellIndex] | None:
    """The first (binding, rebinding) pair where no cell read the first value before the
    second replaced it; None when every value was read before being replaced."""
    for (before, _, read), (after, _, _) in pairwise(cells):
        if read:
            continue
        # A reader in (before, after]: `after` itself may read the name before rebinding.
        k = bisect_right(readers, before)
        if k == len(readers) or readers[k] > after:
            return before, after
    return None


def _bound_twice(
    ctx: AnalysisContext, facts: dict[CellIndex, _Bindings]
) -> dict[str, list[_Bound]]:
    """The cells binding each name that more than one cell binds, in notebook order,
    for the names whose value some cell replaces without having read it itself.

    Only a name that several cells bind or change (`graph.definers`) can qualify, and
    in most notebooks few do: only their cells are looked at. A value its own cell
    reads was used, so a name whose every replaced value was is left out at once.
    """
    found: dict[str, list[_Bound]] = {}
    for name, cells in ctx.graph.definers.items():
        if len(cells) < 2:
            continue
        bound = [
            (index, *cell.binds[name])
            for index in cells
            if (cell := facts.get(index)) is not None and name in cell.binds
        ]
        if len(bound) > 1 and not all(read for _, _, read in bound[:-1]):
            found[name] = bound
    return found


@rule(
    "redefined-across-cells",
    "reproducibility",
    "info",
    "A global is bound in several cells and one value is replaced before any cell read it.",
    "Which value a reader sees depends on which of those cells ran last. Re-loading a name "
    "in a new section after using it (`df = pd.read_csv(...)` again) is a normal flow and "
    "stays silent; a value replaced before anything read it is dead code or a hidden "
    "dependency on execution order.",
)
def redefined(ctx: AnalysisContext) -> Iterator[Draft]:
    facts = dict(per_cell(ctx, "bindings", _bindings))
    repeated = _bound_twice(ctx, facts)
    if not repeated:
        return
    # Cells that read (or change in place) each of those names, in notebook order.
    names = set(repeated)
    readers: dict[str, list[CellIndex]] = {name: [] for name in repeated}
    for index, cell in facts.items():
        if not cell.reads.isdisjoint(names):
            for name in names & cell.reads:
                readers[name].append(index)
    for name in sorted(repeated):
        bound = repeated[name]
        pair = _overwritten_unread(bound, readers[name])
        if pair is None:
            continue
        first, second = pair
        others = [i for i, _, _ in bound if i != second]
        yield (
            second,
            facts[second].binds[name][0],
            f"`{name}` is bound here and in {cells_label(others)}, and the value from "
            f"{cell_label(first)} is replaced before any cell reads it: which value a reader "
            f"sees depends on which cell ran last. Give each value its own name, or delete "
            f"the unused binding.",
        )
