"""Per-cell facts and what rules keep with them (`CellFacts.once`) follow from the source alone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nbfactory import corpus_notebooks, make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.context import Code
from jupyterlab_nbhygiene.analysis.facts import compute_facts

NOTEBOOKS = corpus_notebooks()


def _shuffled(nb: dict[str, Any]) -> dict[str, Any]:
    """The same cells in another order (reversed), so every source stands elsewhere."""
    return {**nb, "cells": list(reversed(nb["cells"]))}


@pytest.mark.parametrize("path", NOTEBOOKS[::3], ids=[p.name for p in NOTEBOOKS[::3]])
def test_kept_values_do_not_depend_on_where_a_source_stood(path: Any) -> None:
    """A report made with facts other analyses filled (the same sources at other
    positions, in another notebook) equals one made with facts computed afresh."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    shared: dict[str, Any] = {}

    def kept(source: str) -> Any:
        if source not in shared:
            shared[source] = compute_facts(source)
        return shared[source]

    analyze(_shuffled(nb), facts=kept)  # fills what rules keep, cells at other places
    analyze(make_notebook("x = 1", *[c for c in nb["cells"] if c["cell_type"] == "code"]))
    assert analyze(nb, facts=kept) == analyze(nb, facts=compute_facts)


def test_a_value_is_computed_once_per_source_and_a_lambda_never_kept() -> None:
    facts = compute_facts("import numpy as np\nx = np.random.rand(3)")
    code = Code(0, facts.parsed.tree, facts.parsed, facts.symbols, facts.nodes, "", facts)
    calls: list[int] = []

    def count(view: Code) -> int:  # a nested function: a new object on every call
        calls.append(1)
        return len(view.nodes.calls)

    assert code.once(count) == code.once(count) == 1
    assert len(calls) == 2  # not kept: `count` has no stable identity
    before = len(_seen)
    assert code.once(_calls_in) == code.once(_calls_in) == 1
    assert len(_seen) - before == 1  # kept: computed the first time only


_seen: list[int] = []


def _calls_in(view: Code) -> int:
    _seen.append(1)
    return len(view.nodes.calls)
