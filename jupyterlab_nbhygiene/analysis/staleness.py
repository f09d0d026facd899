"""Why a cell's last run is out of date (stale), and which cells must re-run to fix it.

A run is out of date when a name it read or mutated was changed afterwards by a cell
above it (or by a cell deleted since), or when it read a value from a cell that is
itself stale or edited (`via`). A later change by a cell below is the notebook's normal
flow and does not count. `FixBy` lists the cells that must re-run, in notebook order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import CellIndex, DeletedCellChange, Graph, StaleReason
from .replay import Replay, Run


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a cell's last run is out of date: (name, cell id) pairs, sorted."""

    changed: tuple[tuple[str, str], ...]  # rebound after it ran
    via: tuple[tuple[str, str], ...]  # came from an outdated cell

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.via)


CURRENT = Verdict((), ())  # the verdict of most runs: nothing changed since


def verdict_on(
    replay: Replay,
    k: int,
    verdicts: dict[str, Verdict],
    index_of: Mapping[str, CellIndex],
) -> Verdict:
    """The verdict on run `k`, a cell's last run (`verdicts` holds those of the runs
    before it, in kernel order; `index_of`: cell id -> position)."""
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
        if source in edited or verdicts.get(source, CURRENT) is not CURRENT:
            via.append((name, source))
    if not changed and not via:
        return CURRENT
    # One entry per name in each list: sorting by name gives a stable order.
    changed.sort()
    via.sort()
    return Verdict(tuple(changed), tuple(via))


def _changer_above(
    replay: Replay,
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
    changes: Sequence[int], runs: Sequence[Run], index_of: Mapping[str, CellIndex]
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


def stale_reasons(
    verdict: Verdict, index_of: Mapping[str, CellIndex]
) -> tuple[tuple[StaleReason, ...], tuple[DeletedCellChange, ...]]:
    """`verdict` as report reasons, sorted: cells still in the notebook, and (apart)
    changes by cells deleted since."""
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


class FixBy:
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
        replay: Replay,
        index_of: Mapping[str, CellIndex],
        id_of: Mapping[CellIndex, str],
        verdicts: Mapping[str, Verdict],
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
