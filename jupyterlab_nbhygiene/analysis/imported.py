"""Names a notebook binds only by import, and cell symbols without changes to them.

One cell's symbols cannot tell `np.sort(a)` from `lst.sort()`, or `pd.options.x = 1` from
`obj.x = 1`: each looks like an in-place change of the name before the dot (mutations.py),
and the cell does not see the other cells' imports. The notebook does: a name its cells
bind by `import` statements and in no other way is a module (or something taken from one).
Calling it (`np.sort(a)`, `np.add(1, 2)`, `sys.path.append("..")`) or configuring it
(`pd.options.display.max_rows = 10`, `plt.rcParams["figure.dpi"] = 100`) changes no data
a later cell reads, so the analysis does not count it as a mutation: later cells that use
the module do not depend on that cell, and do not go stale when it runs again.

Draws from a random generator stay mutations (README, "What a cell's names mean"):
`random.shuffle(x)` and `random.seed(0)` change the module `random`; `np.random.rand()`
changes the pseudo-name `np.random`, which no `import` statement binds by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import replace

from .model import CellSymbols


def imported_only(symbols: Iterable[CellSymbols]) -> frozenset[str]:
    """The names some cell binds by an `import` statement and no cell binds otherwise
    (assignment, `def`, a `for` target, ...). One pass over the cells' definitions."""
    imported: set[str] = set()
    other: set[str] = set()
    for sym in symbols:
        if sym.imports:
            names = {record.name for record in sym.imports}
            imported.update(names)
            other.update(name for name in sym.defines if name not in names)
        else:
            other.update(sym.defines)
    return frozenset(imported - other) if imported else frozenset()


def without_module_changes(symbols: CellSymbols, modules: Set[str]) -> CellSymbols:
    """`symbols` without the mutations of `modules` (names bound only by import) that are
    not random draws; `symbols` itself when it has none."""
    mutates = symbols.mutates
    if not mutates or modules.isdisjoint(mutates):
        return symbols
    draws = symbols.draws
    kept = {
        name: line if name not in modules else draws[name]
        for name, line in mutates.items()
        if name not in modules or name in draws
    }
    return replace(symbols, mutates=kept)
