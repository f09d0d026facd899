"""The replay on its own (replay.py, staleness.py): executions in kernel order, what each
run read and from which run, who changed each name, and the verdict on each last run."""

from __future__ import annotations

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis.facts import cell_facts
from jupyterlab_nbhygiene.analysis.model import CellIndex, Notebook
from jupyterlab_nbhygiene.analysis.notebook import read_notebook
from jupyterlab_nbhygiene.analysis.replay import Replay, Run, replay_runs
from jupyterlab_nbhygiene.analysis.staleness import CURRENT, Verdict, verdict_on

# (cell number, source as run), in kernel order; the notebook holds `cells`.
Runs = list[tuple[int, str]]


def replayed(cells: list[str], runs: Runs, *, exact: bool = True) -> tuple[Notebook, Replay]:
    nb = read_notebook(make_notebook(*cells))
    made = [
        Run(f"c{cell}", cell_facts(source).symbols, source, errored=False) for cell, source in runs
    ]
    return nb, replay_runs(nb, made, exact=exact)


@pytest.mark.parametrize(
    ("cells", "runs", "inputs", "writer"),
    [
        # each run reads from the run that last changed the name
        (["x = 1", "y = x"], [(0, "x = 1"), (1, "y = x")], [{}, {"x": 0}], {"x": 0, "y": 1}),
        # a re-run moves the writer on; the earlier reader keeps its provider
        (
            ["x = 1", "y = x"],
            [(0, "x = 1"), (1, "y = x"), (0, "x = 1")],
            [{}, {"x": 0}, {}],
            {"x": 2, "y": 1},
        ),
        # a mutation reads the name and changes it
        (
            ["xs = []", "xs.append(1)"],
            [(0, "xs = []"), (1, "xs.append(1)")],
            [{}, {"xs": 0}],
            {"xs": 1},
        ),
        # a name nothing wrote has no provider
        (["y = ghost"], [(0, "y = ghost")], [{"ghost": None}], {"y": 0}),
        # a function's `global` write happens in the run that calls it
        (
            ["def f():\n    global n\n    n = 1", "f()", "m = n"],
            [(0, "def f():\n    global n\n    n = 1"), (1, "f()"), (2, "m = n")],
            [{}, {"f": 0}, {"n": 1}],
            {"f": 0, "n": 1, "m": 2},
        ),
    ],
)
def test_inputs_and_writers(
    cells: list[str], runs: Runs, inputs: list[dict[str, int | None]], writer: dict[str, int]
) -> None:
    _, replay = replayed(cells, runs)
    assert [run.inputs for run in replay.runs] == inputs
    assert replay.writer == writer


@pytest.mark.parametrize(
    ("cells", "runs", "exact", "edited"),
    [
        (["x = 2"], [(0, "x = 1")], True, {"c0"}),
        (["x = 1  \r\n"], [(0, "x = 1")], True, set()),  # line ends and trailing space
        (["x = 2"], [(0, "x = 1")], False, set()),  # saved counts know no other source
    ],
)
def test_edited_cells(cells: list[str], runs: Runs, exact: bool, edited: set[str]) -> None:
    _, replay = replayed(cells, runs, exact=exact)
    assert replay.edited == edited


@pytest.mark.parametrize(
    ("cells", "runs", "changed", "via"),
    [
        # a cell above re-ran after it: stale, with the cell that changed the name
        (["x = 1", "y = x"], [(0, "x = 1"), (1, "y = x"), (0, "x = 1")], [("x", "c0")], []),
        # a cell below changed it since: the notebook's normal flow
        (["y = x", "x = 2"], [(1, "x = 1"), (0, "y = x"), (1, "x = 2")], [], []),
        # read from a cell that is stale itself
        (
            ["a = 1", "b = a", "c = b"],
            [(0, "a = 1"), (1, "b = a"), (2, "c = b"), (0, "a = 1")],
            [],
            [("b", "c1")],
        ),
    ],
)
def test_verdict_on_the_last_run(
    cells: list[str], runs: Runs, changed: list[tuple[str, str]], via: list[tuple[str, str]]
) -> None:
    nb, replay = replayed(cells, runs)
    index_of = {cell.id: CellIndex(cell.index) for cell in nb.cells}
    verdicts: dict[str, Verdict] = {}
    for k, run in enumerate(replay.runs):
        if replay.last_run[run.cell_id] == k:
            verdicts[run.cell_id] = verdict_on(replay, k, verdicts, index_of)
    last = verdicts[f"c{len(cells) - 1}"]
    assert list(last.changed) == changed
    assert list(last.via) == via
    assert (last is CURRENT) == (not changed and not via)
