"""Benchmark "Verify reproducibility" against baselines measured in the same run.

    python benchmarks/bench_verify.py [--repeat 3] [--cells 40] [--nbval-site DIR]

1. In process: `verify_notebook` (fresh kernel, run, normalize, compare) vs a bare nbclient
   `NotebookClient.async_execute()` of the same notebook (goal: <= 1.15x).
2. Command line: `nbhygiene verify` vs `pytest --nbval` on the same notebook. nbval is used when
   it is importable, or from `--nbval-site` (a `pip install --target DIR nbval` folder, which keeps
   its pytest plugin out of this project's environment); otherwise the baseline is
   `jupyter nbconvert --execute --to notebook --stdout`, and the table says so.
3. Click to first cell: seconds from starting a run to the first cell's verdict.
4. What each flags on a notebook whose outputs only differ in volatile ways plus one real change.

Prints a table of medians and ratios; exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyterlab_nbhygiene.repro import Progress, RunOptions, verify_notebook


def workload(cells: int) -> dict[str, Any]:
    """A notebook of small cells (prints, expressions, a little computation)."""
    sources = ["import math, statistics\ndata = [i * 0.5 for i in range(1000)]"]
    for i in range(1, cells):
        kind = i % 4
        if kind == 0:
            sources.append(f"print('step {i}', sum(data[:{i * 10}]))")
        elif kind == 1:
            sources.append(f"x{i} = statistics.mean(data) + {i}\nx{i}")
        elif kind == 2:
            sources.append(f"{{'cell': {i}, 'sqrt': math.sqrt({i})}}")
        else:
            sources.append(f"total = sum(math.sin(v) for v in data)\nround(total, 6) + {i}")
    return notebook(sources)


def notebook(sources: list[str]) -> dict[str, Any]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "source": s,
                "outputs": [],
                "execution_count": None,
            }
            for i, s in enumerate(sources)
        ],
    }


async def bare_nbclient(nb: dict[str, Any], folder: str) -> dict[str, Any]:
    import nbformat
    from nbclient import NotebookClient

    node = nbformat.from_dict(copy.deepcopy(nb))  # type: ignore[no-untyped-call]
    client = NotebookClient(
        node,
        kernel_name="python3",
        timeout=120,
        allow_errors=True,
        resources={"metadata": {"path": folder}},
    )
    executed: dict[str, Any] = await client.async_execute()
    return executed


def saved(nb_node: Any) -> dict[str, Any]:
    """An executed notebook as plain JSON (what a user's saved file holds)."""
    data: dict[str, Any] = json.loads(json.dumps(nb_node))
    return data


def timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run_cmd(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> str:
    done = subprocess.run(
        cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=600, check=False
    )
    return done.stdout + done.stderr


def baseline_command(
    path: Path, folder: str, nbval_site: str | None
) -> tuple[str, list[str], dict[str, str]]:
    env = dict(os.environ)
    if importlib.util.find_spec("nbval") is None and nbval_site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [nbval_site, env.get("PYTHONPATH")]))
    probe = subprocess.run(
        [sys.executable, "-c", "import nbval"], env=env, capture_output=True, check=False
    )
    if probe.returncode == 0:
        # An empty ini in the notebook's folder: the project's own pytest settings stay out.
        Path(folder, "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider"]
        return "pytest --nbval", [*cmd, str(path)], env
    cmd = [sys.executable, "-m", "jupyter", "nbconvert", "--execute", "--to", "notebook"]
    return "nbconvert --execute (nbval not available)", [*cmd, "--stdout", str(path)], env


def volatile() -> dict[str, Any]:
    """Outputs saved in an earlier session: only volatile differences, and 41 -> 42."""
    nb = notebook(
        [
            "class Thing:\n    pass\nThing()",
            "import datetime\ndatetime.datetime.now()",
            "print({'apple', 'banana', 'cherry', 'date'})",
            "0.1 + 0.2",
            "import warnings\nwarnings.warn('careful')",
            "answer = 42\nanswer",
        ]
    )
    stored: list[list[dict[str, Any]]] = [
        [_result("<__main__.Thing at 0x7f3a2b1c9d00>")],
        [_result("datetime.datetime(2023, 5, 1, 10, 11, 12, 345678)")],
        [
            {
                "output_type": "stream",
                "name": "stdout",
                "text": "{'date', 'cherry', 'banana', 'apple'}\n",
            }
        ],
        [_result("0.3")],
        [
            {
                "output_type": "stream",
                "name": "stderr",
                "text": "/tmp/ipykernel_4242/99.py:2: UserWarning: careful\n"
                "  warnings.warn('careful')\n",
            }
        ],
        [_result("41")],
    ]
    for count, (cell, outputs) in enumerate(zip(nb["cells"], stored, strict=True), start=1):
        cell["outputs"], cell["execution_count"] = outputs, count
    return nb


def _result(text: str) -> dict[str, Any]:
    return {
        "output_type": "execute_result",
        "execution_count": 1,
        "data": {"text/plain": text},
        "metadata": {},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cells", type=int, default=40)
    parser.add_argument("--nbval-site", help="folder holding nbval (pip install --target)")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="nbhygiene-bench-")
    options = RunOptions(timeout=120)
    nb = saved(asyncio.run(bare_nbclient(workload(args.cells), folder)))  # the "saved" notebook
    path = Path(folder, "workload.ipynb")
    path.write_text(json.dumps(nb), encoding="utf-8")

    # 1. In process, alternating so that drift hits both sides alike.
    bare, check, first_cell = [], [], []
    for _ in range(args.repeat):
        bare.append(timed(lambda: asyncio.run(bare_nbclient(nb, folder))))
        marks: list[float] = []

        def on_progress(p: Progress, marks: list[float] = marks) -> None:
            marks.append(time.perf_counter())

        started = time.perf_counter()
        result = asyncio.run(
            verify_notebook(nb, folder=folder, options=options, on_progress=on_progress)
        )
        check.append(time.perf_counter() - started)
        first_cell.append(marks[0] - started)
        assert result["reproducible"], result["summary"]

    # 2. Command line against the nbval (or nbconvert) baseline.
    name, baseline_cmd, env = baseline_command(path, folder, args.nbval_site)
    cli_cmd = [sys.executable, "-m", "jupyterlab_nbhygiene.cli", "verify", str(path)]
    cli, base = [], []
    for _ in range(args.repeat):
        cli.append(timed(lambda: run_cmd(cli_cmd)))
        base.append(timed(lambda: run_cmd(baseline_cmd, env=env, cwd=folder)))

    # 4. What each flags on volatile-but-equal outputs.
    vol_path = Path(folder, "volatile.ipynb")
    vol_path.write_text(json.dumps(volatile()), encoding="utf-8")
    ours = json.loads(run_cmd([*cli_cmd[:-1], str(vol_path), "--format", "json"]).split("\n\n")[0])
    flagged_ours = [c["index"] for c in ours["cells"] if c["verdict"] not in ("same", "soft")]
    flagged_base = "n/a"
    if name.startswith("pytest"):
        out = run_cmd([*baseline_cmd[:-1], str(vol_path)], env=env, cwd=folder)
        flagged_base = str(sorted({int(m) for m in re.findall(r"::Cell (\d+) ", out)}))

    med = statistics.median
    rows = [
        ("in-process: bare nbclient async_execute", med(bare), None),
        ("in-process: verify_notebook (run + compare)", med(check), med(check) / med(bare)),
        (f"CLI baseline: {name}", med(base), None),
        ("CLI: nbhygiene verify", med(cli), med(cli) / med(base)),
        ("click to first cell verdict (no spare kernel)", med(first_cell), None),
    ]
    print(f"\nnotebook: {args.cells} code cells; medians of {args.repeat} runs; {folder}\n")
    print(f"{'measure':<52} {'seconds':>8} {'ratio':>7}")
    for label, seconds, ratio in rows:
        print(f"{label:<52} {seconds:8.3f} {'' if ratio is None else f'{ratio:6.2f}x':>7}")
    print("\nvolatile notebook (6 cells; only cell 5, 41 -> 42, really changed):")
    print(f"  nbhygiene verify flags cells {flagged_ours}")
    print(f"  {name} flags cells {flagged_base}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
