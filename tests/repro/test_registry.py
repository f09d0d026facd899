"""The run registry: states, progress, the concurrency cap, cancel, expiry, shutdown."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jupyterlab_nbhygiene.repro import KernelStartError, Progress, Run, RunRegistry


async def until(predicate: Any, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


async def test_run_goes_queued_running_done_with_progress() -> None:
    registry = RunRegistry()
    gate = asyncio.Event()

    async def job(run: Run) -> dict[str, Any]:
        run.update(Progress(1, 2, "run", {"index": 0, "verdict": "same"}))
        await gate.wait()
        return {"reproducible": True, "cells": [{"index": 0, "verdict": "same"}]}

    run = registry.start(job, path="a.ipynb", total=2)
    assert run.state == "queued"
    assert len(run.id) == 32
    await until(lambda: run.done == 1)
    status = run.to_json()
    assert status["state"] == "running"
    assert status["progress"] == {"done": 1, "total": 2}
    assert status["cells"] == [{"index": 0, "verdict": "same"}]
    gate.set()
    await until(lambda: run.state == "done")
    assert registry.get(run.id) is run
    assert run.to_json()["result"]["reproducible"] is True
    assert run.to_json()["progress"] == {"done": 2, "total": 2}


async def test_concurrency_cap_queues_the_others() -> None:
    registry = RunRegistry(max_concurrent=1)
    gate = asyncio.Event()

    async def job(run: Run) -> dict[str, Any]:
        await gate.wait()
        return {}

    first, second = registry.start(job), registry.start(job)
    await until(lambda: first.state == "running")
    await asyncio.sleep(0.05)
    assert second.state == "queued"
    gate.set()
    await until(lambda: second.state == "done")


async def test_cancel_running_and_queued() -> None:
    registry = RunRegistry(max_concurrent=1)
    stopped: list[str] = []

    async def job(run: Run) -> dict[str, Any]:
        try:
            await asyncio.sleep(60)
        finally:
            stopped.append(run.id)  # where a runner shuts its kernel down
        return {}

    running, queued = registry.start(job), registry.start(job)
    await until(lambda: running.state == "running")
    assert await registry.cancel(queued.id) is queued
    assert queued.state == "cancelled"
    assert await registry.cancel(running.id) is running
    assert running.state == "cancelled"
    assert stopped == [running.id]
    assert await registry.cancel("nope") is None
    assert await registry.cancel(running.id) is running  # cancelling twice is harmless


async def test_failures_become_messages() -> None:
    registry = RunRegistry()

    async def no_kernel(run: Run) -> dict[str, Any]:
        raise KernelStartError("The kernel did not start within 3 s.")

    async def bug(run: Run) -> dict[str, Any]:
        raise ZeroDivisionError

    a, b = registry.start(no_kernel), registry.start(bug)
    await until(lambda: a.state == "failed" and b.state == "failed")
    assert a.message == "The kernel did not start within 3 s."
    assert b.message is not None
    assert "internal error" in b.message


async def test_finished_runs_expire() -> None:
    registry = RunRegistry(ttl=0.05)

    async def job(run: Run) -> dict[str, Any]:
        return {}

    run = registry.start(job)
    await until(lambda: run.state == "done")
    assert registry.get(run.id) is run
    await asyncio.sleep(0.1)
    assert registry.get(run.id) is None


async def test_shutdown_cancels_everything_and_refuses_new_runs() -> None:
    registry = RunRegistry(max_concurrent=1)

    async def job(run: Run) -> dict[str, Any]:
        await asyncio.sleep(60)
        return {}

    runs = [registry.start(job) for _ in range(3)]
    await until(lambda: runs[0].state == "running")
    await registry.shutdown()
    assert [r.state for r in runs] == ["cancelled"] * 3
    with pytest.raises(RuntimeError):
        registry.start(job)


def test_max_concurrent_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RunRegistry(max_concurrent=0)
