"""Background verify runs: asyncio tasks with ids, states, progress and a concurrency cap.

Pure asyncio, so the server and tests drive it the same way. Every task is kept in `_tasks`
until it ends (a task nobody references can be garbage-collected mid-run).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .kernel import ReproError
from .verify import Progress

log = logging.getLogger(__name__)

RunState = Literal["queued", "running", "done", "cancelled", "failed"]
FINISHED: frozenset[str] = frozenset({"done", "cancelled", "failed"})
Job = Callable[["Run"], Awaitable[dict[str, Any]]]


@dataclass
class Run:
    """One verify run as the status route shows it."""

    id: str
    path: str | None
    state: RunState = "queued"
    done: int = 0
    total: int = 0
    phase: str | None = None
    cells: dict[int, dict[str, Any]] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    message: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None  # when it left the queue and its kernel was started
    finished: float | None = None
    finished_monotonic: float | None = field(default=None, repr=False)

    def update(self, progress: Progress) -> None:
        """Progress callback for verify_notebook: counts, phase, and first-run cell verdicts."""
        self.done, self.total, self.phase = progress.done, progress.total, progress.phase
        if progress.cell is not None:
            self.cells[int(progress.cell["index"])] = progress.cell

    def to_json(self) -> dict[str, Any]:
        """The status body: `cells` holds verdicts so far (final once `state` is done, when
        `result` holds the whole verify result); `message` says why a run failed."""
        cells = self.result["cells"] if self.result else [self.cells[i] for i in sorted(self.cells)]
        return {
            "id": self.id,
            "path": self.path,
            "state": self.state,
            "progress": {"done": self.done, "total": self.total},
            "phase": self.phase,
            "cells": cells,
            "result": self.result,
            "message": self.message,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
        }


class RunRegistry:
    """Starts runs as tasks, at most `max_concurrent` at a time (the others wait `queued`),
    and forgets finished runs `ttl` seconds after they end."""

    def __init__(self, *, max_concurrent: int = 2, ttl: float = 3600.0) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.ttl = ttl
        self._slots = asyncio.Semaphore(max_concurrent)
        self._runs: dict[str, Run] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._closed = False

    def start(self, job: Job, *, path: str | None = None, total: int = 0) -> Run:
        """Queue `job(run)` and return its Run at once; the job's result becomes `run.result`.
        A ReproError from the job fails the run with its message."""
        if self._closed:
            raise RuntimeError("the run registry is shut down")
        self._expire()
        run = Run(id=uuid.uuid4().hex, path=path, total=total)
        self._runs[run.id] = run
        task = asyncio.ensure_future(self._drive(run, job))
        self._tasks[run.id] = task
        task.add_done_callback(self._forget_task)
        return run

    def _forget_task(self, task: asyncio.Task[None]) -> None:
        for run_id, known in list(self._tasks.items()):
            if known is task:
                del self._tasks[run_id]

    def get(self, run_id: str) -> Run | None:
        self._expire()
        return self._runs.get(run_id)

    def __len__(self) -> int:
        return len(self._runs)

    async def cancel(self, run_id: str, *, wait: float = 15.0) -> Run | None:
        """Cancel a queued or running run and wait (up to `wait` s) until its kernel is stopped.
        Returns None for an unknown id; a finished run is returned unchanged."""
        run = self.get(run_id)
        task = self._tasks.get(run_id)
        if run is None:
            return None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=wait)
        return run

    async def shutdown(self, *, wait: float = 30.0) -> None:
        """Cancel every run and wait until their kernels are stopped."""
        self._closed = True
        tasks = [t for t in self._tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=wait)

    async def _drive(self, run: Run, job: Job) -> None:
        try:
            async with self._slots:
                run.state, run.started = "running", time.time()
                run.result = await job(run)
                run.state = "done"
                if run.result is not None:
                    run.done = run.total = max(run.total, run.done)
        except asyncio.CancelledError:
            run.state, run.message = "cancelled", "The run was cancelled."
            # The run ends here on purpose: it is not re-raised, the task's job is over.
        except ReproError as e:
            run.state, run.message = "failed", str(e)
        except Exception:
            log.exception("nbhygiene: verify run %s failed", run.id)
            run.state = "failed"
            run.message = "The run failed with an internal error; the server log has the details."
        finally:
            run.finished = time.time()
            run.finished_monotonic = time.monotonic()

    def _expire(self) -> None:
        now = time.monotonic()
        for run_id, run in list(self._runs.items()):
            if run.finished_monotonic is not None and now - run.finished_monotonic > self.ttl:
                del self._runs[run_id]
