"""Verify with real kernels: a notebook that reproduces, a hidden-state bug, volatile outputs."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook
from repro.support import PNG_SOURCE, display, error, png_b64, result, stream, verdicts

from jupyterlab_nbhygiene.repro import Progress, RunOptions, verify_notebook

pytestmark = pytest.mark.kernel

OPTIONS = RunOptions(timeout=20, startup_timeout=30)


async def test_a_notebook_that_reproduces(tmp_path: Path) -> None:
    nb = make_notebook(
        {"source": "x = 21", "execution_count": 1},
        {"source": ["print(", "x * 2)"], "execution_count": 2, "outputs": [stream("42\n")]},
        {"cell_type": "markdown", "source": "# notes"},
        {
            "source": "import os\nos.path.basename(os.getcwd())",
            "execution_count": 3,
            "outputs": [result(repr(tmp_path.name))],
        },
        {
            "source": "{'b': 2, 'a': 1}",
            "execution_count": 4,
            "outputs": [result("{'b': 2, 'a': 1}")],
        },
        {
            "source": "from IPython.display import HTML\nHTML('<b>bold</b>')",
            "execution_count": 5,
            "outputs": [
                {
                    "output_type": "execute_result",
                    "execution_count": 5,
                    "metadata": {},
                    "data": {
                        "text/plain": "<IPython.core.display.HTML object>",
                        "text/html": "<b>bold</b>",
                    },
                }
            ],
        },
        {
            "source": "1/0",
            "execution_count": 6,
            "metadata": {"tags": ["raises-exception"]},
            "outputs": [error("ZeroDivisionError", "division by zero")],
        },
        {"source": "# NBVAL_SKIP\nimport time\ntime.sleep(100)", "execution_count": 7},
    )
    original = copy.deepcopy(nb)
    out = await verify_notebook(nb, folder=str(tmp_path), options=OPTIONS)
    assert verdicts(out) == {
        0: "same",
        1: "same",
        3: "same",
        4: "same",
        5: "same",
        6: "same",
        7: "skipped",
    }
    assert (out["reproducible"], out["cause"]) == (True, None)
    assert nb == original  # the caller's notebook is not touched


async def test_hidden_state_is_an_execution_order_cause(tmp_path: Path) -> None:
    nb = make_notebook(
        {"source": "import math", "execution_count": 1},
        {"source": "y = base + 1\ny", "execution_count": 3, "outputs": [result("11")]},
        {"source": "print(math.pi > 3)", "execution_count": 4, "outputs": [stream("True\n")]},
        {"source": "base = 10", "execution_count": 2},
    )
    phases: list[str] = []
    out = await verify_notebook(
        nb, folder=str(tmp_path), options=OPTIONS, on_progress=lambda p: phases.append(p.phase)
    )
    assert verdicts(out) == {0: "same", 1: "new-error", 2: "same", 3: "same"}
    assert out["cells"][1]["error"] == {
        "ename": "NameError",
        "evalue": "name 'base' is not defined",
    }
    assert out["cause"] == "execution-order"
    assert out["reproducible"] is False
    [issue] = out["order"]
    assert (
        issue["message"]
        == "cell 2 uses `base`, defined in cell 4, which ran before it (counts 3 and 2)"
    )
    assert "cell 2 uses `base`" in out["summary"].lower()
    assert phases == ["run"] * 4 + ["execution-order"] * 4


def volatile_notebook() -> dict[str, Any]:
    seeded = random.Random(1234).random()
    cells: list[dict[str, Any]] = [
        {"source": "import datetime, random, sys, time, uuid, warnings", "outputs": []},
        {
            "source": "class Thing:\n    pass\nThing()",
            "outputs": [result("<__main__.Thing at 0x7f3a2b1c9d00>")],
        },
        {
            "source": "datetime.datetime.now()",
            "outputs": [result("datetime.datetime(2023, 5, 1, 10, 11, 12, 345678)")],
        },
        {
            "source": "now = datetime.datetime.now()\n"
            "print('started', now.isoformat(), time.strftime('%H:%M:%S'))",
            "outputs": [stream("started 2023-05-01T10:11:12.345678 10:11:12\n")],
        },
        {
            "source": "t0 = time.perf_counter()\ntotal = sum(range(100_000))\n"
            "print(f'sum {total} in {(time.perf_counter() - t0) * 1000:.3f} ms')",
            "outputs": [stream("sum 4999950000 in 3.217 ms\n")],
        },
        {"source": "0.1 + 0.2", "outputs": [result("0.3")]},
        {
            "source": "print({'apple', 'banana', 'cherry', 'date'})",
            "outputs": [stream("{'date', 'cherry', 'banana', 'apple'}\n")],
        },
        {
            "source": "for i in range(1, 6):\n"
            "    rate = 5 + random.random()\n"
            "    bar = f\"{i * 20:3d}%|{'#' * (2 * i):<10}| {i}/5\"\n"
            "    sys.stderr.write(f'\\r{bar} [00:0{i}<00:00, {rate:.2f}it/s]')\n"
            "    sys.stderr.flush()\n"
            "sys.stderr.write('\\n')\n"
            "print('done')",
            "outputs": [
                stream(
                    " 20%|##        | 1/5 [00:01<00:00, 3.33it/s]"
                    "\r100%|##########| 5/5 [00:03<00:00, 1.67it/s]\n",
                    "stderr",
                ),
                stream("done\n"),
            ],
        },
        {
            "source": "warnings.warn('careful, this is deprecated-ish')",
            "outputs": [
                stream(
                    "/tmp/ipykernel_31337/1234567.py:1: "
                    "UserWarning: careful, this is deprecated-ish\n"
                    "  warnings.warn('careful, this is deprecated-ish')\n",
                    "stderr",
                )
            ],
        },
        {
            "source": PNG_SOURCE + "from IPython.display import Image, display\n"
            "class Figure:\n"
            "    def __repr__(self):\n"
            "        return '<Figure size 640x480 with 1 Axes>'\n"
            "display(Image(data=png(16, 12, shade=100)))\n"
            "Figure()",
            "outputs": [
                display(
                    {
                        "image/png": png_b64(16, 12, shade=200),
                        "text/plain": "<IPython.core.display.Image object>",
                    }
                ),
                result("<Figure size 432x288 with 1 Axes>"),
            ],
        },
        {"source": "random.random()", "outputs": [result("0.6394267984578837")]},
        {"source": "random.seed(1234)\nrandom.random()", "outputs": [result(repr(seeded))]},
        {"source": "answer = 42\nanswer", "outputs": [result("41")]},
        {
            "source": "print(uuid.uuid4())",
            "outputs": [stream("0b7e1f1e-7a43-4b9a-9f1c-2f4f7a0b9c11\n")],
        },
    ]
    for count, cell in enumerate(cells, start=1):
        cell["execution_count"] = count
    return make_notebook(*cells)


async def test_volatile_outputs_flag_only_the_change_and_the_unseeded_draw(tmp_path: Path) -> None:
    first_run: dict[int, str] = {}

    def progress(p: Progress) -> None:
        if p.cell is not None:
            first_run[p.cell["index"]] = p.cell["verdict"]

    out = await verify_notebook(
        volatile_notebook(), folder=str(tmp_path), options=OPTIONS, runs=2, on_progress=progress
    )
    flagged = {i: v for i, v in verdicts(out).items() if v not in ("same", "soft")}
    # One fresh run cannot tell an unseeded draw from a real change.
    assert {i: first_run[i] for i in flagged} == {10: "changed", 12: "changed"}
    # Two runs can.
    assert flagged == {10: "nondeterministic", 12: "changed"}, [
        (c["index"], c.get("diff")) for c in out["cells"] if c["verdict"] != "same"
    ]
    assert verdicts(out)[9] == "soft"  # image bytes differ, size and count do not
    [image] = out["cells"][9]["images"]
    assert image["saved"] == png_b64(16, 12, shade=200)
    assert image["size"] == [16, 12]
    assert out["cause"] == "nondeterminism"
    assert out["cells"][12]["diff"].splitlines()[-2:] == ["-41", "+42"]
