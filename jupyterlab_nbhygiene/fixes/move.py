"""`move-cell`: "Move cell N above cell M" for a use before definition.

The cells that define what cell M uses before any cell above it defines move right above
M (their order kept). The move is safe when every cell still takes each name it reads or
mutates from the same cell as before; the only change allowed is M (and the moved cells)
finding the names that were missing. Otherwise the repair is refused with the dependency
it would break.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..analysis.model import Notebook
from .common import FixResult, UnsafeFix

Providers = dict[tuple[int, str], int | None]


def _providers(order: Sequence[int], cells: Mapping[int, Mapping[str, Any]]) -> Providers:
    """(cell, name) -> the nearest cell above (in `order`) that defines or mutates it."""
    last: dict[str, int] = {}
    found: Providers = {}
    for index in order:
        entry = cells[index]
        for name in {*entry["uses"], *entry["mutates"]}:
            found[(index, name)] = last.get(name)
        for name in {*entry["defines"], *entry["mutates"]}:
            last[name] = index
    return found


def move_cell(nb: Notebook, report: Sequence[Mapping[str, Any]], cell: int) -> FixResult:
    """Move the definers of what cell `cell` (0-based) uses too early above it, or the
    cell `cell` itself above the first cell that uses what it defines too late."""
    code = {c["index"]: c for c in report if c["cell_type"] == "code"}
    if cell not in code:
        raise UnsafeFix(f"Cell {cell + 1} is not a code cell; there is nothing to move.")
    order = sorted(code)
    before = _providers(order, code)
    user, movers, names = _plan(order, code, before, cell)
    moved = set(movers)
    new_order = [i for i in order if i not in moved]
    at = new_order.index(user)
    new_order[at:at] = movers
    after = _providers(new_order, code)
    for (index, name), was in before.items():
        now = after[(index, name)]
        if now == was or (was is None and now in moved):
            continue
        if was is None:
            continue
        raise UnsafeFix(_broken(index, name, was, now, movers, user))
    positions: dict[int, int] = {c.index: k for k, c in enumerate(nb.cells)}
    target = positions[user]
    moves: list[tuple[str, int]] = []
    for k, index in enumerate(movers):
        moves.append((nb.cells[index].id, target + k))
    what = ", ".join(f"`{n}`" for n in names)
    moving = " and ".join(f"cell {i + 1}" for i in movers)
    title = f"Move {moving} above cell {user + 1}"
    summary = f"{title}: it defines {what}, which cell {user + 1} uses before any cell above it."
    return FixResult(title, summary, moves=moves)


def _plan(
    order: list[int], code: Mapping[int, Mapping[str, Any]], before: Providers, cell: int
) -> tuple[int, list[int], list[str]]:
    """(the user cell, the cells to move above it, the names they bring)."""
    below = order[order.index(cell) + 1 :]
    wanted: dict[int, list[str]] = {}
    for name in sorted(code[cell]["uses"]):
        if before.get((cell, name), 0) is not None:
            continue
        definer = next((i for i in below if name in code[i]["defines"]), None)
        if definer is not None:
            wanted.setdefault(definer, []).append(name)
    if wanted:
        movers = sorted(wanted)
        return cell, movers, [n for i in movers for n in wanted[i]]
    # The cell may be the late definer itself: move it above its first early user.
    above = order[: order.index(cell)]
    for user in above:
        early = sorted(
            n
            for n in code[user]["uses"]
            if n in code[cell]["defines"] and before.get((user, n), 0) is None
        )
        if early:
            return user, [cell], early
    raise UnsafeFix(
        f"Cell {cell + 1} uses no name that only a cell below defines, and defines none that "
        "a cell above uses: there is nothing to move."
    )


def _broken(index: int, name: str, was: int, now: int | None, movers: list[int], user: int) -> str:
    moving = " and ".join(f"cell {i + 1}" for i in movers)
    if now is None:
        return (
            f"Moving {moving} above cell {user + 1} would break a dependency: cell {index + 1} "
            f"needs `{name}` from cell {was + 1}, which would then be below it."
        )
    return (
        f"Moving {moving} above cell {user + 1} would break a dependency: cell {index + 1} "
        f"reads `{name}` from cell {was + 1} and would read it from cell {now + 1} instead."
    )
