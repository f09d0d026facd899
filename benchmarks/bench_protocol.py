"""What travels over HTTP per analysis, against the full notebook measured in the same run.

    python benchmarks/bench_protocol.py

On a 400-cell chain notebook (benchmarks/notebooks.py) carrying about 20 MB of PNG figures:

- the body of the first request (the notebook with output summaries, README "REST API")
  and of the request after a one-cell edit (a delta: the edited cell and the history since;
  no order, since no cell moved), against the full notebook JSON the panel used to post on
  every edit; goal: the delta <= 50 KB whatever the notebook's size (shown for 100, 1,000
  and 2,000 cells too), and the same delta with the order of every cell id (36-character
  UUIDs, as JupyterLab makes them), which a cell added, deleted or moved used to send;
- the request after adding one cell, deleting one, and moving one (the first to the end,
  and one in the middle), at 400 and 2,000 cells: the order's changes the panel sends
  instead of the whole order when they are shorter (goal: <= 50 KB), against the same
  request with the whole order;
- the report's size per code cell as the server answers it (no slices; goal <= 1 KB) and
  with `"slices": true`, as JSON and as a browser receives it (gzip, handlers/encoding.py);
- the worst case of the report's size (`notebooks.stale_chain_notebook`): a 2,000-cell
  chain run top to bottom whose first cell was edited since, so every other cell is stale
  and its `fix_by` lists every cell above it (quadratic in the chain's length), as JSON
  and gzipped;
- the server-side time of both requests, in a real `AnalysisSession` (no HTTP, CPU time).
"""

from __future__ import annotations

import json
import time
from typing import Any

from notebooks import cell_id, chain_notebook, stale_chain_notebook, with_figures

from jupyterlab_nbhygiene.analysis.delta import changed_order, order_changes
from jupyterlab_nbhygiene.analysis.notebook import summarize_output
from jupyterlab_nbhygiene.analysis.session import AnalysisSession
from jupyterlab_nbhygiene.handlers.encoding import encode_json

KB = 1000
MB = 1000 * 1000


def size(body: Any) -> int:
    return len(json.dumps(body, separators=(",", ":")).encode())


def wire(report: Any) -> int:
    """The bytes a browser receives for `report` (it takes gzip)."""
    return len(encode_json(report, "gzip, deflate, br").body)


def summarized(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell as the frontend sends it: outputs as summaries, tags only."""
    out = {
        "id": cell["id"],
        "cell_type": cell["cell_type"],
        "source": cell["source"],
        "metadata": {"tags": cell.get("metadata", {}).get("tags", [])},
    }
    if cell["cell_type"] == "code":
        out["execution_count"] = cell["execution_count"]
        out["outputs"] = [summarize_output(o) for o in cell["outputs"]]
    return out


def bodies(nb: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first request for `nb` (a full body with summaries) and the delta after an edit
    of one cell in the middle, with the execution that ran it: as the panel sends it, only
    what changed (no cell moved, so no `order`; the path did not change either)."""
    first = {
        "client": "4b1f0c1e-6a55-4c1e-9a53-2f4d2f3f0c11",
        "path": "analysis/figures.ipynb",
        "notebook": {**nb, "cells": [summarized(c) for c in nb["cells"]]},
        "history": {"executions": []},
    }
    middle = nb["cells"][len(nb["cells"]) // 2]
    middle["source"] += "\nresults['edited'] = True"
    delta = {
        "client": first["client"],
        "base_revision": 1,
        "delta": {
            "cells": [summarized(middle)],
            "history": [
                {"cell_id": middle["id"], "source": middle["source"], "execution_count": 401}
            ],
        },
    }
    return first, delta


def _with_order(nb: dict[str, Any], delta: dict[str, Any], n: int) -> tuple[str, str, str, str]:
    """The row for the same delta with every cell id in `order`, as a cell added, deleted or
    moved used to send it (now the order's changes, `order_rows`)."""
    ordered = {**delta, "delta": {**delta["delta"], "order": [c["id"] for c in nb["cells"]]}}
    return (f"{n} cells: the same delta with the whole order",
            f"{size(ordered) / KB:.1f} KB", f"{size(ordered) / size(delta):.0f}x", "")  # fmt: skip


# The choice in `AnalysisProtocol.prepare` (src/protocol.ts), over `delta.order_changes`
# (the same algorithm as the frontend's `orderChanges`), to measure what the panel sends;
# jest tests the frontend's own code (src/__tests__/protocol.spec.ts).
def order_delta(before: list[str], after: list[str]) -> dict[str, Any]:
    """`{"order_changes": ...}` from `before` to `after`, or `{"order": after}` when the
    changes' JSON would not be shorter: what the panel sends."""
    changes = order_changes(before, after)
    assert changed_order(before, changes, set(after) - set(before)) == after
    return {"order_changes": changes} if size(changes) < size(after) else {"order": after}


def order_rows(n: int) -> list[tuple[str, str, str, str]]:
    """The request after adding, deleting and moving one cell of `n`, against the same
    request with the whole order."""
    nb = chain_notebook(n)
    before = [c["id"] for c in nb["cells"]]
    new: dict[str, Any] = {
        "id": cell_id(n, "added"),
        "cell_type": "code",
        "source": "z = 1",
        "execution_count": None,
        "outputs": [],
        "metadata": {"tags": []},
    }
    mid = before[n // 2]
    without = [c for c in before if c != mid]
    down = [*without[: n // 2 + 10], mid, *without[n // 2 + 10 :]]
    edits: list[tuple[str, list[str], list[dict[str, Any]]]] = [
        ("add one cell", [*before[: n // 2], new["id"], *before[n // 2 :]], [new]),
        ("delete one cell", without, []),
        ("move the first cell to the end", [*before[1:], before[0]], []),
        ("move a middle cell 10 down", down, []),
    ]
    rows = []
    for what, after, cells in edits:
        body: dict[str, Any] = {
            "client": "4b1f0c1e-6a55-4c1e-9a53-2f4d2f3f0c11",
            "base_revision": 1,
        }
        sent = {**body, "delta": {"cells": cells, **order_delta(before, after)}}
        whole = {**body, "delta": {"cells": cells, "order": after}}
        assert "order_changes" in sent["delta"]
        rows.append((f"{n} cells: {what}", f"{size(sent) / KB:.2f} KB",
                     f"whole order {size(whole) / KB:.1f} KB", "<= 50 KB"))  # fmt: skip
    return rows


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []
    nb = with_figures(chain_notebook(400), 20 * MB)
    full_size = size({"notebook": nb})
    first, delta = bodies(nb)
    rows.append(("400 cells: full notebook body (before)", f"{full_size / MB:.1f} MB", "1.00x", ""))
    rows.append(("400 cells: first body, summaries", f"{size(first) / KB:.0f} KB",
                 f"{size(first) / full_size * 100:.2f}% of full", ""))  # fmt: skip
    rows.append(("400 cells: delta after a one-cell edit", f"{size(delta) / KB:.1f} KB",
                 f"{size(delta) / full_size * 100:.3f}% of full", "<= 50 KB"))  # fmt: skip
    rows.append(_with_order(nb, delta, 400))
    for n in (100, 1000, 2000):
        other_nb = with_figures(chain_notebook(n), 20 * MB * n // 400)
        _, other = bodies(other_nb)
        rows.append((f"{n} cells: delta after a one-cell edit", f"{size(other) / KB:.1f} KB",
                     "", "<= 50 KB"))  # fmt: skip
        rows.append(_with_order(other_nb, other, n))

    for n in (400, 2000):
        rows.extend(order_rows(n))

    AnalysisSession().analyze_full(chain_notebook(20, salt="warm-up"))  # first-call costs
    session = AnalysisSession()
    start = time.process_time()
    report = session.analyze_full(first["notebook"], first["history"], path=first["path"])
    t_first = time.process_time() - start
    start = time.process_time()
    after = session.apply(delta["base_revision"], delta["delta"])
    t_delta = time.process_time() - start
    code = sum(1 for c in nb["cells"] if c["cell_type"] == "code")
    sliced = AnalysisSession().analyze_full(first["notebook"], first["history"], slices=True)
    rows.append(("report per code cell (no slices)", f"{size(after) / code:.0f} B",
                 f"{size(after) / KB:.0f} KB in all", "<= 1 KB"))  # fmt: skip
    rows.append(("report per code cell, slices: true", f"{size(sliced) / code:.0f} B",
                 f"{size(sliced) / KB:.0f} KB in all", ""))  # fmt: skip
    rows.append(("report per code cell, gzip on the wire", f"{wire(after) / code:.0f} B",
                 f"{wire(after) / KB:.0f} KB in all", "<= 1 KB"))  # fmt: skip
    worst_nb, worst_history = stale_chain_notebook(2000)
    worst = AnalysisSession().analyze_full(worst_nb, worst_history)
    assert sum(c["state"] == "stale" for c in worst["cells"]) == 1999
    rows.append(("worst case, 2,000 stale cells: report per cell", f"{size(worst) / 2000:.0f} B",
                 f"{size(worst) / MB:.1f} MB in all", "<= 1 KB"))  # fmt: skip
    rows.append(("worst case: gzip on the wire, per cell", f"{wire(worst) / 2000:.0f} B",
                 f"{wire(worst) / KB:.0f} KB in all", "<= 1 KB"))  # fmt: skip
    rows.append(("first request, server side", f"{t_first * 1e3:.0f} ms", "1.00x", ""))
    rows.append(("delta request, server side", f"{t_delta * 1e3:.0f} ms",
                 f"{t_delta / t_first:.2f}x the first", ""))  # fmt: skip
    assert report["revision"] == 1
    assert after["revision"] == 2

    header = ("measure", "size/time", "ratio", "goal")
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(4)]
    for row in (header, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
