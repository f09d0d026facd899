"""What every repair shares: its result, its refusal, and reading cells as Python."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..analysis.errors import AnalysisInputError
from ..analysis.model import Cell
from ..export.errors import ExportError
from ..export.translate import translate_cell


class UnsafeFix(AnalysisInputError):
    """The repair would break a dependency (or has nothing safe to do): HTTP 409."""


class FixInputError(AnalysisInputError):
    """The request names no known fix, or no cell the fix can work on: HTTP 400."""


@dataclass
class FixResult:
    """Edits (cell id -> new source) and moves (cell id, index after the move)."""

    title: str
    summary: str
    edits: list[tuple[str, str]] = field(default_factory=list)
    moves: list[tuple[str, int]] = field(default_factory=list)

    def to_json(self, fix: str) -> dict[str, Any]:
        return {
            "fix": fix,
            "title": self.title,
            "edits": [{"cell_id": i, "source": s} for i, s in self.edits],
            "moves": [{"cell_id": i, "to_index": k} for i, k in self.moves],
            "summary": self.summary,
        }


def cell_tree(cell: Cell) -> ast.Module | None:
    """The cell as Python (IPython syntax translated, same line numbers), or None when it
    holds a magic export cannot translate or is not Python."""
    try:
        python = translate_cell(cell.source, cell.index + 1, ()).python
        return ast.parse(python)
    except (ExportError, SyntaxError, ValueError):
        return None


def whole_lines(tree: ast.Module) -> set[int]:
    """1-based lines holding more than one top-level statement (left alone by repairs)."""
    seen: dict[int, int] = {}
    for node in tree.body:
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
            seen[line] = seen.get(line, 0) + 1
    return {line for line, n in seen.items() if n > 1}


def split_lines(source: str) -> list[str]:
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
