"""Helpers for the gateway tests: the verify routes, notebooks, CPU time of a process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psutil
from tornado.httpclient import HTTPResponse

Fetch = Callable[..., Awaitable[HTTPResponse]]

ROOT = Path(__file__).resolve().parents[2]
USER = "nbhygiene-ci"  # stock Enterprise Gateway refuses to start kernels for root


def eg_python() -> Path | None:
    """The Python of the Enterprise Gateway venv: $NBHYGIENE_EG_VENV, the repository's
    `.venv-eg`, or a `.venv-eg` beside the venv running the tests."""
    candidates = [os.environ.get("NBHYGIENE_EG_VENV"), ROOT / ".venv-eg"]
    candidates.append(Path(sys.prefix).parent / ".venv-eg")
    for venv in candidates:
        if venv and (Path(venv) / "bin" / "python").exists():
            return Path(venv) / "bin" / "python"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Gateway:
    """The running gateway: its URL, process, and its own view of its kernels."""

    def __init__(
        self, url: str, token: str, process: subprocess.Popen[bytes], home: Path, log: Path
    ) -> None:
        self.url = url
        self.token = token
        self.process = process
        self.home = home
        self.log = log

    def kernels(self) -> list[dict[str, Any]]:
        """The gateway's /api/kernels. Its list can answer 500 while a kernel is being
        removed (a race in its kernel manager, jupyter/notebook#5875): asked again then,
        up to five times."""
        request = urllib.request.Request(
            f"{self.url}/api/kernels", headers={"Authorization": f"token {self.token}"}
        )
        attempts = 0
        while True:
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    data: list[dict[str, Any]] = json.loads(response.read())
                    return data
            except urllib.error.HTTPError as e:
                attempts += 1
                if e.code < 500 or attempts == 5:
                    raise
                time.sleep(0.1)

    def kernel_processes(self) -> list[psutil.Process]:
        """The kernel processes the gateway started (its children)."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]

    def clear(self, timeout: float = 10.0) -> None:
        """Delete whatever kernels the gateway holds, and wait for their processes to end."""
        for kernel in self.kernels():
            request = urllib.request.Request(
                f"{self.url}/api/kernels/{kernel['id']}",
                method="DELETE",
                headers={"Authorization": f"token {self.token}"},
            )
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=10).close()
        deadline = time.monotonic() + timeout
        while (self.kernels() or self.kernel_processes()) and time.monotonic() < deadline:
            time.sleep(0.1)

    def wait_until_empty(self, timeout: float = 10.0) -> None:
        """No kernel on the gateway and no kernel process under it (within `timeout` s)."""
        deadline = time.monotonic() + timeout
        while (self.kernels() or self.kernel_processes()) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = self.kernels()
        assert left == [], f"kernels left on the gateway: {left}"
        assert self.kernel_processes() == [], "kernel processes left under the gateway"


def write_kernelspecs(base: Path, python: Path) -> Path:
    kernels = base / "jupyter" / "kernels"
    specs = {
        "python3": {
            "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (gateway)",
            "language": "python",
        },
        "bash": {"argv": ["bash", "{connection_file}"], "display_name": "Bash", "language": "bash"},
    }
    for name, spec in specs.items():
        (kernels / name).mkdir(parents=True)
        (kernels / name / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return base / "jupyter"


def write(root: Path, rel: str, nb: dict[str, Any]) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


async def start(fetch: Fetch, body: dict[str, Any]) -> str:
    response = await fetch("nbhygiene", "verify", method="POST", body=json.dumps(body))
    assert response.code == 202
    run_id: str = json.loads(response.body)["id"]
    return run_id


async def status(fetch: Fetch, run_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((await fetch("nbhygiene", "verify", run_id)).body)
    return data


async def wait_for(
    fetch: Fetch, run_id: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 40
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        data = await status(fetch, run_id)
        if predicate(data):
            return data
        assert loop.time() < deadline, data
        await asyncio.sleep(0.1)


def finished(data: dict[str, Any]) -> bool:
    return data["state"] in ("done", "failed", "cancelled")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime 14 and stime 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class SlowProxy:
    """A TCP forwarder to 127.0.0.1:`target` that holds every new connection `delay` seconds
    before passing it on: a slow gateway. It runs its own event loop in a thread, so a client
    that blocks the test's loop while connecting cannot stall it."""

    def __init__(self, target: int, delay: float) -> None:
        self.target, self.delay = target, delay
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    def __enter__(self) -> SlowProxy:
        self._thread.start()
        assert self._ready.wait(10), "the proxy did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        server = await asyncio.start_server(self._forward, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(self.delay)
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except OSError:
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
