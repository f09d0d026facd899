"""A stale cell's message names the cells to re-run with spans (`cells 1-5`), so a long
stale chain gives short messages; `fix_by` itself stays the complete list."""

from __future__ import annotations

from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.model import cell_runs_label

LABELS = [
    ([0], "cell 1"),
    ([0, 1], "cells 1, 2"),
    ([0, 1, 2], "cells 1-3"),
    ([1, 2, 3, 4, 6, 8, 9], "cells 2-5, 7, 9, 10"),
    ([0, 2, 4], "cells 1, 3, 5"),
    ([3, 4, 5, 9, 10, 11, 12], "cells 4-6, 10-13"),
]


@pytest.mark.parametrize(("indices", "label"), LABELS)
def test_cell_runs_label(indices: list[int], label: str) -> None:
    assert cell_runs_label(indices) == label


def _chain(n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """`n` cells each reading the one above, all run in order, the first edited since."""
    sources = ["x0 = 1"] + [f"x{i} = x{i - 1} + 1" for i in range(1, n)]
    cells: list[dict[str, Any] | str] = [
        {"source": s, "execution_count": i + 1} for i, s in enumerate(sources)
    ]
    cells[0] = {"source": "x0 = 2", "execution_count": 1}
    runs = [
        {"cell_id": f"c{i}", "source": s, "execution_count": i + 1} for i, s in enumerate(sources)
    ]
    return make_notebook(*cells), {"executions": runs}


@pytest.mark.parametrize(("n", "last"), [(5, "Re-run cells 1-5 in that order."), (300, "1-300")])
def test_a_stale_chain_gives_short_messages(n: int, last: str) -> None:
    report = analyze(*_chain(n), slices=False)
    cells = report["cells"]
    assert cells[-1]["fix_by"] == list(range(n))  # complete, in order
    stale = [f for f in report["findings"] if f["rule"] == "stale-cell"]
    assert len(stale) == n - 1
    assert last in stale[-1]["message"]
    assert max(len(f["message"]) for f in stale) < 200
