"""Per-cell verdicts, the result shape, and execution-order naming (no kernel)."""

from __future__ import annotations

from typing import Any

import pytest
from repro.support import display, error, png_b64, result, stream

from jupyterlab_nbhygiene.repro.order import bound_names, order_issues, out_of_order, saved_order
from jupyterlab_nbhygiene.repro.runner import CellRun
from jupyterlab_nbhygiene.repro.verdicts import (
    build_result,
    judge_cell,
    mark_nondeterministic,
)


def cell(
    source: str = "x", count: int | None = 1, outputs: list[Any] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "id": "c",
        "source": source,
        "execution_count": count,
        "outputs": outputs or [],
        "metadata": extra.pop("metadata", {}),
        **extra,
    }


def ok(outputs: list[Any], index: int = 0) -> CellRun:
    return CellRun(index, "ok", outputs=outputs)


VERDICT_CASES = [
    ("same", cell(outputs=[result("1")]), ok([result("1")]), "same"),
    ("changed", cell(outputs=[result("41")]), ok([result("42")]), "changed"),
    ("soft", cell(outputs=[stream("w\n", "stderr")]), ok([]), "soft"),
    (
        "new error",
        cell(outputs=[result("1")]),
        ok([error("NameError", "name 'a' is not defined")]),
        "new-error",
    ),
    (
        "error fixed",
        cell(outputs=[error("ZeroDivisionError", "division by zero")]),
        ok([result("1")]),
        "error-fixed",
    ),
    (
        "same error",
        cell(outputs=[error("KeyError", "'a'")]),
        ok([error("KeyError", "'a'")]),
        "same",
    ),
    (
        "other error",
        cell(outputs=[error("KeyError", "'a'")]),
        ok([error("ValueError", "x")]),
        "changed",
    ),
    ("never executed", cell(count=None), ok([result("1")]), "unrun"),
    ("never executed, now fails", cell(count=None), ok([error("E", "x")]), "new-error"),
    (
        "never executed, raises expected",
        cell(count=None, metadata={"tags": ["raises-exception"]}),
        ok([error("E", "x")]),
        "unrun",
    ),
    ("ran, printed nothing", cell(count=3), ok([]), "same"),
    ("skip tag", cell(metadata={"tags": ["nbval-skip"]}), CellRun(0, "skipped"), "skipped"),
    (
        "ignore output",
        cell(source="# NBVAL_IGNORE_OUTPUT\nx", outputs=[result("1")]),
        ok([result("2")]),
        "same",
    ),
    (
        "ignore output still sees new errors",
        cell(source="# NBVAL_IGNORE_OUTPUT\nx", outputs=[result("1")]),
        ok([error("E", "x")]),
        "new-error",
    ),
    ("timeout", cell(), CellRun(0, "timeout", reason="still running"), "timeout"),
    ("died", cell(), CellRun(0, "died", reason="the kernel died"), "kernel-died"),
    (
        "not run after death",
        cell(),
        CellRun(0, "not-run", reason="not run: the kernel died in cell 3"),
        "skipped",
    ),
]


@pytest.mark.parametrize(
    ("name", "saved", "run", "verdict"), VERDICT_CASES, ids=[c[0] for c in VERDICT_CASES]
)
def test_judge_cell(name: str, saved: dict[str, Any], run: CellRun, verdict: str) -> None:
    assert judge_cell(saved, run).verdict == verdict


def test_new_error_carries_the_error_and_a_diff() -> None:
    v = judge_cell(
        cell(outputs=[result("11")]), ok([error("NameError", "name 'base' is not defined")])
    )
    entry = v.to_json()
    assert entry["error"] == {"ename": "NameError", "evalue": "name 'base' is not defined"}
    assert "+[error] NameError: name 'base' is not defined" in entry["diff"]


def test_two_runs_that_differ_make_a_cell_nondeterministic() -> None:
    saved = cell(outputs=[result("0.5")])
    first = judge_cell(saved, ok([result("0.1")]))
    mark_nondeterministic(first, judge_cell(saved, ok([result("0.2")])))
    assert first.verdict == "nondeterministic"
    assert "fresh run 1" in (first.diff or "")
    stable = judge_cell(saved, ok([result("42")]))
    mark_nondeterministic(stable, judge_cell(saved, ok([result("42")])))
    assert stable.verdict == "changed"


def test_result_shape_and_cause_is_the_first_bad_cell() -> None:
    verdicts = [
        judge_cell(cell(outputs=[result("1")]), ok([result("1")], 0)),
        judge_cell(cell(outputs=[result("1")]), ok([error("E", "x")], 1)),
        judge_cell(cell(outputs=[result("41")]), ok([result("42")], 2)),
    ]
    for i, v in enumerate(verdicts):
        v.index = i
    out = build_result(verdicts, kernel="python3", runs=1)
    assert set(out) == {
        "reproducible",
        "cause",
        "summary",
        "kernel",
        "runs",
        "counts",
        "order",
        "cells",
    }
    assert out["reproducible"] is False
    assert out["cause"] == "error"
    assert out["counts"] == {"same": 1, "changed": 1, "new-error": 1}
    assert [c["verdict"] for c in out["cells"]] == ["same", "new-error", "changed"]
    assert {"index", "id", "verdict", "execution_count"} <= set(out["cells"][0])


def test_reproducible_result() -> None:
    out = build_result(
        [judge_cell(cell(outputs=[result("1")]), ok([result("1")]))], kernel="k", runs=1
    )
    assert (out["reproducible"], out["cause"]) == (True, None)
    assert out["summary"].startswith("Reproducible")


def test_soft_and_unrun_and_skipped_do_not_break_reproducibility() -> None:
    verdicts = [
        judge_cell(cell(outputs=[stream("w\n", "stderr")]), ok([])),
        judge_cell(cell(count=None), ok([result("1")])),
        judge_cell(cell(metadata={"tags": ["nbval-skip"]}), CellRun(0, "skipped")),
    ]
    assert build_result(verdicts, kernel="k", runs=1)["reproducible"] is True


HIDDEN = [
    cell("import math", 1),
    cell("y = base + 1\ny", 3, [result("11")]),
    cell("base = 10", 2),
    cell("%matplotlib inline\nz = [i for i in range(3)]\ndef f(a):\n    q = 1\n", 4),
]


def test_saved_order_and_out_of_order() -> None:
    assert saved_order(HIDDEN, [0, 1, 2, 3]) == [0, 2, 1, 3]
    assert out_of_order(HIDDEN, [0, 1, 2, 3])
    assert not out_of_order([cell("a", 1), cell("b", None), cell("c", 2)], [0, 1, 2])


def test_bound_names() -> None:
    assert bound_names(HIDDEN[3]["source"]) == {"z", "f"}
    assert bound_names(
        "import os.path as p, sys\nfrom a import b\nfor i in x: pass\nwith o as w: pass"
    ) == {"p", "sys", "b", "i", "w"}
    assert bound_names("%%bash\nx=1") == set()
    assert bound_names("def (:") == set()


def test_order_issue_names_the_cells() -> None:
    issues = order_issues(HIDDEN, [0, 1, 2, 3], [(1, "NameError", "name 'base' is not defined")])
    assert issues == [
        {
            "cell": 1,
            "name": "base",
            "defined_in": 2,
            "counts": [3, 2],
            "message": (
                "cell 2 uses `base`, defined in cell 3, which ran before it (counts 3 and 2)"
            ),
        }
    ]


def test_order_issue_without_a_name_lists_out_of_order_pairs() -> None:
    issues = order_issues(HIDDEN, [0, 1, 2, 3], [(1, "AttributeError", "x")])
    assert [(i["cell"], i["defined_in"]) for i in issues] == [(1, 2)]
    assert issues[0]["message"] == "cell 3 (count 2) ran before cell 2 above it (count 3)"


def test_a_resized_image_is_soft_and_says_both_sizes() -> None:
    saved = cell(outputs=[display({"image/png": png_b64(231, 231)})])
    verdict = judge_cell(saved, ok([display({"image/png": png_b64(389, 389)})]))
    assert verdict.verdict == "soft"
    assert verdict.reason is not None
    assert "389×389 instead of 231×231" in verdict.reason
    [image] = verdict.images
    assert image["size"] == [389, 389]
    assert image["saved"] != image["fresh"]
