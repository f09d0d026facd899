"""Per-cell facts: what analysis knows of one code cell from its source alone.

A cell's parse, its symbols and its node index follow from its source text, wherever the
cell stands and whatever the other cells hold. :func:`cell_facts` computes them once per
source: the analyzer's one cache, bounded, keyed by content and holding values no caller
changes (functools.lru_cache: safe to call from several threads).

What a rule reads of one cell alone (its calls with their seed arguments, the lines where
it fits an estimator, ...) also follows from the source: :meth:`CellFacts.once` computes
such a value the first time a rule asks for it and keeps it with the facts, so a cell
whose source did not change is not looked at again by the next analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from .model import CellSymbols, ParsedCell
from .nodes import NodeIndex
from .source import parse_cell
from .symbols import symbols_and_index

A = TypeVar("A")
T = TypeVar("T")

_NOT_YET: Any = object()  # `once`: no value kept yet

FACTS_CACHE_SIZE = 1024  # about 15 KB a cell: some 15 MB at most


@dataclass(frozen=True, slots=True)
class CellFacts:
    """One code cell's parse, symbols and node index; read them only."""

    parsed: ParsedCell
    symbols: CellSymbols  # empty when the cell has no tree
    nodes: NodeIndex  # empty when the cell has no tree
    # compute function -> its value for this cell (see `once`); not copied by replace().
    _derived: dict[Callable[..., Any], Any] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def once(self, compute: Callable[[A], T], view: A) -> T:
        """`compute(view)`, computed on the first call with this `compute` and kept.

        `view` is a view of these facts (a rule's `Code`), and `compute` must read only
        what follows from the source through it: never the cell's position or another
        cell. Two threads asking at once may both compute; both store the same value.
        A lambda or nested function (a new object each time) is computed, not kept.
        """
        derived = self._derived
        value = derived.get(compute, _NOT_YET)
        if value is _NOT_YET:
            value = compute(view)
            if "<" not in compute.__qualname__:  # `<lambda>`, `f.<locals>.g`: no stable key
                derived[compute] = value
        return value  # type: ignore[no-any-return]


def compute_facts(source: str) -> CellFacts:
    """The facts of a cell whose source is `source` (never raises, never cached)."""
    parsed = parse_cell(source)
    symbols, nodes = symbols_and_index(parsed)
    return CellFacts(parsed, symbols, nodes)


@lru_cache(maxsize=FACTS_CACHE_SIZE)
def cell_facts(source: str) -> CellFacts:
    """`compute_facts(source)`, cached by source text (bounded, least recently used out)."""
    return compute_facts(source)
