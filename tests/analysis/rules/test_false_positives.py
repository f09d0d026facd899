"""Findings real notebooks (jupytext, emcee, lmfit sdists) got wrong: each shape that must
stay silent beside the nearest shape that must still fire."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from nbfactory import make_notebook
from rule_helpers import Cells, error_output, findings, md, ran

from jupyterlab_nbhygiene.analysis import analyze


def raw(text: str) -> dict[str, Any]:
    return {"cell_type": "raw", "source": text}


@dataclass(frozen=True)
class Case:
    name: str
    rule: str
    cells: Cells
    fires: bool
    options: dict[str, Any] = field(default_factory=dict)


FRONT_MATTER = "---\njupyter:\n  jupytext:\n    text_representation: {}\ntitle: Fitting a line\n---"
SETTINGS = (
    "import warnings\nwarnings.filterwarnings('ignore')\nDPI = 100\n"
    "plt.rcParams['figure.dpi'] = DPI_VALUE = 100\npd.set_option('display.max_rows', 10)"
)
CASES = [
    # missing-title
    Case("title-h2", "missing-title", [md("## Fitting a line\n\nText"), "x = 1"], False),
    Case("title-h3-is-not-a-title", "missing-title", [md("### Step 1"), "x = 1"], True),
    Case("title-h2-after-code", "missing-title", ["x = 1", md("## Late")], True),
    Case("title-front-matter-raw", "missing-title", [raw(FRONT_MATTER), "x = 1"], False),
    Case(
        "title-front-matter-markdown",
        "missing-title",
        [md('---\ntitle: "Sampling"\nauthor: A\n---\n\nIntro'), "x = 1"],
        False,
    ),
    Case(
        "front-matter-without-title",
        "missing-title",
        [raw("---\njupyter:\n  kernelspec: {}\n---"), "x = 1"],
        True,
    ),
    Case("front-matter-never-closed", "missing-title", [raw("---\ntitle: x\n"), "x = 1"], True),
    Case(
        "title-key-after-front-matter",
        "missing-title",
        [md("---\nauthor: A\n---\ntitle: x"), "x = 1"],
        True,
    ),
    # import-not-at-top
    Case(
        "matplotlib-magic-then-imports",
        "import-not-at-top",
        ["%matplotlib inline", "import numpy as np\nx = np.arange(3)", "y = x + 1"],
        False,
    ),
    Case(
        "config-magics-then-imports",
        "import-not-at-top",
        [
            '%matplotlib inline\n%config InlineBackend.figure_format = "retina"',
            "from matplotlib import rcParams\nrcParams['savefig.dpi'] = 100",
            "import numpy as np\nimport emcee\nnp.random.seed(42)\nx = np.ones(3)",
            "y = x + 1",
        ],
        False,
    ),
    Case(
        "settings-cell-then-imports",
        "import-not-at-top",
        [SETTINGS, "import lmfit\nmodel = lmfit.Model(f)", "r = model.fit(y)"],
        False,
    ),
    Case(
        "config-then-code-then-import",
        "import-not-at-top",
        ["%matplotlib inline", "import numpy as np\nx = np.arange(3)", "y = x", "import scipy"],
        True,
    ),
    Case(
        "first-cell-computes",
        "import-not-at-top",
        ["DPI = compute()", "import numpy as np\nx = np.arange(3)"],
        True,
    ),
    Case(
        "import-only-first-cell-is-not-config",
        "import-not-at-top",
        ["import os", "import sys\nx = 1"],
        True,
    ),
    # low-markdown-ratio
    Case("one-code-cell", "low-markdown-ratio", ["x = 1"], False),
    Case("two-code-cells", "low-markdown-ratio", ["x = 1", "y = 2"], False),
    Case("three-code-cells", "low-markdown-ratio", ["x = 1", "y = 2", "z = 3"], True),
    # nbval's raises-exception quiets the errors it expects
    Case(
        "undefined-name-raises-tag",
        "undefined-name",
        [ran("print(ghost)", 1, error_output("NameError"), tags=["raises-exception"])],
        False,
    ),
    Case(
        "undefined-name-raises-comment",
        "undefined-name",
        ["# NBVAL_RAISES_EXCEPTION\nprint(ghost)"],
        False,
    ),
    Case("undefined-name-other-tag", "undefined-name", [ran("print(ghost)", 1, tags=["x"])], True),
    Case(
        "undefined-name-comment-mid-line",
        "undefined-name",
        ["print(ghost)  # not NBVAL_RAISES_EXCEPTION"],
        True,
    ),
    Case(
        "error-output-raises-comment",
        "error-output",
        [ran("# NBVAL_RAISES_EXCEPTION\n1/0", 1, error_output("ZeroDivisionError"))],
        False,
    ),
    Case(
        "error-output-without-marker",
        "error-output",
        [ran("1/0", 1, error_output("ZeroDivisionError"))],
        True,
    ),
    # empty-cell: Jupyter keeps one blank code cell at the end for the next input
    Case("trailing-empty-code-cell", "empty-cell", ["x = 1", ""], False),
    Case("trailing-blank-code-cell", "empty-cell", ["x = 1", "  \n"], False),
    Case(
        "trailing-empty-cell-with-outputs",
        "empty-cell",
        ["x = 1", ran("", 2, error_output())],
        True,
    ),
    Case("trailing-empty-markdown", "empty-cell", ["x = 1", md("")], True),
    Case("two-trailing-empty-code-cells", "empty-cell", ["x = 1", "", ""], True),
    Case("empty-code-cell-mid-notebook", "empty-cell", ["", "x = 1"], True),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_false_positive_shapes(case: Case) -> None:
    found = findings(case.rule, case.cells, **case.options)
    assert bool(found) == case.fires, found


def test_case_names_are_unique() -> None:
    assert len({c.name for c in CASES}) == len(CASES)


def test_two_trailing_empty_cells_report_only_the_first() -> None:
    found = findings("empty-cell", ["x = 1", "", ""])
    assert [f["cell"] for f in found] == [1]


@pytest.mark.parametrize(
    ("metadata", "shown"),
    [
        ({"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}}, "R"),
        ({"kernelspec": {"name": "ir", "display_name": "R 4.3", "language": "r"}}, "R"),
        ({"kernelspec": {"name": "julia-1.9", "display_name": "Julia 1.9.3"}}, "Julia"),
        ({"language_info": {"name": "bash"}}, "Bash"),
        ({"language_info": {"name": "C++17"}}, "C++17"),
        ({"kernelspec": {"name": "coconut", "display_name": "Coconut"}}, "Coconut"),
        (
            {"kernelspec": {"name": "x", "display_name": "My Kernel", "language": "yolang"}},
            "Yolang",
        ),
    ],
)
def test_other_languages_are_named_as_people_write_them(
    metadata: dict[str, Any], shown: str
) -> None:
    nb = make_notebook("x <- 1")
    nb["metadata"] = metadata
    [finding] = [f for f in analyze(nb)["findings"] if f["rule"] == "unsupported-language"]
    assert finding["message"].startswith(f"This notebook is written in {shown}: ")
