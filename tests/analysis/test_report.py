"""The report's shape: architecture.md's example, sorted names, the JSON Schema."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import Settings, analyze, build_context, read_notebook
from jupyterlab_nbhygiene.analysis.model import Finding
from jupyterlab_nbhygiene.analysis.report import build_report

SCHEMA: dict[str, Any] = json.loads(
    resources.files("jupyterlab_nbhygiene.analysis").joinpath("report.schema.json").read_text()
)


def validate(report: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    for cell in report["cells"]:
        for key in ("defines", "uses", "mutates", "deletes", "imports"):
            assert cell[key] == sorted(set(cell[key])), key
        assert cell["fix_by"] == sorted(cell["fix_by"])


def architecture_notebook() -> dict[str, Any]:
    return make_notebook(
        {"cell_type": "markdown", "source": "# Analysis"},
        {"source": "import pandas as pd", "execution_count": 1},
        {"source": "path = 'data.csv'", "execution_count": 8},
        {"source": "df = pd.read_csv(path)", "execution_count": 7, "id": "a1b2c3"},
    )


def context_report(nb: dict[str, Any], findings: list[Finding] | None = None) -> dict[str, Any]:
    ctx = build_context(read_notebook(nb, path="analysis.ipynb"), None, Settings())
    return build_report(
        ctx,
        findings or [],
        74,
        {"reproducibility": -18, "structure": -5, "documentation": -3, "portability": 0},
    )


def test_architecture_example_cell() -> None:
    report = context_report(architecture_notebook())
    cell = report["cells"][3]
    assert {
        k: cell[k]
        for k in (
            "index",
            "id",
            "cell_type",
            "execution_count",
            "defines",
            "uses",
            "mutates",
            "deletes",
            "imports",
            "depends_on",
            "state",
            "stale_because",
            "fix_by",
        )
    } == {
        "index": 3,
        "id": "a1b2c3",
        "cell_type": "code",
        "execution_count": 7,
        "defines": ["df"],
        "uses": ["path", "pd"],
        "mutates": [],
        "deletes": [],
        "imports": [],
        "depends_on": [{"cell": 1, "names": ["pd"]}, {"cell": 2, "names": ["path"]}],
        "state": "stale",
        "stale_because": [{"name": "path", "cell": 2}],
        "fix_by": [3],  # cell 2 ran last and holds `path`: only this cell re-runs
    }
    assert report["path"] == "analysis.ipynb"
    assert report["language"] == "python"
    assert report["score"] == 74
    assert report["score_breakdown"]["reproducibility"] == -18
    validate(report)


def test_markdown_cells_listed_with_empty_lists() -> None:
    report = context_report(architecture_notebook())
    cell = report["cells"][0]
    assert cell["state"] == "markdown"
    assert cell["execution_count"] is None
    assert all(
        cell[k] == []
        for k in (
            "defines",
            "uses",
            "mutates",
            "deletes",
            "imports",
            "depends_on",
            "stale_because",
            "fix_by",
        )
    )


def test_findings_serialized_in_order() -> None:
    finding = Finding("use-before-definition", "error", "reproducibility", None, None, "m")
    report = context_report(architecture_notebook(), [finding, finding])
    assert report["findings"] == [finding.to_json(), finding.to_json()]


def test_imports_and_builtins() -> None:
    report = context_report(
        make_notebook(
            "import os, sys\nfrom m import *\nimport numpy as np",
            "print(os.sep)",
            "len = 1",
            "n = len('x')",
        )
    )
    assert report["cells"][0]["imports"] == ["np", "os", "sys"]
    assert report["cells"][1]["uses"] == ["os"]  # print is a builtin nobody rebinds
    assert report["cells"][3]["uses"] == ["len"]  # cell 2 rebinds len
    assert report["cells"][3]["depends_on"] == [{"cell": 2, "names": ["len"]}]


def test_extensions() -> None:
    report = context_report(make_notebook("a = 1", "b = a", "x = (", "%%bash\nls"))
    assert report["cells"][1]["upstream"] == [0, 1]
    assert report["cells"][0]["downstream"] == [0, 1]
    assert report["cells"][1]["lines"]["uses"] == {"a": 1}
    assert report["cells"][2]["syntax_error"]["line"] == 1
    assert report["cells"][3]["skipped"] is True
    assert report["cells"][3]["cell_magic"] == "bash"
    validate(report)


def test_non_python_notebook_has_no_symbols() -> None:
    report = context_report(make_notebook("x <- 1", "print(x)", language="R"))
    assert report["language"] == "r"
    assert all(c["defines"] == [] and c["uses"] == [] for c in report["cells"])
    validate(report)


def test_a_caller_changing_a_report_does_not_change_the_next() -> None:
    nb = make_notebook("import os\nlen = 1", "x = len(os.sep)\nx.append(1)", "del x")
    first = analyze(nb)
    expected = copy.deepcopy(first)
    for cell in first["cells"]:
        for value in cell.values():
            if isinstance(value, list):
                value.append("changed")
        for lines in cell.get("lines", {}).values():
            lines["changed"] = 0
    again = analyze(nb)
    assert again == expected != first
    assert again["cells"][1]["lines"]["uses"] == {"len": 1, "os": 1}


def test_report_is_json() -> None:
    report = context_report(architecture_notebook())
    assert json.loads(json.dumps(report)) == report


NOTEBOOKS = {
    "architecture": architecture_notebook(),
    "magics": make_notebook("%matplotlib inline\n!pip install x", "files = !ls", "df?"),
    "empty": make_notebook(),
    "history-edge": make_notebook("x = (", "del y", "lst.append(1)", "%%html\n<b/>"),
}


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_analyze_matches_schema(name: str) -> None:
    validate(analyze(NOTEBOOKS[name], path=f"{name}.ipynb"))


def test_analyze_with_history_matches_schema() -> None:
    nb = make_notebook("x = 1", "y = x")
    history = {
        "executions": [
            {"cell_id": "c0", "source": "x = 1", "execution_count": 1},
            {"cell_id": "c1", "source": "y = x", "execution_count": 2},
            {"cell_id": "deleted", "source": "x = 2", "execution_count": 3},
        ]
    }
    report = analyze(nb, history)
    validate(report)
    assert report["cells"][1]["state"] == "stale"
    assert report["cells"][1]["changed_by_deleted"] == [{"name": "x", "cell_id": "deleted"}]
