"""Small notebooks for tests: `from nbfactory import make_notebook`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.graph import build_graph
from jupyterlab_nbhygiene.analysis.model import CellIndex, CellSymbols, Graph
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols

FIXTURES = Path(__file__).parent / "fixtures"
# Real notebooks written by other people, vendored with their licences (see corpus/README.md).
CORPUS = Path(__file__).parent / "corpus"


def corpus_notebooks() -> list[Path]:
    """The vendored notebooks, sorted: tests run in full from a clone. Benchmarks that want
    more real notebooks take a folder on their command line."""
    found = sorted(CORPUS.rglob("*.ipynb"))
    return [p for p in found if ".ipynb_checkpoints" not in p.parts]


def make_notebook(*cells: dict[str, Any] | str, language: str = "python") -> dict[str, Any]:
    """An nbformat v4 notebook. A str is a code cell; a dict is merged into a code cell."""
    out = []
    for i, cell in enumerate(cells):
        base: dict[str, Any] = {
            "cell_type": "code",
            "id": f"c{i}",
            "metadata": {},
            "source": "",
            "execution_count": None,
            "outputs": [],
        }
        if isinstance(cell, str):
            base["source"] = cell
        else:
            base.update(cell)
        if base["cell_type"] != "code":
            base.pop("execution_count", None)
            base.pop("outputs", None)
        out.append(base)
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {
                "name": "python3" if language == "python" else language,
                "display_name": language,
                "language": language,
            },
            "language_info": {"name": language},
        },
        "cells": out,
    }


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


# One run of a history: (cell number as in `make_notebook`'s ids `c<N>`, or a cell id;
# the source as it ran), in kernel order.
Run = tuple[int | str, str]


def ran(source: str, count: int | None, *outputs: dict[str, Any]) -> dict[str, Any]:
    """A code cell as saved: its source, execution count and outputs."""
    return {"source": source, "execution_count": count, "outputs": list(outputs)}


def history_of(runs: list[Run]) -> dict[str, Any]:
    """The frontend's history JSON for `runs`, with execution counts 1, 2, ..."""
    return {
        "executions": [
            {
                "cell_id": f"c{who}" if isinstance(who, int) else who,
                "source": source,
                "execution_count": k + 1,
            }
            for k, (who, source) in enumerate(runs)
        ]
    }


def analyzed(cells: list[dict[str, Any] | str], runs: list[Run] | None = None) -> dict[str, Any]:
    """The report of a notebook made of `cells`, with the history of `runs` when given."""
    return analyze(make_notebook(*cells), None if runs is None else history_of(runs))


def graph_of(*sources: str) -> tuple[Graph, dict[CellIndex, CellSymbols]]:
    """The graph of code cells with `sources` (cell i at index i), and their symbols
    (cells that do not parse have none)."""
    symbols: dict[CellIndex, CellSymbols] = {}
    for i, source in enumerate(sources):
        parsed = parse_cell(source)
        if parsed.tree is not None:
            symbols[CellIndex(i)] = cell_symbols(parsed)
    return build_graph(symbols, [CellIndex(i) for i in range(len(sources))]), symbols
