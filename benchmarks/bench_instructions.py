"""The analyzer's speed ratios counted in CPU instructions, which a shared machine cannot blur.

    python benchmarks/bench_instructions.py

Wall-clock ratios (bench_analyze.py, bench_rules.py) move by tens of percent from one run
to the next on a machine whose neighbours load it. `valgrind --tool=callgrind` counts the
instructions a process executes instead: the same program and input give the same count
whatever else runs (the hash seed is fixed). Each figure is the count of a child process
doing the setup plus the work, minus the count of one doing the setup plus everything
before that work, so imports and notebook generation cancel out. Instructions do not
weigh memory stalls, so these ratios flatter cold runs a little against wall time; the
benchmarks that time remain the reference, this one the repeatable cross-check.

Prints, against baselines counted in the same run:
- a cold analysis (a new session's first report) of the 1,000-cell chain notebook of
  notebooks.py vs `ast.parse` of its cells (goal <= 4x);
- one edited cell answered by that warm session (a delta) vs the cold run;
- the cold analysis of 1,000 chain cells vs 100 (goal <= 12x);
- `run_rules` + `compute_score` over `build_context` on bench_rules.py's notebook (budget
  <= 50%).
Needs valgrind (Debian package `valgrind`); says so and exits 0 without it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

STEPS = ("none", "floor", "cold", "cold+edit", "cold100", "context", "context+rules")


def child(step: str) -> None:
    """Set up, then do the work of `step` (run under callgrind by the parent)."""
    import ast
    import warnings

    from bench_analyze import python_sources
    from bench_rules import notebook as rules_notebook
    from notebooks import chain_notebook

    from jupyterlab_nbhygiene.analysis import build_context, read_notebook
    from jupyterlab_nbhygiene.analysis.facts import cell_facts
    from jupyterlab_nbhygiene.analysis.rules import run_rules
    from jupyterlab_nbhygiene.analysis.score import compute_score
    from jupyterlab_nbhygiene.analysis.session import AnalysisSession
    from jupyterlab_nbhygiene.analysis.settings import Settings

    nb = chain_notebook(1000)
    nb_100 = chain_notebook(100)
    ids = [c["id"] for c in nb["cells"]]
    cell = dict(nb["cells"][500], source=nb["cells"][500]["source"] + "\nextra_name = 1")
    sources = python_sources(nb)
    rules_nb = read_notebook(rules_notebook(1000))
    settings = Settings()
    AnalysisSession().analyze_full(chain_notebook(20, salt="warm-up"))  # first-call costs
    cell_facts.cache_clear()
    session = AnalysisSession()
    if step == "floor":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for source in sources:
                ast.parse(source)
    elif step == "cold100":
        session.analyze_full(nb_100)
    elif step.startswith("cold"):
        session.analyze_full(nb)
        if step == "cold+edit":
            session.apply(1, {"order": ids, "cells": [cell], "history": []})
    elif step.startswith("context"):
        ctx = build_context(rules_nb, None, settings)
        if step == "context+rules":
            compute_score(run_rules(ctx), settings)


def count(step: str) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, __file__, "--child", step],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    found = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count for {step}:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    if shutil.which("valgrind") is None:
        print("valgrind not found: instruction counts not measured (apt install valgrind)")
        return 0
    n = {step: count(step) for step in STEPS}
    floor = n["floor"] - n["none"]
    cold = n["cold"] - n["none"]
    edit = n["cold+edit"] - n["cold"]
    cold_100 = n["cold100"] - n["none"]
    context = n["context"] - n["none"]
    rules = n["context+rules"] - n["context"]
    rows = [
        ("floor: ast.parse x 1,000 chain cells", floor, "1.00x", ""),
        ("analysis, 1,000 chain cells, cold", cold, f"{cold / floor:.2f}x floor", "<= 4x"),
        ("one cell edited, warm session", edit, f"{edit / cold * 100:.1f}% of cold", ""),
        (
            "analysis, 100 chain cells, cold",
            cold_100,
            f"1,000/100 = {cold / cold_100:.1f}x",
            "<= 12x",
        ),
        ("build_context, bench_rules notebook", context, "1.00x", ""),
        ("run_rules + score on it", rules, f"+{rules / context * 100:.0f}%", "<= +50%"),
    ]
    print(f"{'measure':38}{'instructions':>14}  {'ratio':20}goal")
    for name, value, ratio, goal in rows:
        print(f"{name:38}{value / 1e6:>12.0f} M  {ratio:20}{goal}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        sys.exit(main())
