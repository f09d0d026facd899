"""Everything a rule may look at, computed once per analysis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .model import CellIndex, CellState, CellSymbols, Execution, Graph, Notebook, ParsedCell
from .settings import Settings


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
