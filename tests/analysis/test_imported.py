"""Calling or configuring an imported module is not a mutation (imported.py); draws are.

Each case is a small notebook: what its cells mutate, whom each cell depends on, and
(with a kernel history) which cells go stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols


@dataclass(frozen=True)
class Case:
    name: str
    cells: tuple[str, ...]
    mutates: tuple[tuple[str, ...], ...]  # per cell, sorted
    # per cell: the cells it depends on (depends_on sources), None: not checked
    sources: tuple[tuple[int, ...] | None, ...] | None = None


def case(
    name: str,
    cells: list[str],
    mutates: list[list[str]],
    sources: list[list[int] | None] | None = None,
) -> Case:
    return Case(
        name,
        tuple(cells),
        tuple(tuple(m) for m in mutates),
        None if sources is None else tuple(None if s is None else tuple(s) for s in sources),
    )


CASES = [
    # the bug: numpy functions named like list/set methods
    case(
        "np-sort-np-add",
        ["import numpy as np\na = [3, 1]", "b = np.sort(a)", "c = np.add(1, 2)", "d = np.mean(b)"],
        [[], [], [], []],
        [[], [0], [0], [0, 1]],
    ),
    case("np-put", ["import numpy as np\na = np.zeros(3)", "np.put(a, [0], [1])"], [[], []]),
    case("math", ["import math", "math.fsum([1])", "y = math.pi"], [[], [], []], [[], [0], [0]]),
    case("os-sys", ["import os, sys", "sys.path.append('..')", "os.getcwd()"], [[], [], []]),
    case("torch-inplace", ["import torch", "torch.relu_(t)"], [[], []]),
    case(
        "from-import-module",
        ["from matplotlib import pyplot as plt", "plt.fill([0, 1], [1, 0])", "plt.show()"],
        [[], [], []],
        [[], [0], [0]],
    ),
    # configuring a library: not a change later cells depend on
    case(
        "pd-options",
        ["import pandas as pd", "pd.options.display.max_rows = 10", "df = pd.DataFrame()"],
        [[], [], []],
        [[], [0], [0]],
    ),
    case(
        "plt-rcparams",
        ["import matplotlib.pyplot as plt", "plt.rcParams['figure.dpi'] = 100", "plt.plot([1])"],
        [[], [], []],
        [[], [0], [0]],
    ),
    case("os-environ", ["import os", "os.environ['S'] = '1'", "del os.environ['S']"], [[]] * 3),
    # data handed to a module's function is still mutated where the function says so
    case(
        "np-random-shuffle",
        ["import numpy as np\ndeck = [1, 2]", "np.random.shuffle(deck)"],
        [[], ["deck", "np.random"]],
    ),
    # random draws keep their state modelling
    case(
        "random-module",
        ["import random\nxs = [1]", "random.shuffle(xs)", "random.seed(0)", "k = random.random()"],
        [[], ["random", "xs"], ["random"], ["random"]],
        [[], [0], [1], [2]],  # each draw depends on the one before
    ),
    case(
        "random-alias",
        ["import random as rnd", "rnd.choice([1, 2])", "rnd.random()"],
        [[], ["rnd"], ["rnd"]],
        [[], [0], [1]],
    ),
    case(
        "numpy-random-imported-by-name",
        ["from numpy import random", "random.rand()", "random.sort()"],
        [[], ["random"], []],
    ),
    case(
        "np-global-generator",
        ["import numpy as np", "np.random.seed(0)", "np.sort([1])", "a = np.random.rand()"],
        [[], ["np.random"], [], ["np.random"]],
        [[], [0], [0], [0, 1]],
    ),
    # a name some cell binds otherwise is not (only) a module: its changes count
    case(
        "rebound-name",
        ["import data", "data = [2, 1]", "data.sort()", "x = data[0]"],
        [[], [], ["data"], []],
        [[], [], [1], [2]],
    ),
    # an object (not a module) stays data
    case(
        "plain-objects",
        ["import numpy as np\nlst = [2, 1]\ns = set()", "lst.sort()\ns.add(1)", "n = len(lst)"],
        [[], ["lst", "s"], []],
        [[], [0], [1]],
    ),
]


@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_module_calls_and_options_are_not_mutations(c: Case) -> None:
    report = analyze(make_notebook(*c.cells))
    cells = report["cells"]
    assert [tuple(cell["mutates"]) for cell in cells] == list(c.mutates)
    if c.sources is not None:
        for cell, expected in zip(cells, c.sources, strict=True):
            if expected is not None:
                assert tuple(e["cell"] for e in cell["depends_on"]) == expected, cell["index"]
    # the report and the rules agree: no cross-cell mutation on a module
    modules = {"np", "pd", "plt", "os", "sys", "math", "torch"}
    for finding in report["findings"]:
        if finding["rule"] == "cross-cell-mutation":
            assert not any(f"`{m}`" in finding["message"] for m in modules)


def test_a_cell_keeps_its_own_view_until_the_notebook_is_seen() -> None:
    # One cell alone cannot know `np` is a module; `draws` tells draws apart for the notebook.
    symbols = cell_symbols(parse_cell("b = np.sort(a)\nrandom.shuffle(a)\nx = rng.normal()"))
    assert symbols.mutates == {"np": 1, "a": 2, "random": 2, "rng": 3}
    assert symbols.draws == {"random": 2, "rng": 3}


def test_a_draw_line_is_the_line_of_the_draw() -> None:
    report = analyze(make_notebook("import random", "random.sort()\nrandom.seed(1)"))
    assert report["cells"][1]["lines"]["mutates"] == {"random": 2}


def run(cell: int, source: str, count: int) -> dict[str, Any]:
    return {"cell_id": f"c{cell}", "source": source, "execution_count": count}


@pytest.mark.parametrize(
    ("again", "below"),
    [
        # re-running a cell that calls numpy (or sets an option) leaves the cell below fresh
        ("b = np.sort(a)", "fresh"),
        ("np.printoptions(precision=2)\nnp.flag = 1", "fresh"),
        # re-running a draw above makes a later draw stale
        ("x = np.random.rand()", "stale"),
    ],
)
def test_running_a_module_call_again_makes_nothing_stale(again: str, below: str) -> None:
    nb = make_notebook(
        {"source": "import numpy as np\na = [3, 1]", "execution_count": 1},
        {"source": again, "execution_count": 4},
        {"source": "c = np.mean(a) + np.random.rand()", "execution_count": 3},
    )
    history = {
        "executions": [
            run(0, "import numpy as np\na = [3, 1]", 1),
            run(1, again, 2),
            run(2, "c = np.mean(a) + np.random.rand()", 3),
            run(1, again, 4),
        ]
    }
    cells = analyze(nb, history)["cells"]
    assert cells[2]["state"] == below
    if below == "stale":
        assert {"name": "np.random", "cell": 1} in cells[2]["stale_because"]
