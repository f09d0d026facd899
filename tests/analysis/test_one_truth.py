"""One truth per cell: a cell carrying a finding that breaks Restart & Run All
(`syntax-error`, `use-before-definition`, `undefined-name`) is never `fresh`, on every notebook
the tests have (the factory notebooks below, the demo, and tests/corpus when present), with
and without an execution history, with the default settings (where those three are the error
rules); the demo's finding, row and graph tell one story. The property is about those rules,
not about severity: a rule a user raises to error can sit on an honestly fresh cell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.rules import REGISTRY

TESTS = Path(__file__).resolve().parents[1]
DEMO = TESTS.parent / "demo" / "hidden_state.ipynb"
CORPUS = sorted((TESTS / "corpus").rglob("*.ipynb"))

# Sources that give every error rule (and the states around them) something to do.
FACTORY: list[list[str]] = [
    ["import statistics", "total = sum(prices) * tax_rate", "prices = [1, 2]", "tax_rate = 1.2"],
    ["x = 1", "print(ghost)", "y = x + ghost"],
    ["x = (", "y = 1", "z = y"],
    ["from os.path import *", "print(join('a', 'b'))", "print(nowhere)"],
    ["def f():\n    return k * 2", "v = f()", "k = 3", "w = f()"],
    ["def f():\n    global g\n    g = 1", "f()", "print(g)", "print(h)"],
    ["a = 1", "b = a + 1", "c = b * 2", "a = 5", "d = c + undefined_thing"],
    ["%%bash\necho hi", "%time t = 1", "!ls", "print(t)", "%run other.py", "print(loaded)"],
    ["lst = []", "lst.append(1)", "del lst", "print(lst)"],
    ["try:\n    n += 1\nexcept NameError:\n    n = 0", "print(n)"],
    ["", "   ", "x = [i for i in range(3)]", "print(i)"],
]


def _orders(count: int) -> list[list[int | None]]:
    """Execution counts per cell: in order, reversed, every other cell unrun, one rerun."""
    return [
        list(range(1, count + 1)),
        list(range(count, 0, -1)),
        [i + 1 if i % 2 == 0 else None for i in range(count)],
        [i + 2 if i else count + 2 for i in range(count)],
    ]


def _factory_notebooks() -> list[tuple[str, dict[str, Any]]]:
    notebooks = []
    for n, sources in enumerate(FACTORY):
        for o, counts in enumerate(_orders(len(sources))):
            cells = [
                {"source": s, "execution_count": c} for s, c in zip(sources, counts, strict=True)
            ]
            notebooks.append((f"factory{n}-order{o}", make_notebook(*cells)))
    return notebooks


def _histories(nb: dict[str, Any]) -> list[dict[str, Any] | None]:
    """No history; the saved counts as a history; the same with the last run cell edited
    since (its current source differs from the source it ran with)."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    ran = sorted((c for c in code if c.get("execution_count")), key=lambda c: c["execution_count"])
    runs = [
        {"cell_id": c["id"], "source": _source(c), "execution_count": c["execution_count"]}
        for c in ran
        if "id" in c
    ]
    histories: list[dict[str, Any] | None] = [None, {"executions": runs}]
    if runs:
        edited = [*runs[:-1], {**runs[-1], "source": runs[-1]["source"] + "\n_old = 1"}]
        histories.append({"executions": edited})
    return histories


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


NOTEBOOKS: list[tuple[str, dict[str, Any]]] = [
    *_factory_notebooks(),
    ("demo", _load(DEMO)),
    *((str(p.relative_to(TESTS)), _load(p)) for p in CORPUS),
]


# The findings that predict a failing Restart & Run All: the error rules by default.
BREAKS_RERUN = frozenset({"syntax-error", "use-before-definition", "undefined-name"})


def _contradictions(report: dict[str, Any]) -> list[str]:
    states = {c["index"]: c["state"] for c in report["cells"]}
    return [
        f"{f['rule']} on cell {f['cell']}, which is fresh"
        for f in report["findings"]
        if f["rule"] in BREAKS_RERUN and f["cell"] is not None and states[f["cell"]] == "fresh"
    ]


def test_the_default_error_rules_are_the_ones_that_break_a_rerun() -> None:
    """With the default settings the property is the same as "no error finding on a fresh
    cell"; a rule raised to error in the settings can sit on a fresh cell."""
    nb = make_notebook(
        {"source": "import random", "execution_count": 1},
        {"source": "x = random.random()", "execution_count": 2},
    )
    assert {r.id for r in REGISTRY.values() if r.severity == "error"} == BREAKS_RERUN
    raised = analyze(nb, settings={"severity": {"unseeded-random": "error"}})
    [finding] = [f for f in raised["findings"] if f["severity"] == "error"]
    assert (finding["rule"], raised["cells"][finding["cell"]]["state"]) == (
        "unseeded-random",
        "fresh",
    )
    assert _contradictions(raised) == []


@pytest.mark.parametrize(("name", "nb"), NOTEBOOKS, ids=[name for name, _ in NOTEBOOKS])
def test_an_error_findings_cell_is_never_fresh(name: str, nb: dict[str, Any]) -> None:
    for history in _histories(nb):
        report = analyze(nb, history)
        assert _contradictions(report) == [], (name, history is not None)
        for cell in report["cells"]:
            assert bool(cell["hidden_because"]) == (cell["state"] == "hidden"), cell
            for edge in cell["depends_on"]:
                assert (edge["cell"] > cell["index"]) == edge.get("hidden", False), edge


def test_the_property_met_every_error_rule_and_the_hidden_state() -> None:
    """The notebooks above are no empty test: each error rule fires, cells turn hidden."""
    rules: set[str] = set()
    states: set[str] = set()
    for _, nb in NOTEBOOKS:
        report = analyze(nb)
        rules.update(f["rule"] for f in report["findings"] if f["severity"] == "error")
        states.update(c["state"] for c in report["cells"])
    assert rules >= {"syntax-error", "use-before-definition", "undefined-name"}
    assert states >= {"fresh", "hidden", "stale", "errored", "unexecuted"}


def test_the_demo_tells_one_story() -> None:
    report = analyze(_load(DEMO))
    cell = report["cells"][3]  # "cell 4": total = sum(prices) * tax_rate
    [finding] = [f for f in report["findings"] if f["severity"] == "error"]
    assert (finding["rule"], finding["cell"]) == ("use-before-definition", 3)
    assert cell["state"] == "hidden"
    assert cell["hidden_because"] == [{"name": "tax_rate", "cell": 5, "why": "below"}]
    assert {"cell": 5, "names": ["tax_rate"], "hidden": True} in cell["depends_on"]
    assert report["score_label"] == "breaks on re-run"
    assert report["score"] <= 49


def _readers_of_hidden(report: dict[str, Any]) -> list[tuple[int, str, int]]:
    """(reader, name, hidden cell) for each name a cell that ran takes, by a normal edge
    from above, from a hidden cell: each must be a `via` reason of a hidden reader."""
    states = {c["index"]: c["state"] for c in report["cells"]}
    return [
        (cell["index"], name, edge["cell"])
        for cell in report["cells"]
        if cell["execution_count"] is not None
        for edge in cell["depends_on"]
        if not edge.get("hidden") and states[edge["cell"]] == "hidden"
        for name in edge["names"]
    ]


@pytest.mark.parametrize("reader", [None, "print(total)", "share = total / 2\nshare"])
def test_in_the_demo_a_value_computed_by_the_hidden_cell_is_hidden_too(reader: str | None) -> None:
    nb = _load(DEMO)
    if reader is not None:  # a cell below reads `total`, computed by the hidden cell 4
        count = 1 + max(c.get("execution_count") or 0 for c in nb["cells"])
        cell = {"cell_type": "code", "id": "reader", "metadata": {}, "outputs": []}
        nb["cells"].append({**cell, "source": reader, "execution_count": count})
    for history in _histories(nb)[:2]:  # the saved counts, then the same as a history
        cells = analyze(nb, history)["cells"]
        readers = _readers_of_hidden({"cells": cells})
        assert [c["index"] for c in cells if c["state"] == "hidden"] == [
            3,
            *([len(cells) - 1] if reader else []),
        ]
        assert readers == ([(len(cells) - 1, "total", 3)] if reader else [])
        for index, name, hidden in readers:
            assert cells[index]["state"] == "hidden"
            assert {"name": name, "cell": hidden, "why": "via"} in cells[index]["hidden_because"]
