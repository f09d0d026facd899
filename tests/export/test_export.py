"""Slicing, ordering and the module text: which cells, in which order, and does it run."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis.errors import AnalysisInputError
from jupyterlab_nbhygiene.export import ExportError, ExportInputError, export_notebook

DEMO = Path(__file__).resolve().parents[2] / "demo" / "hidden_state.ipynb"
NOW = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)


def run_module(text: str, folder: Path, name: str = "exported.py") -> str:
    module = folder / name
    module.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(module)], cwd=folder, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def cells_of(nb: dict[str, Any], *numbers: int) -> list[int]:
    return export_notebook(nb, path="nb.ipynb", cells=list(numbers)).cells


def test_demo_hidden_state_cell_exports_to_a_module_that_prints_the_saved_value(
    tmp_path: Path,
) -> None:
    nb = json.loads(DEMO.read_text(encoding="utf-8"))
    saved = nb["cells"][3]["outputs"][0]["data"]["text/plain"]
    assert "tax_rate" in "".join(nb["cells"][3]["source"])
    result = export_notebook(nb, path=str(DEMO), cells=[4], now=NOW)
    # prices, its append (a mutation that ran before), tax_rate (defined below), then the cell
    assert result.cells == [3, 5, 6, 4]
    assert result.summary()["reordered"] is True
    assert "exported by nbhygiene on 2026-01-02 03:04 UTC" in result.module
    assert run_module(result.module, tmp_path) == f"{saved}\n"
    # Importing runs the slice but prints nothing: the display is under __main__.
    done = subprocess.run(
        [sys.executable, "-c", "import exported; print(exported.total)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == f"{saved}\n"


@pytest.mark.parametrize(
    ("cells", "export", "order"),
    [
        # upstream through definitions only: the unrelated cell stays out
        (["a = 1", "b = 2", "c = a + 1\nc"], [3], [1, 3]),
        # a mutation between definition and use is upstream
        (["xs = [1]", "xs.append(2)", "ys = 0", "len(xs)"], [4], [1, 2, 4]),
        # a redefinition ends the search: the earlier definition is not needed
        (["a = 1", "a = 2", "a"], [3], [2, 3]),
        # `x = x + 1` needs the earlier x too
        (["x = 1", "x = x + 1", "x"], [3], [1, 2, 3]),
        # defined below (hidden state): moved above the user
        (["y = x * 2", "x = 21"], [1], [2, 1]),
        # every earlier draw from the same generator is upstream
        (
            ["import numpy as np\nrng = np.random.default_rng(0)", "a = rng.normal()",
             "b = 1", "c = rng.normal()\nc"],
            [4], [1, 2, 4],
        ),
        # draws from numpy's global generator, up to its seed
        (
            ["import numpy as np", "np.random.seed(1)", "u = np.random.rand()", "v = 3",
             "w = np.random.rand()\nw"],
            [5], [1, 2, 3, 5],
        ),
        (
            ["import random", "random.random()", "k = random.randint(1, 6)\nk"],
            [3], [1, 2, 3],
        ),
        # a generator handed to a function may be drawn from
        (
            ["import random\ng = random.Random(3)", "random.shuffle([1, 2], g.random)",
             "sample = g.random()"],
            [3], [1, 2, 3],
        ),
        # a cell that makes a generator and draws from it starts afresh (no cycle with an
        # earlier cell that did the same); looking at a generator is not a draw
        (
            ["import random", "rng = random.Random(1)\na = rng.random()", "type(rng)",
             "rng = random.Random(2)\nb = rng.random()", "c = rng.random()\nc"],
            [5], [1, 4, 5],
        ),
        # calling a module's function does not change the module; setting its option does
        (
            ["import numpy as np", "a = [3, 1]", "np.sort(a)", "np.flag = 1", "b = np.add(a, 1)"],
            [5], [1, 2, 4, 5],
        ),
        (
            ["import matplotlib.pyplot as plt\nimport pandas as pd",
             "plt.rcParams['figure.dpi'] = 50", "plt.fill([1])", "pd.options.display.max_rows = 5",
             "df = pd.DataFrame()\nplt.plot([1])\ndf"],
            [5], [1, 2, 4, 5],
        ),
        # a file written by one cell and read by another links them
        (
            ["import json", "with open('d.json', 'w') as f:\n    json.dump([1], f)", "k = 1",
             "with open('d.json') as f:\n    data = json.load(f)\ndata"],
            [4], [1, 2, 4],
        ),
        (["import pandas as pd\ndf = pd.DataFrame()", "df.to_csv('out/t.csv')", "x = 2",
          "t = pd.read_csv('out/t.csv')"], [4], [1, 2, 4]),
        (["import numpy as np", "np.savez('arrays', a=[1])", "x = 2", "d = np.load('arrays.npz')"],
         [4], [1, 2, 4]),
        (["import sqlite3\ncon = sqlite3.connect('my.db')", "x = 1", "!rm my.db"], [3], [1, 3]),
        # functions bring the globals they read
        (["k = 3", "def f(v):\n    return v * k", "f(2)"], [3], [1, 2, 3]),
        # imports are hoisted, so they never force an order
        (["y = math.pi", "import math"], [1], [2, 1]),
    ],
)  # fmt: skip
def test_slice_and_order(cells: list[str], export: list[int], order: list[int]) -> None:
    assert cells_of(make_notebook(*cells), *export) == order


def test_execution_counts_give_the_order_the_outputs_came_from() -> None:
    nb = make_notebook(
        {"source": "v = [1]", "execution_count": 1},
        {"source": "total = sum(v)\ntotal", "execution_count": 3},
        {"source": "v.append(5)", "execution_count": 2},
    )
    assert cells_of(nb, 2) == [1, 3, 2]
    # without counts, notebook order: the append ran after the sum
    nb = make_notebook("v = [1]", "total = sum(v)\ntotal", "v.append(5)")
    assert cells_of(nb, 2) == [1, 2]


@pytest.mark.parametrize(
    ("cells", "export", "needles"),
    [
        (["y = ghost + 1"], [1], ["Cell 1", "`ghost`", "no cell"]),
        (["a = b + 1", "b = a + 1"], [1], ["no order", "`b`", "cell 2"]),
        (["x = 1\n%run setup.py"], [1], ["Cell 1, line 2", "%run"]),
        (["x = get_ipython()"], [1], ["Cell 1, line 1", "get_ipython"]),
        (["print(Out[3])"], [1], ["`Out`"]),
        ([{"source": "1 / 0", "outputs": [{"output_type": "error", "ename": "ZeroDivisionError",
                                            "evalue": "", "traceback": []}]}],
         [1], ["Cell 1", "ZeroDivisionError"]),
        (["x = (1"], [1], ["Cell 1, line 1", "not valid Python"]),
    ],
)  # fmt: skip
def test_refusals_name_the_cell_and_the_name(
    cells: list[Any], export: list[int], needles: list[str]
) -> None:
    with pytest.raises(ExportError) as caught:
        cells_of(make_notebook(*cells), *export)
    for needle in needles:
        assert needle in str(caught.value)


def test_a_bad_cell_outside_the_slice_does_not_matter() -> None:
    nb = make_notebook("%run other.py", "x = (1", "z = 5\nz")
    assert cells_of(nb, 3) == [3]


@pytest.mark.parametrize(
    ("numbers", "needle"),
    [([0], "no cell 0"), ([9], "no cell 9"), ([1], "markdown cell"), ([], "at least one")],
)
def test_bad_cell_numbers_are_input_errors(numbers: list[int], needle: str) -> None:
    nb = make_notebook({"cell_type": "markdown", "source": "# t"}, "x = 1")
    with pytest.raises(ExportInputError, match=needle) as caught:
        export_notebook(nb, path="nb.ipynb", cells=numbers)
    assert isinstance(caught.value, AnalysisInputError)
    assert not isinstance(caught.value, ExportError)


def test_non_python_notebooks_are_refused() -> None:
    with pytest.raises(ExportError, match="Python") as caught:
        export_notebook(make_notebook("x <- 1", language="R"), path="r.ipynb")
    assert isinstance(caught.value, AnalysisInputError)


def test_module_shape_imports_magics_and_displays(tmp_path: Path) -> None:
    nb = make_notebook(
        "%matplotlib inline\nimport os\nimport json",
        "import json\nfrom collections import Counter\ncounts = Counter('abca')",
        "counts.update('z')",  # a mutation, not exported: kept, its value not printed
        "!echo shell-{len(counts)}",
        "%%time\nn = len(counts)\nn",
        "names = sorted(counts)\nnames;",
        {"source": "print('hi')\nos.sep", "execution_count": 9,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]},
    )  # fmt: skip
    result = export_notebook(nb, path=str(tmp_path / "nb.ipynb"), cells=[4, 5, 6, 7])
    module = result.module
    head = module.split("# %% cell")[0]
    assert head.count("import json") == 1
    assert head.count("import subprocess") == head.count("import os") == 1
    assert head.index("import os") < head.index("import json")
    assert "from collections import Counter" in head
    assert "\n# %matplotlib inline dropped: configures IPython only\n" in module
    assert result.summary()["dropped_magics"] == [
        {"cell": 1, "line": 1, "magic": "%matplotlib inline", "why": "configures IPython only"}
    ]
    assert "Left out: %matplotlib inline (cell 1, line 1" in module
    assert "# %% cell 5 (exported)" in module
    assert "\ncounts.update('z')\n" in module
    # cell 7 ran and showed no value: `os.sep` is not printed; cell 6's `;` hides it
    out = run_module(module, tmp_path)
    assert out.splitlines() == ["shell-4", "4", "hi"]
    done = subprocess.run(
        [sys.executable, "-c", "import exported"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "shell-4\nhi\n"  # no display output on import


def test_a_cell_left_empty_says_why(tmp_path: Path) -> None:
    nb = make_notebook(
        "import os",
        "x = 1",
        {"source": "x", "execution_count": 3, "outputs": []},
        {"source": "import json\nx", "execution_count": 4, "outputs": []},
    )
    module = export_notebook(nb, path=str(tmp_path / "nb.ipynb")).module
    cells = dict(part.split("\n", 1) for part in module.split("# %% cell ")[1:])
    assert cells["1 (exported)"].strip() == "# (its imports are at the top)"
    assert cells["3 (exported)"].strip() == "# (display only: nothing to run)"
    assert cells["4 (exported)"].strip() == (
        "# (its imports are at the top; the rest was display only: nothing to run)"
    )
    assert run_module(module, tmp_path) == ""


def test_display_calls_print_without_ipython(tmp_path: Path) -> None:
    nb = make_notebook("x = {'a': 1}", "display(x)\nx['a']")
    result = export_notebook(nb, path=str(tmp_path / "nb.ipynb"), cells=[2])
    assert run_module(result.module, tmp_path) == "{'a': 1}\n1\n"
