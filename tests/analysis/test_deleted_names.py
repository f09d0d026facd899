"""A read after `del`: the deleting cell ends the name's provider, so the graph, the
`hidden` state, the names rules, the score label and the replay (with a history) all say
that Restart & Run All fails with NameError there."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from nbfactory import Run, analyzed, ran

DEFERRED_DELETE = "def f():\n    global x\n    del x"


@dataclass(frozen=True)
class Case:
    name: str
    cells: list[dict[str, Any] | str]
    history: list[Run] | None
    states: list[str]
    label: str
    # (rule, cell, words the message holds) of each error finding
    errors: list[tuple[str, int, str]] = field(default_factory=list)
    # cell -> [(name, cell, why)] of hidden_because
    hidden: dict[int, list[tuple[str, int | None, str]]] = field(default_factory=dict)
    # cell -> source cells of depends_on
    sources: dict[int, list[int]] = field(default_factory=dict)


DELETED = "`x` is deleted in cell 2 above, so Restart & Run All fails with NameError here"
CASES = [
    Case(
        "read after del, run out of order (counts 1, 3, 2)",
        [ran("x = 1", 1), ran("del x", 3), ran("print(x)", 2)],
        None,
        ["fresh", "fresh", "hidden"],
        "breaks on re-run",
        [("undefined-name", 2, DELETED)],
        {2: [("x", None, "nowhere")]},
        {1: [0], 2: []},
    ),
    Case(
        "read after del, counts in order",
        [ran("x = 1", 1), ran("del x", 2), ran("print(x)", 3)],
        None,
        ["fresh", "fresh", "hidden"],
        "breaks on re-run",
        [("undefined-name", 2, DELETED)],
        {2: [("x", None, "nowhere")]},
        {2: []},
    ),
    Case(
        "read after del, a history in order (the read took its input from the del)",
        ["x = 1", "del x", "print(x)"],
        [(0, "x = 1"), (1, "del x"), (2, "print(x)")],
        ["fresh", "fresh", "hidden"],
        "breaks on re-run",
        [("undefined-name", 2, DELETED)],
        {2: [("x", None, "nowhere")]},
        {2: []},
    ),
    Case(
        "read after del, a history where the read ran before the del",
        ["x = 1", "del x", "print(x)"],
        [(0, "x = 1"), (2, "print(x)"), (1, "del x")],
        ["fresh", "fresh", "hidden"],
        "breaks on re-run",
        [("undefined-name", 2, DELETED)],
        {2: [("x", None, "nowhere")]},
    ),
    Case(
        "read after del, defined again below: use-before-definition",
        [ran("x = 1", 1), ran("del x", 2), ran("print(x)", 4), ran("x = 5", 3)],
        None,
        ["fresh", "fresh", "hidden", "fresh"],
        "breaks on re-run",
        [("use-before-definition", 2, "`x` is deleted in cell 2 above and only defined again")],
        {2: [("x", 3, "below")]},
    ),
    Case(
        "bound and deleted in one cell",
        [ran("x = 2\ndel x", 1), ran("print(x)", 2)],
        None,
        ["fresh", "hidden"],
        "breaks on re-run",
        [("undefined-name", 1, "`x` is deleted in cell 1 above")],
        {1: [("x", None, "nowhere")]},
    ),
    Case(
        "deleted, then bound again in the same cell: it provides the name",
        [ran("x = 1", 1), ran("del x\nx = 2", 2), ran("print(x)", 3)],
        None,
        ["fresh", "fresh", "fresh"],
        "good",
        sources={2: [1]},
    ),
    Case(
        "defining a function that deletes a global deletes nothing",
        [ran("x = 1", 1), ran(DEFERRED_DELETE, 2), ran("print(x)", 3)],
        None,
        ["fresh", "fresh", "fresh"],
        "good",
        sources={2: [0]},
    ),
    Case(
        "a name deleted and read again later, with a definition between: fine",
        [ran("x = 1", 1), ran("del x", 2), ran("x = 3", 3), ran("print(x)", 4)],
        None,
        ["fresh", "fresh", "fresh", "fresh"],
        "good",
        sources={3: [2]},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_read_after_del(case: Case) -> None:
    report = analyzed(case.cells, case.history)
    cells = report["cells"]
    assert [c["state"] for c in cells] == case.states
    assert report["score_label"] == case.label
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["cell"]) for f in errors] == [(r, c) for r, c, _ in case.errors]
    for finding, (_, _, words) in zip(errors, case.errors, strict=True):
        assert words in finding["message"]
    for index, cell in enumerate(cells):
        expected = case.hidden.get(index, [])
        assert [(h["name"], h["cell"], h["why"]) for h in cell["hidden_because"]] == expected
    for index, sources in case.sources.items():
        assert [edge["cell"] for edge in cells[index]["depends_on"]] == sources
