"""Per-cell rule results cached per tree, and the batches that reuse them by position.

Rules reduce each cell to a result cached on its tree (`base.per_cell`, `nodes.per_trees`)
and attach the cell index only when reporting. These cases pin that a re-analysis with
warm caches gives the findings a fresh analysis gives after the edits a user makes: a
cell inserted or deleted above, a cell edited, cells swapped, a setting changed, and an
import elsewhere that changes what an unchanged cell means.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest
from rule_helpers import Cells, md, report

from jupyterlab_nbhygiene.analysis.caches import clear_caches
from jupyterlab_nbhygiene.analysis.nodes import clear_per_tree, per_trees

LONG = "\n".join(f"v{i} = {i}" for i in range(12))
# One cell or more for each rule whose per-cell results are cached.
NOTEBOOK: Cells = [
    md("# Title"),
    "import numpy as np\nimport os\ncount = 0",
    "df = load('/home/me/data.csv')\n!pip install pandas\nprint(undefined_one)",
    "import os\nfrom json import loads\nx = np.random.rand(3)\nfor i in range(3):\n    pass",
    "df.dropna(inplace=True)\ncount = count + 1\neval('1 + 1')",
    "result = 1\nresult2 = 2",
    "result = 3\nresult2 = result + 1\nprint(result2)",
    LONG,
    "if True:\n    broken = (1,",
    "!pip install tqdm\nnot python (",
    "from os.path import *\nexec('z = 1')",
    "print(undefined_two)",
]
RULES = {
    "absolute-path",
    "pip-install-in-notebook",
    "undefined-name",
    "import-not-at-top",
    "duplicate-import",
    "unseeded-random",
    "cross-cell-mutation",
    "non-idempotent-cell",
    "dynamic-namespace",
    "redefined-across-cells",
    "long-cell",
    "syntax-error",
    "star-import",
}
SETTINGS = {"long-cell-lines": 10}


def _findings(cells: Cells, settings: dict[str, Any] | None = None) -> list[Any]:
    return report(cells, settings=settings or SETTINGS)["findings"]


def _cold(cells: Cells, settings: dict[str, Any] | None = None) -> list[Any]:
    clear_caches()
    return _findings(cells, settings)


def test_the_notebook_covers_every_cached_rule() -> None:
    assert {f["rule"] for f in _cold(NOTEBOOK)} >= RULES


def _inserted(cells: Cells) -> Cells:
    return [cells[0], "helper = 1", *cells[1:]]


def _deleted(cells: Cells) -> Cells:
    return [cells[0], *cells[2:]]


def _edited(cells: Cells) -> Cells:
    return [*cells[:5], "result = 1\nresult2 = 2\nextra = 3", *cells[6:]]


def _swapped(cells: Cells) -> Cells:
    return [*cells[:5], cells[6], cells[5], *cells[7:]]


@pytest.mark.parametrize("edit", [_inserted, _deleted, _edited, _swapped])
def test_warm_findings_after_an_edit_are_the_cold_ones(edit: Any) -> None:
    changed = edit(NOTEBOOK)
    expected = _cold(changed)
    _cold(NOTEBOOK)  # caches warm with the notebook before the edit
    assert _findings(changed) == expected
    assert _findings(NOTEBOOK) == _cold(NOTEBOOK)  # and back


def test_a_cell_inserted_above_moves_its_findings_along() -> None:
    before = [(f["rule"], f["cell"], f["line"]) for f in _cold(NOTEBOOK) if f["rule"] in RULES]
    after = [(f["rule"], f["cell"], f["line"]) for f in _findings([md("intro"), *NOTEBOOK])]
    moved = [(rule, None if cell is None else cell + 1, line) for rule, cell, line in before]
    assert [f for f in after if f[0] in RULES] == moved


def test_long_cell_follows_the_setting_on_warm_caches() -> None:
    _cold(NOTEBOOK)
    assert [f["cell"] for f in _findings(NOTEBOOK) if f["rule"] == "long-cell"] == [7]
    relaxed = _findings(NOTEBOOK, {"long-cell-lines": 30})
    assert [f for f in relaxed if f["rule"] == "long-cell"] == []
    assert _findings(NOTEBOOK, {"long-cell-lines": 30}) == _cold(NOTEBOOK, {"long-cell-lines": 30})


def test_unseeded_random_follows_a_seed_added_in_another_cell() -> None:
    seeded = [*NOTEBOOK, "np.random.seed(0)"]
    _cold(NOTEBOOK)
    assert any(f["rule"] == "unseeded-random" for f in _findings(NOTEBOOK))
    assert not any(f["rule"] == "unseeded-random" for f in _findings(seeded))
    assert _findings(NOTEBOOK) == _cold(NOTEBOOK)


def test_cells_without_a_tree_are_read_in_notebook_order() -> None:
    # `%run` in a cell that does not parse still hides later undefined names, and an
    # install in it is reported between the cells around it.
    cells: Cells = [
        "!pip install a",
        "%run setup.py\n!pip install b\nbroken (",
        "!pip install c\nprint(nope)",
    ]
    got = [(f["rule"], f["cell"]) for f in _cold(cells) if f["rule"] != "syntax-error"]
    assert ("undefined-name", 2) not in got
    installs = [cell for rule, cell in got if rule == "pip-install-in-notebook"]
    assert installs == [0, 1, 2]
    assert [(f["rule"], f["cell"]) for f in _findings(cells) if f["rule"] != "syntax-error"] == got


def _trees(n: int) -> list[ast.Module]:
    return [ast.Module(body=[], type_ignores=[]) for _ in range(n)]


def test_per_trees_reuses_results_by_tree_whatever_moved() -> None:
    clear_per_tree()
    pool = _trees(6)
    name = {id(tree): k for k, tree in enumerate(pool)}
    computed: list[int] = []

    def batch(trees: list[ast.Module], under: object = None) -> tuple[object, ...]:
        frozen = tuple(trees)

        def compute(at: int) -> object:
            computed.append(name[id(frozen[at])])
            return (name[id(frozen[at])], under)

        return per_trees("test-key", frozen, compute, under=under)

    a, b, c, d, e, f = pool
    assert batch([a, b, c, d]) == ((0, None), (1, None), (2, None), (3, None))
    assert computed == [0, 1, 2, 3]
    computed.clear()
    for trees in ([a, e, c, d], [e, a, c, d], [a, c, d], [a, b, b, c, d, f], [d, c, b, a]):
        assert batch(trees) == tuple((name[id(t)], None) for t in trees)
    assert computed == [4, 5]  # only the trees never seen before
    computed.clear()
    assert batch([a, b], under="imports") == ((0, "imports"), (1, "imports"))
    assert computed == [0, 1]  # another `under`: computed again
    clear_per_tree()
    computed.clear()
    assert batch([a, b], under="imports") == ((0, "imports"), (1, "imports"))
    assert computed == [0, 1]


@pytest.mark.parametrize(
    ("cells", "language", "expected"),
    [
        ([LONG + "\nbroken (", "x = 1", LONG], "python", [0, 2]),  # with and without a tree
        (["print(1)", LONG.replace("=", "<-")], "R", [1]),  # no parse at all
    ],
)
def test_long_cell_counts_cells_with_and_without_a_tree(
    cells: Cells, language: str, expected: list[int]
) -> None:
    got = report(cells, language=language, settings=SETTINGS)["findings"]
    assert [f["cell"] for f in got if f["rule"] == "long-cell"] == expected
