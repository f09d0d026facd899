"""Trust states of cells: fresh, stale, edited, unexecuted, errored (markdown for text).

The kernel's state is the product of executions in kernel order, not of the notebook
as shown. This module replays those executions, from the frontend's history when there
is one (exact), otherwise from the saved execution counts (the best guess a saved file
allows: each cell ran once, with its current source, in count order).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from .facts import cell_facts
from .model import (
    CellIndex,
    CellState,
    CellSymbols,
    CellType,
    DeletedCellChange,
    Execution,
    Graph,
    Notebook,
    StaleReason,
)

_EMPTY = CellSymbols()
_FRESH = CellState("fresh")
_ERRORED = CellState("errored")
_MARKDOWN = CellState("markdown")
_UNEXECUTED = CellState("unexecuted")
# A cell's id, type, count and whether a saved output is an error (by cell index).
_Shape = tuple[str, CellType, int | None, bool]


@dataclass(slots=True)
class _Run:
    """One execution being replayed."""

    cell_id: str
    symbols: CellSymbols
    source: str
    errored: bool
    inputs: dict[str, int | None] = field(init=False)  # name -> provider run (_replay)


@dataclass(frozen=True, slots=True)
class _Verdict:
    """Why a cell's last run is out of date: (name, cell id) pairs, sorted."""

    changed: tuple[tuple[str, str], ...]  # rebound after it ran
    via: tuple[tuple[str, str], ...]  # came from an outdated cell

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.via)


_CURRENT = _Verdict((), ())  # the verdict of most runs: nothing changed since


def cell_states(
    nb: Notebook,
    symbols: Mapping[CellIndex, CellSymbols],
    graph: Graph,
    history: Sequence[Execution] | None,
    *,
    symbols_of: Callable[[str], CellSymbols] | None = None,
) -> dict[CellIndex, CellState]:
    """The state of every cell of `nb` (markdown and raw cells: "markdown").

    With `history` (executions in kernel order, matched to cells by id; executions of
    cells deleted since still count, they changed the kernel):

    - `unexecuted`: the cell never ran in this history;
    - `edited`: its current source differs from the source it last ran with;
    - `errored`: its last run failed (status "error") or a saved output is an error;
    - `stale`: a name its last run read or mutated (symbols of the source *as run*,
      including the globals read by functions it called) was later rebound, mutated or
      deleted by the run of a cell *above it* (or of a cell deleted since), or came from
      a cell that is itself stale or edited. A later change by a cell below is how a
      notebook normally flows (a top-to-bottom run shows the same output), so it does
      not make the cell stale; out-of-order runs are the business of other rules;
    - `fresh` otherwise. The first matching state wins, in this order.

    Without history the saved execution counts stand for one run per cell, in count
    order, with the current source: no count -> `unexecuted`; an error output ->
    `errored`; a cell whose input was changed by a cell above it with a higher count
    -> `stale`.

    `stale_because` names each changed input and the cell that changed it (or the
    outdated cell it came from). `fix_by` (stale and edited cells) lists the cells to
    re-run, in notebook order, so that the cell is fresh and agrees with a top-to-bottom
    run: for each reason, the changing cell when it stands above, otherwise the cell
    that provides the name in notebook order; each of those brings its own `fix_by`
    when it is stale or edited itself; the cell comes last. Changes by deleted cells go
    to `changed_by_deleted`.

    `symbols_of(source)` gives the symbols of a history execution's source (default: the
    cached per-cell facts).
    """
    shape: list[_Shape] = [
        (c.id, c.cell_type, c.execution_count, bool(c.outputs) and _has_error_output(c.outputs))
        for c in nb.cells
    ]
    if history is not None:
        runs = _runs_from_history(history, symbols_of or _symbols_of)
    else:
        runs = _runs_from_counts(nb, symbols, shape)
    writer = _replay(runs)
    last_run: dict[str, int] = {}
    for k, run in enumerate(runs):
        last_run[run.cell_id] = k
    edited = _edited(nb, runs, last_run) if history is not None else set()
    return _states(nb, shape, graph, runs, writer, last_run, edited)


def _edited(nb: Notebook, runs: Sequence[_Run], last_run: Mapping[str, int]) -> set[str]:
    """Cells whose source differs from the one they last ran with (history only)."""
    edited: set[str] = set()
    for cell in nb.code_cells:
        ran = last_run.get(cell.id)
        if ran is not None and _normalize(runs[ran].source) != _normalize(cell.source):
            edited.add(cell.id)
    return edited


def _states(
    nb: Notebook,
    shape: Sequence[_Shape],
    graph: Graph,
    runs: list[_Run],
    writer: dict[str, int],
    last_run: dict[str, int],
    edited: set[str],
) -> dict[CellIndex, CellState]:
    index_of: dict[str, CellIndex] = {}
    for cell in nb.cells:
        index_of.setdefault(cell.id, cell.index)
    verdicts: dict[str, _Verdict] = {}
    for k, run in enumerate(runs):  # each cell's last run, in kernel order
        if last_run[run.cell_id] == k:
            verdicts[run.cell_id] = _verdict(runs, k, writer, last_run, verdicts, edited, index_of)

    fixer = _FixBy(graph, index_of, verdicts, edited)
    states: dict[CellIndex, CellState] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            states[cell.index] = _MARKDOWN
            continue
        latest = last_run.get(cell.id)
        if latest is None:
            states[cell.index] = _UNEXECUTED
            continue
        verdict = verdicts[cell.id]
        if cell.id in edited:
            reasons, deleted = _reasons(verdict, index_of)
            states[cell.index] = CellState("edited", reasons, fixer.fix_by(cell.index), deleted)
        elif runs[latest].errored or shape[cell.index][3]:
            states[cell.index] = _ERRORED
        elif verdict is not _CURRENT:  # stale
            reasons, deleted = _reasons(verdict, index_of)
            states[cell.index] = CellState("stale", reasons, fixer.fix_by(cell.index), deleted)
        else:
            states[cell.index] = _FRESH
    return states


def _normalize(source: str) -> str:
    return source.replace("\r\n", "\n").rstrip()


def _has_error_output(outputs: Sequence[Mapping[str, object]]) -> bool:
    return any(output.get("output_type") == "error" for output in outputs)


def _symbols_of(source: str) -> CellSymbols:
    return cell_facts(source).symbols


def _runs_from_history(
    history: Sequence[Execution], symbols_of: Callable[[str], CellSymbols]
) -> list[_Run]:
    return [_Run(e.cell_id, symbols_of(e.source), e.source, e.status == "error") for e in history]


def _runs_from_counts(
    nb: Notebook, symbols: Mapping[CellIndex, CellSymbols], shape: Sequence[_Shape]
) -> list[_Run]:
    # Code cells come in notebook order and the sort is stable: equal counts keep it.
    ran = sorted(
        (c for c in nb.code_cells if c.execution_count is not None),
        key=attrgetter("execution_count"),
    )
    return [
        _Run(
            c.id,
            symbols.get(c.index, _EMPTY),
            c.source,
            shape[c.index][3],
        )
        for c in ran
    ]


def _replay(runs: list[_Run]) -> dict[str, int]:
    """Record each run's inputs and their providers; return name -> last run changing it."""
    written: set[str] = set()
    for run in runs:
        written.update(run.symbols.changes)
    writer: dict[str, int] = {}
    # name -> globals read by the function its last writer defined under that name.
    calls: dict[str, tuple[str, ...]] = {}
    for k, run in enumerate(runs):
        sym = run.symbols
        run.inputs = _inputs(sym, writer, calls, written)
        functions = sym.function_globals
        for name in sym.changes:
            writer[name] = k
            calls.pop(name, None)
        if functions:
            for name in sym.changes:
                read = functions.get(name)
                if read:
                    calls[name] = read
    return writer


def _inputs(
    sym: CellSymbols,
    writer: Mapping[str, int],
    calls: Mapping[str, tuple[str, ...]],
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
        pending = [read for name in inputs if name in calls for read in calls[name]]
        while pending:
            name = pending.pop()
            if name in inputs:
                continue
            inputs[name] = get(name)
            pending.extend(calls.get(name, ()))
    return inputs


def _verdict(
    runs: list[_Run],
    k: int,
    writer: dict[str, int],
    last_run: dict[str, int],
    verdicts: dict[str, _Verdict],
    edited: set[str],
    index_of: Mapping[str, CellIndex],
) -> _Verdict:
    run = runs[k]
    position = index_of.get(run.cell_id)
    changed: list[tuple[str, str]] = []
    via: list[tuple[str, str]] = []
    for name, provider in run.inputs.items():
        latest = writer.get(name)
        if latest is not None and latest > k:
            changer = runs[latest].cell_id
            above = index_of.get(changer)
            # A cell below that changes the name later is the notebook's normal flow: a
            # top-to-bottom run shows this output too. Cells above, and deleted cells
            # (hidden state by definition), make it out of date.
            if position is None or above is None or above < position:
                changed.append((name, changer))
            continue
        if provider is None:
            continue
        source = runs[provider].cell_id
        if source == run.cell_id or last_run.get(source) != provider:
            continue  # its own earlier run, or a cell that re-ran since (see `changed`)
        if source in edited or verdicts.get(source, _CURRENT) is not _CURRENT:
            via.append((name, source))
    if not changed and not via:
        return _CURRENT
    # One entry per name in each list: sorting by name gives a stable order.
    changed.sort()
    via.sort()
    return _Verdict(tuple(changed), tuple(via))


def _reasons(
    verdict: _Verdict, index_of: Mapping[str, CellIndex]
) -> tuple[tuple[StaleReason, ...], tuple[DeletedCellChange, ...]]:
    reasons: set[StaleReason] = set()
    deleted: set[DeletedCellChange] = set()
    for name, cell_id in (*verdict.changed, *verdict.via):
        index = index_of.get(cell_id)
        if index is None:
            deleted.add(DeletedCellChange(name, cell_id))
        else:
            reasons.add(StaleReason(name, index))
    return (
        tuple(sorted(reasons, key=lambda r: (r.name, r.cell))),
        tuple(sorted(deleted, key=lambda d: (d.name, d.cell_id))),
    )


class _FixBy:
    """Computes `fix_by` lists, memoized; recursion only goes to cells above."""

    def __init__(
        self,
        graph: Graph,
        index_of: Mapping[str, CellIndex],
        verdicts: Mapping[str, _Verdict],
        edited: set[str],
    ) -> None:
        self.graph = graph
        self.index_of = index_of
        self.id_of = {index: cell_id for cell_id, index in index_of.items()}
        self.verdicts = verdicts
        self.edited = edited
        self.memo: dict[CellIndex, tuple[CellIndex, ...]] = {}

    def _outdated(self, index: CellIndex) -> bool:
        cell_id = self.id_of.get(index)
        if cell_id is None:
            return False
        verdict = self.verdicts.get(cell_id)
        return cell_id in self.edited or (verdict is not None and verdict.stale)

    def _provider(self, cell: CellIndex, name: str) -> CellIndex | None:
        for edge in self.graph.depends_on.get(cell, ()):
            if name in edge.names:
                return edge.source
        return None

    def fix_by(self, cell: CellIndex) -> tuple[CellIndex, ...]:
        done = self.memo.get(cell)
        if done is not None:
            return done
        result = {cell}
        verdict = self.verdicts.get(self.id_of.get(cell, ""))
        if verdict is not None:
            for name, cell_id in (*verdict.changed, *verdict.via):
                source = self.index_of.get(cell_id)
                if source is None or source >= cell:
                    source = self._provider(cell, name)
                if source is None or source >= cell:
                    continue
                if self._outdated(source):
                    result.update(self.fix_by(source))
                else:
                    result.add(source)
        self.memo[cell] = fixed = tuple(sorted(result))
        return fixed
