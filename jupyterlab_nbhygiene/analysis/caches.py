"""Process-wide caches of the analysis, and a GC pause for analysing many cells."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import compress, count, islice
from operator import is_not


def clear_caches() -> None:
    """Forget parsed cells, their symbols, per-cell rule results, the last graph and
    states (for cold runs)."""
    from .graph import clear_last_graph
    from .nodes import clear_per_tree
    from .report import clear_fragments
    from .source import parse_cell
    from .state import clear_last_states
    from .symbols import cache_clear

    parse_cell.cache_clear()
    cache_clear()
    clear_per_tree()
    clear_fragments()
    clear_last_graph()
    clear_last_states()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of an analysis.

    Parsing creates many AST objects that the caches keep alive; with the collector
    running, each generation-2 pass re-walks all of them, which costs about as much as
    parsing itself. Analysis creates no reference cycles worth collecting meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def changed_positions(
    last: Sequence[object], now: Sequence[object], limit: int
) -> list[int] | None:
    """The positions where `now` holds another object than `last` (of the same length),
    or None when there are more than `limit`: past a few, the stages that reuse their
    last result after an edit (graph.py, state.py) compute it anew instead.
    The scan compares pointers in C."""
    changed = list(islice(compress(count(), map(is_not, last, now)), limit + 1))
    return None if len(changed) > limit else changed
