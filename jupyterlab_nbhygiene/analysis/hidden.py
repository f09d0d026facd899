"""Hidden inputs: values a cell read that no cell above it provides (the `hidden` state),
and values read from a cell above that is hidden itself (`via`).

A cell that ran and read such a value shows an output no top-to-bottom run can give: the
name is defined only below it (use-before-definition), nowhere in the notebook
(undefined-name: kernel-only), or its only provider was deleted or edited since. The
state (state.py) and the two error findings (rules/names.py) read the same facts here, so
they always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from operator import attrgetter

from .model import (
    CellIndex,
    CellSymbols,
    Graph,
    HiddenReason,
    HiddenWhy,
    MissingName,
    Notebook,
    ParsedCell,
)

# Dynamic calls after which names may exist that no statement binds (`exec` can bind
# anything; `eval` cannot bind names, so it does not hide a missing one).
_BINDING_DYNAMIC = frozenset({"exec", "globals", "locals", "vars", "setattr", "%run"})
# Line magics that bind names the analysis cannot see: `%run script.py`, `%store -r x`.
_BINDING_MAGICS = ("run ", "store -r", "store -r ")


def blinds(parsed: ParsedCell, symbols: CellSymbols | None) -> bool:
    """True when names may appear after this cell that no statement binds: a star
    import, `exec`/`globals()`-like calls, `%run` or `%store -r`."""
    if symbols is not None:
        if symbols.imports and any(rec.name == "*" for rec in symbols.imports):
            return True
        if symbols.dynamic and not _BINDING_DYNAMIC.isdisjoint(symbols.dynamic):
            return True
    return bool(parsed.commands) and any(
        cmd.kind == "line-magic" and cmd.text.strip().startswith(_BINDING_MAGICS)
        for cmd in parsed.commands
    )


def blind_from(
    nb: Notebook,
    parsed: Mapping[CellIndex, ParsedCell],
    symbols: Mapping[CellIndex, CellSymbols],
) -> CellIndex | None:
    """The first code cell from which on a name no cell defines may still exist (see
    `blinds`): `undefined-name` and the `nowhere` reason stay silent there and below."""
    for cell in nb.code_cells:
        p = parsed.get(cell.index)
        if p is None:
            continue
        found = symbols.get(cell.index)
        # Only cells that import, call exec and the like, or use magics can blind.
        maybe = (found is not None and (found.imports or found.dynamic)) or p.commands
        if maybe and blinds(p, found):
            return cell.index
    return None


def missing_by_cell(graph: Graph) -> dict[CellIndex, list[MissingName]]:
    """`graph.missing` grouped by the cell that needs the name (in the graph's order)."""
    grouped: dict[CellIndex, list[MissingName]] = {}
    for missing in graph.missing:
        found = grouped.get(missing.cell)
        if found is None:
            grouped[missing.cell] = [missing]
        else:
            found.append(missing)
    return grouped


def reported(missing: MissingName, blind: CellIndex | None) -> bool:
    """Whether a missing name is a certain problem: defined below, or defined nowhere
    while no cell at or above it can bind names unseen. A dotted name (a library's random
    state, `np.random`) is never one: its module's own name is checked instead."""
    if "." in missing.name:
        return False
    return missing.defined_later_in is not None or blind is None or blind > missing.cell


def hidden_because(
    cell: CellIndex,
    missing: Sequence[MissingName],
    blind: CellIndex | None,
    graph: Graph,
    read_from: Callable[[str], str | None] | None = None,
    index_of: Mapping[str, CellIndex] | None = None,
) -> tuple[HiddenReason, ...]:
    """Why `cell`, which ran with its current source, is hidden (empty: it is not).

    `missing` are the names no cell above `cell` provides. Without a history, each is
    "below" (with the first later cell that defines it) or "nowhere". With one,
    `read_from(name)` is the id of the cell whose run provided the value the cell's last
    run read (None: no run did), and `index_of` maps ids to positions: a deleted cell
    makes it "deleted", a cell below "below" (with that cell), a cell above that no
    longer provides the name "edited". A name a cell above deletes (`del x`) stays
    "below" or "nowhere" whichever run it read: the deletion is what a re-run meets.
    """
    reasons: list[HiddenReason] = []
    for m in missing:
        if not reported(m, blind):
            continue
        below = m.defined_later_in
        why: HiddenWhy = "below" if below is not None else "nowhere"
        source = read_from(m.name) if read_from is not None else None
        if source is not None and index_of is not None:
            at = index_of.get(source)
            if m.deleted_in is not None and (at is None or at < cell):
                pass  # a cell above deletes it: that, not the run it read, is the cause
            elif at is None:
                why = "deleted"
            elif at > cell:
                if at in graph.definers.get(m.name, ()):
                    below = at  # the run the cell actually read
                why = "below" if below is not None else "edited"
            elif at < cell:
                why = "edited"
        reasons.append(HiddenReason(m.name, below, why))
    reasons.sort(key=lambda r: r.name)
    return tuple(reasons)


def via_hidden(
    cell: CellIndex,
    inputs: Mapping[str, int | None],
    provider_at: Callable[[int], CellIndex | None],
    hidden: Container[CellIndex],
    own: tuple[HiddenReason, ...],
) -> tuple[HiddenReason, ...]:
    """`own` plus a "via" reason for each name `cell`'s last run read from a cell above it
    that is `hidden`: Restart & Run All cannot produce that value either.

    `inputs` maps each name the run read to the run that provided it (None: no run did);
    `provider_at(run)` is the position of the cell whose last run that is (None: the cell
    re-ran since, or was deleted). Given the cells hidden above, in notebook order, this
    spreads the state transitively in one pass.
    """
    found: list[HiddenReason] = []
    named = {r.name for r in own}
    for name, provider in inputs.items():
        if provider is None or name in named:
            continue
        at = provider_at(provider)
        if at is not None and at < cell and at in hidden:
            found.append(HiddenReason(name, at, "via"))
    if not found:
        return own
    return tuple(sorted((*own, *found), key=attrgetter("name")))
