"""The `hidden` state: a cell that ran and read a value no cell above it provides.

Each case is a notebook (cells with saved counts) and, optionally, a history of
(cell number or id, source as run); it pins the states, the `hidden_because` of the
hidden cells and the hidden edges of `depends_on`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from nbfactory import Run, analyzed, ran

ERROR = {"output_type": "error", "ename": "NameError", "evalue": "rate", "traceback": []}


def run_all(*sources: str) -> list[dict[str, Any]]:
    return [ran(source, k + 1) for k, source in enumerate(sources)]


@dataclass(frozen=True)
class Case:
    name: str
    cells: list[dict[str, Any] | str]
    states: list[str]
    hidden: dict[int, list[tuple[str, int | None, str]]] = field(default_factory=dict)
    edges: dict[int, list[tuple[int, list[str]]]] = field(default_factory=dict)
    history: list[Run] | None = None


CASES = [
    Case(
        "used before a cell below defines it",
        [ran("price = 3", 1), ran("total = price * rate", 3), ran("rate = 2", 2)],
        ["fresh", "hidden", "fresh"],
        {1: [("rate", 2, "below")]},
        {1: [(2, ["rate"])]},
    ),
    Case(
        "a name no cell defines lives only in the kernel",
        run_all("x = 1", "print(x + ghost)"),
        ["fresh", "hidden"],
        {1: [("ghost", None, "nowhere")]},
        {1: []},
    ),
    Case(
        "after a star import a name may come from it: not hidden",
        run_all("from math import *", "print(tau)"),
        ["fresh", "fresh"],
    ),
    Case(
        "use-before-definition is hidden even below a star import",
        run_all("from math import *", "print(rate)", "rate = 1"),
        ["fresh", "hidden", "fresh"],
        {1: [("rate", 2, "below")]},
    ),
    Case(
        "unexecuted comes first, the hidden edge is still drawn",
        [ran("print(rate)", None), ran("rate = 1", 1)],
        ["unexecuted", "fresh"],
        {},
        {0: [(1, ["rate"])]},
    ),
    Case(
        "errored comes before hidden",
        [ran("print(rate)", 1, ERROR), ran("rate = 1", 2)],
        ["errored", "fresh"],
    ),
    Case(
        "hidden comes before stale",
        [ran("a = 1", 3), ran("b = a + c", 2), ran("c = 1", 1)],
        ["fresh", "hidden", "fresh"],
        {1: [("c", 2, "below")]},
    ),
    Case(
        "a function body's read is needed at the call, not at the definition",
        [ran("def f():\n    return k", 1), ran("v = f()", 3), ran("k = 1", 2)],
        ["fresh", "hidden", "fresh"],
        {1: [("k", 2, "below")]},
        {0: [], 1: [(2, ["k"])]},
    ),
    # -- with a history -------------------------------------------------------------------
    Case(
        "the only provider was deleted since",
        ["y = helper()"],
        ["hidden"],
        {0: [("helper", None, "deleted")]},
        history=[("gone", "def helper():\n    return 1"), (0, "y = helper()")],
    ),
    Case(
        "the only provider above was edited since and no longer defines it",
        ["rate = 2", "print(tax)"],
        ["fresh", "hidden"],
        {1: [("tax", None, "edited")]},
        history=[(0, "tax = 1"), (1, "print(tax)"), (0, "rate = 2")],
    ),
    Case(
        "the hidden edge comes from the cell whose run the cell read",
        ["print(x)", "x = 1", "x = 2"],
        ["hidden", "unexecuted", "fresh"],
        {0: [("x", 2, "below")]},
        {0: [(2, ["x"])]},
        history=[(2, "x = 2"), (0, "print(x)")],
    ),
    Case(
        "edited comes before hidden",
        ["print(x)", "x = 1"],
        ["edited", "fresh"],
        history=[(1, "x = 1"), (0, "print(x, 1)")],
    ),
    # -- hidden spreads downstream: a value computed by a hidden cell is hidden too -------
    Case(
        "a cell reading a value a hidden cell computed is hidden via it",
        [ran("price = 3", 1), ran("total = price * rate", 3), ran("rate = 2", 2), ran("total", 4)],
        ["fresh", "hidden", "fresh", "hidden"],
        {1: [("rate", 2, "below")], 3: [("total", 1, "via")]},
        {1: [(2, ["rate"])], 3: []},
    ),
    Case(
        "transitively, down a chain of readers",
        [
            ran("total = price * 2", 2),
            ran("share = total / 2", 3),
            ran("print(share, total)", 4),
            ran("price = 3", 1),
        ],
        ["hidden", "hidden", "hidden", "fresh"],
        {
            0: [("price", 3, "below")],
            1: [("total", 0, "via")],
            2: [("share", 1, "via"), ("total", 0, "via")],
        },
        {1: [], 2: []},
    ),
    Case(
        "a reason of its own and one via a hidden cell: only its own draws a hidden edge",
        [ran("t = ghost", 1), ran("print(t + late)", 3), ran("late = 1", 2)],
        ["hidden", "hidden", "fresh"],
        {0: [("ghost", None, "nowhere")], 1: [("late", 2, "below"), ("t", 0, "via")]},
        {1: [(2, ["late"])]},
    ),
    Case(
        "a value from a cell that only reads the hidden one is not hidden",
        run_all("print(ghost)", "x = 1", "print(x)"),
        ["hidden", "fresh", "fresh"],
        {0: [("ghost", None, "nowhere")]},
    ),
    Case(
        "errored and unexecuted readers keep their state",
        [ran("t = ghost", 1), ran("print(t)", 2, ERROR), ran("t * 2", None)],
        ["hidden", "errored", "unexecuted"],
        {0: [("ghost", None, "nowhere")]},
    ),
    Case(
        "via comes before stale",
        [ran("a = 1", 4), ran("t = ghost", 1), ran("print(a, t)", 2)],
        ["fresh", "hidden", "hidden"],
        {1: [("ghost", None, "nowhere")], 2: [("t", 1, "via")]},
    ),
    Case(
        "the run the cell read decides, not the nearest cell above",
        [ran("y = 1", 1), ran("y = ghost + 1", 3), ran("print(y)", 2)],
        ["fresh", "hidden", "stale"],
        {1: [("ghost", None, "nowhere")]},
    ),
    Case(
        "with a history: the value came from a cell whose provider was deleted",
        ["y = helper()", "print(y)"],
        ["hidden", "hidden"],
        {0: [("helper", None, "deleted")], 1: [("y", 0, "via")]},
        history=[("gone", "def helper():\n    return 1"), (0, "y = helper()"), (1, "print(y)")],
    ),
    Case(
        "with a history: the run read, not the notebook order",
        ["y = 1", "y = ghost + 1", "print(y)"],
        ["fresh", "hidden", "stale"],
        {1: [("ghost", None, "nowhere")]},
        history=[(0, "y = 1"), (2, "print(y)"), (1, "y = ghost + 1")],
    ),
    Case(
        "with a history: a reader edited since is edited",
        ["t = ghost", "print(t, 2)"],
        ["hidden", "edited"],
        {0: [("ghost", None, "nowhere")]},
        history=[(0, "t = ghost"), (1, "print(t)")],
    ),
    Case(
        "after a restart a cell that has not run again is unexecuted",
        [ran("print(rate)", 2), ran("rate = 1", 1)],
        ["unexecuted", "fresh"],
        history=[(1, "rate = 1")],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hidden_state(case: Case) -> None:
    report = analyzed(case.cells, case.history)
    cells = report["cells"]
    assert [c["state"] for c in cells] == case.states
    for index, cell in enumerate(cells):
        expected = case.hidden.get(index, [])
        assert cell["hidden_because"] == [
            {"name": name, "cell": where, "why": why} for name, where, why in expected
        ]
    for index, edges in case.edges.items():
        assert [e for e in cells[index]["depends_on"] if e.get("hidden")] == [
            {"cell": where, "names": names, "hidden": True} for where, names in edges
        ]


def test_the_finding_moves_with_the_function_call() -> None:
    report = analyzed([ran("def f():\n    return k", 1), ran("v = f()", 3), ran("k = 1", 2)], None)
    found = [
        (f["rule"], f["cell"], f["line"]) for f in report["findings"] if f["severity"] == "error"
    ]
    assert found == [("use-before-definition", 1, 1)]
    never_called = analyzed(["def f():\n    return k", "k = 1"], None)
    assert [f for f in never_called["findings"] if f["severity"] == "error"] == []


def test_an_anonymous_function_runs_where_it_stands() -> None:
    # `map(lambda ...)` calls its body right away: the read of `k` is this cell's.
    report = analyzed(run_all("v = list(map(lambda i: i * k, [1]))", "k = 2"), None)
    assert report["cells"][0]["state"] == "hidden"
    errors = [f["rule"] for f in report["findings"] if f["severity"] == "error"]
    assert errors == ["use-before-definition"]
