"""Cross-cell dependencies in notebook order: who provides each name a cell needs."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .caches import changed_positions
from .model import CellIndex, CellSymbols, Edge, Graph, MissingName


def needed_names(symbols: CellSymbols, *, rebound: Container[str]) -> dict[str, int]:
    """The names a cell needs from other cells -> first line: uses, mutated names, and
    builtins that some cell of the notebook rebinds (`rebound` holds the rebinding names).
    """
    needed = dict(symbols.needed)
    for name, line in symbols.builtin_uses.items():
        if name in rebound:
            needed.setdefault(name, line)
    return needed


def effective_uses(symbols: CellSymbols, graph: Graph) -> dict[str, int]:
    """`uses` as the report shows them: builtins count once a notebook cell rebinds them."""
    uses = dict(symbols.uses)
    for name, line in symbols.builtin_uses.items():
        if name in graph.definers:
            uses.setdefault(name, line)
    return uses


@dataclass(frozen=True, slots=True)
class _Linked:
    """The last graph built, with what it was built from (see `build_graph`)."""

    order: list[CellIndex]
    row: list[CellSymbols | None]  # the symbols of each cell of `order`
    read: set[str]  # every name some cell needs, builtins included
    graph: Graph


_last: _Linked | None = None


def clear_last_graph() -> None:
    """Forget the last graph and slices (caches.clear_caches calls this)."""
    global _last, _last_slices
    _last = _last_slices = None


def build_graph(symbols: Mapping[CellIndex, CellSymbols], order: Sequence[CellIndex]) -> Graph:
    """Link every code cell in `order` to the cells that provide the names it needs.

    For each name a cell uses or mutates, the provider is the nearest earlier cell (in
    notebook order) that defines or mutates it. A name with no provider is a
    :class:`MissingName`, with the first later cell that defines it, if any; builtins are
    never missing. Cells absent from `symbols` (syntax errors) take part in nothing.
    One sweep over the cells: time linear in the number of names.

    Re-analysis after an edit reuses the last graph when the edited cells still need the
    same names and only change names no cell reads: no edge can differ then, only
    `definers`. The graph's mappings may be shared with that last graph: read them only.
    """
    global _last
    order = list(order)
    row = [symbols.get(index) for index in order]
    last = _last
    if last is not None and last.order == order:
        graph = _patched(last, row)
        if graph is not None:
            _last = _Linked(order, row, last.read, graph)
            return graph
    graph, read = _link(order, row)
    _last = _Linked(order, row, read, graph)
    return graph


def _patched(last: _Linked, row: list[CellSymbols | None]) -> Graph | None:
    """`last.graph` updated for the cells whose symbols changed, or None when an edge or
    a missing name could change (then the graph is built anew)."""
    changed = changed_positions(last.row, row, _PATCH_LIMIT)
    if changed is None:
        return None
    touched: set[str] = set()
    for k in changed:
        old, new = last.row[k], row[k]
        if old is None or new is None:
            return None
        if (
            old.needed != new.needed
            or old.builtin_uses != new.builtin_uses
            or old.function_writes != new.function_writes
        ):
            return None
        differ = set(old.provides).symmetric_difference(new.provides)
        differ.update(set(old.defines).symmetric_difference(new.defines))
        if not last.read.isdisjoint(differ):
            return None
        touched.update(differ)
    if not changed:
        return last.graph
    definers = dict(last.graph.definers)
    for k in changed:
        index, provides = last.order[k], row[k].provides  # type: ignore[union-attr]
        for name in touched:
            cells = definers.get(name, ())
            if (name in provides) == (index in cells):
                continue
            if index in cells:
                cells = tuple(c for c in cells if c != index)
            else:
                cells = tuple(sorted((*cells, index)))
            if cells:
                definers[name] = cells
            else:
                del definers[name]
    return Graph(last.graph.depends_on, last.graph.missing, definers, last.graph.dependents)


_PATCH_LIMIT = 8


def _link(order: list[CellIndex], row: list[CellSymbols | None]) -> tuple[Graph, set[str]]:
    """The graph of `order` built in full, and every name some cell needs."""
    definers: dict[str, list[CellIndex]] = {}
    bound: set[str] = set()  # names some cell binds (not just mutates)
    read: set[str] = set()
    cells: list[tuple[CellIndex, CellSymbols]] = []
    for index, cell in zip(order, row, strict=True):
        if cell is None:
            continue
        cells.append((index, cell))
        read.update(cell.needed)
        read.update(cell.builtin_uses)
        for name in cell.provides:
            providers = definers.get(name)
            if providers is None:
                definers[name] = [index]
            else:
                providers.append(index)
        bound.update(cell.defines)

    last: dict[str, CellIndex] = {}
    depends_on: dict[CellIndex, tuple[Edge, ...]] = dict.fromkeys(order, ())
    missing: list[MissingName] = []
    dependents: dict[CellIndex, list[CellIndex]] = {}
    symbols_of = dict(cells)
    functions: dict[str, _Function] = {}  # functions whose calls bind or need names
    for index, cell in cells:
        needed = cell.needed
        if cell.builtin_uses and not bound.isdisjoint(cell.builtin_uses):
            needed = needed_names(cell, rebound=bound)
        by_source: dict[CellIndex, list[str]] = {}
        unresolved: set[str] = set()
        for name, line in needed.items():
            source = last.get(name)
            if source is not None:
                names = by_source.get(source)
                if names is None:
                    by_source[source] = [name]
                else:
                    names.append(name)
            elif name in cell.uses or name in cell.mutates:
                if name in cell.deferred_uses and _read_by_functions(cell, name):
                    unresolved.add(name)  # needed when a function is called: see there
                    continue
                later = _first_binder_after(name, index, definers, symbols_of)
                missing.append(MissingName(name, index, line, later))
        written: set[str] = set()
        if functions and by_source:
            written = _calls(index, cell, needed, last, functions, definers, symbols_of, missing)
        if by_source:
            depends_on[index] = tuple(
                Edge(source, tuple(sorted(names))) for source, names in sorted(by_source.items())
            )
            for source in by_source:  # cells come in order: each list stays sorted
                later_cells = dependents.get(source)
                if later_cells is None:
                    dependents[source] = [index]
                else:
                    later_cells.append(index)
        for name in cell.provides:
            last[name] = index
        # A call of a function whose body writes globals (`global x; x = ...`) binds
        # them in the calling cell: later readers take them from here.
        for name in written:
            last[name] = index
        if cell.function_globals or cell.function_writes:
            for name, reads in cell.function_globals.items():
                late = unresolved.intersection(reads) if unresolved else ()
                wrote = cell.function_writes.get(name, ())
                if late or wrote or (functions and not functions.keys().isdisjoint(reads)):
                    functions[name] = _Function(index, reads, wrote, tuple(sorted(late)))
            for name, wrote in cell.function_writes.items():
                functions.setdefault(name, _Function(index, (), wrote, ()))

    missing.sort(key=lambda m: (m.cell, m.line, m.name))
    graph = Graph(
        depends_on=depends_on,
        missing=tuple(missing),
        definers={name: tuple(providers) for name, providers in definers.items()},
        dependents={src: tuple(dst) for src, dst in sorted(dependents.items())},
    )
    return graph, read


class _Function(NamedTuple):
    """A top-level function (or class) whose call binds or needs globals."""

    cell: CellIndex  # the cell that defines it
    reads: tuple[str, ...]  # globals its body reads (other functions it calls among them)
    writes: tuple[str, ...]  # globals its body binds (`global x; x = ...`)
    late: tuple[str, ...]  # globals it reads that no cell above its definition provides


def _read_by_functions(cell: CellSymbols, name: str) -> bool:
    """Whether `name` is read in the body of a function (or class) the cell names: it is
    needed when that function is called, not when the cell runs."""
    return any(name in reads for reads in cell.function_globals.values())


def _calls(
    index: CellIndex,
    cell: CellSymbols,
    needed: Mapping[str, int],
    last: Mapping[str, CellIndex],
    functions: Mapping[str, _Function],
    definers: Mapping[str, Sequence[CellIndex]],
    symbols_of: Mapping[CellIndex, CellSymbols],
    missing: list[MissingName],
) -> set[str]:
    """What calling functions does in cell `index`: the globals their bodies write (the
    result), and the names their bodies read that nothing provides by then (appended to
    `missing`, at the line where the cell names the function). Functions called by the
    functions it calls count too."""
    written: set[str] = set()
    reported: set[str] = set()
    pending = [(name, line) for name, line in needed.items() if name in functions]
    seen: set[str] = set()
    while pending:
        name, line = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        function = functions[name]
        if last.get(name) != function.cell:
            continue  # a later cell rebound the name: not that function any more
        written.update(function.writes)
        for read in function.late:
            if read not in reported and read not in last and read not in cell.defines:
                reported.add(read)
                later = _first_binder_after(read, index, definers, symbols_of)
                missing.append(MissingName(read, index, line, later))
        pending.extend((read, line) for read in function.reads if read in functions)
    return written


def _first_binder_after(
    name: str,
    index: CellIndex,
    definers: Mapping[str, Sequence[CellIndex]],
    symbols: Mapping[CellIndex, CellSymbols],
) -> CellIndex | None:
    """The first cell after `index` that binds `name` (mutating it does not count)."""
    providers = definers.get(name, ())
    for cell in providers[bisect_right(providers, index) :]:
        if name in symbols[cell].defines:
            return cell
    return None


def upstream(graph: Graph, cell: CellIndex) -> tuple[CellIndex, ...]:
    """The slice of `cell`: every cell needed to recompute it, itself included, in
    notebook order (running them top to bottom recomputes `cell` from scratch).
    """
    seen = {cell}
    stack = [cell]
    while stack:
        for edge in graph.depends_on.get(stack.pop(), ()):
            if edge.source not in seen:
                seen.add(edge.source)
                stack.append(edge.source)
    return tuple(sorted(seen))


def downstream(graph: Graph, cell: CellIndex) -> tuple[CellIndex, ...]:
    """`cell` and every cell that depends on it, directly or not, in notebook order:
    what to re-run after changing `cell`.
    """
    return tuple(sorted(_walk(cell, graph.dependents)))


def slices(
    graph: Graph, cells: Sequence[CellIndex]
) -> tuple[dict[CellIndex, tuple[CellIndex, ...]], dict[CellIndex, tuple[CellIndex, ...]]]:
    """`upstream` and `downstream` of every cell in `cells`, computed together.

    Edges always run from an earlier cell to a later one, so one pass in notebook order
    (and one in reverse) builds each cell's set from its neighbours' sets, instead of a
    walk of the graph per cell. The mappings may be those of the last call: read them only.
    """
    global _last_slices
    order = sorted(cells)
    last = _last_slices
    if last is not None and last[0] is graph.depends_on and last[1] == order:
        return last[2], last[3]  # a re-analysis that kept the last graph's edges
    sources = {
        cell: [edge.source for edge in edges] for cell, edges in graph.depends_on.items() if edges
    }
    up, down = _closures(order, sources), _closures(order[::-1], graph.dependents)
    _last_slices = (graph.depends_on, order, up, down)
    return up, down


_Slices = dict[CellIndex, tuple[CellIndex, ...]]
_last_slices: tuple[Mapping[CellIndex, tuple[Edge, ...]], list[CellIndex], _Slices, _Slices] | None
_last_slices = None


def _closures(
    order: Sequence[CellIndex], neighbours: Mapping[CellIndex, Sequence[CellIndex]]
) -> dict[CellIndex, tuple[CellIndex, ...]]:
    """Each cell of `order` with every cell reachable through `neighbours`, sorted.

    `order` visits a cell's neighbours before the cell, so each closure is the union of
    its neighbours' closures; a neighbour met out of that order is walked instead.
    """
    done: dict[CellIndex, tuple[CellIndex, ...]] = {}
    for cell in order:
        near = neighbours.get(cell)
        if not near:
            done[cell] = (cell,)
            continue
        reach = {cell}
        for other in near:
            closure = done.get(other)
            reach.update(_walk(other, neighbours) if closure is None else closure)
        done[cell] = tuple(sorted(reach))
    return done


def _walk(cell: CellIndex, neighbours: Mapping[CellIndex, Sequence[CellIndex]]) -> set[CellIndex]:
    seen = {cell}
    stack = [cell]
    while stack:
        for other in neighbours.get(stack.pop(), ()):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen
