"""Records shared by every stage of the analysis.

The pipeline is: notebook JSON -> :class:`Cell` (notebook.py) -> :class:`ParsedCell`
(source.py) -> :class:`CellSymbols` (symbols.py) -> :class:`Graph` (graph.py) ->
:class:`CellState` (state.py) -> findings (rules/) -> score (score.py) -> report (report.py).

Everything here is plain data: no tornado, no jupyter_server, no kernel.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, NewType

CellIndex = NewType("CellIndex", int)
"""0-based position of a cell in the notebook, counting every cell (markdown too)."""

CellType = Literal["code", "markdown", "raw"]
Severity = Literal["error", "warning", "info"]
Category = Literal["reproducibility", "structure", "documentation", "portability"]
StateName = Literal["fresh", "stale", "edited", "unexecuted", "errored", "hidden", "markdown"]
HiddenWhy = Literal["below", "nowhere", "deleted", "edited", "via"]


def cell_label(index: int, *, capital: bool = False) -> str:
    """How human-facing text names the cell at 0-based `index`: `cell N` with N = index + 1,
    as JupyterLab's status bar counts ("Cell 4/7"). JSON fields (`index`, `cell`) stay 0-based.
    """
    return f"{'Cell' if capital else 'cell'} {index + 1}"


def ordinal(n: int) -> str:
    """`1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, `112th`."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{({1: 'st', 2: 'nd', 3: 'rd'}).get(n % 10, 'th')}"


def cell_run_label(index: int, execution_count: int | None) -> str:
    """How a message points at another cell: `cell 6 (run 4th)` when it has an execution
    count (the `[4]` of its prompt: the kernel's 4th execution), else `cell 6`."""
    label = cell_label(index)
    return label if execution_count is None else f"{label} (run {ordinal(execution_count)})"


def cells_label(indices: Iterable[int]) -> str:
    """`cells 2, 3, 5` (or `cell 2` for one) for 0-based `indices`, numbered as
    :func:`cell_label` does."""
    numbers = [str(i + 1) for i in indices]
    return ("cell " if len(numbers) == 1 else "cells ") + ", ".join(numbers)


def cell_runs_label(indices: Iterable[int]) -> str:
    """`cells 2-40, 42, 44` for sorted 0-based `indices`: as :func:`cells_label`, with three
    or more consecutive cells as one span, so a long re-run list stays short."""
    parts: list[str] = []
    numbers = [i + 1 for i in indices]
    start = 0
    for end in range(1, len(numbers) + 1):
        if end < len(numbers) and numbers[end] == numbers[end - 1] + 1:
            continue
        first, last = numbers[start], numbers[end - 1]
        if last - first >= 2:
            parts.append(f"{first}-{last}")
        else:
            parts.extend(str(n) for n in numbers[start:end])
        start = end
    return ("cell " if len(numbers) == 1 else "cells ") + ", ".join(parts)


SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
CATEGORIES: tuple[Category, ...] = ("reproducibility", "structure", "documentation", "portability")


@dataclass(slots=True)
class Cell:
    """A cell as read from the notebook file (see notebook.py)."""

    index: CellIndex
    id: str
    cell_type: CellType
    source: str
    execution_count: int | None = None
    outputs: tuple[dict[str, Any], ...] = ()
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ShellCommand:
    """An IPython escape found in a cell: `!cmd`, `%magic args`, `%%magic args`."""

    line: int  # 1-based line in the cell source
    kind: Literal["shell", "line-magic", "cell-magic"]
    text: str  # the command without its prefix, e.g. "pip install pandas"


@dataclass(frozen=True)
class ParsedCell:
    """A code cell after IPython syntax was translated to Python (source.py).

    `python` keeps the cell's line numbering: line N of `python` is line N of the cell.
    """

    python: str
    tree: ast.Module | None
    syntax_error: SyntaxProblem | None = None
    cell_magic: str | None = None  # e.g. "time", "bash"
    skipped: bool = False  # a cell magic that does not run Python (%%bash, %%html, ...)
    commands: tuple[ShellCommand, ...] = ()


@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    line: int  # 1-based line in the cell source
    col: int = 0


@dataclass(frozen=True)
class ImportRecord:
    """One imported binding: `import a.b` binds `a`; `from m import x as y` binds `y`."""

    module: str  # absolute or relative module name as written (`.utils`, `numpy`)
    name: str  # the global name bound ("*" for a star import)
    line: int


@dataclass(frozen=True)
class CellSymbols:
    """What one code cell does to the global namespace (symbols.py).

    Each mapping goes from a global name to the first 1-based line where the cell
    does that to it. `uses` only holds names read before the cell binds them itself.
    """

    defines: dict[str, int] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)
    mutates: dict[str, int] = field(default_factory=dict)
    deletes: dict[str, int] = field(default_factory=dict)
    imports: tuple[ImportRecord, ...] = ()
    # The names of `mutates` the cell changes by drawing from (or seeding) a random
    # generator: `rng.normal()`, `random.shuffle(x)` (`random`), `np.random.rand()`.
    draws: dict[str, int] = field(default_factory=dict)
    # Names read and rebound by the same cell (`x = x + 1`, `df = df.dropna()`, `x += 1`).
    rebinds_own_input: dict[str, int] = field(default_factory=dict)
    # Calls the analysis cannot follow: exec/eval/globals()/locals() writes -> line.
    dynamic: dict[str, int] = field(default_factory=dict)
    # Builtin and IPython names the cell reads (`print`, `display`): not uses, unless
    # some cell of the notebook rebinds them (graph.py decides).
    builtin_uses: dict[str, int] = field(default_factory=dict)
    # The part of `uses` read only inside function or lambda bodies, i.e. when called.
    deferred_uses: dict[str, int] = field(default_factory=dict)
    # Function and class names the cell defines -> globals their bodies read when called.
    function_globals: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Function and class names the cell defines -> globals their bodies bind (`global x;
    # x = ...`) when called: the calling cell changes those, not the defining one.
    function_writes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The part of `defines` only function bodies bind (functions the cell does not call).
    deferred_defines: dict[str, int] = field(default_factory=dict)
    # The part of `deletes` only function bodies delete (`global x; del x` in functions
    # the cell does not call): the calling cell deletes those.
    deferred_deletes: dict[str, int] = field(default_factory=dict)
    # The part of `deletes` the cell leaves deleted when it ends (a top-level `del x`
    # after its last top-level binding of `x`): later cells cannot take `x` from above it.
    ends: dict[str, int] = field(default_factory=dict)

    @cached_property
    def needed(self) -> dict[str, int]:
        """The names the cell needs from other cells -> first line: uses and mutated
        names (graph.py adds builtins only where some cell rebinds them)."""
        needed = dict(self.uses)
        for name, line in self.mutates.items():
            needed.setdefault(name, line)
        return needed

    @cached_property
    def provides(self) -> tuple[str, ...]:
        """The names the cell binds or mutates as it runs, once each: what later cells can
        take from it (graph.py). Not the globals only its functions' bodies bind (the cell
        that calls the function binds those), nor the names it leaves deleted (`ends`)."""
        defines, deferred, ends = self.defines, self.deferred_defines, self.ends
        if not deferred and not ends:
            return (*defines, *(name for name in self.mutates if name not in defines))
        return (
            *(n for n in defines if n not in deferred and n not in ends),
            *(n for n in self.mutates if n not in defines and n not in ends),
        )

    @cached_property
    def changes(self) -> tuple[str, ...]:
        """The names the cell binds, mutates or deletes (with repeats)."""
        return (*self.defines, *self.mutates, *self.deletes)

    @cached_property
    def run_changes(self) -> tuple[str, ...]:
        """The names the cell binds, mutates or deletes as it runs (with repeats): `changes`
        without the globals that only its functions' bodies bind or delete (replay.py
        replays these; those change when a function is called)."""
        deferred, gone = self.deferred_defines, self.deferred_deletes
        if not deferred and not gone:
            return self.changes
        return (
            *(n for n in self.defines if n not in deferred),
            *self.mutates,
            *(n for n in self.deletes if n not in gone),
        )

    @cached_property
    def run_inputs(self) -> tuple[str, ...]:
        """The names the cell reads from the namespace as it runs: uses read outside
        function bodies, mutated names, and names it deletes outside function bodies
        (replay.py replays these)."""
        deferred, gone = self.deferred_uses, self.deferred_deletes
        return (
            *(n for n in self.uses if n not in deferred),
            *self.mutates,
            *(n for n in self.deletes if n not in gone),
        )


@dataclass(slots=True)
class Edge:
    """`cell` depends on `source` through `names` (graph.py)."""

    source: CellIndex
    names: tuple[str, ...]


@dataclass(slots=True)
class MissingName:
    """A name a cell uses that no earlier cell defines (graph.py)."""

    name: str
    cell: CellIndex
    line: int
    defined_later_in: CellIndex | None  # None: no cell defines it at all
    # The nearest cell above that deleted it (its provider's value is gone); None: none.
    deleted_in: CellIndex | None = None


@dataclass(frozen=True)
class StaleReason:
    name: str
    cell: CellIndex  # the cell whose later execution changed `name` (or, `via`, provided it)
    # True: `cell` ran before this cell and provided `name`, but is out of date itself
    # (stale or edited); False: `cell` changed `name` after this cell ran.
    via: bool = False


@dataclass(frozen=True)
class HiddenReason:
    """A value a `hidden` cell read that Restart & Run All cannot give it (state.py).

    `why`: "below" (a cell below defines it: the value the cell showed came from there),
    "nowhere" (no cell defines it: kernel-only), "deleted" (the run that provided it was
    of a cell deleted since), "edited" (the cell above that provided it no longer does),
    "via" (it came from the cell above named by `cell`, which is hidden itself).
    `cell`: the cell below that defines it (with a history, the one whose run the cell
    read); for "via", the hidden cell above it read from; None when no cell of the
    notebook defines it.
    """

    name: str
    cell: CellIndex | None
    why: HiddenWhy


@dataclass(frozen=True)
class DeletedCellChange:
    """`name` was changed by a later execution of a cell no longer in the notebook."""

    name: str
    cell_id: str


@dataclass(frozen=True)
class CellState:
    """The trust state of one cell (state.py)."""

    state: StateName
    stale_because: tuple[StaleReason, ...] = ()
    fix_by: tuple[CellIndex, ...] = ()
    # Changes by executions of cells that were deleted since (history only).
    changed_by_deleted: tuple[DeletedCellChange, ...] = ()
    # Why a `hidden` cell is hidden, one entry per name, sorted by name.
    hidden_because: tuple[HiddenReason, ...] = ()


@dataclass(frozen=True)
class Execution:
    """One entry of the execution history recorded by the frontend, in kernel order."""

    cell_id: str
    source: str
    execution_count: int | None = None
    # Optional extras the frontend may send; the analysis works without them.
    status: Literal["ok", "error"] | None = None


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    category: Category
    cell: CellIndex | None
    line: int | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "category": self.category,
            "cell": self.cell,
            "line": self.line,
            "message": self.message,
        }


@dataclass(frozen=True)
class Notebook:
    """A notebook as the analysis sees it (notebook.py builds it from nbformat JSON)."""

    cells: tuple[Cell, ...]
    language: str = "python"
    kernel_name: str | None = None
    # The language as people write it ("R", "Julia", "Bash"), for messages; None: `language`.
    language_name: str | None = None
    path: str | None = None
    nbformat: int = 4
    # True when the file had no cell ids (nbformat < 4.5) and `cell-N` ids were made up:
    # a frontend's history then names cells by ids the file does not know.
    synthesized_ids: bool = False

    @cached_property
    def code_cells(self) -> tuple[Cell, ...]:
        """The code cells in notebook order (computed once: every rule asks for them)."""
        return tuple(c for c in self.cells if c.cell_type == "code")


@dataclass(frozen=True)
class Graph:
    """Cross-cell dependencies in notebook order (graph.py).

    `depends_on[i]` lists, for code cell i, the nearest earlier cell defining (or mutating)
    each name that i uses or mutates, grouped per source cell, sources in notebook order.
    `definers[name]` lists every cell that binds or mutates `name`, in notebook order.
    """

    depends_on: dict[CellIndex, tuple[Edge, ...]]
    missing: tuple[MissingName, ...]
    definers: dict[str, tuple[CellIndex, ...]]
    dependents: dict[CellIndex, tuple[CellIndex, ...]] = field(default_factory=dict)
