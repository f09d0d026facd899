"""Rules that predict a failing Restart & Run All: syntax errors and names nothing defines."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import AnalysisContext
from ..hidden import blind_from, reported
from ..model import CellIndex, cell_label
from .base import Code, Draft, cell_drafts, cell_ref, code_cells, rule
from .expected import expects_error


@rule(
    "syntax-error",
    "reproducibility",
    "error",
    "A code cell does not parse (after IPython magics are translated).",
    "Restart & Run All stops at the first cell that does not parse.",
)
def syntax_error(ctx: AnalysisContext) -> Iterator[Draft]:
    # A cell that does not parse has no tree, so it is among the `rest`.
    for cell, parsed in code_cells(ctx).rest:
        if parsed is None or parsed.syntax_error is None:
            continue
        problem = parsed.syntax_error
        yield (
            cell.index,
            problem.line,
            f"Cell does not parse: {problem.message}. Fix it; Restart & Run All stops here.",
        )


def _blind_from(ctx: AnalysisContext) -> CellIndex | None:
    """The first cell after which undefined names may come from where analysis cannot see
    (the same cell the `hidden` state stops at: hidden.blind_from)."""
    return blind_from(ctx.notebook, ctx.parsed, ctx.symbols)


def _generator(name: str) -> bool:
    """A library's random state (`np.random`): its module's name is checked instead."""
    return "." in name


@rule(
    "use-before-definition",
    "reproducibility",
    "error",
    "A name is used before any cell above defines it, but a later cell does.",
    "Restart & Run All raises NameError here. In 4.2M notebooks, 5.54% used a function, "
    "2.72% a variable and 1.12% a package before defining it (Jupyter's 2019 "
    "re-analysis); NameError caused 14.53% of failed re-runs (Pimentel et al., MSR 2019).",
)
def use_before_definition(ctx: AnalysisContext) -> Iterator[Draft]:
    for missing in ctx.graph.missing:
        later = missing.defined_later_in
        if later is None or _generator(missing.name):
            continue
        if missing.deleted_in is not None:
            yield (
                missing.cell,
                missing.line,
                f"`{missing.name}` is deleted in {cell_label(missing.deleted_in)} above and "
                f"only defined again later, in {cell_ref(ctx, later)}, so Restart & Run All "
                f"fails with NameError here. Read it before the `del`, or drop the `del`.",
            )
            continue
        yield (
            missing.cell,
            missing.line,
            f"`{missing.name}` is used here but only defined later, in "
            f"{cell_ref(ctx, later)}: Restart & Run All fails with NameError. Move that "
            f"definition above this cell (or this cell below it).",
        )


@rule(
    "undefined-name",
    "reproducibility",
    "error",
    "A name is used that no cell defines and that is not a builtin.",
    "The value lives only in the kernel (a deleted or edited cell?), so Restart & Run All "
    "raises NameError (14.53% of failed re-runs, Pimentel et al., MSR 2019).",
)
def undefined_name(ctx: AnalysisContext) -> Iterator[Draft]:
    nowhere = [m for m in ctx.graph.missing if m.defined_later_in is None]
    blind = _blind_from(ctx) if nowhere else None
    cells = ctx.notebook.cells
    for missing in nowhere:
        if not reported(missing, blind):
            continue  # a star import, exec or %run above may define it
        if expects_error(cells[missing.cell]):
            continue  # nbval's `raises-exception`: the NameError is the point
        if missing.deleted_in is not None:
            yield (
                missing.cell,
                missing.line,
                f"`{missing.name}` is deleted in {cell_label(missing.deleted_in)} above, so "
                f"Restart & Run All fails with NameError here. Read it before the `del`, or "
                f"drop the `del`.",
            )
            continue
        yield (
            missing.cell,
            missing.line,
            f"`{missing.name}` is not defined by any cell: it exists only in the kernel "
            f"(a deleted or edited cell?), so Restart & Run All fails with NameError. "
            f"Define or import it in a cell above.",
        )


@rule(
    "dynamic-namespace",
    "reproducibility",
    "info",
    "`exec`, `eval`, `globals()[...]` or `locals()` writes: analysis cannot follow them.",
    "Names created or read this way are invisible to readers and to this analysis.",
)
def dynamic_namespace(ctx: AnalysisContext) -> list[Draft]:
    return cell_drafts(ctx, _dynamic)


def _dynamic(code: Code) -> tuple[tuple[int, str], ...]:
    """(line, message) for each dynamic namespace access of a cell."""
    if not code.symbols.dynamic:
        return ()  # most cells: nothing to sort
    found = []
    for what, line in sorted(code.symbols.dynamic.items(), key=lambda kv: kv[1]):
        call = what if what.startswith("%") else f"{what}()"
        found.append(
            (
                line,
                f"`{call}` reads or writes names the analysis cannot follow: prefer plain "
                f"assignments or a dict you name.",
            )
        )
    return tuple(found)
