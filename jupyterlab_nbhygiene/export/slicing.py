"""Which cells recompute the exported ones, and in which order they run in the module.

The cells are walked in the order the kernel ran them (execution counts, when they are
distinct; unexecuted cells stay after the cell above them; notebook order otherwise):
that is the order the saved outputs come from. Going backwards from the exported cells, a
cell joins the slice when it defines or mutates a name a cell of the slice reads (a draw
from a random generator mutates it, see randomness.py); a definition ends the search for
that name, a mutation does not. A name no earlier cell provides is taken from the first
later cell that defines it (hidden state); a name no cell defines refuses the export.
The slice is then sorted so every provider runs before its readers, run order breaking
ties; a cycle refuses the export.
"""

from __future__ import annotations

import builtins
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .errors import ExportError
from .randomness import is_pseudo

_KNOWN = frozenset(dir(builtins)) | {"__name__", "__file__", "__doc__", "display"}


@dataclass(frozen=True)
class CellFacts:
    """One code cell as the slice sees it; `index` is 0-based, messages say `index + 1`."""

    index: int
    execution_count: int | None
    defines: frozenset[str]
    # Names read or mutated, generators drawn from; not the names the cell binds before
    # it reads or mutates them (`rng = default_rng(); rng.normal()`).
    needs: frozenset[str]
    mutates: frozenset[str]  # names mutated, generators drawn from
    hoisted: frozenset[str] = frozenset()  # names bound by imports the module hoists
    star_import: bool = False


@dataclass
class Slice:
    """The cells of the module in the order they run, and who provides what to whom."""

    order: list[int]
    run_order: list[int]
    edges: dict[tuple[int, int], set[str]] = field(default_factory=dict)


def run_order(cells: Sequence[CellFacts]) -> list[int]:
    """Cell indices in the order the kernel ran them (module docstring)."""
    notebook = [c.index for c in cells]
    counts = [c.execution_count for c in cells if c.execution_count is not None]
    if len(set(counts)) != len(counts) or counts == sorted(counts):
        return notebook
    ran = sorted((c for c in cells if c.execution_count is not None), key=_count)
    order = [c.index for c in ran]
    previous: int | None = None
    for c in cells:
        if c.execution_count is None:
            at = order.index(previous) + 1 if previous is not None else 0
            order.insert(at, c.index)
        previous = c.index
    return order


def _count(cell: CellFacts) -> int:
    return cell.execution_count or 0


def compute_slice(cells: Sequence[CellFacts], targets: Sequence[int]) -> Slice:
    """The slice for the exported cell indices `targets`, sorted to run (module docstring).
    Raises :class:`ExportError` naming the cell and the name when no order works."""
    facts = {c.index: c for c in cells}
    order = run_order(cells)
    position = {index: k for k, index in enumerate(order)}
    wanted = set(targets)
    hidden: dict[tuple[int, int], set[str]] = {}
    while True:
        included, edges, missing = _walk(order, facts, wanted)
        added = False
        for name, consumers in missing.items():
            if is_pseudo(name):
                continue
            provider = _later_definer(name, consumers, order, position, facts)
            for consumer in consumers:
                if provider != consumer:
                    hidden.setdefault((provider, consumer), set()).add(name)
            if provider not in wanted:
                wanted.add(provider)
                added = True
        if not added:
            break
    for key, names in hidden.items():
        edges.setdefault(key, set()).update(names)
    return Slice(_sorted(included, edges, facts, position), order, edges)


def _walk(
    order: list[int], facts: Mapping[int, CellFacts], wanted: set[int]
) -> tuple[set[int], dict[tuple[int, int], set[str]], dict[str, list[int]]]:
    """One backward pass: included cells, provider edges, names no earlier cell provides."""
    needed: dict[str, list[int]] = {}
    included: set[int] = set()
    edges: dict[tuple[int, int], set[str]] = {}
    last = max(k for k, index in enumerate(order) if index in wanted)
    for index in reversed(order[: last + 1]):
        cell = facts[index]
        provides = cell.defines | cell.mutates
        if index not in wanted and provides.isdisjoint(needed):
            continue
        included.add(index)
        for name in provides & needed.keys():
            consumers = needed[name]
            for consumer in consumers:
                if consumer != index and not (name in cell.hoisted and name not in cell.mutates):
                    edges.setdefault((index, consumer), set()).add(name)
            if name in cell.defines and name not in cell.needs:
                del needed[name]  # bound afresh: earlier cells do not matter
        for name in cell.needs:
            needed.setdefault(name, []).append(index)
    return included, edges, needed


def _later_definer(
    name: str,
    consumers: list[int],
    order: list[int],
    position: Mapping[int, int],
    facts: Mapping[int, CellFacts],
) -> int:
    first = min(consumers, key=position.__getitem__)
    later = [i for i in order[position[first] + 1 :] if name in facts[i].defines]
    if later:
        return later[0]
    star = [i for i in order[: position[first]] if facts[i].star_import]
    if star:
        return star[-1]
    if name in _KNOWN:
        return first
    raise ExportError(
        f"Cell {first + 1} uses `{name}`, which no cell of the notebook defines: "
        "export needs every name a cell reads to come from a cell.",
        cell=first + 1,
        name=name,
    )


def _sorted(
    included: set[int],
    edges: Mapping[tuple[int, int], set[str]],
    facts: Mapping[int, CellFacts],
    position: Mapping[int, int],
) -> list[int]:
    """A topological order of `included` (providers first), run order breaking ties."""
    inbound = dict.fromkeys(included, 0)
    outbound: dict[int, list[int]] = {i: [] for i in included}
    for provider, consumer in edges:
        if provider in included and consumer in included and provider != consumer:
            inbound[consumer] += 1
            outbound[provider].append(consumer)
    ready = [(position[i], i) for i, n in inbound.items() if n == 0]
    heapq.heapify(ready)
    result: list[int] = []
    while ready:
        _, index = heapq.heappop(ready)
        result.append(index)
        for consumer in outbound[index]:
            inbound[consumer] -= 1
            if inbound[consumer] == 0:
                heapq.heappush(ready, (position[consumer], consumer))
    if len(result) < len(included):
        raise _cycle(set(included) - set(result), edges, position)
    return result


def _cycle(
    left: set[int], edges: Mapping[tuple[int, int], set[str]], position: Mapping[int, int]
) -> ExportError:
    cell = min(left, key=position.__getitem__)
    into = sorted((p, sorted(names)) for (p, c), names in edges.items() if c == cell and p in left)
    provider, names = into[0] if into else (cell, ["?"])
    back = edges.get((cell, provider)) or next(
        (n for (p, c), n in edges.items() if p == cell and c in left), {"?"}
    )
    return ExportError(
        f"Cell {cell + 1} needs `{names[0]}` from cell {provider + 1}, which itself needs "
        f"`{sorted(back)[0]}` from cell {cell + 1} (directly or through other cells): "
        "no order defines every name before it is used.",
        cell=cell + 1,
        name=names[0],
    )
