"""Analyzer speed as ratios against baselines measured in the same run.

    python benchmarks/bench_analyze.py

Prints a table; the goals are guides, not assertions (exit status is 0 either way):

- full analysis of 1,000 code cells vs the floor (`ast.parse` of every cell): <= 2x
- 1,000 cells vs 100 cells: <= 12x (about linear)
- one edited cell re-analysed with warm caches vs a cold full run: <= 10 %, and the
  steps of that re-analysis, each timed alone (where an incremental analysis must save)
- full analysis again with warm caches (unchanged notebook, as the server re-analyses on
  every save) vs the same floor: printed beside the cold ratio, no goal of its own
- `python -m jupyterlab_nbhygiene.cli analyze small.ipynb` start-up vs `python -c pass`,
  and `-X importtime` showing that nbclient, jsonschema and tornado stay unimported.
- for reference only: the figure quoted for pynblint ("5.2 s on 200 cells"), and a real
  measurement of pynblint on the same generated 200-cell notebook when a `pynblint`
  command is found (`PYNBLINT=/path/to/pynblint` or on PATH), in a subprocess with a
  timeout; otherwise the table says it was not measured.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyterlab_nbhygiene.analysis import analyze, build_context, read_notebook
from jupyterlab_nbhygiene.analysis.caches import clear_caches, gc_paused
from jupyterlab_nbhygiene.analysis.graph import build_graph
from jupyterlab_nbhygiene.analysis.report import build_report
from jupyterlab_nbhygiene.analysis.rules import run_rules
from jupyterlab_nbhygiene.analysis.score import compute_score
from jupyterlab_nbhygiene.analysis.settings import Settings
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.state import cell_states

HEAVY = ("nbclient", "jsonschema", "tornado", "jupyter_server", "jupyter_client")

TEMPLATES = [
    "import numpy as np\nimport pandas as pd\nfrom pathlib import Path",
    "path_{i} = Path('data') / 'part_{i}.csv'\nraw_{i} = pd.read_csv(path_{i})",
    "df_{i} = raw_{p}.dropna()\ndf_{i}['total'] = df_{i}['a'] + df_{i}['b']\ndf_{i}.head()",
    "def summarize_{i}(frame, *, column='total'):\n"
    "    stats = {{k: frame[k].mean() for k in frame.columns if k != column}}\n"
    "    stats['n'] = len(frame)\n"
    "    return stats\n\nsummary_{i} = summarize_{i}(df_{p})",
    "%matplotlib inline\nvalues_{i} = [x * 2 for x in range(100) if x % 3]\n"
    "total_{i} = sum(values_{i})\nprint(f'{{total_{i}:.2f}}')",
    "class Model{i}:\n    def __init__(self, rate=0.1):\n        self.rate = rate\n"
    "    def fit(self, X, y):\n        self.coef_ = np.linalg.lstsq(X, y, rcond=None)[0]\n"
    "        return self\n\nmodel_{i} = Model{i}()",
    "results_{i} = []\nfor k, row in enumerate(df_{p}.itertuples()):\n"
    "    if k > 10:\n        break\n    results_{i}.append(row)\nresults_{i}.sort(key=len)",
    "!pip install --quiet tqdm\ncount_{i} = len(results_{p}) if results_{p} else 0",
    "try:\n    ratio_{i} = total_{p} / count_{p}\nexcept ZeroDivisionError as err:\n"
    "    ratio_{i} = float('nan')\nratio_{i}",
    "with open(path_{p}) as fh:\n    header_{i} = fh.readline().strip().split(',')\n"
    "lookup_{i} = dict(zip(header_{i}, range(len(header_{i}))))",
]


def make_notebook(n_cells: int) -> dict[str, Any]:
    cells: list[dict[str, Any]] = []
    for i in range(n_cells):
        template = TEMPLATES[i % len(TEMPLATES)]
        # Refer to names of the previous round of templates so the graph has edges.
        source = template.format(i=i, p=max(i - len(TEMPLATES), 0))
        count = i + 1 if i % 17 else i + 40  # some cells ran out of order
        cells.append(
            {
                "cell_type": "code",
                "id": f"cell-{i}",
                "metadata": {},
                "source": source,
                "execution_count": count,
                "outputs": [],
            }
        )
        if i % 5 == 0:
            cells.append({"cell_type": "markdown", "id": f"md-{i}", "metadata": {},
                          "source": f"## Step {i}"})  # fmt: skip
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
        "cells": cells,
    }


def best(fn: Callable[[], object], *, repeat: int, cold: bool = True) -> float:
    """The fastest of `repeat` runs, in CPU seconds (the machine may be shared)."""
    times = []
    for _ in range(repeat):
        if cold:
            clear_caches()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def python_sources(nb: dict[str, Any]) -> list[str]:
    """The Python in each code cell (IPython escapes blanked), for the floor."""
    sources = [parse_cell(c["source"]).python for c in nb["cells"] if c["cell_type"] == "code"]
    clear_caches()
    return sources


def floor(sources: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for source in sources:
            ast.parse(source)


def edited(nb: dict[str, Any], which: int) -> dict[str, Any]:
    copy = json.loads(json.dumps(nb))
    code = [c for c in copy["cells"] if c["cell_type"] == "code"]
    code[which]["source"] += "\nextra_name = 1"
    return copy


def run_cli(args: list[str], *, repeat: int) -> tuple[float, str]:
    times = []
    stderr = ""
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        stderr = proc.stderr
    return min(times), stderr


def pynblint_rows() -> list[tuple[str, str, str, str]]:
    """nbhygiene's CLI and, when installed, pynblint on one generated 200-cell notebook."""
    quoted = ("pynblint, 200 cells (quoted figure)", "5.2 s", "reference only, not measured here",
              "")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nb200.ipynb"
        path.write_text(json.dumps(make_notebook(200)), encoding="utf-8")
        cli = [sys.executable, "-m", "jupyterlab_nbhygiene.cli", "analyze", str(path)]
        t_ours, _ = run_cli(cli, repeat=3)
        rows = [("CLI analyze, 200 cells (process)", f"{t_ours * 1e3:.0f} ms", "", ""), quoted]
        command = os.environ.get("PYNBLINT") or shutil.which("pynblint")
        if command is None:
            rows.append(("pynblint, 200 cells (measured)", "not measured", "not installed", ""))
            return rows
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [command, str(path)], capture_output=True, timeout=120, check=False
            )
        except subprocess.TimeoutExpired:
            rows.append(("pynblint, 200 cells (measured)", "> 120 s", "timed out", ""))
            return rows
        t_theirs = time.perf_counter() - start
        status = "" if proc.returncode == 0 else f"exit {proc.returncode}"
        rows.append(("pynblint, 200 cells (measured)", f"{t_theirs * 1e3:.0f} ms",
                     f"{t_theirs / t_ours:.1f}x nbhygiene CLI", status))  # fmt: skip
    return rows


def edit_steps(
    original: dict[str, Any], nb_json: dict[str, Any], t_edit: float
) -> list[tuple[str, str, str, str]]:
    """Where a warm re-analysis after an edit spends its time, step by step.

    The graph and the states remember the last notebook they saw and only redo what an
    edit can change, so each of their timings follows a run on `original`, as in an edit.
    """
    settings = Settings()
    analyze(nb_json)  # the edited cell's parse and symbols are cached now, as after a save
    before = build_context(read_notebook(original), None, settings)
    nb = read_notebook(nb_json)
    ctx = build_context(nb, None, settings)
    findings = run_rules(ctx)
    score, breakdown = compute_score(findings, settings)
    order_before = [c.index for c in before.notebook.code_cells]
    order = [c.index for c in nb.code_cells]

    def graph_before() -> None:
        build_graph(before.symbols, order_before)

    def states_before() -> None:
        cell_states(before.notebook, before.symbols, before.graph, None)

    def states_after() -> None:
        cell_states(nb, ctx.symbols, ctx.graph, None)

    steps: list[tuple[str, Callable[[], object], Callable[[], object] | None]] = [
        ("read_notebook", lambda: read_notebook(nb_json), None),
        ("build_context (cached cells)", lambda: build_context(nb, None, settings), graph_before),
        ("  of which build_graph", lambda: build_graph(ctx.symbols, order), graph_before),
        ("  of which cell_states", states_after, states_before),
        ("run_rules", lambda: run_rules(ctx), None),
        ("build_report", lambda: build_report(ctx, findings, score, breakdown), None),
    ]
    rows = []
    with gc_paused():
        for name, step, setup in steps:
            times = []
            for _ in range(5):
                if setup is not None:
                    setup()
                start = time.process_time()
                step()
                times.append(time.process_time() - start)
            t = min(times)
            rows.append((f"  edit step: {name}", f"{t * 1e3:.1f} ms",
                         f"{t / t_edit * 100:.0f}% of the edit", ""))  # fmt: skip
    return rows


def main() -> int:
    nb_1000 = make_notebook(1000)
    nb_100 = make_notebook(100)
    rows: list[tuple[str, str, str, str]] = []

    sources = python_sources(nb_1000)
    t_floor = best(lambda: floor(sources), repeat=5, cold=False)
    t_full = best(lambda: analyze(nb_1000), repeat=5)
    with gc_paused():  # as analyze() runs it
        t_context = best(lambda: build_context(read_notebook(nb_1000), None, Settings()), repeat=5)
    analyze(nb_1000)
    t_warm = best(lambda: analyze(nb_1000), repeat=5, cold=False)
    t_full_100 = best(lambda: analyze(nb_100), repeat=9)
    rows.append(("floor: ast.parse x 1,000 cells", f"{t_floor * 1e3:.1f} ms", "1.00x", ""))
    rows.append(("analyze(), 1,000 cells, cold", f"{t_full * 1e3:.1f} ms",
                 f"{t_full / t_floor:.2f}x floor", "<= 2x"))  # fmt: skip
    rows.append(("analyze(), 1,000 cells, caches warm", f"{t_warm * 1e3:.1f} ms",
                 f"{t_warm / t_floor:.2f}x floor", "(unchanged notebook)"))  # fmt: skip
    rows.append(("  of which parse+symbols+graph+state", f"{t_context * 1e3:.1f} ms",
                 f"{t_context / t_floor:.2f}x floor", ""))  # fmt: skip
    rows.append(("analyze(), 100 cells, cold", f"{t_full_100 * 1e3:.1f} ms",
                 f"1,000/100 = {t_full / t_full_100:.1f}x", "<= 12x"))  # fmt: skip

    clear_caches()
    analyze(nb_1000)  # warm the caches, as the server does on every keystroke
    edits = [edited(nb_1000, k) for k in (10, 250, 500, 750, 990)]
    t_edit = min(best(lambda e=e: analyze(e), repeat=1, cold=False) for e in edits)
    rows.append(("one cell edited, caches warm", f"{t_edit * 1e3:.1f} ms",
                 f"{t_edit / t_full * 100:.1f}% of cold", "<= 10%"))  # fmt: skip
    rows.extend(edit_steps(edits[1], edits[2], t_edit))

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.ipynb"
        small.write_text(json.dumps(make_notebook(12)), encoding="utf-8")
        t_python, _ = run_cli([sys.executable, "-c", "pass"], repeat=5)
        cli = [sys.executable, "-m", "jupyterlab_nbhygiene.cli", "analyze", str(small)]
        t_cli, _ = run_cli(cli, repeat=5)
        _, importtime = run_cli([sys.executable, "-X", "importtime", *cli[1:]], repeat=1)
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in importtime.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    heavy = sorted(set(HEAVY) & imported)
    rows.append(("CLI analyze small.ipynb (process)", f"{t_cli * 1e3:.0f} ms",
                 f"python -c pass: {t_python * 1e3:.0f} ms", ""))  # fmt: skip
    rows.append(("heavy imports on the analyze path", ", ".join(heavy) or "none", "",
                 "none"))  # fmt: skip
    rows.extend(pynblint_rows())

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    header = ("measure", "time", "ratio", "goal")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, *rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
