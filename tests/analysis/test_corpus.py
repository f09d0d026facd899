"""Every real notebook of the vendored corpus: no exception, a sensible report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nbfactory import CORPUS, corpus_notebooks

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.model import CellIndex, CellSymbols
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols

NOTEBOOKS = corpus_notebooks()


def test_corpus_is_vendored() -> None:
    assert len(NOTEBOOKS) >= 25


def _id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[_id(p) for p in NOTEBOOKS])
def test_corpus_notebook(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    report = analyze(data, path=str(path))
    cells = report["cells"]
    assert len(cells) == len(data["cells"])
    assert [c["index"] for c in cells] == list(range(len(cells)))
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(c["state"] != "markdown" for c in code)
    assert all(c["state"] == "markdown" for c in cells if c["cell_type"] != "code")
    for cell in code:
        for edge in cell["depends_on"]:  # hidden edges come from a cell below
            assert (edge["cell"] < cell["index"]) != edge.get("hidden", False)
        assert not set(cell["uses"]) & {"print", "len", "range", "display", "get_ipython"} or (
            # only when some cell of the notebook rebinds the builtin
            any(set(cell["uses"]) & set(other["defines"]) for other in code)
        )
    assert 0 <= report["score"] <= 100


def test_corpus_has_definitions_and_dependencies() -> None:
    defined = depends = 0
    for path in NOTEBOOKS:
        report = analyze(json.loads(path.read_text(encoding="utf-8")))
        defined += sum(bool(c["defines"]) for c in report["cells"])
        depends += sum(bool(c["depends_on"]) for c in report["cells"])
    assert defined > 100
    assert depends > 100


def test_corpus_cells_parse() -> None:
    """Published notebooks parse once IPython syntax is translated (magics included)."""
    failures = []
    for path in NOTEBOOKS:
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(data["cells"]):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            parsed = parse_cell(source)
            if parsed.syntax_error is not None:
                failures.append((path.name, i, parsed.syntax_error))
            symbols: CellSymbols = cell_symbols(parsed)
            assert isinstance(symbols.defines, dict), CellIndex(i)
    assert failures == []
