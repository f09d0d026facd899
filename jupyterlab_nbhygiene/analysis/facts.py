"""Per-cell facts: what analysis knows of one code cell from its source alone.

A cell's parse, its symbols and its node index follow from its source text, wherever the
cell stands and whatever the other cells hold. :func:`cell_facts` computes them once per
source: the analyzer's one cache, bounded, keyed by content and holding values no caller
changes (functools.lru_cache: safe to call from several threads).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .model import CellSymbols, ParsedCell
from .nodes import NodeIndex
from .source import parse_cell
from .symbols import symbols_and_index

FACTS_CACHE_SIZE = 1024  # about 15 KB a cell: some 15 MB at most


@dataclass(frozen=True, slots=True)
class CellFacts:
    """One code cell's parse, symbols and node index; read them only."""

    parsed: ParsedCell
    symbols: CellSymbols  # empty when the cell has no tree
    nodes: NodeIndex  # empty when the cell has no tree


def compute_facts(source: str) -> CellFacts:
    """The facts of a cell whose source is `source` (never raises, never cached)."""
    parsed = parse_cell(source)
    symbols, nodes = symbols_and_index(parsed)
    return CellFacts(parsed, symbols, nodes)


@lru_cache(maxsize=FACTS_CACHE_SIZE)
def cell_facts(source: str) -> CellFacts:
    """`compute_facts(source)`, cached by source text (bounded, least recently used out)."""
    return compute_facts(source)
