"""Replaying executions in kernel order: what each run read, from which run, and which
runs changed each name.

The kernel's state is the product of executions in kernel order, not of the notebook
as shown. The runs come from the frontend's history when there is one (exact), otherwise
from the saved execution counts (the best guess a saved file allows: each cell ran once,
with its current source, in count order). staleness.py and state.py read the replay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from operator import attrgetter

from .facts import CellFacts
from .imported import without_module_changes
from .model import CellIndex, CellSymbols, Execution, Notebook, ParsedCell

_EMPTY = CellSymbols()


@dataclass(slots=True)
class Run:
    """One execution being replayed."""

    cell_id: str
    symbols: CellSymbols
    source: str
    errored: bool
    inputs: dict[str, int | None] = field(init=False)  # name -> provider run (_replay)


@dataclass(frozen=True, slots=True)
class Replay:
    """The executions replayed, and what the replay found (see `replay_runs`)."""

    runs: list[Run]
    writer: dict[str, int]  # name -> the last run that changed it
    writes: dict[str, list[int]]  # name -> every run that changed it, in kernel order
    last_run: dict[str, int]  # cell id -> its last run
    edited: set[str]  # ids of cells whose source changed since their last run
    exact: bool  # from a history (else from saved counts)
    # name -> for each position t of writes[name], the highest cell (lowest index) that
    # changed it in writes[name][t:]; filled on demand (staleness.py).
    highest: dict[str, list[float]] = field(default_factory=dict)


def replay_runs(nb: Notebook, runs: list[Run], *, exact: bool) -> Replay:
    """Replay `runs` (kernel order) against `nb`: each run's inputs and their providers,
    who changed each name, each cell's last run, and (`exact`: from a history) the cells
    edited since their last run."""
    writer, writes = _replay(runs)
    last_run: dict[str, int] = {}
    for k, run in enumerate(runs):
        last_run[run.cell_id] = k
    edited = _edited(nb, runs, last_run) if exact else set()
    return Replay(runs, writer, writes, last_run, edited, exact)


def broken(parsed: ParsedCell | None) -> bool:
    """A Python cell that does not parse: running it raised SyntaxError."""
    return parsed is not None and parsed.syntax_error is not None


def runs_from_history(
    history: Sequence[Execution],
    python: bool,
    facts_of: Callable[[str], CellFacts],
    modules: Set[str],
) -> list[Run]:
    """The runs of a history, with the facts of each execution's source (without changes
    to `modules`, imported.py)."""
    runs = []
    for e in history:
        facts = facts_of(e.source)
        failed = e.status == "error" or (python and broken(facts.parsed))
        symbols = without_module_changes(facts.symbols, modules) if modules else facts.symbols
        runs.append(Run(e.cell_id, symbols, e.source, failed))
    return runs


def runs_from_counts(
    nb: Notebook, symbols: Mapping[CellIndex, CellSymbols], failed: Sequence[bool]
) -> list[Run]:
    """One run per cell with a saved count, in count order, with the current source
    (`failed`, by cell index: an error output, or a source that does not parse)."""
    # Code cells come in notebook order and the sort is stable: equal counts keep it.
    ran = sorted(
        (c for c in nb.code_cells if c.execution_count is not None),
        key=attrgetter("execution_count"),
    )
    return [
        Run(
            c.id,
            symbols.get(c.index, _EMPTY),
            c.source,
            failed[c.index],
        )
        for c in ran
    ]


# A function name -> what calling it does: (globals its body reads, globals it writes),
# from the run that last defined it.
_Calls = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


def _replay(runs: list[Run]) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Record each run's inputs and their providers, and the globals written by the
    functions it calls. Return name -> last run changing it, and name -> every run
    changing it (in kernel order)."""
    written: set[str] = set()
    for run in runs:
        written.update(run.symbols.changes)
    writer: dict[str, int] = {}
    writes: dict[str, list[int]] = {}
    calls: _Calls = {}
    writing: set[str] = set()  # the names in `calls` whose functions write globals
    for k, run in enumerate(runs):
        sym = run.symbols
        run.inputs = inputs = _inputs(sym, writer, calls, written)
        called = () if writing.isdisjoint(inputs) else _called_writes(inputs, calls)
        for names in (sym.run_changes, called) if called else (sym.run_changes,):
            for name in names:
                writer[name] = k
                changed = writes.get(name)
                if changed is None:
                    writes[name] = [k]
                elif changed[-1] != k:
                    changed.append(k)
                if calls and calls.pop(name, None) is not None:
                    writing.discard(name)
        functions, globals_written = sym.function_globals, sym.function_writes
        if functions or globals_written:
            for name in sym.changes:
                read, wrote = functions.get(name, ()), globals_written.get(name, ())
                if read or wrote:
                    calls[name] = (read, wrote)
                    if wrote:
                        writing.add(name)
    return writer, writes


def _inputs(
    sym: CellSymbols,
    writer: Mapping[str, int],
    calls: _Calls,
    written: set[str],
) -> dict[str, int | None]:
    """Names a run reads now, with the run that last wrote each: immediate uses, mutated
    and deleted names, and the globals read by functions it calls (through the run
    that defined the function), transitively.
    """
    get = writer.get
    inputs = {name: get(name) for name in sym.run_inputs}
    if sym.builtin_uses:
        for name in sym.builtin_uses:
            if name in written:  # a rebound builtin
                inputs[name] = get(name)
    if calls and not calls.keys().isdisjoint(inputs):
        pending = [read for name in inputs if name in calls for read in calls[name][0]]
        while pending:
            name = pending.pop()
            if name in inputs:
                continue
            inputs[name] = get(name)
            if name in calls:
                pending.extend(calls[name][0])
    return inputs


def _called_writes(inputs: Mapping[str, int | None], calls: _Calls) -> tuple[str, ...]:
    """The globals written by the functions a run calls (`inputs` holds the functions it
    calls, transitively: see `_inputs`)."""
    found: list[str] = []
    for name in inputs:
        call = calls.get(name)
        if call is not None:
            found.extend(call[1])
    return tuple(found)


def _edited(nb: Notebook, runs: Sequence[Run], last_run: Mapping[str, int]) -> set[str]:
    """Cells whose source differs from the one they last ran with (history only)."""
    edited: set[str] = set()
    for cell in nb.code_cells:
        ran = last_run.get(cell.id)
        if ran is not None and _normalize(runs[ran].source) != _normalize(cell.source):
            edited.add(cell.id)
    return edited


def _normalize(source: str) -> str:
    return source.replace("\r\n", "\n").rstrip()
