"""Faults during a verify run, through the server: the kernel killed from outside, a kernel that
never starts or dies at start, the notebook deleted or changed on disk, a cancel during kernel
start-up, the server shutting down with runs queued. Every run ends with a state, no kernel
process remains, and the user's file is exactly as the user left it.

(tests/repro/test_runner_faults.py covers crashes from inside a cell, timeouts and output
floods at the engine level; tests/handlers/test_verify_routes.py a plain cancel and shutdown.)"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hardening.support import Live, kernel_processes, raw
from nbfactory import make_notebook
from repro.support import assert_no_new_kernels, child_pids, living_children, sha256, stream

FINISHED = ("done", "failed", "cancelled")
EXTENSIONS = {"jupyterlab_nbhygiene": True}
CONFIG = {
    "ServerApp": {"jpserver_extensions": EXTENSIONS},
    "NbHygieneApp": {"verify_timeout": 30.0, "startup_timeout": 60.0},
}
SLOW = make_notebook(
    {"source": "x = 1", "execution_count": 1},
    {"source": "import time\ntime.sleep(60)", "execution_count": 2},
    {"source": "print(x)", "execution_count": 3, "outputs": [stream("1\n")]},
)
PAUSE = make_notebook(
    {"source": "x = 1", "execution_count": 1},
    {"source": "import time\ntime.sleep(2)", "execution_count": 2},
    {"source": "print(x)", "execution_count": 3, "outputs": [stream("1\n")]},
)


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return CONFIG


@pytest.fixture(autouse=True)
def no_kernel_left_behind() -> Iterator[None]:
    before = child_pids()
    yield
    assert_no_new_kernels(before, grace=5.0)


def save(root: Path, name: str, nb: dict[str, Any]) -> Path:
    path = root / name
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


async def start(live: Live, path: str) -> str:
    answer = await raw(
        live.url("nbhygiene/verify"),
        method="POST",
        body=json.dumps({"path": path}),
        headers=live.auth,
    )
    assert answer.code == 202, answer.text
    run_id: str = answer.json()["id"]
    return run_id


async def state_of(live: Live, run_id: str) -> dict[str, Any]:
    answer = await raw(live.url("nbhygiene/verify", run_id), headers=live.auth)
    assert answer.code == 200, answer.text
    data: dict[str, Any] = answer.json()
    return data


async def wait_until(live: Live, run_id: str, what: str, timeout: float = 90) -> dict[str, Any]:
    """Poll the status route until `what` holds: "finished" or "cell-running" (one cell done)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        data = await state_of(live, run_id)
        if data["state"] in FINISHED or (what == "cell-running" and data["progress"]["done"] >= 1):
            return data
        assert loop.time() < deadline, data
        await asyncio.sleep(0.05)


def verdicts(data: dict[str, Any]) -> list[str]:
    return [c["verdict"] for c in data["cells"]]


async def test_a_kernel_killed_from_outside_ends_the_run(live: Live, jp_root_dir: Path) -> None:
    path = save(jp_root_dir, "slow.ipynb", SLOW)
    digest = sha256(path)
    before = child_pids()
    run_id = await start(live, "slow.ipynb")
    await wait_until(live, run_id, "cell-running")
    [kernel] = kernel_processes(before)
    kernel.send_signal(signal.SIGKILL)  # as the OOM killer would
    data = await wait_until(live, run_id, "finished", timeout=30)
    assert data["state"] == "done", data
    assert verdicts(data) == ["same", "kernel-died", "skipped"]
    assert data["result"]["reproducible"] is False
    assert not kernel_processes(before)
    assert sha256(path) == digest


KERNELS = {
    "never-answers": [sys.executable, "-c", "import time; time.sleep(600)", "{connection_file}"],
    "dies-at-start": [sys.executable, "-c", "raise SystemExit(3)", "{connection_file}"],
}


@pytest.mark.parametrize(
    "jp_server_config",
    [
        {
            "ServerApp": {"jpserver_extensions": EXTENSIONS},
            "NbHygieneApp": {"startup_timeout": 4.0},
        }
    ],
)
@pytest.mark.parametrize("kernel", sorted(KERNELS))
async def test_a_kernel_that_does_not_start_fails_the_run(
    live: Live, jp_root_dir: Path, jp_kernel_dir: Path, kernel: str
) -> None:
    spec = jp_kernel_dir / kernel
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps({"argv": KERNELS[kernel], "display_name": kernel, "language": "python"})
    )
    nb = make_notebook("x = 1")
    nb["metadata"]["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    path = save(jp_root_dir, "nb.ipynb", nb)
    digest = sha256(path)
    before = child_pids()
    run_id = await start(live, "nb.ipynb")
    data = await wait_until(live, run_id, "finished", timeout=60)
    assert data["state"] == "failed", data
    assert "start" in data["message"], data["message"]
    assert "Traceback" not in data["message"]
    assert not living_children(before)  # the hung process was killed, not left to sleep
    assert sha256(path) == digest


async def test_the_notebook_deleted_during_a_run(live: Live, jp_root_dir: Path) -> None:
    path = save(jp_root_dir, "nb.ipynb", PAUSE)
    run_id = await start(live, "nb.ipynb")
    await wait_until(live, run_id, "cell-running")
    path.unlink()
    data = await wait_until(live, run_id, "finished")
    # The run goes on with what was read at the start; the file is not written back.
    assert data["state"] == "done", data
    assert verdicts(data) == ["same", "same", "same"]
    assert not path.exists()
    assert list(jp_root_dir.iterdir()) == []


async def test_the_notebook_changed_during_a_run(live: Live, jp_root_dir: Path) -> None:
    path = save(jp_root_dir, "nb.ipynb", PAUSE)
    run_id = await start(live, "nb.ipynb")
    await wait_until(live, run_id, "cell-running")
    # The user saves a new version while the run goes on.
    edited = make_notebook({"source": "print('edited')", "execution_count": 1})
    mine = json.dumps(edited, indent=2).encode("utf-8") + b"\n"
    path.write_bytes(mine)
    data = await wait_until(live, run_id, "finished")
    assert data["state"] == "done", data
    assert verdicts(data) == ["same", "same", "same"]  # the version read at the start
    assert path.read_bytes() == mine


async def test_a_cancel_during_kernel_start_up(live: Live, jp_root_dir: Path) -> None:
    path = save(jp_root_dir, "slow.ipynb", SLOW)
    digest = sha256(path)
    before = child_pids()
    run_id = await start(live, "slow.ipynb")
    await asyncio.sleep(0.3)  # the kernel process is starting, not yet answering
    answer = await raw(live.url("nbhygiene/verify", run_id), method="DELETE", headers=live.auth)
    assert answer.code == 204
    assert (await state_of(live, run_id))["state"] == "cancelled"
    assert not kernel_processes(before)
    assert sha256(path) == digest


@pytest.mark.parametrize(
    "jp_server_config",
    [
        {
            "ServerApp": {"jpserver_extensions": EXTENSIONS},
            "NbHygieneApp": {"max_concurrent_runs": 1},
        }
    ],
)
async def test_server_shutdown_with_a_run_going_and_one_queued(
    live: Live, jp_root_dir: Path
) -> None:
    paths = [save(jp_root_dir, f"slow{i}.ipynb", SLOW) for i in range(2)]
    digests = [sha256(p) for p in paths]
    before = child_pids()
    running = await start(live, "slow0.ipynb")
    queued = await start(live, "slow1.ipynb")
    await wait_until(live, running, "cell-running")
    assert (await state_of(live, queued))["state"] == "queued"
    await live.serverapp.extension_manager.stop_all_extensions()
    registry = live.nbhygiene.registry
    assert [registry.get(r).state for r in (running, queued)] == ["cancelled", "cancelled"]
    assert not kernel_processes(before)
    assert [sha256(p) for p in paths] == digests
