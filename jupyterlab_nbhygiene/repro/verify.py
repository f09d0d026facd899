"""Verify reproducibility: run fresh, compare with the saved outputs, diagnose the cause."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .kernel import KernelManagerFactory, local_kernel_manager_factory
from .markers import cell_markers
from .order import order_issues, out_of_order, saved_order
from .runner import CellRun, RunOptions, code_cell_indices, run_notebook
from .verdicts import CellVerdict, build_result, judge_cell, mark_nondeterministic
from .workdir import SUMMARY_NOTE, note_remote_workdir

PHASES = ("run", "second-run", "execution-order")


@dataclass(frozen=True)
class Progress:
    """Reported after every cell: cells done out of the total (which grows when a re-run in
    saved execution order is added), the phase, and the cell's verdict during the first run."""

    done: int
    total: int
    phase: str
    cell: dict[str, Any] | None = None


OnProgress = Callable[[Progress], "Awaitable[None] | None"]


async def verify_notebook(
    nb: Mapping[str, Any],
    *,
    folder: str,
    options: RunOptions,
    runs: int = 1,
    km_factory: KernelManagerFactory = local_kernel_manager_factory,
    on_progress: OnProgress | None = None,
) -> dict[str, Any]:
    """Run `nb` top to bottom in a fresh kernel in `folder` and return the verify result
    (see verdicts.build_result). With `runs=2` a second fresh run tells `nondeterministic` cells
    from `changed` ones. When the top-down run raises where the saved outputs do not and the
    saved counts are out of order, the cells are run again in saved execution-count order; if
    that reproduces, the cause is `execution-order` and the cells whose order matters are named.
    With `options.remote_cwd` (a gateway kernel), cells whose change depends on the working
    directory say so in their reason and in the summary. Never writes the notebook. Raises
    KernelStartError when a kernel does not start.
    """
    if runs not in (1, 2):
        raise ValueError("runs must be 1 or 2")
    cells: list[Mapping[str, Any]] = list(nb.get("cells") or [])
    code = code_cell_indices(nb)
    markers = {i: cell_markers(cells[i]) for i in code}
    skip = {i for i in code if markers[i].skip}
    state = {"done": 0, "total": runs * len(code)}

    async def report(phase: str, cell: dict[str, Any] | None = None) -> None:
        state["done"] += 1
        if on_progress is not None:
            maybe = on_progress(Progress(state["done"], state["total"], phase, cell))
            if inspect.isawaitable(maybe):
                await maybe

    def judge(run: CellRun) -> CellVerdict:
        return judge_cell(
            cells[run.index],
            run,
            max_output_bytes=options.max_output_bytes,
            markers=markers[run.index],
        )

    first: dict[int, CellVerdict] = {}

    async def on_first(run: CellRun) -> None:
        first[run.index] = judge(run)
        await report("run", first[run.index].to_json())

    async def run(phase: str, order: Sequence[int] | None = None) -> list[CellRun]:
        async def on_cell(cell_run: CellRun) -> None:
            await report(phase)

        return await run_notebook(
            nb,
            folder=folder,
            options=options,
            km_factory=km_factory,
            order=order,
            skip=skip,
            on_cell=on_first if phase == "run" else on_cell,
        )

    await run("run")
    if runs == 2:
        for cell_run in await run("second-run"):
            mark_nondeterministic(first[cell_run.index], judge(cell_run))

    issues: list[dict[str, Any]] = []
    execution_order = False
    failing = [v for v in first.values() if v.verdict == "new-error"]
    if failing and out_of_order(cells, code):
        order = saved_order(cells, code)
        state["total"] += len(order)
        ordered = {r.index: judge(r) for r in await run("execution-order", order)}
        execution_order = all(
            ordered.get(v.index) is not None and ordered[v.index].verdict in ("same", "soft")
            for v in failing
        ) and not any(v.verdict == "new-error" for v in ordered.values())
        if execution_order:
            issues = order_issues(
                cells,
                code,
                [(v.index, v.error["ename"], v.error["evalue"]) for v in failing if v.error],
            )
    noted = options.remote_cwd and note_remote_workdir(cells, first.values())
    result = build_result(
        [first[i] for i in code if i in first],
        kernel=options.kernel_name,
        runs=runs,
        order_issues=issues,
        execution_order=execution_order,
    )
    if noted and not result["reproducible"]:
        result["summary"] = f"{result['summary']} {SUMMARY_NOTE}"
    return result
