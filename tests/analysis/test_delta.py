"""`delta.order_changes`: the session's order changed by removals and insertions (README,
"Sessions"), as `applied()` reads it; the changes the panel computes (the reference in
nbedits) give the new order, and a session fed them answers what a cold analysis does."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbedits import EditedNotebook, cold_report, order_changes

from jupyterlab_nbhygiene.analysis.delta import DeltaError, Input, applied, changed_order
from jupyterlab_nbhygiene.analysis.session import AnalysisSession


def code(cell_id: str, source: str = "x = 1") -> dict[str, Any]:
    return {"id": cell_id, "cell_type": "code", "source": source, "execution_count": None}


def session_input(*ids: str) -> Input:
    return Input(
        nbformat=4,
        nbformat_minor=5,
        metadata={},
        order=ids,
        cells={cell_id: code(cell_id, f"v_{cell_id} = 1") for cell_id in ids},
        history=None,
        settings=None,
        path=None,
    )


ABCD = session_input("a", "b", "c", "d")


def moved(cell_id: str, after: str | None) -> dict[str, Any]:
    return {"removed": [cell_id], "inserted": [{"id": cell_id, "after": after}]}


@pytest.mark.parametrize(
    ("delta", "order"),
    [
        ({"order_changes": {"inserted": [{"id": "n", "after": "b"}]}, "cells": [code("n")]},
         "abncd"),
        ({"order_changes": {"inserted": [{"id": "n", "after": None}]}, "cells": [code("n")]},
         "nabcd"),
        ({"order_changes": {"removed": ["c"]}}, "abd"),
        ({"order_changes": {"removed": ["a", "d"], "inserted": []}}, "bc"),
        ({"order_changes": moved("a", "d")}, "bcda"),
        ({"order_changes": moved("d", None)}, "dabc"),
        ({"order_changes": moved("b", "c"), "cells": [code("b", "y = 2")]}, "acbd"),
        ({"order_changes": {"removed": ["a", "b"], "inserted": [
            {"id": "b", "after": None}, {"id": "a", "after": "b"}]}}, "bacd"),
        ({"order_changes": {"inserted": [
            {"id": "m", "after": "a"}, {"id": "n", "after": "a"}]},
          "cells": [code("m"), code("n")]}, "anmbcd"),
        ({"order_changes": {}}, "abcd"),
        ({"order": ["d", "c"]}, "dc"),
    ],
)  # fmt: skip
def test_order_changes_remove_then_insert_in_list_order(delta: dict[str, Any], order: str) -> None:
    after = applied(ABCD, delta)
    assert after.order == tuple(order)
    assert set(after.cells) == set(order)
    for cell in delta.get("cells", []):
        assert after.cells[cell["id"]]["source"] == cell["source"]
    for cell_id in set(order) - {c["id"] for c in delta.get("cells", [])}:
        assert after.cells[cell_id] == ABCD.cells[cell_id]


@pytest.mark.parametrize(
    ("delta", "message"),
    [
        ({"order": ["a"], "order_changes": {}},
         'A delta gives the new order either whole ("delta.order") or as changes '
         '("delta.order_changes"), not both.'),
        ({"order_changes": None},
         '"delta.order_changes" must be an object with "removed" and "inserted".'),
        ({"order_changes": {"removed": "a"}},
         '"delta.order_changes.removed" must be a list of cell ids (strings).'),
        ({"order_changes": {"removed": [1]}},
         '"delta.order_changes.removed" must be a list of cell ids (strings).'),
        ({"order_changes": {"removed": ["zz"]}},
         "delta.order_changes removes cell 'zz', which the session does not have."),
        ({"order_changes": {"removed": ["a", "a"]}},
         "delta.order_changes removes cell 'a' twice."),
        ({"order_changes": {"inserted": {"id": "a", "after": None}}},
         '"delta.order_changes.inserted" must be a list of {"id", "after"}.'),
        ({"order_changes": {"removed": ["a"], "inserted": [{"id": "a"}]}},
         'delta.order_changes.inserted[0] must be {"id": <cell id>, "after": <cell id or null>}.'),
        ({"order_changes": {"removed": ["a"], "inserted": [{"id": "a", "after": None}, "b"]}},
         'delta.order_changes.inserted[1] must be {"id": <cell id>, "after": <cell id or null>}.'),
        ({"order_changes": {"removed": ["a"], "inserted": [{"id": 7, "after": None}]}},
         'delta.order_changes.inserted[0] must be {"id": <cell id>, "after": <cell id or null>}.'),
        ({"order_changes": {"removed": ["a"], "inserted": [{"id": "a", "after": 0}]}},
         'delta.order_changes.inserted[0] must be {"id": <cell id>, "after": <cell id or null>}.'),
        ({"order_changes": {"inserted": [{"id": "a", "after": "c"}]}},
         "delta.order_changes inserts cell 'a', which is already in the order "
         "(a move removes it first)."),
        ({"order_changes": {"removed": ["a", "b"], "inserted": [{"id": "a", "after": "b"}]}},
         "delta.order_changes inserts cell 'a' after cell 'b', which is not in the order at "
         "that point."),
        ({"order_changes": {"inserted": [{"id": "m", "after": "n"}, {"id": "n", "after": "a"}]},
          "cells": [code("m"), code("n")]},
         "delta.order_changes inserts cell 'm' after cell 'n', which is not in the order at "
         "that point."),
        ({"order_changes": {"inserted": [{"id": "new", "after": None}]}},
         "delta.order_changes inserts cell 'new', which the session does not know and "
         "delta.cells does not give."),
        ({"order_changes": {"removed": ["c"]}, "cells": [code("c")]},
         "delta.cells gives cell 'c', which is not in the order after delta.order_changes."),
        ({"order_changes": {}, "cells": [code("new")]},
         "delta.cells gives cell 'new', which is not in the order after delta.order_changes."),
        ({"cells": [code("new")]},
         "delta.cells gives cell 'new', which the session does not know; a delta that adds a "
         "cell must place it with delta.order or delta.order_changes."),
    ],
)  # fmt: skip
def test_an_impossible_order_change_is_refused_with_a_sentence(
    delta: dict[str, Any], message: str
) -> None:
    with pytest.raises(DeltaError) as refused:
        applied(ABCD, delta)
    assert str(refused.value) == message


def test_a_refused_order_change_leaves_the_session_as_it_was() -> None:
    edited = EditedNotebook(random.Random(21), cells=4)
    session = AnalysisSession()
    before = session.analyze_full(edited.full_body("c")["notebook"])
    first = edited.cells[0]["id"]
    with pytest.raises(DeltaError, match=repr(first)):
        session.apply(1, {"order_changes": {"removed": [first, first]}})
    assert session.revision == 1
    edited.cells.append(edited.cells.pop(0))
    report = session.apply(1, edited.delta_body("c", 1, changes=True)["delta"])
    assert report["revision"] == 2
    assert [c["id"] for c in report["cells"]] == [c["id"] for c in edited.cells]
    assert report != {**before, "revision": 2}


def longest_increasing_length(values: list[int]) -> int:
    """The length of a longest increasing subsequence, by the quadratic recurrence."""
    best = [1] * len(values)
    for k in range(len(values)):
        for j in range(k):
            if values[j] < values[k]:
                best[k] = max(best[k], best[j] + 1)
    return max(best, default=0)


def edited_order(rng: random.Random, before: list[str]) -> list[str]:
    """`before` after random deletions, insertions, moves and shuffled runs."""
    after = [cell_id for cell_id in before if rng.random() > 0.1]
    for k in range(rng.randrange(4)):
        after.insert(rng.randrange(len(after) + 1), f"new-{k}")
    for _ in range(rng.randrange(4)):
        if after:
            after.insert(rng.randrange(len(after)), after.pop(rng.randrange(len(after))))
    if after and rng.random() < 0.3:
        lo = rng.randrange(len(after))
        hi = rng.randrange(lo, len(after) + 1)
        run = after[lo:hi]
        rng.shuffle(run)
        after[lo:hi] = run
    if rng.random() < 0.1:
        rng.shuffle(after)
    return after


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 40))
def test_the_panels_changes_give_the_new_order_and_move_the_fewest_cells(
    rng: random.Random, n: int
) -> None:
    before = [f"id-{k}" for k in range(n)]
    after = edited_order(rng, before)
    changes = order_changes(before, after)
    new = {cell_id for cell_id in after if cell_id not in before}
    assert changed_order(before, changes, new) == after
    delta = {"order_changes": changes, "cells": [code(cell_id) for cell_id in sorted(new)]}
    assert applied(session_input(*before), delta).order == tuple(after)
    kept = [before.index(cell_id) for cell_id in after if cell_id in before]
    moves = len(kept) - longest_increasing_length(kept)
    assert len(changes["removed"]) == len(before) - len(kept) + moves
    assert len(changes["inserted"]) == len(new) + moves


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_a_session_fed_order_changes_answers_what_a_cold_analysis_does(
    rng: random.Random,
) -> None:
    edited = EditedNotebook(rng, cells=rng.randrange(0, 14))
    session = AnalysisSession()
    body = edited.full_body("c")
    session.analyze_full(body["notebook"], body.get("history"), path=body["path"])
    for step in range(10):
        kinds = [edited.edit(rng) for _ in range(rng.randrange(1, 4))]
        if rng.random() < 0.3:
            rng.shuffle(edited.cells)
        delta = edited.delta_body("c", session.revision, changes=True)
        report = session.apply(delta["base_revision"], delta["delta"], delta.get("settings"))
        assert report == cold_report(edited, step + 2), kinds
