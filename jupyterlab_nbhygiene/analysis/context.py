"""Everything a rule may look at, computed once per analysis."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple, TypeVar

from .facts import CellFacts
from .model import (
    Cell,
    CellIndex,
    CellState,
    CellSymbols,
    Execution,
    Graph,
    Notebook,
    ParsedCell,
)
from .nodes import NodeIndex
from .settings import Settings
from .symbols import symbols_and_index

T = TypeVar("T")


class Code(NamedTuple):
    """A code cell that parsed: its position, and what follows from its source alone."""

    cell: CellIndex
    tree: ast.Module
    parsed: ParsedCell
    symbols: CellSymbols
    nodes: NodeIndex  # the calls, strings, imports and reads rules look at
    source: str  # the cell's source, as written
    facts: CellFacts | None = None  # where `once` keeps its values (None: not kept)

    def once(self, compute: Callable[[Code], T]) -> T:
        """`compute(self)`, kept with the cell's facts: computed once per source text.

        `compute` must read only what follows from the source (tree, parse, symbols,
        nodes, source), never `cell`, the position."""
        if self.facts is None:
            return compute(self)
        return self.facts.once(compute, self)


class CodeCells(NamedTuple):
    """The code cells of one analysis, sorted out once for every rule."""

    parsed: tuple[Code, ...]  # code cells with a tree, in notebook order
    # The other code cells, in notebook order: syntax errors, `%%bash` and the like,
    # and every code cell of a notebook that is not Python (no parse at all).
    rest: tuple[tuple[Cell, ParsedCell | None], ...]


@dataclass(frozen=True)
class AnalysisContext:
    notebook: Notebook
    parsed: Mapping[CellIndex, ParsedCell]  # code cells only
    symbols: Mapping[CellIndex, CellSymbols]  # code cells that parsed
    graph: Graph
    states: Mapping[CellIndex, CellState]  # every cell
    history: Sequence[Execution] | None
    settings: Settings
    # How history executions were tied to cells (history.match_history); None: no history.
    history_match: Literal["id", "source", "none"] | None = None
    facts: Mapping[CellIndex, CellFacts] | None = None  # code cells (Python notebooks)

    @cached_property
    def code_cells(self) -> CodeCells:
        """The code cells split into parsed ones and the rest (made once per context)."""
        parsed: list[Code] = []
        rest: list[tuple[Cell, ParsedCell | None]] = []
        facts = self.facts or {}
        for cell in self.notebook.code_cells:
            fact = facts.get(cell.index)
            p = fact.parsed if fact is not None else self.parsed.get(cell.index)
            if p is None or p.tree is None:
                rest.append((cell, p))
            elif fact is not None:
                parsed.append(
                    Code(cell.index, p.tree, p, fact.symbols, fact.nodes, cell.source, fact)
                )
            else:  # a context built without facts: the same facts, computed
                symbols, nodes = symbols_and_index(p)
                parsed.append(Code(cell.index, p.tree, p, symbols, nodes, cell.source))
        return CodeCells(tuple(parsed), tuple(rest))
