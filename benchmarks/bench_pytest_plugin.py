"""Benchmark `pytest --nbhygiene-verify -n 2` against nbmake and nbval on the same folder.

    pip install nbmake nbval pytest-xdist      # or: pip install --target DIR nbmake nbval
    python benchmarks/bench_pytest_plugin.py [--notebooks 8] [--cells 40] [--repeat 3] [--site DIR]

A folder of notebooks of small cells (prints, expressions, a little computation), executed once
with nbclient so their saved outputs are real, is checked by three commands, each spreading the
notebooks over two pytest-xdist workers:

- `pytest --nbhygiene-verify -n 2`: static analysis, then a fresh-kernel run compared with the
  saved outputs (two items per notebook);
- `pytest --nbmake -n 2`: a fresh-kernel run that fails only on errors (the baseline);
- `pytest --nbval -n 2 --dist loadscope`: a fresh-kernel run compared with the saved outputs
  (nbval makes one item per cell, so its cells must stay on the notebook's worker).

`--site DIR` adds a `pip install --target DIR` folder to the path of the pytest runs, which keeps
those plugins out of this project's environment. The runs alternate so that drift on a shared
machine hits every command alike; each must pass. Prints the median wall times and the ratios
against nbmake and nbval; exits 0, or 2 when a plugin is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_verify import bare_nbclient, saved, workload

COMMANDS = {
    "nbhygiene-verify": ["--nbhygiene-verify"],
    "nbmake": ["--nbmake"],
    # nbval makes an item per cell: one notebook's cells must stay on one worker.
    "nbval": ["--nbval", "--dist", "loadscope"],
}
PLUGINS = {"nbhygiene-verify": "jupyterlab_nbhygiene", "nbmake": "nbmake", "nbval": "nbval"}


def make_folder(notebooks: int, cells: int) -> Path:
    """`notebooks` executed notebooks in a new folder with a pytest.ini of its own."""
    folder = Path(tempfile.mkdtemp(prefix="nbhygiene-bench-pytest-"))
    # Its own: this project's pytest settings (addopts, filters) stay out of the runs.
    ini = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    (folder / "pytest.ini").write_text(ini, encoding="utf-8")
    for i in range(notebooks):
        nb = saved(asyncio.run(bare_nbclient(workload(cells + i), str(folder))))
        (folder / f"nb{i:02d}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return folder


def run(name: str, folder: Path, env: dict[str, str]) -> float:
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        *COMMANDS[name],
        "-n",
        "2",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    started = time.perf_counter()
    done = subprocess.run(
        [*cmd, str(folder)], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"`pytest {' '.join(COMMANDS[name])} -n 2` failed:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=int, default=8)
    parser.add_argument("--cells", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--site", help="folder holding nbmake/nbval/xdist (pip install --target)")
    args = parser.parse_args()

    env = dict(os.environ)
    if args.site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [args.site, env.get("PYTHONPATH")]))
    for name, module in (*PLUGINS.items(), ("xdist", "xdist")):
        probe = [sys.executable, "-c", f"import {module}"]
        if subprocess.run(probe, env=env, capture_output=True, check=False).returncode:
            print(f"{module} is not installed: pip install nbmake nbval pytest-xdist ({name})")
            return 2

    folder = make_folder(args.notebooks, args.cells)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.repeat):
        for name in COMMANDS:
            times[name].append(run(name, folder, env))

    median = {name: statistics.median(ts) for name, ts in times.items()}
    print(
        f"{args.notebooks} notebooks of {args.cells}-{args.cells + args.notebooks - 1} cells, "
        f"pytest -n 2, median of {args.repeat} (wall seconds)"
    )
    for name, ts in times.items():
        runs = ", ".join(f"{t:.2f}" for t in ts)
        print(f"  pytest --{name:<17} {median[name]:6.2f} s   ({runs})")
    ours = median["nbhygiene-verify"]
    print(f"  nbhygiene-verify / nbmake: {ours / median['nbmake']:.2f}x")
    print(f"  nbhygiene-verify / nbval:  {ours / median['nbval']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
