"""Cross-cell dependencies in notebook order: who provides each name a cell needs."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container, Mapping, Sequence
from typing import NamedTuple

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


def build_graph(symbols: Mapping[CellIndex, CellSymbols], order: Sequence[CellIndex]) -> Graph:
    """Link every code cell in `order` to the cells that provide the names it needs.

    For each name a cell uses or mutates, the provider is the nearest earlier cell (in
    notebook order) that defines or mutates it, unless a cell between them deletes it
    (`del x`: then no cell above provides it). A name with no provider is a
    :class:`MissingName`, with the first later cell that defines it, if any, and the cell
    above that deleted it, if any; builtins are never missing. Cells absent from
    `symbols` (syntax errors) take part in nothing.
    One sweep over the cells: time linear in the number of names.
    """
    order = list(order)
    return _link(order, [symbols.get(index) for index in order])


def _link(order: list[CellIndex], row: list[CellSymbols | None]) -> Graph:
    """The graph of `order`, `row` holding the symbols of each of its cells."""
    definers: dict[str, list[CellIndex]] = {}
    # name -> the cells that bind it (not just mutate it), in order. A cell defining a
    # function whose body binds a global counts here (not in `definers`): it names where
    # a name read too early is defined, for the cells that call the function.
    binders: dict[str, list[CellIndex]] = {}
    cells: list[tuple[CellIndex, CellSymbols]] = []
    for index, cell in zip(order, row, strict=True):
        if cell is None:
            continue
        cells.append((index, cell))
        for name in cell.provides:
            providers = definers.get(name)
            if providers is None:
                definers[name] = [index]
            else:
                providers.append(index)
        ends = cell.ends
        for name in cell.defines:
            if name not in ends:
                cells_binding = binders.get(name)
                if cells_binding is None:
                    binders[name] = [index]
                else:
                    cells_binding.append(index)

    last: dict[str, CellIndex] = {}
    ended: dict[str, CellIndex] = {}  # name -> the last cell so far that deleted it
    depends_on: dict[CellIndex, tuple[Edge, ...]] = dict.fromkeys(order, ())
    missing: list[MissingName] = []
    dependents: dict[CellIndex, list[CellIndex]] = {}
    functions: dict[str, _Function] = {}  # functions whose calls bind or need names
    for index, cell in cells:
        needed = cell.needed
        if cell.builtin_uses and not binders.keys().isdisjoint(cell.builtin_uses):
            needed = needed_names(cell, rebound=binders)
        by_source: dict[CellIndex, list[str]] = {}
        unresolved: set[str] | None = None
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
                    if unresolved is None:
                        unresolved = set()
                    unresolved.add(name)  # needed when a function is called: see there
                    continue
                later = _first_binder_after(name, index, binders)
                missing.append(MissingName(name, index, line, later, ended.get(name)))
        written = None
        if by_source and functions and not functions.keys().isdisjoint(needed):
            written = _calls(index, cell, needed, last, functions, binders, missing)
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
        # A cell that leaves a name deleted ends its provider: a later reader has none.
        if cell.ends:
            for name in cell.ends:
                last.pop(name, None)
                ended[name] = index
        # A call of a function whose body writes globals (`global x; x = ...`) binds
        # them in the calling cell: later readers take them from here.
        if written:
            for name in written:
                last[name] = index
        if cell.function_globals or cell.function_writes:
            _record(index, cell, unresolved, functions)

    missing.sort(key=lambda m: (m.cell, m.line, m.name))
    return Graph(
        depends_on=depends_on,
        missing=tuple(missing),
        definers={name: tuple(providers) for name, providers in definers.items()},
        dependents={src: tuple(dst) for src, dst in sorted(dependents.items())},
    )


class _Function(NamedTuple):
    """A top-level function (or class) whose call binds or needs globals."""

    cell: CellIndex  # the cell that defines it
    reads: tuple[str, ...]  # globals its body reads (other functions it calls among them)
    writes: tuple[str, ...]  # globals its body binds (`global x; x = ...`)
    late: tuple[str, ...]  # globals it reads that no cell above its definition provides


def _record(
    index: CellIndex,
    cell: CellSymbols,
    unresolved: set[str] | None,
    functions: dict[str, _Function],
) -> None:
    """Remember the functions cell `index` defines whose calls bind globals, read globals
    nothing provided at the definition (`unresolved`), or call such functions."""
    writes = cell.function_writes
    for name, reads in cell.function_globals.items():
        late = unresolved.intersection(reads) if unresolved else ()
        wrote = writes.get(name, ())
        if late or wrote or (functions and not functions.keys().isdisjoint(reads)):
            functions[name] = _Function(index, reads, wrote, tuple(sorted(late)))
    for name, wrote in writes.items():
        if name not in cell.function_globals:
            functions[name] = _Function(index, (), wrote, ())


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
    binders: Mapping[str, Sequence[CellIndex]],
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
                later = _first_binder_after(read, index, binders)
                missing.append(MissingName(read, index, line, later))
        pending.extend((read, line) for read in function.reads if read in functions)
    return written


def _first_binder_after(
    name: str, index: CellIndex, binders: Mapping[str, Sequence[CellIndex]]
) -> CellIndex | None:
    """The first cell after `index` that binds `name` (mutating it does not count)."""
    cells = binders.get(name, ())
    k = bisect_right(cells, index)
    return cells[k] if k < len(cells) else None


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
    walk of the graph per cell.
    """
    order = sorted(cells)
    sources = {
        cell: [edge.source for edge in edges] for cell, edges in graph.depends_on.items() if edges
    }
    return _closures(order, sources), _closures(order[::-1], graph.dependents)


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
