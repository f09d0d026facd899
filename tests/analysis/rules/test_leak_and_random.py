"""The taint order of `possible-test-data-leak`, and `unseeded-random` under other imports.

The leak rule reduces each cell's tree to plain events; these cases pin the order the
taint pass replays them in.
"""

from __future__ import annotations

import pytest
from rule_helpers import Cells, findings

LEAK = "possible-test-data-leak"


def _leaks(cells: Cells) -> list[tuple[int, int, str]]:
    return [(f["cell"], f["line"], f["message"].split(":")[0]) for f in findings(LEAK, cells)]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # The call runs before its statement binds: `Z` is still tainted on both lines.
        (
            ["X_test = load()", "Z = X_test\nZ = model.fit(Z)\nmodel.fit(Z)"],
            [
                (1, 2, "`Z` (from `X_test`, cell 2) flows into `.fit(...)`"),
                (1, 3, "`Z` (from `X_test`, cell 2) flows into `.fit(...)`"),
            ],
        ),
        # An augmented assignment taints but never clears; a plain one clears.
        (["Z = X_test", "Z += 1", "model.fit(Z)"], [(2, 1, "`Z` (from `X_test`, cell 1)")]),
        (["Z = X_test", "Z = 1", "model.fit(Z)"], []),
        # Pairs are bound one after the other: `b` reads the `a` just tainted.
        (["a, b = X_test, a\nmodel.fit(b)"], [(0, 2, "`b` (from `X_test`, cell 1)")]),
        (["a, b = X_test, X_train\na, b = b, a\nmodel.fit(a, b)"], []),
        # Only the first tainted argument is reported.
        (["model.fit(X_test, y_test)"], [(0, 1, "`X_test` flows into `.fit(...)`")]),
        (["Z = X_test", "W = Z", "model.fit(q, W, Z)"], [(2, 1, "`W` (from `X_test`, cell 1)")]),
        # Attributes and subscripts bind nothing; starred targets do.
        (["obj.x = X_test\nmodel.fit(obj.x)"], []),
        (["*a, b = X_test\nmodel.fit(a)"], [(0, 2, "`a` (from `X_test`, cell 1)")]),
        # Nested blocks come after their statement, before the next one.
        (["for i in r:\n    model.fit(Z)\nZ = X_test"], []),
        (["if c:\n    Z = X_test\nmodel.fit(Z)"], [(0, 3, "`Z` (from `X_test`, cell 1)")]),
        # Names that look like training data are never tainted.
        (["Z = X_test", "X_train = Z", "X_train += Z", "model.fit(X_train)"], []),
    ],
)
def test_leak_taint_order(cells: Cells, expected: list[tuple[int, int, str]]) -> None:
    got = _leaks(cells)
    assert len(got) == len(expected)
    for (cell, line, message), (e_cell, e_line, e_fragment) in zip(got, expected, strict=True):
        assert (cell, line) == (e_cell, e_line)
        assert message.startswith(e_fragment)


@pytest.mark.parametrize(
    ("imports", "family"),
    [
        ("from numpy.random import rand as f", "numpy"),
        ("from torch import rand as f", "torch"),
        ("import os as f", None),
    ],
)
def test_unseeded_random_reads_a_cached_cell_under_each_notebooks_imports(
    imports: str, family: str | None
) -> None:
    # The same source gives the same (cached) tree in every notebook: what `f()` draws
    # must still follow this notebook's imports.
    got = findings("unseeded-random", [imports, "f()"])
    if family is None:
        assert got == []
    else:
        [f] = got
        assert (f["cell"], f["line"]) == (1, 1)
        assert f"no seed is set for {family}" in f["message"]
