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
from ..visitor import child_nodes
from .base import (
    Code,
    Draft,
    cell_drafts,
    cell_ref,
    code_cells,
    dotted_name,
    per_cell,
    rule,
)

_REFITS = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict"})
_PLOT_HANDLES = frozenset({"fig", "ax", "axes", "axs"})


def _sites(code: Code) -> dict[str, tuple[int, ...]]:
    """Lines where a cell changes a name in a way this rule ignores, per root name:
    estimator fitting (`model.fit(...)`: the normal ML flow, kept as a mutation for the
    graph so that predicting cells depend on it), draws from a random generator
    (`rng.normal()`, `np.random.seed(0)`: kept so that every later draw depends on them),
    and item assignment whose right-hand side does not read the changed name
    (`df["c"] = other`: a fresh column from other data).
    """
    quiet: dict[str, set[int]] = {}
    loud: set[tuple[str, int]] = set()
    for call in code.nodes.calls:
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        generator = generator_state(func)
        if generator is not None:
            quiet.setdefault(generator, set()).add(call.lineno)
        if func.attr in _REFITS:
            name = dotted_name(func.value)
            if name is not None:
                quiet.setdefault(name, set()).add(call.lineno)
    for node in _statements(code.tree.body):
        if type(node) is ast.Assign:
            targets, value = node.targets, node.value
        elif type(node) is ast.AnnAssign and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if type(target) is not ast.Subscript:
                continue
            root = root_name(target)
            if root is None:
                continue
            if _reads(value, root.id):
                loud.add((root.id, target.lineno))
            else:
                quiet.setdefault(root.id, set()).add(target.lineno)
    # A line that also changes the name loudly (`df["a"] = 1; df.pop("b")`) stays loud.
    return {
        name: tuple(sorted(line for line in lines if (name, line) not in loud))
        for name, lines in quiet.items()
    }


def _reads(expr: ast.expr, name: str) -> bool:
    """Whether `name` appears in `expr` (read, or bound by a walrus or comprehension)."""
    stack: list[ast.AST] = [expr]
    while stack:
        node = stack.pop()
        if type(node) is ast.Name:
            if node.id == name:
                return True
            continue
        stack.extend(child_nodes(node))
    return False


_LEAVES = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr, ast.Import,
                     ast.ImportFrom, ast.Pass, ast.Delete, ast.Return, ast.Global})  # fmt: skip
_FUNCTIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef})


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of `body` and of the blocks nested in it, in no particular order.
    Function bodies are left out: what runs when a function is called changes no name
    when the cell runs (mutations.py records no mutation there)."""
    stack = list(body)
    while stack:
        stmt = stack.pop()
        yield stmt
        kind = type(stmt)
        if kind in _LEAVES or kind in _FUNCTIONS:
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if type(inner) is list:
                stack.extend(inner)
        for handler in getattr(stmt, "handlers", ()):
            stack.extend(handler.body)
        for case in getattr(stmt, "cases", ()):
            stack.extend(case.body)


def _outside_changes(code: Code) -> tuple[tuple[str, int], ...]:
    """(name, line) of each in-place change in a cell, by line, that the cell itself did
    not bind before: re-running a cell that binds the name first is safe."""
    if not code.symbols.mutates:
        return ()  # most cells: nothing to sort
    defines = code.symbols.defines
    return tuple(
        (name, line)
        for name, line in sorted(code.symbols.mutates.items(), key=lambda kv: (kv[1], kv[0]))
        if not (name in defines and defines[name] <= line)
    )


def _bound_quietly(code: Code) -> frozenset[str]:
    """Names a cell binds by import, `def` or `class`: changing those elsewhere is
    configuration (`pd.options...`) or patching code (`Cls.method = ...`), not data."""
    names = {rec.name for rec in code.symbols.imports}
    names.update(
        node.name
        for node in code.tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    )
    return frozenset(names)


@rule(
    "cross-cell-mutation",
    "reproducibility",
    "warning",
    "A cell changes in place a value that another cell defined.",
    "Re-running either cell alone changes results (`df.dropna(inplace=True)`, "
    "`lst.append(...)`, `df['c'] = ...`); the state on screen depends on how often each ran.",
)
def cross_cell_mutation(ctx: AnalysisContext) -> Iterator[Draft]:
    # One sweep in notebook order: name -> the nearest cell above that binds it (and has
    # not deleted it since).
    binder: dict[str, Code] = {}
    quiet_names: dict[CellIndex, frozenset[str]] = {}  # per binding cell, when asked
    for code in code_cells(ctx).parsed:
        index = code.cell
        sites: dict[str, tuple[int, ...]] | None = None  # made for the first candidate
        for name, line in code.once(_outside_changes):
            bound = binder.get(name)
            if bound is None:
                continue  # no binding above: use-before-definition's job
            quiet = quiet_names.get(bound.cell)
            if quiet is None:
                quiet = quiet_names[bound.cell] = bound.once(_bound_quietly)
            if name in quiet:
                continue
            if sites is None:
                sites = code.once(_sites)
            if line in sites.get(name, ()):
                continue
            source = bound.cell
            yield (
                index,
                line,
                f"`{name}` is changed in place here but defined in {cell_ref(ctx, source)}: "
                f"running this cell twice, or {cell_label(source)} again, gives another state. "
                f"Work on a copy (`{name}2 = {name}.copy()`) or make the change in "
                f"{cell_label(source)}.",
            )
        symbols = code.symbols
        deferred = symbols.deferred_defines  # bound when a function is called, not here
        for name in symbols.defines:
            if name not in deferred:
                binder[name] = code
        for name in symbols.ends:  # `del x`: no value left to change in place
            binder.pop(name, None)


@rule(
    "non-idempotent-cell",
    "reproducibility",
    "warning",
    "A cell reads and rebinds the same global (`x = x + 1`, `df = df.dropna()`).",
    "Running the cell twice gives another state than running it once.",
)
def non_idempotent(ctx: AnalysisContext) -> list[Draft]:
    return cell_drafts(ctx, _rebinds)


def _rebinds(code: Code) -> tuple[tuple[int, str], ...]:
    """(line, message) for each name a cell reads and rebinds, by line."""
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
    """What `redefined-across-cells` needs of one cell."""

    # Name -> (line, read by the cell itself) per name bound by assignment or def: not
    # an import, a read-and-rebind, a `for` target, a plot handle or a `_private` name.
    binds: dict[str, tuple[int, bool]]
    reads: frozenset[str]  # names the cell reads or changes in place


def _bindings(code: Code) -> _Bindings:
    symbols = code.symbols
    index = code.nodes
    # `for` targets and plot handles are throwaway names each cell re-creates.
    skip = {rec.name for rec in symbols.imports} | set(symbols.rebinds_own_input)
    skip |= _PLOT_HANDLES | index.loop_targets
    # `def f(): global x; x = ...` binds `x` when called, not in the cell defining `f`.
    skip.update(symbols.deferred_defines)
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
    facts = dict(per_cell(ctx, _bindings))
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
