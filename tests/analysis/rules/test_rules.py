"""Every rule of the catalogue: one notebook where it fires, one near miss where it does not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from rule_helpers import Cells, error_output, findings, md, ran

from jupyterlab_nbhygiene.analysis.rules import all_rules

CATALOGUE = {
    "syntax-error", "use-before-definition", "undefined-name", "out-of-order-execution",
    "execution-count-gap", "unexecuted-cell", "error-output", "stale-cell",
    "cross-cell-mutation", "non-idempotent-cell", "redefined-across-cells", "dynamic-namespace",
    "unseeded-random", "possible-test-data-leak", "import-not-at-top", "duplicate-import",
    "star-import", "long-cell", "long-notebook", "empty-cell", "missing-title",
    "low-markdown-ratio", "untitled-notebook", "absolute-path", "pip-install-in-notebook",
    "large-output",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    rule: str
    fires: Cells
    silent: Cells
    at: tuple[int | None, int | None] | None = None  # (cell, line) of the first finding
    says: str = ""  # a fragment the message must contain
    options: dict[str, Any] = field(default_factory=dict)
    silent_options: dict[str, Any] | None = None


LONG = "\n".join(f"x{i} = {i}" for i in range(31))
CASES = [
    Case("syntax-error", ["x = (1,\n"], ["x = (1,\n 2)"], (0, 1), "does not parse"),
    Case(
        "use-before-definition",
        ["print(a)", "a = 1"],
        ["a = 1", "print(a)"],
        (0, 1),
        "`a` is used here but only defined later, in cell 2",
    ),
    Case(
        "undefined-name",
        ["x = 1", "print(ghost)"],
        ["print(len([1]))"],
        (1, 1),
        "`ghost` is not defined by any cell",
    ),
    Case(
        "out-of-order-execution",
        [ran("a = 1", 2), ran("b = 2", 1)],
        [ran("a = 1", 1), "b = 2", ran("c = 3", 2)],
        (1, None),
        "ran before cell 1 (run 2nd) above it",
    ),
    Case(
        "execution-count-gap",
        [ran("a = 1", 1), ran("b = 2", 3)],
        [ran("a = 1", 1), ran("b = 2", 2)],
        (1, None),
        "jump from [1]",
    ),
    Case(
        "unexecuted-cell",
        ["a = 1", ran("b = 2", 1)],
        ["", ran("a = 1", 1), "b = 2"],
        (0, None),
        "never run",
    ),
    Case(
        "error-output",
        [ran("1/0", 1, error_output("ZeroDivisionError", "division by zero"))],
        [ran("1/0", 1, error_output(), tags=["raises-exception"])],
        (0, None),
        "ZeroDivisionError: division by zero",
    ),
    Case(
        "stale-cell",
        [ran("a = 1", 1), ran("a = 2", 3), ran("b = a + 1", 2)],
        [ran("a = 1", 1), ran("a = 2", 2), ran("b = a + 1", 3)],
        (2, 1),
        "used `a`, which cell 2 (run 3rd) changed after this cell ran",
    ),
    Case(
        "cross-cell-mutation",
        ["lst = []", "lst.append(1)"],
        ["lst = []\nlst.append(1)", "import pandas as pd", "pd.options.display.max_rows = 5"],
        (1, 1),
        "defined in cell 1",
    ),
    Case(
        "non-idempotent-cell",
        ["x = 1", "x = x + 1"],
        ["x = 1", "y = x + 1"],
        (1, 1),
        "`x` is read and rebound",
    ),
    Case(
        "redefined-across-cells",
        ["x = 1", "x = 2"],
        ["x = 1", "y = 2"],
        (1, 1),
        "bound here and in cell 1, and the value from cell 1 is replaced",
    ),
    Case("dynamic-namespace", ['exec("a = 1")'], ['print("exec")'], (0, 1), "`exec()`"),
    Case(
        "unseeded-random",
        ["import numpy as np", "x = np.random.rand(3)"],
        ["import numpy as np\nnp.random.seed(0)", "x = np.random.rand(3)"],
        (1, 1),
        "np.random.seed(42)",
    ),
    Case(
        "possible-test-data-leak",
        [
            "X_train, X_test, y = [[1]], [[2]], [1]\nscaler = S()\nmodel = M()",
            "X_test_scaled = scaler.transform(X_test)",
            "model.fit(X_test_scaled, y)",
        ],
        [
            "X_train, X_test, y = [[1]], [[2]], [1]\nscaler = S()\nmodel = M()",
            "X_test_scaled = scaler.transform(X_test)",
            "model.fit(X_train, y)",
        ],
        (2, 1),
        "`X_test_scaled` (from `X_test`, cell 2) flows into `.fit(...)`",
    ),
    Case(
        "import-not-at-top",
        ["import os", "x = 1", "import sys"],
        ["import os", "import sys", "x = 1", "def f():\n    import json"],
        (2, 1),
        "Import of sys",
    ),
    Case(
        "duplicate-import",
        ["import os", "import os"],
        ["import os", "import sys"],
        (1, 1),
        "already imported in cell 1",
    ),
    Case(
        "star-import",
        ["from os.path import *"],
        ["from os.path import join"],
        (0, 1),
        "from os.path import *",
    ),
    Case(
        "long-cell",
        [LONG],
        ["\n".join(f"x{i} = {i}\n" for i in range(30))],
        (0, None),
        "31 lines",
    ),
    Case(
        "long-notebook",
        [f"x{i} = {i}" for i in range(37)],
        [f"x{i} = {i}" for i in range(36)],
        (None, None),
        "37 code cells",
    ),
    Case("empty-cell", ["  \n", "x = 1"], ["x = 1", ""], (0, None), "Empty code cell"),
    Case(
        "missing-title",
        [md("Some notes"), "x = 1"],
        [md("# Title\n\nSome notes"), "x = 1"],
        (0, None),
        "No title",
    ),
    Case(
        "low-markdown-ratio",
        [md("# T"), "a = 1", "b = 2", "c = 3", "d = 4"],
        [md("# T"), "a = 1", "b = 2", "c = 3"],
        (None, None),
        "ratio 0.25",
    ),
    Case(
        "untitled-notebook",
        ["x = 1"],
        ["x = 1"],
        (None, None),
        "`Untitled1.ipynb` is a default name",
        options={"path": "work/Untitled1.ipynb"},
        silent_options={"path": "work/untitled_results.ipynb"},
    ),
    Case(
        "absolute-path",
        ['data = open("/home/ana/data.csv")'],
        ['data = open("data/data.csv")\nroute = "/api/v1"\nx = "a/b"'],
        (0, 1),
        "'/home/ana/data.csv'",
    ),
    Case(
        "pip-install-in-notebook",
        ["!pip install pandas"],
        ["!pip list"],
        (0, 1),
        "`pip install pandas`",
    ),
    Case(
        "large-output",
        [ran("x", 1, {"output_type": "stream", "name": "stdout", "text": "x" * 1_100_000})],
        [ran("x", 1, {"output_type": "stream", "name": "stdout", "text": "x" * 900_000})],
        (0, None),
        "1.1 MB",
    ),
    Case(
        "unsupported-language",
        ["x <- 1"],
        ["x = 1"],
        (None, None),
        "This notebook is written in R:",
        options={"language": "R"},
    ),
]


def test_every_catalogue_rule_has_a_case() -> None:
    registered = {r.id for r in all_rules()}
    assert registered >= CATALOGUE
    assert {c.rule for c in CASES} == registered


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_fires(case: Case) -> None:
    found = findings(case.rule, case.fires, **case.options)
    assert found, f"{case.rule} did not fire"
    first = found[0]
    if case.at is not None:
        assert (first["cell"], first["line"]) == case.at
    assert case.says in first["message"]


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_stays_silent_on_near_miss(case: Case) -> None:
    options = case.options if case.silent_options is None else case.silent_options
    options = {k: v for k, v in options.items() if k != "language"}
    assert findings(case.rule, case.silent, **options) == []
