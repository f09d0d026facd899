"""Random generators as state: every draw changes the generator, so later draws depend on
it; and the analyzer bugs of issue 13 seen across cells (`except … as e`, `global` writes)."""

from __future__ import annotations

from typing import Any

from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze


def report(*cells: dict[str, Any] | str) -> dict[str, Any]:
    return analyze(make_notebook(*cells))


def ran(source: str, count: int) -> dict[str, Any]:
    return {"source": source, "execution_count": count}


def rules(result: dict[str, Any], rule: str) -> list[tuple[int | None, str]]:
    return [(f["cell"], f["message"]) for f in result["findings"] if f["rule"] == rule]


def test_a_draw_after_44_drawing_cells_needs_all_of_them() -> None:
    cells = [
        "import numpy as np\nrng = np.random.default_rng(0)",
        *(f"a{i} = rng.normal()" for i in range(44)),
        "print(rng.integers(10))",
    ]
    result = report(*cells)
    last = result["cells"][-1]
    assert last["mutates"] == ["rng"]
    assert last["depends_on"] == [{"cell": 44, "names": ["rng"]}]
    assert last["upstream"] == list(range(46))
    assert rules(result, "cross-cell-mutation") == []


def test_module_generator_draws_chain_through_a_pseudo_name() -> None:
    result = report(
        "import numpy as np",
        "np.random.seed(1)",
        "a = np.random.rand(2)",
        "z = np.zeros(2)",
        "b = np.random.randn(2)",
    )
    cells = result["cells"]
    assert cells[0]["defines"] == ["np", "np.random"]
    assert cells[1]["mutates"] == ["np.random"]
    assert cells[4]["depends_on"] == [
        {"cell": 0, "names": ["np"]},
        {"cell": 2, "names": ["np.random"]},
    ]
    assert cells[4]["upstream"] == [0, 1, 2, 4]
    assert cells[3]["upstream"] == [0, 3]  # using numpy is not drawing from it
    assert rules(result, "cross-cell-mutation") == []
    assert rules(result, "redefined-across-cells") == []


def test_stdlib_random_module_is_the_generator() -> None:
    result = report("import random", "random.seed(2)", "x = random.random()")
    assert result["cells"][2]["depends_on"] == [{"cell": 1, "names": ["random"]}]
    assert result["cells"][2]["upstream"] == [0, 1, 2]
    assert rules(result, "cross-cell-mutation") == []


def test_shuffling_data_from_another_cell_is_still_a_mutation() -> None:
    result = report(
        "import numpy as np\nrng = np.random.default_rng(0)", "deck = [1, 2]", "rng.shuffle(deck)"
    )
    found = rules(result, "cross-cell-mutation")
    assert [(cell, "`deck`" in message) for cell, message in found] == [(2, True)]


def test_a_redraw_above_makes_later_draws_stale_but_not_other_numpy_use() -> None:
    result = report(
        ran("import numpy as np", 1),
        ran("a = np.random.rand(2)", 5),  # re-run after the cells below
        ran("z = np.zeros(2)", 3),
        ran("b = np.random.rand(2)", 4),
    )
    states = [c["state"] for c in result["cells"]]
    assert states[2] == "fresh"
    assert states[3] == "stale"
    assert result["cells"][3]["stale_because"] == [{"name": "np.random", "cell": 1}]


def test_generator_names_are_never_reported_missing() -> None:
    # `np` bound without an import: its generator has no defining cell.
    result = report("import numpy\nnp = numpy", "x = np.random.rand(2)")
    assert rules(result, "undefined-name") == []
    late = report("x = np.random.rand(2)", "import numpy as np")
    assert [m for _, m in rules(late, "use-before-definition")] == [
        "`np` is used here but only defined later, in cell 2: Restart & Run All fails with "
        "NameError. Move that definition above this cell (or this cell below it)."
    ]


def test_exception_name_rebound_in_its_handler_is_gone_after_it() -> None:
    result = report(
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    e = str(e)",
        "print(e)",
    )
    assert result["cells"][0]["defines"] == []
    assert [cell for cell, _ in rules(result, "undefined-name")] == [1]


def test_function_updating_a_global_depends_on_the_cell_that_made_it() -> None:
    result = report("count = 0", "def bump():\n    global count\n    count += 1", "bump()")
    assert result["cells"][1]["uses"] == ["count"]
    assert result["cells"][1]["depends_on"] == [{"cell": 0, "names": ["count"]}]
    gone = report("x = 1", "def drop():\n    global x\n    del x")
    assert gone["cells"][1]["deletes"] == ["x"]
    assert gone["cells"][1]["depends_on"] == [{"cell": 0, "names": ["x"]}]
