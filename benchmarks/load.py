"""Load on a real `jupyter server` with nbhygiene: latency, memory and the verify cap.

    python benchmarks/load.py [--cells 1000] [--concurrent 50] [--verify 10] [--cap 2]

Starts `jupyter server` in a subprocess (loopback only, a random free port, a token, a
temporary root folder), then:
  1. one analysis of a CELLS-cell notebook alone (the baseline), then CONCURRENT of them at
     once: latency p50/p95 (and as a ratio to the baseline), peak RSS of the server process;
  2. 500 sequential analyses of a 30-cell notebook: server RSS after 100 and after 500;
  2b. SESSIONS distinct 30-cell chain notebooks analysed through sessions (a full body with
     a client, then a delta after a one-cell edit, as the panel sends them; sessions are
     left open to expire, the worst case): server RSS before and after (goal <= +50 MB);
  3. VERIFY verify runs started at once: the most runs `running` (status route) and kernel
     processes alive at the same time, against the configured cap.
Every loop is bounded; the server (and any kernel) is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
from notebooks import chain_notebook
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

MB = 1024 * 1024
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def notebook(cells: int) -> dict[str, Any]:
    """Imports, definitions, reads of earlier cells and mutations, saved out of order."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "execution_count": (i * 7) % cells + 1,
                "outputs": [],
                "source": f"import numpy as np\nx{i} = np.arange({i})\n"
                f"y{i} = x{i}.sum() + x{max(i - 1, 0)}.mean()\nlst.append(y{i})",
            }
            for i in range(cells)
        ],
    }


VERIFY_NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
    "cells": [
        {
            "cell_type": "code",
            "id": "c0",
            "metadata": {},
            "execution_count": 1,
            "source": "import time\ntime.sleep(1)\nprint('ok')",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "ok\n"}],
        }
    ],
}


class Server:
    """`jupyter server` with the extension, in a subprocess this script owns."""

    def __init__(self, root: Path, cap: int, workers: int) -> None:
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.root = root
        argv = [
            sys.executable,
            "-m",
            "jupyter_server",
            f"--ServerApp.ip={HOST}",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={self.token}",
            '--ServerApp.jpserver_extensions={"jupyterlab_nbhygiene": True}',
            f"--NbHygieneApp.max_concurrent_runs={cap}",
            f"--NbHygieneApp.analysis_workers={workers}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            argv.append("--allow-root")
        self.log = open(root.parent / "server.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        self.process = psutil.Process(self.proc.pid)

    def url(self, *parts: str) -> str:
        return f"http://{HOST}:{self.port}/" + "/".join(parts)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    async def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter server exited with {self.proc.returncode}")
            try:
                code, _ = await fetch(self.url("api", "status"), headers=self.headers)
                if code == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.2)
        raise RuntimeError("jupyter server did not start")

    def rss(self) -> int:
        rss: int = self.process.memory_info().rss
        return rss

    def kernels(self) -> int:
        count = 0
        for child in self.process.children(recursive=True):
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    count += 1
            except psutil.Error:
                continue
        return count

    def stop(self) -> None:
        self.proc.terminate()  # SIGTERM: the server stops its extensions and kernels
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.close()


async def fetch(
    url: str, *, method: str = "GET", body: str | None = None, headers: dict[str, str]
) -> tuple[int, bytes]:
    client = AsyncHTTPClient(force_instance=True, max_clients=1)
    try:
        response = await client.fetch(
            url, method=method, body=body, headers=headers, request_timeout=600
        )
    except HTTPClientError as e:
        if e.response is None:
            raise
        response = e.response
    finally:
        client.close()
    return response.code, response.body or b""


class PeakRss:
    """Samples a process's RSS every few milliseconds while the block runs; `peak` is the
    highest value seen."""

    def __init__(self, rss: Callable[[], int]) -> None:
        self.rss = rss
        self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.rss())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def analyze_load(server: Server, cells: int, concurrent: int) -> None:
    body = json.dumps({"notebook": notebook(cells), "path": "load.ipynb"})
    url = server.url("nbhygiene", "analyze")

    async def one() -> tuple[int, float]:
        started = time.monotonic()
        code, _ = await fetch(url, method="POST", body=body, headers=server.headers)
        return code, time.monotonic() - started

    await one()  # imports and caches
    baseline = statistics.median([(await one())[1] for _ in range(3)])
    rss_before = server.rss()
    pings: list[float] = []
    burst_over = asyncio.Event()

    async def ping() -> None:
        # Whether the server still answers its other routes while the burst runs.
        while not burst_over.is_set():
            sent = time.monotonic()
            await fetch(server.url("api", "status"), headers=server.headers)
            pings.append(time.monotonic() - sent)
            await asyncio.sleep(0.25)

    started = time.monotonic()
    pinger = asyncio.ensure_future(ping())
    with PeakRss(server.rss) as peak:
        answers = await asyncio.gather(*(one() for _ in range(concurrent)))
    wall = time.monotonic() - started
    burst_over.set()
    await pinger
    latencies = [t for _, t in answers]
    ok = sum(code == 200 for code, _ in answers)
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    print(f"analyze, {cells}-cell notebook ({len(body) / 1e3:.0f} KB body)")
    print(f"  alone (baseline): {baseline:.3f} s")
    print(f"  {concurrent} at once: {ok}/{concurrent} answered 200 in {wall:.1f} s")
    ratios = f"{p50 / baseline:.1f}x and {p95 / baseline:.1f}x the baseline"
    print(f"  latency p50 {p50:.2f} s, p95 {p95:.2f} s ({ratios})")
    print(f"  meanwhile GET /api/status: worst {max(pings):.3f} s over {len(pings)} requests")
    print(
        f"  server RSS {rss_before / MB:.0f} MB before, peak {peak.peak / MB:.0f} MB "
        f"(+{(peak.peak - rss_before) / MB:.0f} MB)"
    )


async def leak_check(server: Server, runs: int = 500) -> None:
    body = json.dumps({"notebook": notebook(30), "history": {"executions": []}})
    url = server.url("nbhygiene", "analyze")
    rss: dict[int, float] = {}
    failures = 0
    started = time.monotonic()
    for i in range(1, runs + 1):
        code, _ = await fetch(url, method="POST", body=body, headers=server.headers)
        failures += code != 200
        if i in (100, runs):
            rss[i] = server.rss() / MB
    per = (time.monotonic() - started) / runs
    print(f"{runs} sequential analyses (30 cells): {per * 1000:.1f} ms each, {failures} failed")
    print(
        f"  server RSS after 100: {rss[100]:.1f} MB, after {runs}: {rss[runs]:.1f} MB "
        f"({rss[runs] - rss[100]:+.1f} MB)"
    )


async def session_memory(server: Server, runs: int, cells: int = 30) -> None:
    url = server.url("nbhygiene", "analyze")
    warm = json.dumps({"notebook": chain_notebook(cells, salt="warm-up")})
    await fetch(url, method="POST", body=warm, headers=server.headers)
    before = server.rss()
    failures = 0
    started = time.monotonic()
    for i in range(runs):
        nb = chain_notebook(cells, salt=f"notebook {i}")
        client = f"load-{i}"
        full = {"client": client, "notebook": nb, "history": {"executions": []}}
        code, _ = await fetch(url, method="POST", body=json.dumps(full), headers=server.headers)
        failures += code != 200
        cell = dict(nb["cells"][cells // 2])
        cell["source"] += "\nresults['edited'] = True"
        delta = {
            "client": client,
            "base_revision": 1,
            "delta": {"order": [c["id"] for c in nb["cells"]], "cells": [cell], "history": []},
        }
        code, _ = await fetch(url, method="POST", body=json.dumps(delta), headers=server.headers)
        failures += code != 200
    after = server.rss()
    per = (time.monotonic() - started) / runs
    print(
        f"{runs} distinct notebooks through sessions ({cells} cells, full + delta each): "
        f"{per * 1000:.1f} ms per notebook, {failures} failed"
    )
    print(
        f"  server RSS before {before / MB:.1f} MB, after {after / MB:.1f} MB "
        f"({(after - before) / MB:+.1f} MB; goal <= +50 MB)"
    )


async def verify_load(server: Server, runs: int, cap: int) -> None:
    for i in range(runs):
        (server.root / f"nb{i}.ipynb").write_text(json.dumps(VERIFY_NOTEBOOK))
    started = time.monotonic()
    answers = await asyncio.gather(
        *(
            fetch(
                server.url("nbhygiene", "verify"),
                method="POST",
                body=json.dumps({"path": f"nb{i}.ipynb"}),
                headers=server.headers,
            )
            for i in range(runs)
        )
    )
    ids = [json.loads(body)["id"] for code, body in answers if code == 202]
    most_running = most_kernels = 0
    states: list[str] = []
    while time.monotonic() - started < 300:
        polled = await asyncio.gather(
            *(fetch(server.url("nbhygiene", "verify", i), headers=server.headers) for i in ids)
        )
        states = [json.loads(body)["state"] for _, body in polled]
        most_running = max(most_running, states.count("running"))
        most_kernels = max(most_kernels, server.kernels())
        if all(s in ("done", "failed", "cancelled") for s in states):
            break
        await asyncio.sleep(0.1)
    wall = time.monotonic() - started
    print(f"verify, {runs} runs started at once (cap {cap}): {len(ids)} accepted (202)")
    print(
        f"  all finished in {wall:.1f} s: "
        + ", ".join(f"{states.count(s)} {s}" for s in set(states))
    )
    print(f"  most running at once: {most_running} (status route), {most_kernels} kernel processes")
    print(f"  cap respected: {most_running <= cap and most_kernels <= cap}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--verify", type=int, default=10)
    parser.add_argument("--cap", type=int, default=2)
    parser.add_argument("--sequential", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="NbHygieneApp.analysis_workers")
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument(
        "--steps",
        default="analyze,leak,sessions,verify",
        help="comma-separated steps to run (analyze, leak, sessions, verify)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nbhygiene-load-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        server = Server(root, args.cap, args.workers)
        try:
            await server.wait_ready()
            print(
                f"jupyter server pid {server.proc.pid} on {HOST}:{server.port}, "
                f"{args.workers} analysis workers"
            )
            steps = set(args.steps.split(","))
            if "analyze" in steps:
                await analyze_load(server, args.cells, args.concurrent)
            if "leak" in steps:
                await leak_check(server, args.sequential)
            if "sessions" in steps:
                await session_memory(server, args.sessions)
            if "verify" in steps:
                await verify_load(server, args.verify, args.cap)
            left = server.kernels()
            print(f"kernel processes left after the runs: {left}")
        finally:
            server.stop()


if __name__ == "__main__":
    asyncio.run(main())
