"""Analyzer speed as ratios against baselines measured in the same run.

    python benchmarks/bench_analyze.py

Prints a table; the goals are guides, not assertions (exit status is 0 either way). Two
notebooks (benchmarks/notebooks.py): the shallow one (templates reading the previous
round) and the chain one (every cell makes `frame_i` from `frame_{i-1}`, writes
`results[i]` and appends to `log`). Reports are as the server answers them (no slices)
unless the row says "CLI".

- cold analysis of 1,000 cells vs the floor (`ast.parse` of every cell): <= 4x
- 1,000 cells vs 100 cells: <= 12x (about linear; the floor's own ratio is printed beside)
- one cell edited, answered by a warm `AnalysisSession` (only the edited cell is parsed
  again) vs a cold analysis of the same notebook
- `python -m jupyterlab_nbhygiene.cli analyze small.ipynb` start-up vs `python -c pass`,
  and `-X importtime` showing that nbclient, jsonschema and tornado stay unimported.
- for reference only: the figure quoted for pynblint ("5.2 s on 200 cells"), and a real
  measurement of pynblint on the same generated 200-cell notebook when a `pynblint`
  command is found (`PYNBLINT=/path/to/pynblint` or on PATH), in a subprocess with a
  timeout; otherwise the table says it was not measured.
"""

from __future__ import annotations

import ast
import gc
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

from notebooks import chain_notebook, shallow_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.facts import cell_facts
from jupyterlab_nbhygiene.analysis.session import AnalysisSession
from jupyterlab_nbhygiene.analysis.source import parse_cell

HEAVY = ("nbclient", "jsonschema", "tornado", "jupyter_server", "jupyter_client")
Row = tuple[str, str, str, str]


def best(
    fn: Callable[[], object], *, repeat: int, cold: bool = True, collector: bool = True
) -> float:
    """The fastest of `repeat` runs, in CPU seconds (the machine may be shared); `cold`
    empties the cache of cell facts before each run. `collector=False` pauses Python's
    cyclic collector around each run of this measurement (the product never does)."""
    times = []
    for _ in range(repeat):
        if cold:
            cell_facts.cache_clear()
        if not collector:
            gc.disable()
        try:
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        finally:
            gc.enable()
    return min(times)


def python_sources(nb: dict[str, Any]) -> list[str]:
    """The Python in each code cell (IPython escapes blanked), for the floor."""
    return [parse_cell(c["source"]).python for c in nb["cells"] if c["cell_type"] == "code"]


def floor(sources: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trees = [ast.parse(source) for source in sources]  # kept, as analysis keeps them
    del trees


def edited(nb: dict[str, Any], which: int, text: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(nb))
    code = [c for c in copy["cells"] if c["cell_type"] == "code"]
    code[which]["source"] += f"\n{text}"
    return copy


def cold_rows(name: str, make: Callable[[int], dict[str, Any]]) -> tuple[list[Row], float]:
    nb_1000, nb_100 = make(1000), make(100)
    sources, sources_100 = python_sources(nb_1000), python_sources(nb_100)
    t_floor = best(lambda: floor(sources), repeat=5, cold=False)
    t_floor_100 = best(lambda: floor(sources_100), repeat=9, cold=False)
    t_full = best(lambda: analyze(nb_1000, slices=False), repeat=5)
    t_cli = best(lambda: analyze(nb_1000), repeat=3)
    t_full_100 = best(lambda: analyze(nb_100, slices=False), repeat=9)
    # The same ratio without the collector's full passes over every live tree, which
    # grow with the notebook: what the analysis itself does per cell.
    t_bare = best(lambda: analyze(nb_1000, slices=False), repeat=5, collector=False)
    t_bare_100 = best(lambda: analyze(nb_100, slices=False), repeat=9, collector=False)
    rows = [
        (f"{name}: floor, ast.parse x 1,000 cells", f"{t_floor * 1e3:.1f} ms", "1.00x", ""),
        (f"{name}: analyze(), 1,000 cells, cold", f"{t_full * 1e3:.1f} ms",
         f"{t_full / t_floor:.2f}x floor", "<= 4x"),
        (f"{name}: CLI report (with slices), cold", f"{t_cli * 1e3:.1f} ms",
         f"{t_cli / t_floor:.2f}x floor", ""),
        (f"{name}: analyze(), 100 cells, cold", f"{t_full_100 * 1e3:.1f} ms",
         f"1,000/100 = {t_full / t_full_100:.1f}x "
         f"(floor {t_floor / t_floor_100:.1f}x)", "<= 12x"),
        (f"{name}: the same, collector paused", f"{t_bare * 1e3:.1f} ms",
         f"1,000/100 = {t_bare / t_bare_100:.1f}x", "(measurement only)"),
    ]  # fmt: skip
    return rows, t_full


def session_rows(name: str, nb: dict[str, Any], t_cold: float) -> list[Row]:
    """A warm session answering one-cell edits (a delta each), vs the cold analysis."""
    session = AnalysisSession()
    session.analyze_full(nb)
    ids = [c["id"] for c in nb["cells"]]
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    times = []
    for k, which in enumerate((10, 250, 500, 750, 990, 10, 250, 500)):
        cell = dict(code[which], source=code[which]["source"] + f"\nextra_{k} = {k}")
        delta = {"order": ids, "cells": [cell], "history": []}
        start = time.process_time()
        session.apply(session.revision, delta)
        times.append(time.process_time() - start)
    t_edit = min(times)
    return [
        (f"{name}: one cell edited, warm session", f"{t_edit * 1e3:.1f} ms",
         f"{t_edit / t_cold * 100:.0f}% of cold", "(reported)"),
    ]  # fmt: skip


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
        path.write_text(json.dumps(shallow_notebook(200)), encoding="utf-8")
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


def main() -> int:
    rows: list[Row] = []
    for name, make in (("shallow", shallow_notebook), ("chain", chain_notebook)):
        cold, t_cold = cold_rows(name, make)
        rows.extend(cold)
        rows.extend(session_rows(name, make(1000), t_cold))

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.ipynb"
        small.write_text(json.dumps(shallow_notebook(12)), encoding="utf-8")
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
