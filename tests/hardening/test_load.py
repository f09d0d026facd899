"""Load, at a size that fits CI: concurrent analyses all answered with bounded memory, no
growth over repeated analyses, and concurrent verify runs held to the configured cap.
benchmarks/load.py runs the same checks at full size against a separate `jupyter server`."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from hardening.support import Live, kernel_processes, raw
from load import PeakRss, notebook  # benchmarks/load.py: the full-size version
from nbfactory import make_notebook
from repro.support import assert_no_new_kernels, child_pids, sha256, stream

MB = 1024 * 1024
CAP = 2


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}},
        "NbHygieneApp": {"max_concurrent_runs": CAP, "startup_timeout": 60.0},
    }


@pytest.fixture(autouse=True)
def no_kernel_left_behind() -> Iterator[None]:
    before = child_pids()
    yield
    assert_no_new_kernels(before, grace=5.0)


async def analyze(live: Live, body: str) -> tuple[int, float]:
    started = time.monotonic()
    answer = await raw(live.url("nbhygiene/analyze"), method="POST", body=body, headers=live.auth)
    return answer.code, time.monotonic() - started


async def test_50_concurrent_analyses_are_all_answered(live: Live) -> None:
    body = json.dumps({"notebook": notebook(100)})
    assert (await analyze(live, body))[0] == 200  # warm up imports and caches
    rss_before = psutil.Process().memory_info().rss
    started = time.monotonic()
    process = psutil.Process()  # the in-process test server
    with PeakRss(lambda: process.memory_info().rss) as peak:
        answers = await asyncio.gather(*(analyze(live, body) for _ in range(50)))
    seconds = time.monotonic() - started
    assert [code for code, _ in answers] == [200] * 50
    latencies = sorted(t for _, t in answers)
    growth = (peak.peak - rss_before) / MB
    print(
        f"50 x 100 cells: {seconds:.1f} s, p50 {latencies[25]:.2f} s, "
        f"p95 {latencies[47]:.2f} s, peak RSS +{growth:.0f} MB"
    )
    assert growth < 300  # the bodies are 20 KB each: memory must stay bounded


async def test_repeated_analyses_do_not_leak(live: Live) -> None:
    body = json.dumps({"notebook": notebook(30), "history": {"executions": []}})
    process = psutil.Process()
    rss: dict[int, int] = {}
    for i in range(1, 501):
        code, _ = await analyze(live, body)
        assert code == 200
        if i in (100, 500):
            rss[i] = process.memory_info().rss
    growth = (rss[500] - rss[100]) / MB
    print(f"RSS after 100 analyses {rss[100] / MB:.0f} MB, after 500 {rss[500] / MB:.0f} MB")
    assert growth < 10, f"RSS grew {growth:.1f} MB from 100 to 500 analyses"


async def test_10_concurrent_verify_runs_respect_the_cap(live: Live, jp_root_dir: Path) -> None:
    nb = make_notebook(
        {"source": "import time\ntime.sleep(0.5)\nprint('ok')", "execution_count": 1,
         "outputs": [stream("ok\n")]},
    )  # fmt: skip
    paths = []
    for i in range(10):
        path = jp_root_dir / f"nb{i}.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        paths.append(path)
    digests = [sha256(p) for p in paths]

    async def start(i: int) -> str:
        answer = await raw(
            live.url("nbhygiene/verify"),
            method="POST",
            body=json.dumps({"path": f"nb{i}.ipynb"}),
            headers=live.auth,
        )
        assert answer.code == 202, answer.text
        run_id: str = answer.json()["id"]
        return run_id

    before = child_pids()
    started = time.monotonic()
    ids = await asyncio.gather(*(start(i) for i in range(10)))
    most_running = most_kernels = 0
    states: dict[str, str] = {}
    while time.monotonic() - started < 120:
        answers = await asyncio.gather(
            *(raw(live.url("nbhygiene/verify", i), headers=live.auth) for i in ids)
        )
        states = {i: a.json()["state"] for i, a in zip(ids, answers, strict=True)}
        most_running = max(most_running, sum(s == "running" for s in states.values()))
        most_kernels = max(most_kernels, len(kernel_processes(before)))
        if all(s in ("done", "failed", "cancelled") for s in states.values()):
            break
        await asyncio.sleep(0.1)
    seconds = time.monotonic() - started
    print(
        f"10 verify runs, cap {CAP}: {seconds:.1f} s, at most {most_running} running "
        f"and {most_kernels} kernel processes at once"
    )
    assert set(states.values()) == {"done"}, states
    # Runs at once, from each run's own start and end times: ten separate status
    # requests are not one snapshot, so counting "running" across them overcounts.
    finals = await asyncio.gather(
        *(raw(live.url("nbhygiene/verify", i), headers=live.auth) for i in ids)
    )
    spans = [(a.json()["started"], a.json()["finished"]) for a in finals]
    overlap = max(sum(s <= start < f for s, f in spans) for start, _ in spans)
    print(f"at most {overlap} runs between their start and end at once")
    assert 1 <= overlap <= CAP
    assert most_running >= 1
    # Polled process counts can catch a kernel of a finished run while it is reaped;
    # what must hold is that none is left once every run is over.
    assert most_kernels <= CAP + 1
    assert_no_new_kernels(before, grace=10.0)
    assert [sha256(p) for p in paths] == digests
