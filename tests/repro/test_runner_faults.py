"""Faults with real kernels: timeouts, dead kernels, output floods, kernels that never start,
cancellation. The autouse fixture checks that no kernel process outlives any of them."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook
from repro.support import stream, verdicts

from jupyterlab_nbhygiene.repro import (
    KernelStartError,
    Progress,
    RunOptions,
    run_notebook,
    verify_notebook,
)

pytestmark = pytest.mark.kernel

FAST = RunOptions(timeout=2, startup_timeout=30)


async def test_infinite_loop_times_out_and_the_run_goes_on(tmp_path: Path) -> None:
    nb = make_notebook(
        {"source": "while True:\n    pass", "execution_count": 1},
        {"source": "print('after')", "execution_count": 2, "outputs": [stream("after\n")]},
    )
    started = time.monotonic()
    out = await verify_notebook(nb, folder=str(tmp_path), options=FAST)
    assert verdicts(out) == {0: "timeout", 1: "same"}
    assert out["cause"] == "error"
    assert "2 s" in out["cells"][0]["reason"]
    assert time.monotonic() - started < 20


@pytest.mark.parametrize(
    "crash",
    ["import os\nos._exit(1)", "import ctypes\nctypes.string_at(0)"],
    ids=["os._exit", "segfault"],
)
async def test_a_dead_kernel_is_a_verdict_and_ends_the_run(tmp_path: Path, crash: str) -> None:
    nb = make_notebook(
        {"source": "x = 1", "execution_count": 1},
        {"source": crash, "execution_count": 2},
        {"source": "print(x)", "execution_count": 3, "outputs": [stream("1\n")]},
    )
    out = await verify_notebook(nb, folder=str(tmp_path), options=FAST)
    assert verdicts(out) == {0: "same", 1: "kernel-died", 2: "skipped"}
    assert out["cells"][2]["reason"] == "not run: the kernel died in cell 2"  # 1-based in text
    assert (out["reproducible"], out["cause"]) == (False, "error")
    assert "crashed the kernel" in out["summary"]


async def test_an_output_flood_is_capped(tmp_path: Path) -> None:
    nb = make_notebook(
        "import sys\nfor _ in range(40):\n    sys.stdout.write('x' * 100_000)\nprint('end')",
        "print('next')",
    )
    runs = await run_notebook(
        nb, folder=str(tmp_path), options=RunOptions(timeout=30, max_output_bytes=250_000)
    )
    flood, after = runs
    assert flood.status == "ok"
    assert flood.truncated
    assert sum(len(o.get("text", "")) for o in flood.outputs) <= 250_000
    # The kernel may flush one print as several stream messages on a busy machine.
    assert [o["name"] for o in after.outputs] == ["stdout"] * len(after.outputs)
    assert "".join(o["text"] for o in after.outputs) == "next\n"


def sleepy_kernelspec(tmp_path: Path) -> Any:
    """A kernelspec whose process never answers: it only sleeps."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec_dir = tmp_path / "kernels" / "sleepy"
    spec_dir.mkdir(parents=True)
    argv = [sys.executable, "-c", "import time; time.sleep(600)", "{connection_file}"]
    spec = {"argv": argv, "display_name": "Sleepy", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])

    def factory(name: str) -> Any:
        return AsyncKernelManager(kernel_name=name, kernel_spec_manager=specs)

    return factory


async def test_a_kernel_that_never_starts_fails_with_a_message(tmp_path: Path) -> None:
    nb = make_notebook("print(1)")
    started = time.monotonic()
    with pytest.raises(KernelStartError, match="did not start within 3 s"):
        await verify_notebook(
            nb,
            folder=str(tmp_path),
            options=RunOptions(kernel_name="sleepy", startup_timeout=3),
            km_factory=sleepy_kernelspec(tmp_path),
        )
    assert time.monotonic() - started < 10


async def test_a_missing_kernel_executable_fails_with_a_message(tmp_path: Path) -> None:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec_dir = tmp_path / "kernels" / "ghost"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": ["/nonexistent/python", "{connection_file}"],
        "display_name": "G",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    with pytest.raises(KernelStartError, match="could not be started"):
        await run_notebook(
            make_notebook("1"),
            folder=str(tmp_path),
            options=RunOptions(kernel_name="ghost", startup_timeout=5),
            km_factory=lambda name: AsyncKernelManager(kernel_name=name, kernel_spec_manager=specs),
        )


async def test_cancel_mid_run_stops_the_kernel_at_once(tmp_path: Path) -> None:
    nb = make_notebook("x = 1", "import time\ntime.sleep(60)", "print('never')")
    first_done = asyncio.Event()

    def progress(p: Progress) -> None:
        first_done.set()

    task = asyncio.ensure_future(
        verify_notebook(
            nb, folder=str(tmp_path), options=RunOptions(timeout=120), on_progress=progress
        )
    )
    await asyncio.wait_for(first_done.wait(), 30)
    await asyncio.sleep(0.3)  # inside the sleeping cell
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 3


async def test_the_servers_signal_handlers_are_left_alone(tmp_path: Path) -> None:
    def handler(signum: int, frame: Any) -> None:  # stands in for the server's handler
        pass

    previous = signal.signal(signal.SIGTERM, handler)
    sigint = signal.getsignal(signal.SIGINT)
    try:
        await run_notebook(make_notebook("1"), folder=str(tmp_path), options=FAST)
        assert signal.getsignal(signal.SIGTERM) is handler
        assert signal.getsignal(signal.SIGINT) is sigint
    finally:
        signal.signal(signal.SIGTERM, previous)
