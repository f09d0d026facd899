"""Cross-cell dependencies in notebook order: who provides each name a cell needs."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container, Mapping, Sequence

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
    notebook order) that defines or mutates it. A name with no provider is a
    :class:`MissingName`, with the first later cell that defines it, if any; builtins are
    never missing. Cells absent from `symbols` (syntax errors) take part in nothing.
    One sweep over the cells: time linear in the number of names.
    """
    order = list(order)
    return _link(order, [symbols.get(index) for index in order])


def _link(order: list[CellIndex], row: list[CellSymbols | None]) -> Graph:
    """The graph of `order`, `row` holding the symbols of each of its cells."""
    definers: dict[str, list[CellIndex]] = {}
    bound: set[str] = set()  # names some cell binds (not just mutates)
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
        bound.update(cell.defines)

    last: dict[str, CellIndex] = {}
    depends_on: dict[CellIndex, tuple[Edge, ...]] = dict.fromkeys(order, ())
    missing: list[MissingName] = []
    dependents: dict[CellIndex, list[CellIndex]] = {}
    symbols_of: dict[CellIndex, CellSymbols] | None = None  # made when a name is missing
    for index, cell in cells:
        needed = cell.needed
        if cell.builtin_uses and not bound.isdisjoint(cell.builtin_uses):
            needed = needed_names(cell, rebound=bound)
        by_source: dict[CellIndex, list[str]] = {}
        for name, line in needed.items():
            source = last.get(name)
            if source is not None:
                names = by_source.get(source)
                if names is None:
                    by_source[source] = [name]
                else:
                    names.append(name)
            elif name in cell.uses or name in cell.mutates:
                if symbols_of is None:
                    symbols_of = dict(cells)
                later = _first_binder_after(name, index, definers, symbols_of)
                missing.append(MissingName(name, index, line, later))
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

    missing.sort(key=lambda m: (m.cell, m.line, m.name))
    return Graph(
        depends_on=depends_on,
        missing=tuple(missing),
        definers={name: tuple(providers) for name, providers in definers.items()},
        dependents={src: tuple(dst) for src, dst in sorted(dependents.items())},
    )


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
