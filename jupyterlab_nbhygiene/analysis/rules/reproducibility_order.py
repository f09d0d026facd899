"""Rules on the execution record: order, gaps, unexecuted cells, errors, stale outputs.

Everything except `stale-cell` reads only execution counts and outputs, so these rules also
run on notebooks of other languages. Without a history the record is the saved file's;
with one (a live kernel session, perhaps restarted) the counts and outputs are those on
screen, and the messages do not call them "saved".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ..context import AnalysisContext
from ..model import Cell, CellState, cell_label, cell_runs_label
from .base import Draft, cell_ref, outputs_word, plural, rule
from .expected import expects_error


def _rerun(ctx: AnalysisContext) -> str:
    """What to do about the record: re-run everything (and, for a saved file, save)."""
    return "Restart & Run All" if ctx.history is not None else "Restart & Run All, then save"


def _executed(ctx: AnalysisContext) -> list[Cell]:
    return [c for c in ctx.notebook.code_cells if c.execution_count is not None]


@rule(
    "out-of-order-execution",
    "reproducibility",
    "warning",
    "Saved execution counts do not increase top to bottom.",
    "The saved outputs came from an order a reader re-running top to bottom will not "
    "repeat. Notebooks executed out of order were 0.34x as likely to reproduce (Pimentel "
    "et al., EMSE 2021); 25% of 4.2M notebooks were (Jupyter's 2019 re-analysis).",
    needs_python=False,
)
def out_of_order(ctx: AnalysisContext) -> Iterator[Draft]:
    executed = _executed(ctx)
    descents = [
        (above, below)
        for above, below in itertools.pairwise(executed)
        if below.execution_count is not None
        and above.execution_count is not None
        and below.execution_count <= above.execution_count
    ]
    if not descents:
        return
    above, below = descents[0]
    more = f" (and {plural(len(descents) - 1, 'other place')})" if len(descents) > 1 else ""
    if above.execution_count == below.execution_count:
        what = (
            f"This cell and {cell_ref(ctx, above.index)} above it have the same count: "
            f"they ran in different kernel sessions{more}."
        )
    else:
        what = f"This cell ran before {cell_ref(ctx, above.index)} above it{more}."
    yield (
        below.index,
        None,
        f"{what} The {outputs_word(ctx)} come from an order that running top to bottom does not "
        f"repeat: {_rerun(ctx)}.",
    )


@rule(
    "execution-count-gap",
    "reproducibility",
    "info",
    "Execution counts skip numbers or do not start at 1.",
    "A gap means cells ran that are no longer in the notebook (or ran twice), so the saved "
    "outputs may depend on code nobody can see. Notebooks with gaps mid-notebook were 0.64x "
    "as likely to reproduce (Pimentel et al., EMSE 2021).",
    needs_python=False,
)
def count_gap(ctx: AnalysisContext) -> Iterator[Draft]:
    executed = sorted(_executed(ctx), key=lambda c: c.execution_count or 0)
    if not executed:
        return
    first = executed[0]
    if first.execution_count is not None and first.execution_count > 1:
        where = "notebook" if ctx.history is not None else "saved notebook"
        yield (
            first.index,
            None,
            f"Execution counts start at [{first.execution_count}], not [1]: "
            f"{plural(first.execution_count - 1, 'earlier execution')} left no trace in the "
            f"{where}. {_rerun(ctx)}.",
        )
        return
    for prev, cur in itertools.pairwise(executed):
        a, b = prev.execution_count or 0, cur.execution_count or 0
        if b - a > 1:
            yield (
                cur.index,
                None,
                f"Execution counts jump from [{a}] ({cell_label(prev.index)}) to [{b}] (this "
                f"cell): {plural(b - a - 1, 'execution')} came from cells no longer in the "
                f"notebook or cells run again. {_rerun(ctx)}.",
            )
            return


@rule(
    "unexecuted-cell",
    "reproducibility",
    "warning",
    "A code cell has no execution count while cells below it have one.",
    "The outputs below were computed without this cell, so they may not be what running "
    "the notebook top to bottom gives.",
    needs_python=False,
)
def unexecuted(ctx: AnalysisContext) -> Iterator[Draft]:
    later_run = False
    found: list[Cell] = []
    for cell in reversed(ctx.notebook.code_cells):
        if cell.execution_count is not None:
            later_run = True
        elif later_run and cell.source.strip():
            found.append(cell)
    for cell in reversed(found):
        yield (
            cell.index,
            None,
            f"{cell_label(cell.index, capital=True)} was never run, but cells below it were: "
            f"their {outputs_word(ctx)} were computed without it. Run it in order (or delete it)"
            f"{'' if ctx.history is not None else ', then save'}.",
        )


def _error_text(output: dict[str, object]) -> str:
    ename, evalue = output.get("ename"), output.get("evalue")
    text = f"{ename}: {evalue}" if ename else "an error"
    return text if len(text) <= 120 else text[:117] + "..."


@rule(
    "error-output",
    "reproducibility",
    "warning",
    "A saved output is an error.",
    "A notebook saved with an error does not run top to bottom; 75.89% of notebooks "
    "attempted by Pimentel et al. (MSR 2019) failed with an exception.",
    needs_python=False,
)
def error_output(ctx: AnalysisContext) -> Iterator[Draft]:
    for cell in ctx.notebook.code_cells:
        if expects_error(cell):  # nbval's marker for an expected error
            continue
        for output in cell.outputs:
            if output.get("output_type") == "error":
                what = "Output" if ctx.history is not None else "Saved output"
                yield (
                    cell.index,
                    None,
                    f"{what} is an error ({_error_text(output)}): fix the cell, or tag it "
                    f"`raises-exception` if the error is the point, then re-run.",
                )
                break


@rule(
    "stale-cell",
    "reproducibility",
    "warning",
    "A cell's saved output was computed from a value a later execution changed.",
    "The output on screen no longer matches what the cell computes from the current state.",
)
def stale(ctx: AnalysisContext) -> Iterator[Draft]:
    for index, state in sorted(ctx.states.items()):
        if state.state != "stale":
            continue
        symbols = ctx.symbols.get(index)
        names = [r.name for r in state.stale_because] + [d.name for d in state.changed_by_deleted]
        if not names:
            continue
        line = symbols.uses.get(names[0]) if symbols else None
        more = f" (and {plural(len(names) - 1, 'other name')})" if len(names) > 1 else ""
        order = state.fix_by or (index,)
        fix = (
            f"Re-run {cell_label(order[0])}."
            if len(order) == 1
            else f"Re-run {cell_runs_label(order)} in that order."
        )
        yield (index, line, f"Output is stale: it used `{names[0]}`{more}{_why(ctx, state)} {fix}")


def _why(ctx: AnalysisContext, state: CellState) -> str:
    """Why the first reason of a stale cell makes it stale: a cell changed the name after
    this cell ran, or the cell it came from is out of date itself (that cell ran before
    this one: it did not change anything since)."""
    if not state.stale_because:
        return ", which a cell deleted since changed after this cell ran."
    reason = state.stale_because[0]
    ref = cell_ref(ctx, reason.cell)
    if not reason.via:
        return f", which {ref} changed after this cell ran."
    source = ctx.states.get(reason.cell)
    if source is not None and source.state == "edited":
        return f" from {ref}, which was edited after it ran."
    return f" from {ref}, which is stale itself."
