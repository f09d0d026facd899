"""Generated notebooks the benchmarks share.

- `shallow_notebook(n)`: ten templates in turn, each cell reading names of the previous
  round: real code, but few names flow far.
- `chain_notebook(n)`: every cell really chains and mutates, as analysis notebooks do:
  `frame_i` is made from `frame_{i-1}`, every cell writes `results[i] = ...` and appends to
  a shared `log`, with imports and functions defined and called further down.
- `with_figures(nb, total_bytes)`: the same notebook with PNG figures (random bytes, base64)
  saved in its cells' outputs, as a real ML notebook carries them.

Cell ids are UUIDs (36 characters, `cell_id`), as JupyterLab gives new cells: what the
protocol sends per cell id is measured at its real size.
"""

from __future__ import annotations

import base64
import hashlib
import random
import uuid
from typing import Any

SHALLOW = [
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

CHAIN = [
    "import numpy as np\nimport pandas as pd\nfrom sklearn.preprocessing import StandardScaler\n"
    "frame_{i} = frame_{p}.assign(step={i})\nresults[{i}] = frame_{i}.shape",
    "def clean_{i}(frame, column='value'):\n    out = frame.dropna(subset=[column])\n"
    "    out[column] = out[column].clip(lower=0)\n    return out\n\n"
    "frame_{i} = clean_{i}(frame_{p})\nresults[{i}] = len(frame_{i})",
    "frame_{i} = frame_{p}.copy()\nframe_{i}['value'] = frame_{i}['value'] * {i}\n"
    "frame_{i}.sort_values('value', inplace=True)\nlog.append(('sorted', {i}))\n"
    "results[{i}] = frame_{i}['value'].mean()",
    "scaler_{i} = StandardScaler()\nscaled_{i} = scaler_{i}.fit_transform(frame_{p}[['value']])\n"
    "frame_{i} = frame_{p}.assign(scaled=scaled_{i}[:, 0])\nresults[{i}] = scaled_{i}.std()",
    "totals = {{}}\nfor key, group in frame_{p}.groupby('key'):\n"
    "    totals[key] = group['value'].sum()\nframe_{i} = pd.DataFrame(totals.items(), "
    "columns=['key', 'value'])\nresults[{i}] = sum(totals.values())\nlog.append(len(totals))",
    "%matplotlib inline\nfig, ax = plt.subplots()\nax.plot(frame_{p}['value'])\n"
    "frame_{i} = frame_{p}\nresults[{i}] = clean_{q}(frame_{i}).shape[0]\nprint(results[{i}])",
]


def cell_id(i: int, kind: str = "code") -> str:
    """A cell id as JupyterLab makes them (a UUID4, 36 characters), the same in every run."""
    digest = hashlib.md5(f"{kind}-{i}".encode(), usedforsecurity=False).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def _cell(i: int, source: str, count: int | None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "id": cell_id(i),
        "metadata": {},
        "source": source,
        "execution_count": count,
        "outputs": [],
    }


def _notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
        "cells": cells,
    }


def shallow_notebook(n_cells: int) -> dict[str, Any]:
    """`n_cells` code cells from `SHALLOW` (and a markdown heading every five)."""
    cells: list[dict[str, Any]] = []
    for i in range(n_cells):
        source = SHALLOW[i % len(SHALLOW)].format(i=i, p=max(i - len(SHALLOW), 0))
        cells.append(_cell(i, source, i + 1 if i % 17 else i + 40))  # some out of order
        if i % 5 == 0:
            cells.append({"cell_type": "markdown", "id": cell_id(i, "markdown"), "metadata": {},
                          "source": f"## Step {i}"})  # fmt: skip
    return _notebook(cells)


def stale_chain_notebook(n_cells: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """`n_cells` cells that each read the one before (`a{i} = a{i-1} + 1`), run top to
    bottom, and that run's history, the first cell edited since: every other cell is
    stale and its `fix_by` lists every cell above it (the report's worst case)."""
    cells = [_cell(0, "a0 = 1", 1)]
    cells += [_cell(i, f"a{i} = a{i - 1} + 1", i + 1) for i in range(1, n_cells)]
    history = {
        "executions": [
            {"cell_id": c["id"], "source": c["source"], "execution_count": c["execution_count"]}
            for c in cells
        ]
    }
    cells[0]["source"] = "a0 = 2"
    return _notebook(cells), history


def chain_notebook(n_cells: int, *, salt: str = "") -> dict[str, Any]:
    """`n_cells` code cells that chain and mutate (`CHAIN`), after a setup cell.

    `salt` goes into a comment of every cell: notebooks with other salts share no source.
    """
    setup = f"# setup {salt}\nimport matplotlib.pyplot as plt\nimport pandas as pd\n"
    setup += "results = {}\nlog = []\n"
    setup += "frame_0 = pd.DataFrame({'key': list('abc'), 'value': [1.0, 2.0, None]})"
    cells = [_cell(0, setup, 1)]
    for i in range(1, n_cells):
        template = CHAIN[i % len(CHAIN)]
        # `clean_{q}`: the latest cleaning function defined above this cell.
        q = next((k for k in range(i - 1, 0, -1) if k % len(CHAIN) == 1), 1)
        source = template.format(i=i, p=i - 1, q=q) + (f"  # {salt}" if salt else "")
        cells.append(_cell(i, source, i + 1))
    return _notebook(cells)


def png_output(nbytes: int, seed: int) -> dict[str, Any]:
    """A matplotlib-like display_data output with about `nbytes` of base64 PNG data."""
    raw = random.Random(seed).randbytes(nbytes * 3 // 4)
    return {
        "output_type": "display_data",
        "data": {
            "image/png": base64.b64encode(raw).decode(),
            "text/plain": "<Figure size 640x480 with 1 Axes>",
        },
        "metadata": {},
    }


def with_figures(nb: dict[str, Any], total_bytes: int, every: int = 4) -> dict[str, Any]:
    """`nb` with a PNG figure in every `every`-th code cell, about `total_bytes` in all."""
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    hosts = code[::every]
    for k, cell in enumerate(hosts):
        cell["outputs"] = [png_output(total_bytes // len(hosts), seed=k)]
    return nb
