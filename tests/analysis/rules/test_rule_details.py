"""Finer cases for the rules with the most logic: randomness, leaks, names, order."""

from __future__ import annotations

import pytest
from rule_helpers import Cells, findings, ran


@pytest.mark.parametrize(
    ("cells", "fires"),
    [
        (["import random\nrandom.random()"], True),
        (["import random\nrandom.seed(1)\nrandom.random()"], False),
        (["from random import choice\nchoice([1, 2])"], True),
        (["import numpy as np\nrng = np.random.default_rng()"], True),
        (["import numpy as np\nrng = np.random.default_rng(7)\nrng.normal()"], False),
        (["import torch\ntorch.randn(3)"], True),
        (["import torch\ntorch.manual_seed(0)\ntorch.randn(3)"], False),
        (["import tensorflow as tf\ntf.random.normal([2])"], True),
        (["from sklearn.model_selection import train_test_split\ntrain_test_split([1, 2])"], True),
        (
            [
                "from sklearn.model_selection import train_test_split\n"
                "train_test_split([1, 2], random_state=42)"
            ],
            False,
        ),
        (
            [
                "import numpy as np\nnp.random.seed(1)",
                "from sklearn.ensemble import RandomForestClassifier\nm = RandomForestClassifier()",
            ],
            False,  # sklearn falls back on numpy's seeded global state
        ),
        (["from sklearn.model_selection import KFold\nKFold(5)"], False),  # no shuffle
        (["from sklearn.model_selection import KFold\nKFold(5, shuffle=True)"], True),
        (
            [
                "import numpy as np\nnp.random.rand(2)",
                "import keras\nkeras.utils.set_random_seed(1)",
            ],
            False,
        ),
        (["import numpy as np\nx = np.random.seed"], False),
        (["random = 3\nrandom.random()"], True),  # conservative: a name called random
    ],
)
def test_unseeded_random(cells: Cells, fires: bool) -> None:
    assert bool(findings("unseeded-random", cells)) is fires


def test_unseeded_random_reports_once_per_cell() -> None:
    cells: Cells = ["import numpy as np\na = np.random.rand(2)\nb = np.random.randn(2)"]
    assert [f["line"] for f in findings("unseeded-random", cells)] == [2]


SETUP = "X_train, X_test, X_val, y_train, y_test, y_val = data()\nmodel = M()\nscaler = S()"


@pytest.mark.parametrize(
    ("code", "fires"),
    [
        ("model.fit(X_test, y_test)", True),
        ("scaler.fit_transform(X_val)", True),
        ("Z = scaler.transform(X_test)\nmodel.fit(Z, y_train)", True),
        (
            "Z = scaler.transform(X_test)\nZ = scaler.transform(X_train)\nmodel.fit(Z, y_train)",
            False,
        ),
        ("a, b = X_test, X_train\nmodel.fit(b, y_train)", False),
        ("model.fit(X_train, y_train, validation_data=(X_val, y_val))", False),
        ("model.fit(X_train, y_train, eval_set=[(X_test, y_test)])", False),
        ("n = len(X_test)\nmodel.fit(X_train, y_train, epochs=n)", False),
        ("X_train_val = concat(X_train, X_val)\nmodel.fit(X_train_val, y_train)", False),
        ("all_X = concat(X_train, X_test)\nscaler.fit(all_X)", True),
        ("def f():\n    model.fit(X_test, y_test)", False),
        ("for i in range(2):\n    model.partial_fit(X_test, y_test)", True),
    ],
)
def test_test_data_leak(code: str, fires: bool) -> None:
    assert bool(findings("possible-test-data-leak", [SETUP, code])) is fires


def test_undefined_name_is_quiet_below_a_star_import_or_run_magic() -> None:
    assert findings("undefined-name", ["print(sqrt(2))"])
    assert not findings("undefined-name", ["from math import *", "print(sqrt(2))"])
    assert not findings("undefined-name", ["%run helpers.py", "print(helper())"])


def test_use_before_definition_names_the_later_cell_with_its_count() -> None:
    [f] = findings("use-before-definition", [ran("print(a)", 2), ran("a = 1", 1)])
    assert "in cell 2 (run 1st)" in f["message"]  # 1-based, with its count


def test_out_of_order_with_equal_counts_says_sessions() -> None:
    [f] = findings("out-of-order-execution", [ran("a = 1", 3), ran("b = 1", 3)])
    assert "different kernel sessions" in f["message"]


def test_out_of_order_counts_other_places() -> None:
    cells: Cells = [ran("a = 1", 5), ran("b = 1", 1), ran("c = 1", 4), ran("d = 1", 2)]
    [f] = findings("out-of-order-execution", cells)
    assert f["cell"] == 1
    assert "and 1 other place" in f["message"]


def test_gap_at_start() -> None:
    [f] = findings("execution-count-gap", [ran("a = 1", 4), ran("b = 1", 5)])
    assert "start at [4]" in f["message"]


def test_cross_cell_mutation_skips_refitting_a_model() -> None:
    assert not findings("cross-cell-mutation", ["m = M()", "m.fit(X, y)"])
    assert not findings("cross-cell-mutation", ["m = M()", "m.partial_fit(X, y)\nm.predict(X)"])


DF = "import pandas as pd\ndf = pd.DataFrame()"


def test_cross_cell_mutation_item_assignment_warns_only_when_it_reads_the_object() -> None:
    # A fresh column from other data is the normal flow; changing it from itself is not
    # idempotent (running the cell twice doubles the column).
    assert not findings("cross-cell-mutation", [DF, 'df["c"] = 1'])
    assert not findings("cross-cell-mutation", [DF, 'df["c"] = other["a"] * 2'])
    [f] = findings("cross-cell-mutation", [DF, 'df["c"] = df["c"] * 2'])
    assert f["cell"] == 1
    assert findings("cross-cell-mutation", [DF, 'df["c"] += 1'])
    assert findings("cross-cell-mutation", [DF, "df.dropna(inplace=True)"])


def test_redefined_reports_a_value_replaced_before_it_was_read() -> None:
    [f] = findings("redefined-across-cells", ["x = 1", "y = 2", "x = 3", "print(x)"])
    assert (f["cell"], f["line"]) == (2, 1)
    assert "bound here and in cell 1" in f["message"]


def test_redefined_is_silent_for_a_reload_after_use() -> None:
    cells: Cells = [
        "import pandas as pd\ndf = pd.read_csv('a.csv')",
        "df.head()",
        "df = pd.read_csv('b.csv')",
        "df.describe()",
    ]
    assert not findings("redefined-across-cells", cells)


def test_redefined_is_one_finding_per_name_listing_the_other_cells() -> None:
    [f] = findings("redefined-across-cells", ["x = 1", "x = 2", "x = 3"])
    assert f["cell"] == 1
    assert "bound here and in cells 1, 3" in f["message"]


def test_import_in_setup_cells_at_the_top_is_fine() -> None:
    cells: Cells = [
        "%matplotlib inline\nimport os",
        "try:\n    import ujson\nexcept ImportError:\n    ujson = None",
        "x = 1",
    ]
    assert not findings("import-not-at-top", cells)


def test_import_inside_if_further_down_fires() -> None:
    cells: Cells = ["import os", "x = 1", "if x:\n    import json"]
    [f] = findings("import-not-at-top", cells)
    assert (f["cell"], f["line"]) == (2, 2)


@pytest.mark.parametrize(
    "path",
    ["C:\\Users\\ana\\data.csv", "~/data/train.csv", "/Users/ana/x.parquet", "/srv/data/a.txt"],
)
def test_absolute_path_forms(path: str) -> None:
    assert findings("absolute-path", [f"p = {path!r}"])


@pytest.mark.parametrize(
    "path", ["/tmp/scratch.txt", "/", "/api/v1/items", "s3://bucket/key", "%Y/%m/%d"]
)
def test_not_absolute_paths(path: str) -> None:
    assert not findings("absolute-path", [f"p = {path!r}"])


@pytest.mark.parametrize(
    "cmd", ["%pip install x", "!conda install -y x", "!python -m pip install x"]
)
def test_installers(cmd: str) -> None:
    assert findings("pip-install-in-notebook", [cmd])


def test_title_forms() -> None:
    assert not findings("missing-title", [{"cell_type": "markdown", "source": "Title\n====="}])
    assert not findings("missing-title", [{"cell_type": "markdown", "source": "<h1>Title</h1>"}])
    assert not findings("missing-title", [{"cell_type": "markdown", "source": "## Section"}])
    assert findings("missing-title", [{"cell_type": "markdown", "source": "### Section"}])
    assert findings("missing-title", ["x = 1", {"cell_type": "markdown", "source": "# Late"}])


def test_non_python_notebook_runs_structure_rules_only() -> None:
    cells: Cells = [ran("x <- 1", 2), ran("y <- undefined", 1), ""]
    rules = {f["rule"] for f in findings("out-of-order-execution", cells, language="R")}
    assert rules == {"out-of-order-execution"}
    assert not findings("undefined-name", cells, language="R")


def test_patching_a_class_from_another_cell_is_not_a_data_mutation() -> None:
    cells: Cells = ["class Const:\n    pass", "Const.gradient = lambda self: 0"]
    assert not findings("cross-cell-mutation", cells)


def test_loop_targets_and_plot_handles_are_not_redefinitions() -> None:
    cells: Cells = ["for i in range(2):\n    pass", "for i in range(3):\n    pass"]
    assert not findings("redefined-across-cells", cells)
    assert not findings("redefined-across-cells", ["fig, ax = f()", "fig, ax = f()"])
