"""Trust states of cells: fresh, stale, edited, unexecuted, errored, hidden (markdown for
text).

The kernel's state is the product of executions in kernel order, not of the notebook
as shown: replay.py replays those executions (from the frontend's history when there is
one, otherwise from the saved execution counts); this module gives each cell the first
state that applies, with the reasons found beside it (staleness.py: stale and edited,
hidden.py: hidden).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from functools import partial

from .facts import CellFacts, cell_facts
from .hidden import blind_from, hidden_because, missing_by_cell, via_hidden
from .model import (
    CellIndex,
    CellState,
    CellSymbols,
    Execution,
    Graph,
    HiddenReason,
    MissingName,
    Notebook,
    ParsedCell,
)
from .replay import Replay, Run, broken, replay_runs, runs_from_counts, runs_from_history
from .staleness import CURRENT, FixBy, Verdict, stale_reasons, verdict_on

_FRESH = CellState("fresh")
_ERRORED = CellState("errored")
_MARKDOWN = CellState("markdown")
_UNEXECUTED = CellState("unexecuted")


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
    # By cell index: a saved output is an error, or its Python source does not parse.
    failed = [
        (bool(c.outputs) and _has_error_output(c.outputs)) or broken(parsed.get(c.index))
        for c in nb.cells
    ]
    missing = missing_by_cell(graph) if graph.missing else {}
    nowhere = any(m.defined_later_in is None for m in graph.missing)
    blind = blind_from(nb, parsed, symbols) if nowhere else None  # only "nowhere" asks
    if history is not None:
        runs = runs_from_history(history, python, facts_of, modules)
    else:
        runs = runs_from_counts(nb, symbols, failed)
    replayed = replay_runs(nb, runs, exact=history is not None)
    return _states(nb, failed, graph, replayed, missing, blind)


def _states(
    nb: Notebook,
    failed: Sequence[bool],
    graph: Graph,
    replay: Replay,
    missing: Mapping[CellIndex, list[MissingName]],
    blind: CellIndex | None,
) -> dict[CellIndex, CellState]:
    runs, last_run, edited = replay.runs, replay.last_run, replay.edited
    index_of: dict[str, CellIndex] = {}
    for cell in nb.cells:
        index_of.setdefault(cell.id, cell.index)
    verdicts: dict[str, Verdict] = {}
    for k, run in enumerate(runs):  # each cell's last run, in kernel order
        if last_run[run.cell_id] == k:
            verdicts[run.cell_id] = verdict_on(replay, k, verdicts, index_of)

    fixer = FixBy(graph, replay, index_of, {c.index: c.id for c in nb.cells}, verdicts)
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
            reasons, deleted = stale_reasons(verdict, index_of)
            states[cell.index] = CellState("edited", reasons, fixer.fix_by(cell.index), deleted)
            continue
        if runs[latest].errored or failed[cell.index]:
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
        if verdict is not CURRENT:  # stale
            reasons, deleted = stale_reasons(verdict, index_of)
            states[cell.index] = CellState("stale", reasons, fixer.fix_by(cell.index), deleted)
        else:
            states[cell.index] = _FRESH
    return states


def _last_run_at(replay: Replay, index_of: Mapping[str, CellIndex], k: int) -> CellIndex | None:
    """The position of the cell whose last run is run `k` (None: that cell re-ran since,
    or was deleted)."""
    cell_id = replay.runs[k].cell_id
    return index_of.get(cell_id) if replay.last_run.get(cell_id) == k else None


def _read_from(runs: Sequence[Run], run: Run, name: str) -> str | None:
    """The id of the cell whose run provided `name` to `run` (None: no run did)."""
    provider = run.inputs.get(name)
    return None if provider is None else runs[provider].cell_id


def _has_error_output(outputs: Sequence[Mapping[str, object]]) -> bool:
    return any(output.get("output_type") == "error" for output in outputs)
