"""Repairs: move-cell, hoist-imports, seed-random — the edits, the moves, the refusals."""

from __future__ import annotations

from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.errors import AnalysisInputError
from jupyterlab_nbhygiene.fixes import FixInputError, UnsafeFix, apply_fix


def applied(nb: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """The notebook after the edits and moves, applied as the frontend applies them."""
    cells = [dict(c) for c in nb["cells"]]
    by_id = {c["id"]: c for c in cells}
    for edit in result["edits"]:
        by_id[edit["cell_id"]]["source"] = edit["source"]
    for move in result["moves"]:
        cell = by_id[move["cell_id"]]
        cells.remove(cell)
        cells.insert(move["to_index"], cell)
    return {**nb, "cells": cells}


def sources(nb: dict[str, Any]) -> list[str]:
    return [c["source"] for c in nb["cells"]]


def rules(nb: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in analyze(nb)["findings"]}


@pytest.mark.parametrize(
    ("cells", "cell", "after", "title"),
    [
        (["y = x + 1", "x = 1"], 0, ["x = 1", "y = x + 1"], "Move cell 2 above cell 1"),
        # asked on the late definer instead of the user
        (["y = x + 1", "x = 1"], 1, ["x = 1", "y = x + 1"], "Move cell 2 above cell 1"),
        (
            ["a = 0", "total = a + rate + fee", "z = 2", "rate = 3", "fee = 4"],
            1,
            ["a = 0", "rate = 3", "fee = 4", "total = a + rate + fee", "z = 2"],
            "Move cell 4 and cell 5 above cell 2",
        ),
        # the moved cell takes what it needs from above the user: safe
        (
            ["base = 2", "print(tax)", "tax = base * 0.2"],
            1,
            ["base = 2", "tax = base * 0.2", "print(tax)"],
            "Move cell 3 above cell 2",
        ),
    ],
)
def test_move_cell(cells: list[str], cell: int, after: list[str], title: str) -> None:
    nb = make_notebook(*cells)
    assert "use-before-definition" in rules(nb)
    result = apply_fix(nb, "move-cell", cell)
    assert result["title"] == title
    assert result["edits"] == []
    fixed = applied(nb, result)
    assert sources(fixed) == after
    assert "use-before-definition" not in rules(fixed)


def test_move_cell_counts_markdown_cells_in_indices() -> None:
    nb = make_notebook({"cell_type": "markdown", "source": "# t"}, "y = x", "x = 1")
    result = apply_fix(nb, "move-cell", 1)
    assert result["moves"] == [{"cell_id": "c2", "to_index": 1}]


@pytest.mark.parametrize(
    ("cells", "cell", "needles"),
    [
        # x's definer needs `base` from a cell between: it would end up below it
        (["y = x", "base = 1", "x = base + 1"], 0, ["cell 3 needs `base` from cell 2"]),
        # moving cell 4 above cell 2 would change the `n` cell 3 prints
        (
            ["n = 1", "print(m)", "print(n)", "m = 2\nn = 5"],
            1,
            ["cell 3 reads `n` from cell 1 and would read it from cell 4"],
        ),
        (["x = 1", "y = x"], 1, ["nothing to move"]),
    ],
)
def test_move_cell_refuses_to_break_a_dependency(
    cells: list[str], cell: int, needles: list[str]
) -> None:
    with pytest.raises(UnsafeFix) as caught:
        apply_fix(make_notebook(*cells), "move-cell", cell)
    for needle in needles:
        assert needle in str(caught.value)


@pytest.mark.parametrize(
    ("cells", "after"),
    [
        (
            ["%matplotlib inline\nx = 1", "import os\ny = os.sep", "import json\nimport os"],
            ["%matplotlib inline\nimport os\nimport json\n\nx = 1", "y = os.sep", ""],
        ),
        (
            ["import sys", "from math import pi, tau\nprint(pi)", "def f():\n    import re\n"],
            ["import sys\nfrom math import pi, tau", "print(pi)", "def f():\n    import re\n"],
        ),
        (
            ["%%time\nx = 1", "import os\ny = os.sep"],
            ["%%time\nimport os\n\nx = 1", "y = os.sep"],
        ),
        # a line shared with other code stays; try blocks stay
        (
            ["x = 1", "import os; y = 2", "try:\n    import json\nexcept ImportError:\n    pass"],
            ["x = 1", "import os; y = 2", "try:\n    import json\nexcept ImportError:\n    pass"],
        ),
    ],
)
def test_hoist_imports(cells: list[str], after: list[str]) -> None:
    nb = make_notebook(*cells)
    fixed = applied(nb, apply_fix(nb, "hoist-imports"))
    assert sources(fixed) == after


def test_hoist_imports_with_nothing_to_do() -> None:
    result = apply_fix(make_notebook("import os\nimport sys", "print(os.sep)"), "hoist-imports")
    assert result["edits"] == []
    assert "already" in result["summary"]


@pytest.mark.parametrize(
    ("cells", "needle"),
    [
        (["from a import f", "f(1)", "from b import f"], "`f` is imported by cell 1"),
        (["x = 1", "pd = None", "import pandas as pd"], "Cell 2 binds `pd` before cell 3"),
        (["x = 1", "import sys\nsys.path.append('lib')", "import mylib"], "Cell 2 changes"),
    ],
)
def test_hoist_imports_refuses_what_changes_meaning(cells: list[str], needle: str) -> None:
    with pytest.raises(UnsafeFix, match=needle):
        apply_fix(make_notebook(*cells), "hoist-imports")


@pytest.mark.parametrize(
    ("cells", "after"),
    [
        (
            ["import numpy as np\nrng = np.random.default_rng()", "x = rng.normal()"],
            ["import numpy as np\nrng = np.random.default_rng(0)", "x = rng.normal()"],
        ),
        (
            ["import numpy as np\nimport random", "a = np.random.rand(3)", "b = random.random()"],
            [
                "import numpy as np\nnp.random.seed(0)\nimport random\nrandom.seed(0)",
                "a = np.random.rand(3)",
                "b = random.random()",
            ],
        ),
        (
            ["import torch", "t = torch.randn(2)"],
            ["import torch\ntorch.manual_seed(0)", "t = torch.randn(2)"],
        ),
        # already seeded: nothing to do
        (
            ["import random\nrandom.seed(1)", "b = random.random()"],
            ["import random\nrandom.seed(1)", "b = random.random()"],
        ),
    ],
)
def test_seed_random(cells: list[str], after: list[str]) -> None:
    nb = make_notebook(*cells)
    fixed = applied(nb, apply_fix(nb, "seed-random"))
    assert sources(fixed) == after
    assert "unseeded-random" not in rules(fixed)


@pytest.mark.parametrize(
    ("fix", "cell", "needle"),
    [
        ("tidy", None, "must be one of"),
        ("move-cell", None, "needs"),
        ("move-cell", 7, "cell index from 0"),
    ],
)
def test_bad_requests_are_input_errors(fix: str, cell: int | None, needle: str) -> None:
    with pytest.raises(FixInputError, match=needle) as caught:
        apply_fix(make_notebook("x = 1"), fix, cell)
    assert isinstance(caught.value, AnalysisInputError)
    assert not isinstance(caught.value, UnsafeFix)


def test_refusals_are_input_errors_too() -> None:
    with pytest.raises(UnsafeFix) as caught:
        apply_fix(make_notebook("y = x", "base = 1", "x = base + 1"), "move-cell", 0)
    assert isinstance(caught.value, AnalysisInputError)
