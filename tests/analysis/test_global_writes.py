"""Defining a function that writes a global (`def f(): global x; x = 42`) changes nothing:
the cell that calls `f()` binds `x`. The graph, `redefined-across-cells`,
`cross-cell-mutation` and the states say so, with and without a history (and a `del`
leaves nothing to change in place)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from nbfactory import analyzed, ran

GLOBAL_WRITE = "def f():\n    global x\n    x = 42"


@dataclass(frozen=True)
class Case:
    name: str
    cells: list[dict[str, Any] | str]
    history: list[tuple[int, str]] | None
    states: list[str]
    # cell -> [(source cell, names)] of depends_on
    edges: dict[int, list[tuple[int, list[str]]]]
    # (rule, cell, words its message holds) of the findings about `x`
    rules: list[tuple[str, int, str]] = field(default_factory=list)


CASES = [
    Case(
        "defined, never called: the reader takes x from the cell that binds it",
        [ran("x = 1", 1), ran(GLOBAL_WRITE, 2), ran("y = x + 1", 3)],
        None,
        ["fresh", "fresh", "fresh"],
        {1: [], 2: [(0, ["x"])]},
    ),
    Case(
        "the same with a history",
        ["x = 1", GLOBAL_WRITE, "y = x + 1"],
        [(0, "x = 1"), (1, GLOBAL_WRITE), (2, "y = x + 1")],
        ["fresh", "fresh", "fresh"],
        {2: [(0, ["x"])]},
    ),
    Case(
        "called: the calling cell provides x",
        [ran("x = 1", 1), ran(GLOBAL_WRITE, 2), ran("f()", 3), ran("y = x + 1", 4)],
        None,
        ["fresh", "fresh", "fresh", "fresh"],
        {2: [(1, ["f"])], 3: [(2, ["x"])]},
    ),
    Case(
        "called with a history",
        ["x = 1", GLOBAL_WRITE, "f()", "y = x + 1"],
        [(0, "x = 1"), (1, GLOBAL_WRITE), (2, "f()"), (3, "y = x + 1")],
        ["fresh", "fresh", "fresh", "fresh"],
        {3: [(2, ["x"])]},
    ),
    Case(
        "read before the function is defined and called: still a re-run failure",
        [ran("print(x)", 3), ran(GLOBAL_WRITE, 1), ran("f()", 2)],
        None,
        ["hidden", "fresh", "fresh"],
        {0: []},
        [("use-before-definition", 0, "only defined later, in cell 2")],
    ),
    Case(
        "changed in place after a definition: defined by the cell that binds it",
        [ran("x = []", 1), ran(GLOBAL_WRITE, 2), ran("x.append(1)", 3)],
        None,
        ["fresh", "fresh", "fresh"],
        {2: [(0, ["x"])]},
        [("cross-cell-mutation", 2, "defined in cell 1 ")],
    ),
    Case(
        "changed in place after a `del`: nothing to change, only the NameError",
        [ran("x = []", 1), ran("del x", 2), ran("x.append(1)", 3)],
        None,
        ["fresh", "fresh", "hidden"],
        {2: []},
        [("undefined-name", 2, "`x` is deleted in cell 2 above")],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_defining_a_global_writer_binds_nothing(case: Case) -> None:
    report = analyzed(case.cells, case.history)
    cells = report["cells"]
    assert [c["state"] for c in cells] == case.states
    for index, edges in case.edges.items():
        got = [(e["cell"], e["names"]) for e in cells[index]["depends_on"] if not e.get("hidden")]
        assert got == edges
    about_x = [
        f
        for f in report["findings"]
        if f["rule"]
        in {
            "redefined-across-cells",
            "use-before-definition",
            "undefined-name",
            "cross-cell-mutation",
        }
    ]
    assert [(f["rule"], f["cell"]) for f in about_x] == [(r, c) for r, c, _ in case.rules]
    for finding, (_, _, words) in zip(about_x, case.rules, strict=True):
        assert words in finding["message"]
