"""Analyzer bugs of issue 13 (1, 2, 6, 7) and the wording after a restart: one case each.

A case is a notebook (current sources, saved counts) and a history of (cell number or id,
source as run) in kernel order, or None to infer the runs from the saved counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from nbfactory import Run, analyzed, ran

from jupyterlab_nbhygiene.analysis.model import cell_run_label


@dataclass(frozen=True)
class Case:
    name: str
    cells: list[dict[str, Any] | str]
    history: list[Run] | None
    states: list[str]
    # cell -> [(name, cell)] of stale_because, and cell -> fix_by
    because: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    fix_by: dict[int, list[int]] = field(default_factory=dict)
    # cell -> [(source cell, names)] of depends_on
    edges: dict[int, list[tuple[int, list[str]]]] = field(default_factory=dict)


A, B, C, D = "x = 1", "y = x * 10", "print(y)", "y = 0"
GLOBAL_WRITE = "def f():\n    global x\n    x = 42"
GLOBAL_DELETE = "def f():\n    global x\n    del x"

CASES = [
    Case(
        "1: stale through a stale cell although a cell below rebinds the name",
        ["x = 2", B, C, D],
        [(0, A), (1, B), (2, C), (3, D), (0, "x = 2")],
        ["fresh", "stale", "stale", "fresh"],
        {1: [("x", 0)], 2: [("y", 1)]},
        {1: [1], 2: [1, 2]},
    ),
    Case(
        "1: the same without the cell below",
        ["x = 2", B, C],
        [(0, A), (1, B), (2, C), (0, "x = 2")],
        ["fresh", "stale", "stale"],
        {1: [("x", 0)], 2: [("y", 1)]},
        {1: [1], 2: [1, 2]},
    ),
    Case(
        "2: defining a function that writes a global does not change it",
        ["x = 1", GLOBAL_WRITE, "y = x + 1"],
        [(0, "x = 1"), (2, "y = x + 1"), (1, GLOBAL_WRITE)],
        ["fresh", "fresh", "fresh"],
    ),
    Case(
        "2: ... from saved counts too",
        [ran("x = 1", 1), ran(GLOBAL_WRITE, 3), ran("y = x + 1", 2)],
        None,
        ["fresh", "fresh", "fresh"],
    ),
    Case(
        "2: calling it does, in the calling cell",
        ["x = 1", GLOBAL_WRITE, "f()", "y = x + 1"],
        [(0, "x = 1"), (1, GLOBAL_WRITE), (3, "y = x + 1"), (2, "f()")],
        ["fresh", "fresh", "fresh", "stale"],
        {3: [("x", 2)]},
        {3: [3]},
        {3: [(2, ["x"])]},
    ),
    Case(
        "2: ... through a function that calls it",
        ["x = 1", GLOBAL_WRITE, "def g():\n    f()", "g()", "y = x + 1"],
        [(0, "x = 1"), (1, GLOBAL_WRITE), (2, "def g():\n    f()"), (4, "y = x + 1"), (3, "g()")],
        ["fresh", "fresh", "fresh", "fresh", "stale"],
        {4: [("x", 3)]},
        {4: [4]},
        {4: [(3, ["x"])]},
    ),
    Case(
        "4: defining a function that deletes a global does not delete it",
        ["x = 1", GLOBAL_DELETE, "y = x + 1"],
        [(0, "x = 1"), (2, "y = x + 1"), (1, GLOBAL_DELETE)],
        ["fresh", "fresh", "fresh"],
    ),
    Case(
        "4: ... from saved counts too",
        [ran("x = 1", 1), ran(GLOBAL_DELETE, 3), ran("y = x + 1", 2)],
        None,
        ["fresh", "fresh", "fresh"],
    ),
    Case(
        "4: calling it does, in the calling cell",
        ["x = 1", GLOBAL_DELETE, "f()", "y = x + 1"],
        [(0, "x = 1"), (1, GLOBAL_DELETE), (3, "y = x + 1"), (2, "f()")],
        ["fresh", "fresh", "fresh", "stale"],
        {3: [("x", 2)]},
        {3: [3]},
        {3: [(2, ["x"])]},
    ),
    Case(
        "4: ... and a cell that defines and calls it at once deletes it as it runs",
        ["x = 1", GLOBAL_DELETE + "\nf()", "y = x + 1"],
        [(0, "x = 1"), (2, "y = x + 1"), (1, GLOBAL_DELETE + "\nf()")],
        ["fresh", "fresh", "stale"],
        {2: [("x", 1)]},
    ),
    Case(
        "6: fix_by holds only what must re-run",
        ["x = 42", "y = x", "z = y"],
        [(0, "x = 1"), (1, "y = x"), (2, "z = y"), (0, "x = 42")],
        ["fresh", "stale", "stale"],
        {1: [("x", 0)], 2: [("y", 1)]},
        {1: [1], 2: [1, 2]},
    ),
    Case(
        "6: never a cell above the one that provides the current value",
        ["x = 1", "x = 2", "y = x"],
        [(0, "x = 1"), (1, "x = 2"), (2, "y = x"), (0, "x = 1")],
        ["fresh", "fresh", "stale"],
        {2: [("x", 0)]},
        {2: [1, 2]},
    ),
    Case(
        "6: a value from a deleted cell: the provider re-runs",
        ["x = 1", "y = x"],
        [(0, "x = 1"), (1, "y = x"), ("gone", "x = 99")],
        ["fresh", "stale"],
        {},
        {1: [0, 1]},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_state_bug(case: Case) -> None:
    cells = analyzed(case.cells, case.history)["cells"]
    assert [c["state"] for c in cells] == case.states
    for index, because in case.because.items():
        assert [(r["name"], r["cell"]) for r in cells[index]["stale_because"]] == because
    for index, fix_by in case.fix_by.items():
        assert cells[index]["fix_by"] == fix_by
    for index, edges in case.edges.items():
        assert [(e["cell"], e["names"]) for e in cells[index]["depends_on"]] == edges


def _stale_message(report: dict[str, Any], cell: int) -> str:
    [message] = [
        f["message"] for f in report["findings"] if f["rule"] == "stale-cell" and f["cell"] == cell
    ]
    return str(message)


@pytest.mark.parametrize(
    ("cells", "history", "cell", "says", "never"),
    [
        (  # 7: cell 2 ran before cell 3 and did not change since: it is stale itself
            ["x = 42", ran("y = x", 2), ran("z = y", 3)],
            [(0, "x = 1"), (1, "y = x"), (2, "z = y"), (0, "x = 42")],
            2,
            "it used `y` from cell 2 (run 2nd), which is stale itself. Re-run cells 2, 3 in",
            "changed after this cell ran",
        ),
        (
            ["x = 2", ran("y = x", 2)],
            [(0, "x = 1"), (1, "y = x")],
            1,
            "it used `x` from cell 1, which was edited after it ran. Re-run cells 1, 2 in",
            "changed after this cell ran",
        ),
        (  # the reason that is a change still says so
            [ran("x = 1", 3), ran("y = x", 2)],
            None,
            1,
            "it used `x`, which cell 1 (run 3rd) changed after this cell ran. Re-run cell 2.",
            "stale itself",
        ),
    ],
)
def test_the_stale_message_tells_how(
    cells: list[dict[str, Any] | str], history: list[Run] | None, cell: int, says: str, never: str
) -> None:
    message = _stale_message(analyzed(cells, history), cell)
    assert says in message
    assert never not in message


def test_after_a_restart_no_finding_calls_outputs_of_this_session_saved() -> None:
    # Counts on screen after a restart: cell 3 ran again ([1]), cell 1 and 2 show counts
    # of the previous session; the error on cell 2 is on screen, not in a saved file.
    error = {"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}
    cells: list[dict[str, Any] | str] = [
        ran("a = 1", 5),
        {**ran("b = a / 0", 9), "outputs": [error]},
        ran("c = 3", 1),
        ran("d = 4", None),
        ran("e = 5", 2),
        {**ran("", 3), "outputs": [{"output_type": "stream", "name": "stdout", "text": "6\n"}]},
    ]
    saved = analyzed(cells, None)["findings"]
    live = analyzed(cells, [(2, "c = 3"), (4, "e = 5"), (5, "")])["findings"]
    rules = {
        "out-of-order-execution",
        "execution-count-gap",
        "unexecuted-cell",
        "error-output",
        "empty-cell",
    }
    assert {f["rule"] for f in saved} >= rules
    assert {f["rule"] for f in live} >= rules
    assert any("saved" in f["message"].lower() for f in saved)
    assert [f["message"] for f in live if "saved" in f["message"].lower()] == []


def test_cells_sharing_an_id_get_states_without_error() -> None:
    # nbformat forbids it, files still have it: the second cell's id names the first too.
    cells: list[dict[str, Any] | str] = [
        {**ran("x = 1", 3), "id": "same"},
        {**ran("x = 2", 1), "id": "same"},
        ran("y = x", 2),
    ]
    runs: list[Run] = [("same", "x = 2"), (2, "y = x"), ("same", "x = 1")]
    for history in (None, runs):
        states = [c["state"] for c in analyzed(cells, history)["cells"]]
        assert states[2] == "stale"


@pytest.mark.parametrize(
    ("index", "count", "label"),
    [
        (5, 4, "cell 6 (run 4th)"),
        (0, 1, "cell 1 (run 1st)"),
        (1, 2, "cell 2 (run 2nd)"),
        (2, 3, "cell 3 (run 3rd)"),
        (3, 11, "cell 4 (run 11th)"),
        (3, 12, "cell 4 (run 12th)"),
        (3, 13, "cell 4 (run 13th)"),
        (3, 21, "cell 4 (run 21st)"),
        (3, 112, "cell 4 (run 112th)"),
        (3, 122, "cell 4 (run 122nd)"),
        (3, None, "cell 4"),
    ],
)
def test_messages_say_when_a_cell_ran_in_words(index: int, count: int | None, label: str) -> None:
    assert cell_run_label(index, count) == label
