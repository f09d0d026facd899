"""relink(): the graph after an edit, from the graph before it, is the graph build_graph gives."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from nbedits import CODE
from nbfactory import graph_of

from jupyterlab_nbhygiene.analysis.graph import build_graph
from jupyterlab_nbhygiene.analysis.relink import relink

# Edits that change what a cell reads, not what it leaves behind: relink handles these.
READS = [
    "y = x + 1",
    "y = x + z",
    "y = results[0] + x",
    "y = 2",
    "y = total + undefined_thing",
    "y = print(x) or x",
    "results[1] = y + x",
    "results[1] = 3",
    "acc.append(y)",
    "acc.append(x + total)",
]
SOURCES = CODE + READS


def _edits(rng: random.Random, vocabulary: list[str]) -> tuple[int, int]:
    """Random notebooks edited at random: (graphs relinked, edits), every relinked graph
    checked against the full build."""
    sources = [rng.choice(vocabulary + READS) for _ in range(rng.randrange(1, 16))]
    order = list(range(len(sources)))
    graph, old = graph_of(*sources)
    relinked = 0
    for _ in range(8):
        for _ in range(rng.randrange(1, 3)):
            at = rng.randrange(len(sources))
            same = [s for s in READS if s[:2] == sources[at][:2]] if rng.random() < 0.7 else []
            # Typing inside an expression (the same target, other reads), or anything.
            sources[at] = rng.choice(same or vocabulary)
        full, new = graph_of(*sources)
        quick = relink(graph, old, new, order, order)
        if quick is not None:
            relinked += 1
            assert quick == full, sources
        graph, old = full, new
    return relinked, 8


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_a_relinked_graph_is_the_graph_built_in_full(rng: random.Random) -> None:
    _edits(rng, SOURCES)


def test_most_edits_of_plain_cells_are_relinked() -> None:
    """The property above is not vacuous: on cells without functions or deletions most
    edits take the short path."""
    plain = [s for s in SOURCES if "def " not in s and "del " not in s]
    done = [_edits(random.Random(seed), plain) for seed in range(60)]
    relinked, edits = sum(d[0] for d in done), sum(d[1] for d in done)
    assert relinked > edits // 3, (relinked, edits)


def test_an_edit_inside_an_expression_is_relinked_and_reaches_its_readers_only() -> None:
    sources = ["x = 1", "results = {}", "y = x + 1", "results[0] = y", "total = y * 2"]
    order = list(range(len(sources)))
    before, old = graph_of(*sources)
    sources[2] = "y = x + len(results)"  # reads one more name, binds the same
    _, new = graph_of(*sources)
    after = relink(before, old, new, order, order)
    assert after is not None
    assert after == build_graph(new, order)
    assert [e.source for e in after.depends_on[2]] == [0, 1]
    assert after.depends_on[4] is before.depends_on[4]  # untouched: the same edges


def test_an_edit_that_binds_other_names_or_moves_cells_is_left_to_a_full_build() -> None:
    sources = ["x = 1", "y = x + 1", "z = y"]
    order = list(range(len(sources)))
    before, old = graph_of(*sources)
    _, new = graph_of("x = 1", "w = x + 1", "z = y")
    assert relink(before, old, new, order, order) is None  # `y` no longer bound
    assert relink(before, old, old, order, [0, 2, 1]) is None  # cells moved
    _, deleting = graph_of("x = 1", "y = x + 1", "z = y\ndel x")
    assert relink(before, old, deleting, order, order) is None  # a name left deleted
