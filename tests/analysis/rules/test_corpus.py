"""Every real notebook of the corpus: no exception, and no error-severity finding.

The corpus notebooks run top to bottom as published, so an error finding on them is a
false positive (none of them uses a name before defining it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nbfactory import CORPUS, corpus_notebooks

from jupyterlab_nbhygiene.analysis import analyze

NOTEBOOKS = corpus_notebooks()


@pytest.mark.parametrize(
    "path", NOTEBOOKS, ids=[p.relative_to(CORPUS).as_posix() for p in NOTEBOOKS]
)
def test_corpus_notebook(path: Path) -> None:
    report = analyze(json.loads(path.read_text(encoding="utf-8")), path=str(path))
    assert 0 <= report["score"] <= 100
    assert [f for f in report["findings"] if f["severity"] == "error"] == []
    for f in report["findings"]:
        assert f["message"].endswith((".", ")", "`"))


def test_known_true_positives_on_the_corpus() -> None:
    numpy_tools = CORPUS / "ageron__handson-ml2" / "tools_numpy.ipynb"
    report = analyze(json.loads(numpy_tools.read_text(encoding="utf-8")), path=str(numpy_tools))
    rules = {f["rule"] for f in report["findings"]}
    assert {"out-of-order-execution", "unseeded-random"} <= rules
