"""Process-wide caches of the analysis, and a GC pause for analysing many cells."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
