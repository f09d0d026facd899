"""How much the rules and the score add to building the analysis context.

Run: `python benchmarks/bench_rules.py [N_CELLS]`. Prints the CPU time of `build_context`
alone and of `build_context + run_rules + compute_score` on a generated notebook of N
code cells (default 1,000), cold (the cell facts cache emptied), the fastest of 15
interleaved runs of each, and their ratio. Budget: the rules add at most 50%.
"""

from __future__ import annotations

import sys
import time

from jupyterlab_nbhygiene.analysis import build_context, read_notebook
from jupyterlab_nbhygiene.analysis.facts import cell_facts
from jupyterlab_nbhygiene.analysis.rules import run_rules
from jupyterlab_nbhygiene.analysis.score import compute_score
from jupyterlab_nbhygiene.analysis.settings import Settings

TEMPLATES = [
    "import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LinearRegression",
    "df{i} = pd.DataFrame({{'a': np.arange({i}), 'b': np.random.rand({i})}})",
    "df{i}['c'] = df{i}['a'] * 2\ndf{i}.dropna(inplace=True)\n"
    "total = total + {i} if 'total' in dir() else {i}",
    "def f{i}(x):\n    y = x + {i}\n    return [v * y for v in range(3)]\n"
    "res{i} = f{i}(df{j}['a'].sum())",
    "%matplotlib inline\nfig, ax = plt.subplots()\nax.plot(df{j}['a'])\nprint(res{j})",
    "X_test_{i} = scaler.transform(X_test)\nmodel = LinearRegression()\n"
    "model.fit(X_train, y_train)",
    "for k in range({i} % 7):\n    items.append(k)\npath = 'data/file_{i}.csv'\n"
    "# a comment\nz = undefined_{i}",
]


def notebook(n: int) -> dict[str, object]:
    cells = []
    for i in range(n):
        source = TEMPLATES[i % len(TEMPLATES)].format(i=i, j=max(0, i - 3))
        cells.append(
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "source": source,
                "execution_count": i + 1,
                "outputs": [],
            }
        )
        if i % 5 == 0:
            cells.append(
                {"cell_type": "markdown", "id": f"m{i}", "metadata": {}, "source": "## Step"}
            )
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def measure(n: int, repeat: int = 15) -> tuple[float, float, int]:
    nb = read_notebook(notebook(n))
    settings = Settings()
    base, full = [], []
    findings = 0
    for _ in range(repeat):
        # Cold runs, like a file opened for the first time.
        cell_facts.cache_clear()
        t0 = time.process_time()
        build_context(nb, None, settings)
        base.append(time.process_time() - t0)

        cell_facts.cache_clear()
        t0 = time.process_time()
        ctx = build_context(nb, None, settings)
        result = run_rules(ctx)
        compute_score(result, settings)
        full.append(time.process_time() - t0)
        findings = len(result)
        # The fastest run of each: noise from a shared machine only ever adds time.
    return min(base), min(full), findings


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    base, full, findings = measure(n)
    print(f"{n} code cells, {findings} findings")
    print(f"build_context:                          {base * 1000:8.1f} ms (1.00x)")
    print(f"build_context + run_rules + score:      {full * 1000:8.1f} ms ({full / base:.2f}x)")
    print(f"rules + score add {100 * (full - base) / base:.0f}% (budget: 50%)")


if __name__ == "__main__":
    main()
