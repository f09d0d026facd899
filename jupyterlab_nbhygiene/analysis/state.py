"""Trust states of cells: fresh, stale, edited, unexecuted, errored, hidden (markdown for
text).

The kernel's state is the product of executions in kernel order, not of the notebook
as shown. This module replays those executions, from the frontend's history when there
is one (exact), otherwise from the saved execution counts (the best guess a saved file
allows: each cell ran once, with its current source, in count order).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter

from .facts import CellFacts, cell_facts
from .hidden import blind_from, hidden_because, missing_by_cell, via_hidden
from .imported import without_module_changes
from .model import (
    CellIndex,
    CellState,
    CellSymbols,
    CellType,
    DeletedCellChange,
    Execution,
    Graph,
    HiddenReason,
    MissingName,
    Notebook,
    ParsedCell,
    StaleReason,
)

_EMPTY = CellSymbols()
_FRESH = CellState("fresh")
_ERRORED = CellState("errored")
_MARKDOWN = CellState("markdown")
_UNEXECUTED = CellState("unexecuted")
# A cell's id, type, count and whether it failed: a saved output is an error, or its
# Python source does not parse (by cell index).
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
    parsed: Mapping[CellIndex, ParsedCell] | None = None,
    facts_of: Callable[[str], CellFacts] | None = None,
    modules: Set[str] = frozenset(),
) -> dict[CellIndex, CellState]:
    """The state of every cell of `nb` (markdown and raw cells: "markdown").

    With `history` (executions in kernel order, matched to cells by id; executions of
    cells deleted since still count, they changed the kernel):

    - `unexecuted`: the cell never ran in this history;
    - `edited`: its current source differs from the source it last ran with;
    - `errored`: its last run failed (status "error", or a source that does not parse)
      or a saved output is an error;
    - `hidden`: its last run read a value no cell above it provides: a name only a cell
      below defines, one no cell defines, or one whose only provider was deleted or
      edited since (hidden.py; `hidden_because` says which and why); or it read a value
      from the last run of a cell above that is hidden itself ("via"), transitively;
    - `stale`: a name its last run read or mutated (symbols of the source *as run*,
      including the globals read by functions it called) was later rebound, mutated or
      deleted by the run of a cell *above it* (or of a cell deleted since), or came from
      a cell that is itself stale or edited. A later change by a cell below is how a
      notebook normally flows (a top-to-bottom run shows the same output), so it does
      not make the cell stale by itself; out-of-order runs are the business of other
      rules. A function's `global` writes happen in the run that calls it;
    - `fresh` otherwise. The first matching state wins, in this order.

    Without history the saved execution counts stand for one run per cell, in count
    order, with the current source: no count -> `unexecuted`; an error output or a
    source that does not parse -> `errored`; a name no cell above provides, or a value
    from a hidden cell above -> `hidden`; a cell whose input was changed by a cell above
    it with a higher count -> `stale`.

    `stale_because` names each changed input and the cell that changed it (or, `via`,
    the outdated cell it came from). `fix_by` (stale and edited cells) lists only the
    cells that must re-run, in notebook order, for the cell to agree with a top-to-bottom
    run: for each reason, the cell that provides the name in notebook order when the
    kernel does not hold that cell's current value (bringing its own `fix_by` when it is
    stale or edited itself); the cell comes last. Changes by deleted cells go to
    `changed_by_deleted`.

    `parsed` (code cells) tells which sources do not parse and which cells may bind names
    unseen; `facts_of(source)` gives the parse and symbols of a history execution's
    source. Both default to the cached per-cell facts (facts.cell_facts). `modules` are
    the names the notebook binds only by import (imported.py): as in `symbols`, calling or
    configuring them is not a change when a history execution is replayed.
    """
    facts_of = facts_of or cell_facts
    python = nb.language == "python"
    if parsed is None:
        parsed = {c.index: facts_of(c.source).parsed for c in nb.code_cells} if python else {}
    shape: list[_Shape] = [
        (
            c.id,
            c.cell_type,
            c.execution_count,
            (bool(c.outputs) and _has_error_output(c.outputs)) or _broken(parsed.get(c.index)),
        )
        for c in nb.cells
    ]
    missing = missing_by_cell(graph) if graph.missing else {}
    nowhere = any(m.defined_later_in is None for m in graph.missing)
    blind = blind_from(nb, parsed, symbols) if nowhere else None  # only "nowhere" asks
    if history is not None:
        runs = _runs_from_history(history, python, facts_of, modules)
    else:
        runs = _runs_from_counts(nb, symbols, shape)
    writer, writes = _replay(runs)
    last_run: dict[str, int] = {}
    for k, run in enumerate(runs):
        last_run[run.cell_id] = k
    edited = _edited(nb, runs, last_run) if history is not None else set()
    replayed = _Replay(runs, writer, writes, last_run, edited, history is not None)
    return _states(nb, shape, graph, replayed, missing, blind)


def _broken(parsed: ParsedCell | None) -> bool:
    """A Python cell that does not parse: running it raised SyntaxError."""
    return parsed is not None and parsed.syntax_error is not None


@dataclass(frozen=True, slots=True)
class _Replay:
    """The executions replayed, and what the replay found (see `_replay`)."""

    runs: list[_Run]
    writer: dict[str, int]  # name -> the last run that changed it
    writes: dict[str, list[int]]  # name -> every run that changed it, in kernel order
    last_run: dict[str, int]  # cell id -> its last run
    edited: set[str]  # ids of cells whose source changed since their last run
    exact: bool  # from a history (else from saved counts)
    # name -> for each position t of writes[name], the highest cell (lowest index) that
    # changed it in writes[name][t:]; filled on demand (see `_changer_above`).
    highest: dict[str, list[float]] = field(default_factory=dict)


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
    replay: _Replay,
    missing: Mapping[CellIndex, list[MissingName]],
    blind: CellIndex | None,
) -> dict[CellIndex, CellState]:
    runs, last_run, edited = replay.runs, replay.last_run, replay.edited
    index_of: dict[str, CellIndex] = {}
    for cell in nb.cells:
        index_of.setdefault(cell.id, cell.index)
    verdicts: dict[str, _Verdict] = {}
    for k, run in enumerate(runs):  # each cell's last run, in kernel order
        if last_run[run.cell_id] == k:
            verdicts[run.cell_id] = _verdict(replay, k, verdicts, index_of)

    fixer = _FixBy(graph, replay, index_of, {c.index: c.id for c in nb.cells}, verdicts)
    states: dict[CellIndex, CellState] = {}
    hidden_cells: set[CellIndex] = set()  # hidden so far (cells come in notebook order)
    provider_at = partial(_last_run_at, replay, index_of)
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
            continue
        if runs[latest].errored or shape[cell.index][3]:
            states[cell.index] = _ERRORED
            continue
        hidden: tuple[HiddenReason, ...] = ()
        needs = missing.get(cell.index)
        if needs:
            hidden = hidden_because(
                cell.index,
                needs,
                blind,
                graph,
                partial(_read_from, runs, runs[latest]) if replay.exact else None,
                index_of,
            )
        if hidden_cells:  # a cell above is hidden: did this run read a value it computed?
            hidden = via_hidden(cell.index, runs[latest].inputs, provider_at, hidden_cells, hidden)
        if hidden:
            states[cell.index] = CellState("hidden", hidden_because=hidden)
            hidden_cells.add(cell.index)
            continue
        if verdict is not _CURRENT:  # stale
            reasons, deleted = _reasons(verdict, index_of)
            states[cell.index] = CellState("stale", reasons, fixer.fix_by(cell.index), deleted)
        else:
            states[cell.index] = _FRESH
    return states


def _last_run_at(replay: _Replay, index_of: Mapping[str, CellIndex], k: int) -> CellIndex | None:
    """The position of the cell whose last run is run `k` (None: that cell re-ran since,
    or was deleted)."""
    cell_id = replay.runs[k].cell_id
    return index_of.get(cell_id) if replay.last_run.get(cell_id) == k else None


def _read_from(runs: Sequence[_Run], run: _Run, name: str) -> str | None:
    """The id of the cell whose run provided `name` to `run` (None: no run did)."""
    provider = run.inputs.get(name)
    return None if provider is None else runs[provider].cell_id


def _normalize(source: str) -> str:
    return source.replace("\r\n", "\n").rstrip()


def _has_error_output(outputs: Sequence[Mapping[str, object]]) -> bool:
    return any(output.get("output_type") == "error" for output in outputs)


def _runs_from_history(
    history: Sequence[Execution],
    python: bool,
    facts_of: Callable[[str], CellFacts],
    modules: Set[str],
) -> list[_Run]:
    runs = []
    for e in history:
        facts = facts_of(e.source)
        failed = e.status == "error" or (python and _broken(facts.parsed))
        symbols = without_module_changes(facts.symbols, modules) if modules else facts.symbols
        runs.append(_Run(e.cell_id, symbols, e.source, failed))
    return runs


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


# A function name -> what calling it does: (globals its body reads, globals it writes),
# from the run that last defined it.
_Calls = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


def _replay(runs: list[_Run]) -> tuple[dict[str, int], dict[str, list[int]]]:
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


def _verdict(
    replay: _Replay,
    k: int,
    verdicts: dict[str, _Verdict],
    index_of: Mapping[str, CellIndex],
) -> _Verdict:
    runs, writer, last_run, edited = replay.runs, replay.writer, replay.last_run, replay.edited
    run = runs[k]
    position = index_of.get(run.cell_id)
    changed: list[tuple[str, str]] = []
    via: list[tuple[str, str]] = []
    for name, provider in run.inputs.items():
        latest = writer.get(name)
        if latest is not None and latest > k:
            changer = _changer_above(replay, name, k, position, index_of)
            if changer is not None:
                changed.append((name, changer))
                continue
            # Only cells below changed it since, as a top-to-bottom run does: what this
            # run read may still have come from an outdated cell (below).
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


def _changer_above(
    replay: _Replay,
    name: str,
    k: int,
    position: CellIndex | None,
    index_of: Mapping[str, CellIndex],
) -> str | None:
    """The id of the last cell that changed `name` after run `k` and stands above the
    run's cell (or was deleted since: hidden state by definition); None when only cells
    below did, which is the notebook's normal flow."""
    changes = replay.writes[name]
    runs = replay.runs
    start = bisect_right(changes, k)
    if position is not None:
        highest = replay.highest.get(name)
        if highest is None:
            replay.highest[name] = highest = _highest(changes, runs, index_of)
        if highest[start] >= position:
            return None  # only cells below changed it since: the common case, at once
    for j in reversed(changes[start:]):
        changer = runs[j].cell_id
        above = index_of.get(changer)
        if position is None or above is None or above < position:
            return changer
    return None


def _highest(
    changes: Sequence[int], runs: Sequence[_Run], index_of: Mapping[str, CellIndex]
) -> list[float]:
    """Suffix minima of the positions of the cells of `changes` (a deleted cell counts as
    above every cell), with infinity past the end."""
    highest = [float("inf")] * (len(changes) + 1)
    low = float("inf")
    for t in range(len(changes) - 1, -1, -1):
        at = index_of.get(runs[changes[t]].cell_id)
        low = min(low, -1.0 if at is None else float(at))
        highest[t] = low
    return highest


def _reasons(
    verdict: _Verdict, index_of: Mapping[str, CellIndex]
) -> tuple[tuple[StaleReason, ...], tuple[DeletedCellChange, ...]]:
    reasons: set[StaleReason] = set()
    deleted: set[DeletedCellChange] = set()
    for reasons_of, via in ((verdict.changed, False), (verdict.via, True)):
        for name, cell_id in reasons_of:
            index = index_of.get(cell_id)
            if index is None:
                deleted.add(DeletedCellChange(name, cell_id))
            else:
                reasons.add(StaleReason(name, index, via))
    return (
        tuple(sorted(reasons, key=lambda r: (r.name, r.cell, r.via))),
        tuple(sorted(deleted, key=lambda d: (d.name, d.cell_id))),
    )


class _FixBy:
    """Computes `fix_by` lists, memoized; recursion only goes to cells above.

    A reason's name needs a re-run only where the kernel does not hold the value a
    top-to-bottom run gives it: the cell that provides it in notebook order re-runs
    when another run wrote it last (a cell re-run above, a deleted cell), or, through
    its own `fix_by`, when it is stale or edited itself. A provider whose current run
    wrote the value last is left alone: it already holds it.
    """

    def __init__(
        self,
        graph: Graph,
        replay: _Replay,
        index_of: Mapping[str, CellIndex],
        id_of: Mapping[CellIndex, str],
        verdicts: Mapping[str, _Verdict],
    ) -> None:
        self.graph = graph
        self.replay = replay
        self.index_of = index_of
        self.id_of = id_of
        self.verdicts = verdicts
        self.memo: dict[CellIndex, tuple[CellIndex, ...]] = {}

    def _outdated(self, cell_id: str) -> bool:
        verdict = self.verdicts.get(cell_id)
        return cell_id in self.replay.edited or (verdict is not None and verdict.stale)

    def _provider(self, cell: CellIndex, name: str) -> CellIndex | None:
        for edge in self.graph.depends_on.get(cell, ()):
            if name in edge.names:
                return edge.source
        return None

    def _holds(self, cell_id: str, name: str) -> bool:
        """Whether the current value of `name` in the kernel came from `cell_id`'s last
        run."""
        replay = self.replay
        latest = replay.writer.get(name)
        return latest is not None and latest == replay.last_run.get(cell_id)

    def fix_by(self, cell: CellIndex) -> tuple[CellIndex, ...]:
        done = self.memo.get(cell)
        if done is not None:
            return done
        result = {cell}
        verdict = self.verdicts.get(self.id_of.get(cell, ""))
        if verdict is not None:
            for name, cell_id in (*verdict.changed, *verdict.via):
                source = self._provider(cell, name)
                if source is None:  # a global read by a function it calls, say
                    source = self.index_of.get(cell_id)
                if source is None or source >= cell:
                    continue
                source_id = self.id_of[source]
                if self._outdated(source_id):
                    result.update(self.fix_by(source))
                elif not self._holds(source_id, name):
                    result.add(source)
        self.memo[cell] = fixed = tuple(sorted(result))
        return fixed
