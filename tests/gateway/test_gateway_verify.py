"""Verify through a lab server whose kernels run on a real Enterprise Gateway: every verdict
as with local kernels, nothing left on the gateway, and an idle server while a cell sleeps."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from gateway.support import (
    ROOT,
    Fetch,
    Gateway,
    cpu_seconds,
    finished,
    start,
    status,
    wait_for,
    write,
)
from nbfactory import make_notebook
from repro.support import stream

pytestmark = pytest.mark.gateway


def verdicts(data: dict[str, Any]) -> list[str]:
    return [c["verdict"] for c in data["cells"]]


async def lab_kernels(fetch: Fetch) -> list[Any]:
    data: list[Any] = json.loads((await fetch("api", "kernels")).body)
    return data


async def test_hidden_state_runs_on_the_gateway_not_among_the_users_kernels(
    jp_fetch: Fetch, jp_root_dir: Path, gateway: Gateway
) -> None:
    shutil.copy(ROOT / "demo" / "hidden_state.ipynb", jp_root_dir / "hidden_state.ipynb")
    seen: list[int] = []
    stop = threading.Event()

    def watch() -> None:  # the gateway's own list, polled beside the run
        while not stop.is_set():
            seen.append(len(gateway.kernels()))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        run_id = await start(jp_fetch, {"path": "hidden_state.ipynb"})
        while not finished(data := await status(jp_fetch, run_id)):
            assert await lab_kernels(jp_fetch) == []
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        watcher.join()
    assert data["state"] == "done", data
    result = data["result"]
    # The same result as with a local kernel: the fresh run fails where the saved one did not,
    # and the saved execution order reproduces it.
    assert verdicts(data) == ["same", "same", "new-error", "same", "same", "same"]
    assert result["cause"] == "execution-order"
    assert max(seen) >= 1  # the run's kernels ran on the gateway
    assert await lab_kernels(jp_fetch) == []


async def test_a_cell_past_its_timeout_is_timeout_and_the_run_goes_on(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    nb = make_notebook(
        {"source": "x = 1", "execution_count": 1},
        {"source": "import time\ntime.sleep(30)", "execution_count": 2},
        {"source": "print(x + 1)", "execution_count": 3, "outputs": [stream("2\n")]},
    )
    write(jp_root_dir, "slow.ipynb", nb)
    started = time.monotonic()
    run_id = await start(jp_fetch, {"path": "slow.ipynb", "timeout": 2})
    data = await wait_for(jp_fetch, run_id, finished)
    assert data["state"] == "done", data
    assert verdicts(data) == ["same", "timeout", "same"]
    assert "still running after 2 s" in data["cells"][1]["reason"]
    assert time.monotonic() - started < 20


async def test_a_killed_kernel_is_kernel_died_at_once_though_the_gateway_restarts_it(
    jp_fetch: Fetch, jp_root_dir: Path, gateway: Gateway
) -> None:
    nb = make_notebook(
        {"source": "x = 1", "execution_count": 1},
        {"source": "import time\ntime.sleep(30)", "execution_count": 2},
        {"source": "print(x)", "execution_count": 3, "outputs": [stream("1\n")]},
    )
    write(jp_root_dir, "killed.ipynb", nb)
    run_id = await start(jp_fetch, {"path": "killed.ipynb", "timeout": 25})
    await wait_for(jp_fetch, run_id, lambda d: d["progress"]["done"] >= 1)
    await asyncio.sleep(0.5)  # cell 2 is sleeping in the kernel
    [kernel] = gateway.kernel_processes()
    os.kill(kernel.pid, signal.SIGKILL)
    killed = time.monotonic()
    data = await wait_for(jp_fetch, run_id, finished)
    assert data["state"] == "done", data
    assert verdicts(data) == ["same", "kernel-died", "skipped"]
    assert "died" in data["cells"][1]["reason"]
    assert time.monotonic() - killed < 10  # never waits out the cell's 25 s timeout


async def test_a_cell_that_ends_the_kernel_is_kernel_died_as_locally(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write(jp_root_dir, "crash.ipynb", make_notebook("import os\nos._exit(1)", "print(1)"))
    run_id = await start(jp_fetch, {"path": "crash.ipynb", "timeout": 25})
    data = await wait_for(jp_fetch, run_id, finished, timeout=15)
    assert verdicts(data) == ["kernel-died", "skipped"]


SLOW = make_notebook("x = 1", "import time\ntime.sleep(60)", "print('never')")


async def test_cancel_deletes_the_gateway_kernel_before_answering(
    jp_fetch: Fetch, jp_root_dir: Path, gateway: Gateway
) -> None:
    write(jp_root_dir, "slow.ipynb", SLOW)
    run_id = await start(jp_fetch, {"path": "slow.ipynb"})
    await wait_for(jp_fetch, run_id, lambda d: d["progress"]["done"] >= 1)
    assert len(await asyncio.to_thread(gateway.kernels)) == 1
    assert await lab_kernels(jp_fetch) == []
    response = await jp_fetch("nbhygiene", "verify", run_id, method="DELETE")
    assert response.code == 204
    assert (await status(jp_fetch, run_id))["state"] == "cancelled"
    assert await asyncio.to_thread(gateway.kernels) == []


async def test_cancel_while_the_gateway_starts_the_kernel_leaves_none_behind(
    jp_fetch: Fetch, jp_root_dir: Path, gateway: Gateway
) -> None:
    write(jp_root_dir, "slow.ipynb", SLOW)
    run_id = await start(jp_fetch, {"path": "slow.ipynb"})
    await wait_for(jp_fetch, run_id, lambda d: d["state"] == "running")
    response = await jp_fetch("nbhygiene", "verify", run_id, method="DELETE")
    assert response.code == 204
    assert (await status(jp_fetch, run_id))["state"] == "cancelled"
    await asyncio.to_thread(gateway.wait_until_empty)


async def test_server_shutdown_mid_run_deletes_the_gateway_kernel(
    jp_fetch: Fetch, jp_root_dir: Path, jp_serverapp: Any, gateway: Gateway
) -> None:
    write(jp_root_dir, "slow.ipynb", SLOW)
    run_id = await start(jp_fetch, {"path": "slow.ipynb"})
    await wait_for(jp_fetch, run_id, lambda d: d["progress"]["done"] >= 1)
    await jp_serverapp.extension_manager.stop_all_extensions()
    [extension] = list(jp_serverapp.extension_manager.extension_apps["jupyterlab_nbhygiene"])
    run = extension.registry.get(run_id)
    assert run is not None
    assert run.state == "cancelled"
    assert await asyncio.to_thread(gateway.kernels) == []


async def test_the_server_stays_idle_while_a_gateway_cell_sleeps(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write(jp_root_dir, "sleep.ipynb", make_notebook("x = 1", "import time\ntime.sleep(30)"))
    run_id = await start(jp_fetch, {"path": "sleep.ipynb"})
    await wait_for(jp_fetch, run_id, lambda d: d["progress"]["done"] >= 1)
    await asyncio.sleep(0.3)
    # The lab server runs in this process (pytest-jupyter); nothing else here works meanwhile.
    before, began = cpu_seconds(os.getpid()), time.monotonic()
    await asyncio.sleep(3)
    used = (cpu_seconds(os.getpid()) - before) / (time.monotonic() - began)
    assert (await status(jp_fetch, run_id))["state"] == "running"
    await jp_fetch("nbhygiene", "verify", run_id, method="DELETE")
    assert used <= 0.25, f"the server used {used:.0%} of a core while the cell slept"


async def test_a_path_dependent_change_names_the_gateways_working_directory(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    (jp_root_dir / "data.txt").write_text("hello", encoding="utf-8")
    nb = make_notebook(
        {
            "source": "print(open('data.txt').read())",
            "execution_count": 1,
            "outputs": [stream("hello\n")],
        }
    )
    write(jp_root_dir, "reads.ipynb", nb)
    run_id = await start(jp_fetch, {"path": "reads.ipynb"})
    data = await wait_for(jp_fetch, run_id, finished)
    [cell] = data["cells"]
    assert cell["verdict"] == "new-error"
    assert cell["error"]["ename"] == "FileNotFoundError"
    assert "working directory" in cell["reason"]
    assert "working directory is not the notebook's folder" in data["result"]["summary"]
