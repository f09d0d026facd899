"""A notebook being edited at random, and the analyze bodies a frontend would send for it.

`EditedNotebook` keeps the full notebook (outputs with their content) and what was sent
last, and builds the delta body of README "REST API" from the difference: the cells whose
summary changed, the order (whole, or as the changes the panel sends), the executions since
the last request.
"""

from __future__ import annotations

import base64
import copy
import json
import random
from typing import Any

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.delta import order_changes
from jupyterlab_nbhygiene.analysis.notebook import summarize_output

CODE = [
    "x = 1",
    "y = x + 1",
    "x = x + 1",
    "import numpy as np\nz = np.random.rand(3)",
    "np.random.seed(0)",
    "results = {}",
    "results[0] = y",
    "results.update(a=1)",
    "df.dropna(inplace=True)",
    "df = load()",
    "def f():\n    return x + y",
    "total = f()",
    "print(undefined_thing)",
    "%matplotlib inline",
    "!pip install foo",
    "def (:",
    "%%bash\necho hi",
    "X_test = load()\nmodel.fit(X_test)",
    "from os import *",
    "",
    "open('/home/me/data.csv')",
    "for i in range(3):\n    acc.append(i)",
    "acc = []",
    "del y",
    "import pandas as pd\nimport numpy as np",
    "y = 2  # nbhygiene: ignore",
    "\n".join(f"line{i} = {i}" for i in range(40)),
    "print = 3",
    "print(x)",
]
MARKDOWN = ["# Title", "Some words about the data.", "## Section", ""]


def _error() -> dict[str, Any]:
    return {
        "output_type": "error",
        "ename": "NameError",
        "evalue": "name 'q' is not defined",
        "traceback": ["Traceback...", "NameError: q"],
    }


def _stream(text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def png_output(nbytes: int, seed: int = 0) -> dict[str, Any]:
    """A display_data output holding a PNG-like base64 payload of about `nbytes` bytes."""
    raw = random.Random(seed).randbytes(nbytes * 3 // 4)
    return {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(raw).decode(), "text/plain": "<Figure>"},
        "metadata": {},
    }


def summary_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell as the frontend sends it in a delta: outputs as summaries, tags only."""
    out: dict[str, Any] = {
        "id": cell["id"],
        "cell_type": cell["cell_type"],
        "source": cell["source"],
        "metadata": {"tags": list(cell.get("metadata", {}).get("tags", []))},
    }
    if cell["cell_type"] == "code":
        out["execution_count"] = cell.get("execution_count")
        out["outputs"] = [summarize_output(o) for o in cell.get("outputs", [])]
    return out


class EditedNotebook:
    """A notebook, its history and settings, changed by `edit(rng)`."""

    def __init__(self, rng: random.Random, cells: int = 12, with_history: bool = True) -> None:
        self._next = 0
        self.cells: list[dict[str, Any]] = [self._new(rng) for _ in range(cells)]
        self.history: list[dict[str, Any]] | None = [] if with_history else None
        self.settings: dict[str, Any] | None = None
        self.count = 0
        self._sent: dict[str, str] = {}
        self._sent_order: list[str] = []
        self._new_history: list[dict[str, Any]] = []
        self._reset = False

    def _new(self, rng: random.Random) -> dict[str, Any]:
        self._next += 1
        cell_id = f"id-{self._next}"
        if rng.random() < 0.2:
            source = rng.choice(MARKDOWN)
            return {"id": cell_id, "cell_type": "markdown", "metadata": {}, "source": source}
        return {
            "id": cell_id,
            "cell_type": "code",
            "metadata": {},
            "source": rng.choice(CODE),
            "execution_count": None,
            "outputs": [],
        }

    def notebook(self) -> dict[str, Any]:
        return {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
            "cells": copy.deepcopy(self.cells),
        }

    def history_body(self) -> dict[str, Any] | None:
        return None if self.history is None else {"executions": list(self.history)}

    def full_body(self, client: str | None = None) -> dict[str, Any]:
        """The full body; marks everything as sent."""
        body: dict[str, Any] = {"notebook": self.notebook(), "path": "work/edited.ipynb"}
        if self.history is not None:
            body["history"] = self.history_body()
        if self.settings is not None:
            body["settings"] = self.settings
        if client is not None:
            body["client"] = client
        self._mark_sent()
        return body

    def _mark_sent(self) -> None:
        self._sent = {c["id"]: json.dumps(summary_cell(c), sort_keys=True) for c in self.cells}
        self._sent_order = [c["id"] for c in self.cells]
        self._new_history = []
        self._reset = False

    def delta_body(self, client: str, base_revision: int, changes: bool = False) -> dict[str, Any]:
        """The delta since the last body, with the whole order or (`changes`) the order's
        changes since the last body; marks everything as sent."""
        changed = [
            summary_cell(c)
            for c in self.cells
            if self._sent.get(c["id"]) != json.dumps(summary_cell(c), sort_keys=True)
        ]
        order = [c["id"] for c in self.cells]
        delta: dict[str, Any] = {"cells": changed, "history": list(self._new_history)}
        if changes:
            delta["order_changes"] = order_changes(self._sent_order, order)
        else:
            delta["order"] = order
        if self._reset:
            delta["history_reset"] = True
        body = {"client": client, "base_revision": base_revision, "delta": delta}
        if self.settings is not None:
            body["settings"] = self.settings
        self._mark_sent()
        return body

    def edit(self, rng: random.Random) -> str:
        """One random edit; returns its kind."""
        kind = rng.choice(
            ["source", "source", "insert", "delete", "move", "count", "outputs", "tags", "run",
             "run", "restart", "settings"]
        )  # fmt: skip
        cells = self.cells
        if not cells:
            kind = "insert"
        at = rng.randrange(len(cells)) if cells else 0
        if kind == "source":
            pool = CODE if cells[at]["cell_type"] == "code" else MARKDOWN
            cells[at]["source"] = rng.choice(pool)
        elif kind == "insert":
            cells.insert(rng.randrange(len(cells) + 1), self._new(rng))
        elif kind == "delete":
            del cells[at]
        elif kind == "move":
            cells.insert(rng.randrange(len(cells)), cells.pop(at))
        elif kind == "count" and cells[at]["cell_type"] == "code":
            cells[at]["execution_count"] = rng.choice([None, rng.randrange(1, 30)])
        elif kind == "outputs" and cells[at]["cell_type"] == "code":
            cells[at]["outputs"] = rng.choice(
                [[], [_error()], [_stream("ok\n")], [png_output(2000, rng.randrange(9))]]
            )
        elif kind == "tags":
            tags = rng.choice([[], ["nbhygiene-ignore"], ["raises-exception"], ["x"]])
            cells[at].setdefault("metadata", {})["tags"] = tags
        elif kind == "run" and cells[at]["cell_type"] == "code":
            self.count += 1
            cells[at]["execution_count"] = self.count
            execution = {
                "cell_id": cells[at]["id"],
                "source": cells[at]["source"],
                "execution_count": self.count,
                "status": rng.choice(["ok", "ok", "error"]),
            }
            if self.history is None:
                self.history = []
            self.history.append(execution)
            self._new_history.append(execution)
        elif kind == "restart":
            self.count = 0
            self.history = []
            self._new_history = []
            self._reset = True
        elif kind == "settings":
            self.settings = rng.choice([None, {"long-cell-lines": 3}, {"ignore": ["empty-cell"]}])
            if self.settings is None:
                self.settings = {}
        return kind


def cold_report(edited: EditedNotebook, revision: int, slices: bool = False) -> dict[str, Any]:
    """What a cold `analyze()` of `edited` answers, with the `revision` a session would give."""
    report = analyze(
        edited.notebook(),
        edited.history_body(),
        edited.settings,
        path="work/edited.ipynb",
        slices=slices,
    )
    report["revision"] = revision
    return report
