"""Run a notebook's code cells in a fresh kernel with nbclient, without ever writing the file.

The kernel is started and stopped here rather than by ``NotebookClient.async_setup_kernel``:
that context manager installs SIGINT/SIGTERM handlers on the running loop and, on exit, resets
them to the defaults (nbclient 0.11.0), which inside the Jupyter server would replace the
server's own handlers. Cells run through ``async_execute_cell`` one by one, so a run can follow
any order (top-down, or the saved execution-count order).
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..analysis.model import cell_label
from .kernel import (
    KernelDiedAtStart,
    KernelManagerFactory,
    local_kernel_manager_factory,
    start_kernel,
    stop_kernel,
)
from .normalize import DEFAULT_MAX_OUTPUT_BYTES, OutputBudget, source_text

CellStatus = Literal["ok", "timeout", "died", "not-run", "skipped"]
TIMEOUT_ENAME = "NbHygieneCellTimeout"
INTERRUPT_GRACE = 5.0  # seconds a kernel has to answer again after a timed-out cell
START_ATTEMPTS = 2  # a kernel that dies before answering is started once more


@dataclass
class CellRun:
    """What one cell did in a run. `outputs` are nbformat outputs, capped per cell."""

    index: int
    status: CellStatus
    outputs: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    reason: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class RunOptions:
    """How to run: the kernelspec, per-cell and startup timeouts (seconds; <= 0 means none for
    cells), the per-cell output cap, extra keyword arguments for ``start_kernel``, and whether
    the kernel's working directory is chosen elsewhere (a gateway), not the notebook's folder."""

    kernel_name: str = "python3"
    timeout: float = 120.0
    startup_timeout: float = 60.0
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES
    start_kwargs: Mapping[str, Any] = field(default_factory=dict)
    remote_cwd: bool = False


OnCell = Callable[[CellRun], "Awaitable[None] | None"]


def code_cell_indices(nb: Mapping[str, Any]) -> list[int]:
    """Indices (in notebook order) of the code cells."""
    cells = nb.get("cells") or []
    return [
        i for i, c in enumerate(cells) if isinstance(c, Mapping) and c.get("cell_type") == "code"
    ]


def _notebook_node(nb: Mapping[str, Any]) -> Any:
    """A private NotebookNode copy with joined sources and no outputs: the caller's dict is
    never mutated, and nothing here can write a file."""
    import nbformat

    cells = []
    for i, cell in enumerate(nb.get("cells") or []):
        cells.append(
            {
                "cell_type": cell.get("cell_type", "code"),
                "id": str(cell.get("id") or f"cell-{i}"),
                "metadata": dict(cell.get("metadata") or {}),
                "source": source_text(cell.get("source")),
                "outputs": [],
                "execution_count": None,
            }
        )
    return nbformat.from_dict(  # type: ignore[no-untyped-call]
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": dict(nb.get("metadata") or {}),
            "cells": cells,
        }
    )


def _client_class() -> type[Any]:
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """NotebookClient whose captured output per cell is bounded (an output flood must not
        exhaust the server's memory); everything else is nbclient's own behaviour."""

        def __init__(self, nb: Any, max_output_bytes: int, **kw: Any) -> None:
            super().__init__(nb, **kw)
            self.budgets: dict[int, OutputBudget] = {}
            self.max_output_bytes = max_output_bytes
            self.replies: dict[int, dict[str, Any]] = {}

        def budget(self, cell_index: int) -> OutputBudget:
            if cell_index not in self.budgets:
                self.budgets[cell_index] = OutputBudget(self.max_output_bytes)
            return self.budgets[cell_index]

        def output(
            self, outs: list[Any], msg: dict[str, Any], display_id: Any, cell_index: int
        ) -> Any:
            budget = self.budget(cell_index)
            if self.clear_before_next_output:
                budget.reset()
            if budget.used >= budget.limit and msg["msg_type"] != "error":
                budget.truncated = True
                return None
            count = len(outs)
            out = super().output(outs, msg, display_id, cell_index)
            if out is not None and len(outs) > count and outs[-1] is out:
                kept = budget.admit(out)
                if kept is None:
                    outs.pop()
                elif kept is not out:
                    out["text"] = kept["text"]
            return out

        def clear_output(self, outs: list[Any], msg: dict[str, Any], cell_index: int) -> None:
            super().clear_output(outs, msg, cell_index)
            if not msg["content"].get("wait"):
                self.budget(cell_index).reset()

    return CappedClient


async def run_notebook(
    nb: Mapping[str, Any],
    *,
    folder: str,
    options: RunOptions,
    km_factory: KernelManagerFactory = local_kernel_manager_factory,
    order: Sequence[int] | None = None,
    skip: Collection[int] = (),
    on_cell: OnCell | None = None,
) -> list[CellRun]:
    """Run the code cells of `nb` in a fresh kernel started in `folder`, in `order` (default:
    every code cell top-down), and return one CellRun per cell of `order`.

    Cells in `skip` are reported `skipped` without running. Errors in cells are recorded, not
    raised. A timed-out cell is interrupted and the run goes on; if the kernel dies (or does not
    recover from the interrupt) the remaining cells are `not-run`. `on_cell` is called as each
    cell finishes. The kernel is shut down on every path, cancellation included. A kernel that
    dies before answering is started once more with a fresh manager; raises KernelStartError
    when the kernel does not start.
    """
    node = _notebook_node(nb)
    indices = list(order) if order is not None else code_cell_indices(nb)
    timeout = options.timeout if options.timeout and options.timeout > 0 else None
    client = _client_class()(
        node,
        options.max_output_bytes,
        km=None,
        kernel_name=options.kernel_name,
        timeout_func=lambda _cell: timeout,
        startup_timeout=max(1, round(options.startup_timeout)),
        interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "", "traceback": []},
        allow_errors=True,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": folder}},
    )

    async def remember_reply(cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        client.replies[cell_index] = execute_reply

    client.on_cell_executed = remember_reply
    results: list[CellRun] = []

    async def emit(run: CellRun) -> None:
        results.append(run)
        if on_cell is not None:
            maybe = on_cell(run)
            if inspect.isawaitable(maybe):
                await maybe

    km: Any = None
    kc: Any = None
    try:
        for attempt in range(1, START_ATTEMPTS + 1):
            km = km_factory(options.kernel_name)
            try:
                kc = await start_kernel(
                    km,
                    cwd=folder,
                    startup_timeout=options.startup_timeout,
                    start_kwargs=options.start_kwargs,
                )
                break
            except KernelDiedAtStart:
                # jupyter_client picks free ports before the kernel binds them: another
                # process may take one meanwhile. A fresh manager picks new ones.
                await stop_kernel(km, None)
                if attempt == START_ATTEMPTS:
                    raise
        client.km, client.kc = km, kc
        stopped: str | None = None
        executed = 0
        for index in indices:
            if stopped is not None:
                await emit(CellRun(index, "not-run", reason=stopped))
                continue
            if index in skip:
                await emit(CellRun(index, "skipped"))
                continue
            executed += 1
            run = await _run_cell(client, km, node.cells[index], index, executed, timeout)
            if run.status == "died":
                stopped = f"not run: the kernel died in {cell_label(index)}"
            elif run.status == "timeout" and not await _responsive(kc, INTERRUPT_GRACE):
                stopped = (
                    f"not run: the kernel did not stop after the timeout in {cell_label(index)}"
                )
            await emit(run)
    finally:
        if km is not None:
            await stop_kernel(km, kc)
    return results


async def _run_cell(
    client: Any, km: Any, cell: Any, index: int, count: int, timeout: float | None
) -> CellRun:
    from nbclient.exceptions import DeadKernelError

    client.replies.pop(index, None)
    client.budgets.pop(index, None)
    started = time.monotonic()
    status: CellStatus = "ok"
    reason = None
    try:
        await client.async_execute_cell(cell, index, execution_count=count)
    except DeadKernelError:
        # nbclient reports its own cancellation as DeadKernelError too: a living kernel means
        # the run was cancelled, and cancellation must stay cancellation.
        if await _alive(km):
            raise asyncio.CancelledError from None
        status, reason = "died", "the kernel died while running this cell"
    reply = client.replies.get(index) or {}
    if reply.get("content", {}).get("ename") == TIMEOUT_ENAME:
        status, reason = "timeout", f"still running after {timeout:g} s; interrupted"
    budget = client.budgets.get(index)
    return CellRun(
        index,
        status,
        outputs=[dict(o) for o in cell.get("outputs", [])],
        truncated=bool(budget and budget.truncated),
        reason=reason,
        seconds=round(time.monotonic() - started, 3),
    )


async def _alive(km: Any) -> bool:
    alive = km.is_alive()
    return bool(await alive) if inspect.isawaitable(alive) else bool(alive)


async def _responsive(kc: Any, grace: float) -> bool:
    """Whether the kernel answers kernel_info within `grace` seconds (after an interrupt)."""
    from queue import Empty

    msg_id = kc.kernel_info()
    deadline = time.monotonic() + grace
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = await kc.shell_channel.get_msg(timeout=left)
        except (Empty, asyncio.TimeoutError):
            return False
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return True
    return False
