"""The graph after an edit, from the graph before it: only what the changed names reach.

`build_graph` links every cell in one sweep. After an edit that changes what some cells
read but not what any cell leaves behind for others (the names it binds, mutates or
deletes: typing inside an expression, a new use, a changed literal), every other cell
keeps its providers: only the edited cells are linked again, and the cells they read from
learn their new dependents. :func:`relink` does that, and answers None for any other edit:
an edited cell binds or deletes other names, or defines a function whose body reads or
binds globals; it reads a name such a function's call reads or binds, or a builtin some
cell rebinds; a cell of the notebook leaves a name deleted; cells were added or moved. The
caller then builds the graph in full. Either way the graph is the one `build_graph` gives
(a property test checks it).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping, Sequence

from .model import CellIndex, CellSymbols, Edge, Graph, MissingName

Symbols = Mapping[CellIndex, CellSymbols]


def relink(
    before: Graph,
    old: Symbols,
    new: Symbols,
    order: Sequence[CellIndex],
    old_order: Sequence[CellIndex],
) -> Graph | None:
    """`build_graph(new, order)`, from `before` (the graph of `old`), or None.

    None means the edit reaches beyond the edited cells' own links; see the module
    docstring. Linear in the number of code cells (identity checks), plus the edited
    cells' names.
    """
    if list(order) != list(old_order):
        return None
    edited: list[CellIndex] = []
    for index in order:
        was, now = old.get(index), new.get(index)
        if was is now:
            continue
        if was is None or now is None or not _same_interface(was, now):
            return None
        if was != now:
            edited.append(index)
    if not edited:
        return before
    called = _names_functions_touch(new.values())
    if called is None:
        return None
    depends_on = dict(before.depends_on)
    dependents = {src: list(dst) for src, dst in before.dependents.items()}
    relinked = set(edited)
    missing = [m for m in before.missing if m.cell not in relinked]
    definers = before.definers
    for index in edited:
        cell = new[index]
        if _reaches_further(old[index], definers, called) or _reaches_further(
            cell, definers, called
        ):
            return None
        needed = cell.needed
        for edge in before.depends_on.get(index, ()):
            dependents[edge.source].remove(index)
        by_source: dict[CellIndex, list[str]] = {}
        for name, line in needed.items():
            source = _provider(definers.get(name, ()), index)
            if source is not None:
                by_source.setdefault(source, []).append(name)
            elif name in cell.uses or name in cell.mutates:
                later = _first_binder_after(name, index, order, new)
                missing.append(MissingName(name, index, line, later, None))
        depends_on[index] = tuple(
            Edge(source, tuple(sorted(names))) for source, names in sorted(by_source.items())
        )
        for source in by_source:
            insort(dependents.setdefault(source, []), index)
    missing.sort(key=lambda m: (m.cell, m.line, m.name))
    return Graph(
        depends_on=depends_on,
        missing=tuple(missing),
        definers=definers,
        dependents={src: tuple(dst) for src, dst in sorted(dependents.items()) if dst},
    )


def _reaches_further(cell: CellSymbols, definers: Mapping[str, object], called: set[str]) -> bool:
    """Whether linking `cell` involves more than its providers by position: a builtin it
    reads that some cell rebinds (or a function's body binds), or a name it needs that a
    function's call reads or binds."""
    if cell.builtin_uses and not (
        definers.keys().isdisjoint(cell.builtin_uses) and called.isdisjoint(cell.builtin_uses)
    ):
        return True
    return not called.isdisjoint(cell.needed)


def _same_interface(was: CellSymbols, now: CellSymbols) -> bool:
    """Whether two versions of a cell leave the same names behind for other cells, and
    neither deletes a name or defines a function whose body reads or binds globals."""
    if was.ends or now.ends or was.function_globals or now.function_globals:
        return False
    if was.function_writes or now.function_writes:
        return False
    return (
        set(was.provides) == set(now.provides)
        and was.defines.keys() == now.defines.keys()
        and was.deferred_defines.keys() == now.deferred_defines.keys()
    )


def _names_functions_touch(cells: Iterable[CellSymbols]) -> set[str] | None:
    """The names whose providers a sweep does not find by position alone: functions whose
    calls read or bind globals, the globals they bind, and names some cell deletes. None
    when a cell leaves a name deleted (`ends`): the caller links in full."""
    touched: set[str] = set()
    for cell in cells:
        if cell.ends:
            return None
        if cell.function_globals:
            touched.update(cell.function_globals)
        if cell.function_writes:
            touched.update(cell.function_writes)
            for written in cell.function_writes.values():
                touched.update(written)
    return touched


def _provider(cells: Sequence[CellIndex], index: CellIndex) -> CellIndex | None:
    """The last of `cells` (sorted) before `index`."""
    k = bisect_left(cells, index)
    return cells[k - 1] if k else None


def _first_binder_after(
    name: str, index: CellIndex, order: Sequence[CellIndex], symbols: Symbols
) -> CellIndex | None:
    """The first cell after `index` that binds `name` (as `graph._first_binder_after`)."""
    for other in order[bisect_left(order, index) + 1 :]:
        cell = symbols.get(other)
        if cell is not None and name in cell.defines and name not in cell.ends:
            return other
    return None
