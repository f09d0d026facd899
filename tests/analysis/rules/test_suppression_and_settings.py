"""Suppression by cell tag and line comment; settings select / ignore / severity."""

from __future__ import annotations

import pytest
from rule_helpers import Cells, findings, report, tagged

SOURCE = "import os\nx = 1"
LATE_IMPORT: Cells = ["import sys", "y = 2", SOURCE + '\nopen("/home/me/a.csv")']


def rules_in(cells: Cells, **kwargs: object) -> set[str]:
    return {f["rule"] for f in report(cells, **kwargs)["findings"]}  # type: ignore[arg-type]


def test_unsuppressed_baseline() -> None:
    assert {"import-not-at-top", "absolute-path"} <= rules_in(LATE_IMPORT)


@pytest.mark.parametrize(
    ("tags", "silenced", "kept"),
    [
        (["nbhygiene-ignore"], {"import-not-at-top", "absolute-path"}, set()),
        (["nbhygiene-ignore:absolute-path"], {"absolute-path"}, {"import-not-at-top"}),
        (["other-tag"], set(), {"import-not-at-top", "absolute-path"}),
    ],
)
def test_cell_tags(tags: list[str], silenced: set[str], kept: set[str]) -> None:
    cells: Cells = [*LATE_IMPORT[:2], tagged(str(LATE_IMPORT[2]), *tags)]
    found = rules_in(cells)
    assert not silenced & found
    assert kept <= found


@pytest.mark.parametrize(
    ("comment", "silenced"),
    [
        ("# nbhygiene: ignore[absolute-path]", True),
        ("# nbhygiene: ignore[long-cell, absolute-path]", True),
        ("# nbhygiene: ignore", True),
        ("#nbhygiene:ignore[absolute-path]", True),
        ("# nbhygiene: ignore[long-cell]", False),
        ("# noqa", False),
    ],
)
def test_line_comments(comment: str, silenced: bool) -> None:
    cells: Cells = [f'path = "/home/me/a.csv"  {comment}\nother = "/home/me/b.csv"']
    lines = [f["line"] for f in findings("absolute-path", cells)]
    assert lines == ([2] if silenced else [1, 2])


def test_comment_on_first_line_silences_a_cell_level_finding() -> None:
    long_cell = "\n".join(f"x{i} = {i}" for i in range(40))
    assert findings("long-cell", [long_cell])
    assert not findings("long-cell", ["# nbhygiene: ignore[long-cell]\n" + long_cell])


def test_select_and_ignore() -> None:
    cells: Cells = ["print(a)", "a = 1", "import os"]
    assert rules_in(cells, settings={"select": ["use-before-definition"]}) == {
        "use-before-definition"
    }
    assert "use-before-definition" not in rules_in(
        cells, settings={"ignore": ["use-before-definition"]}
    )


def test_severity_override_changes_severity_not_category() -> None:
    found = findings("empty-cell", ["", "x = 1"], settings={"severity": {"empty-cell": "error"}})
    assert [(f["severity"], f["category"]) for f in found] == [("error", "structure")]


def test_findings_are_sorted_by_cell_then_line() -> None:
    cells: Cells = [
        'b = "/home/x/y.csv"\nprint(undefined_one)',
        "",
        "import os\nimport os",
        "print(z)",
        "z = 1",
    ]
    found = report(cells)["findings"]
    keys = [(-1 if f["cell"] is None else f["cell"], f["line"] or 0) for f in found]
    assert keys == sorted(keys)
    assert found[0]["cell"] is None  # notebook-level findings come first
