"""Cell states from an execution history (exact) and from saved counts (inferred)."""

from __future__ import annotations

from typing import Any

from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.graph import build_graph
from jupyterlab_nbhygiene.analysis.model import (
    CellIndex,
    CellState,
    CellSymbols,
    Execution,
    HiddenReason,
    StaleReason,
)
from jupyterlab_nbhygiene.analysis.notebook import read_notebook
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.state import cell_states
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols


def states(
    *cells: dict[str, Any] | str,
    history: list[tuple[int | str, str]] | None = None,
    errors: set[int] | None = None,
) -> dict[CellIndex, CellState]:
    """`history`: (cell number or id, source as executed) in kernel order."""
    nb = read_notebook(make_notebook(*cells))
    symbols: dict[CellIndex, CellSymbols] = {}
    for cell in nb.code_cells:
        parsed = parse_cell(cell.source)
        if parsed.tree is not None:
            symbols[cell.index] = cell_symbols(parsed)
    graph = build_graph(symbols, [c.index for c in nb.code_cells])
    executions = None
    if history is not None:
        executions = [
            Execution(
                cell_id=f"c{who}" if isinstance(who, int) else who,
                source=source,
                execution_count=k + 1,
                status="error" if errors and k in errors else "ok",
            )
            for k, (who, source) in enumerate(history)
        ]
    return cell_states(nb, symbols, graph, executions)


def code(source: str, count: int | None, **extra: Any) -> dict[str, Any]:
    return {"source": source, "execution_count": count, **extra}


def summary(result: dict[CellIndex, CellState]) -> list[str]:
    return [result[CellIndex(i)].state for i in range(len(result))]


ERROR_OUTPUT = {"output_type": "error", "ename": "NameError", "evalue": "x", "traceback": []}

# -- inferred from saved counts ------------------------------------------------------------


def test_in_order_is_fresh() -> None:
    result = states(code("x = 1", 1), code("y = x", 2), code("print(y)", 3))
    assert summary(result) == ["fresh", "fresh", "fresh"]


def test_architecture_example() -> None:
    result = states(
        code("import pandas as pd", 1), code("path = 'b.csv'", 8), code("df = pd.read_csv(path)", 7)
    )
    # Cell 2 already holds the current `path`: only cell 3 must re-run.
    assert result[CellIndex(2)] == CellState(
        "stale", (StaleReason("path", CellIndex(1)),), (CellIndex(2),)
    )
    assert result[CellIndex(1)].state == "fresh"


def test_unexecuted_and_markdown() -> None:
    result = states(
        {"cell_type": "markdown", "source": "# T"},
        code("x = 1", None),
        {"cell_type": "raw", "source": "raw"},
    )
    assert summary(result) == ["markdown", "unexecuted", "markdown"]


def test_errored_from_output() -> None:
    result = states(code("x = 1", 1), code("y = x / 0", 2, outputs=[ERROR_OUTPUT]))
    assert summary(result) == ["fresh", "errored"]


def test_stale_via_mutation() -> None:
    result = states(code("lst = [1]", 1), code("lst.append(2)", 3), code("n = len(lst)", 2))
    assert result[CellIndex(2)].state == "stale"
    assert result[CellIndex(2)].stale_because == (StaleReason("lst", CellIndex(1)),)


def test_stale_via_deletion() -> None:
    # `del x` (run last) deleted the value `y = x` read; a cell between binds it again.
    result = states(code("x = 1", 1), code("del x", 4), code("x = 2", 2), code("y = x", 3))
    assert result[CellIndex(3)].state == "stale"
    assert result[CellIndex(3)].stale_because == (StaleReason("x", CellIndex(1)),)


def test_read_after_deletion_is_hidden() -> None:
    # No cell between the `del` and the read binds it again: a re-run raises NameError.
    result = states(code("x = 1", 1), code("del x", 3), code("y = x", 2))
    assert result[CellIndex(2)].state == "hidden"


def test_change_by_cell_below_is_normal_flow() -> None:
    result = states(code("x = 1", 1), code("y = x", 2), code("x = 5", 3))
    assert summary(result) == ["fresh", "fresh", "fresh"]


def test_transitive_staleness() -> None:
    result = states(code("a = 1", 4), code("b = a + 1", 2), code("c = b * 2", 3))
    assert result[CellIndex(1)].stale_because == (StaleReason("a", CellIndex(0)),)
    assert result[CellIndex(2)].state == "stale"
    assert result[CellIndex(2)].stale_because == (StaleReason("b", CellIndex(1), via=True),)
    assert result[CellIndex(2)].fix_by == (1, 2)


def test_stale_via_function_globals() -> None:
    result = states(code("def f():\n    return k * 2", 1), code("k = 3", 4), code("v = f()", 3))
    assert result[CellIndex(0)].state == "fresh"  # defining f does not read k
    assert result[CellIndex(2)].state == "stale"
    assert result[CellIndex(2)].stale_because == (StaleReason("k", CellIndex(1)),)
    assert result[CellIndex(2)].fix_by == (2,)  # cell 2 holds the current k


def test_redefined_function_makes_caller_stale() -> None:
    result = states(code("def f():\n    return 1", 3), code("v = f()", 2))
    assert result[CellIndex(1)].stale_because == (StaleReason("f", CellIndex(0)),)


def test_non_idempotent_self_loop_is_not_stale() -> None:
    result = states(code("x = 0", 1), code("x = x + 1", 2))
    assert summary(result) == ["fresh", "fresh"]


def test_builtin_uses_only_count_when_rebound() -> None:
    result = states(code("print(1)", 1), code("n = 1", 2))
    assert summary(result) == ["fresh", "fresh"]
    result = states(code("list = [1]", 3), code("n = len(list)", 2))
    assert result[CellIndex(1)].state == "stale"


def test_syntax_error_cell_has_a_state() -> None:
    # A cell that does not parse raised SyntaxError when it ran.
    result = states(code("x = (", 1), code("y = 1", 2))
    assert summary(result) == ["errored", "fresh"]


# -- exact, with a history ---------------------------------------------------------------


def test_history_fresh_and_unexecuted() -> None:
    result = states("x = 1", "y = x", "z = y", history=[(0, "x = 1"), (1, "y = x")])
    assert summary(result) == ["fresh", "fresh", "unexecuted"]


def test_history_edited() -> None:
    result = states("x = 2", "y = x", history=[(0, "x = 1"), (1, "y = x")])
    assert result[CellIndex(0)].state == "edited"
    assert result[CellIndex(0)].fix_by == (0,)
    assert result[CellIndex(1)].state == "stale"  # it read the value the old source made
    assert result[CellIndex(1)].stale_because == (StaleReason("x", CellIndex(0), via=True),)
    assert result[CellIndex(1)].fix_by == (0, 1)


def test_history_whitespace_at_end_is_no_edit() -> None:
    result = states("x = 1\n", history=[(0, "x = 1")])
    assert summary(result) == ["fresh"]


def test_history_rerun_upstream_makes_stale() -> None:
    result = states(
        "path = 'b'",
        "data = list(path)",
        "n = len(data)",
        history=[
            (0, "path = 'b'"),
            (1, "data = list(path)"),
            (2, "n = len(data)"),
            (0, "path = 'b'"),
        ],
    )
    assert result[CellIndex(1)].stale_because == (StaleReason("path", CellIndex(0)),)
    assert result[CellIndex(2)].state == "stale"
    assert result[CellIndex(2)].stale_because == (StaleReason("data", CellIndex(1), via=True),)
    assert result[CellIndex(1)].fix_by == (1,)  # cell 0 re-ran: it holds the current path
    assert result[CellIndex(2)].fix_by == (1, 2)


def test_history_rerun_in_order_is_fresh() -> None:
    result = states(
        "a = 1", "b = a", history=[(0, "a = 1"), (1, "b = a"), (0, "a = 1"), (1, "b = a")]
    )
    assert summary(result) == ["fresh", "fresh"]


def test_history_errored_status() -> None:
    result = states("x = 1", "y = 1 / 0", history=[(0, "x = 1"), (1, "y = 1 / 0")], errors={1})
    assert summary(result) == ["fresh", "errored"]


def test_history_errored_from_saved_output() -> None:
    result = states(
        "x = 1", code("y = z", 2, outputs=[ERROR_OUTPUT]), history=[(0, "x = 1"), (1, "y = z")]
    )
    assert result[CellIndex(1)].state == "errored"


def test_history_uses_source_as_executed() -> None:
    # The cell now reads `b`, but when it ran it read `a`: `a` changing is what matters.
    result = states("a = 1", "b = 2", "v = b", history=[(2, "v = a"), (0, "a = 1"), (1, "b = 2")])
    assert result[CellIndex(2)].state == "edited"
    assert result[CellIndex(2)].stale_because == (StaleReason("a", CellIndex(0)),)


def test_history_deleted_cell_changes_count() -> None:
    result = states("x = 1", "y = x", history=[(0, "x = 1"), (1, "y = x"), ("gone", "x = 99")])
    state = result[CellIndex(1)]
    assert state.state == "stale"
    assert state.stale_because == ()
    assert [(d.name, d.cell_id) for d in state.changed_by_deleted] == [("x", "gone")]
    assert state.fix_by == (0, 1)


def test_history_deleted_cell_as_provider() -> None:
    # `helper` only ever came from a deleted cell: what y shows no cell can give again.
    result = states(
        "y = helper()", history=[("gone", "def helper():\n    return 1"), (0, "y = helper()")]
    )
    assert summary(result) == ["hidden"]
    assert result[CellIndex(0)].hidden_because == (HiddenReason("helper", None, "deleted"),)


def test_history_function_globals() -> None:
    result = states(
        "def f():\n    return k",
        "k = 1",
        "v = f()",
        history=[(0, "def f():\n    return k"), (1, "k = 1"), (2, "v = f()"), (1, "k = 1")],
    )
    assert result[CellIndex(0)].state == "fresh"
    assert result[CellIndex(2)].stale_because == (StaleReason("k", CellIndex(1)),)


def test_history_mutation_by_cell_above() -> None:
    result = states(
        "df = list()",
        "df.dropna(inplace=True)",
        "df.head()",
        history=[(0, "df = list()"), (2, "df.head()"), (1, "df.dropna(inplace=True)")],
    )
    assert result[CellIndex(2)].stale_because == (StaleReason("df", CellIndex(1)),)
    assert result[CellIndex(2)].fix_by == (2,)  # df holds cell 2's change already


def test_history_own_mutation_is_not_stale() -> None:
    result = states(
        "lst = []",
        "lst.append(1)",
        history=[(0, "lst = []"), (1, "lst.append(1)"), (1, "lst.append(1)")],
    )
    assert summary(result) == ["fresh", "fresh"]


def test_history_transitive_through_edited_cell() -> None:
    result = states("a = 2", "b = a", "c = b", history=[(0, "a = 1"), (1, "b = a"), (2, "c = b")])
    assert summary(result) == ["edited", "stale", "stale"]
    assert result[CellIndex(2)].fix_by == (0, 1, 2)


def test_history_changer_below_uses_notebook_provider_in_fix() -> None:
    result = states(
        "x = 1", "y = x", "x = 2", history=[(0, "x = 1"), (2, "x = 2"), (1, "y = x"), (0, "x = 1")]
    )
    # cell 1 read cell 2's x; cell 0 (above) re-ran after: stale, and x holds cell 0's
    # value, the one a top-to-bottom run gives: re-running cell 1 is enough.
    assert result[CellIndex(1)].stale_because == (StaleReason("x", CellIndex(0)),)
    assert result[CellIndex(1)].fix_by == (1,)


def test_history_empty() -> None:
    result = states("x = 1", history=[])
    assert summary(result) == ["unexecuted"]


def test_every_cell_gets_a_state() -> None:
    result = states(
        {"cell_type": "markdown", "source": "t"},
        "x = (",
        "%%bash\nls",
        history=[(1, "x = ("), (2, "%%bash\nls")],
    )
    assert summary(result) == ["markdown", "errored", "fresh"]


def _no_ids(sources: list[str]) -> dict[str, Any]:
    cells = [
        {"cell_type": "code", "source": s, "metadata": {}, "execution_count": None, "outputs": []}
        for s in sources
    ]
    return {"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells}


def test_history_for_a_file_without_ids_matches_cells_by_source() -> None:
    nb = _no_ids(["a = 1", "b = a + 1", "c = 3"])
    history = {
        "executions": [
            {"cell_id": "f3a9-live-id", "source": "a = 1", "execution_count": 1},
            {"cell_id": "77c1-live-id", "source": "b = a + 1", "execution_count": 2},
        ]
    }
    report = analyze(nb, history)
    assert report["history_match"] == "source"
    assert [c["state"] for c in report["cells"]] == ["fresh", "fresh", "unexecuted"]


def test_history_that_matches_nothing_says_so() -> None:
    nb = _no_ids(["a = 1"])
    history = {"executions": [{"cell_id": "x", "source": "z = 9", "execution_count": 1}]}
    report = analyze(nb, history)
    assert report["history_match"] == "none"
    assert report["cells"][0]["state"] == "unexecuted"


def test_history_matched_by_id_is_reported_and_no_history_adds_no_key() -> None:
    nb = _no_ids(["a = 1"])
    nb["cells"][0]["id"] = "k1"
    history = {"executions": [{"cell_id": "k1", "source": "a = 1", "execution_count": 1}]}
    assert analyze(nb, history)["history_match"] == "id"
    assert "history_match" not in analyze(nb)


def test_an_edit_that_changes_only_unread_names_keeps_the_states() -> None:
    before = states(code("z = 0", 3), code("x = 1", 1), code("y = x", 2))
    assert summary(before) == ["fresh", "fresh", "fresh"]
    after = states(code("z = 0\nspare = 1", 3), code("x = 1", 1), code("y = x", 2))
    assert after == before


def test_an_edit_that_changes_a_read_name_replays() -> None:
    for reader in ("y = x", "del x"):
        states(code("z = 0", 3), code("x = 1", 1), code(reader, 2))
        # Cell 1 now rebinds x after cell 3 read it: cell 3 is stale.
        after = states(code("z = 0\nx = 9", 3), code("x = 1", 1), code(reader, 2))
        assert summary(after) == ["fresh", "fresh", "stale"]
        assert after[CellIndex(2)].stale_because == (StaleReason("x", CellIndex(0)),)


def test_an_edit_of_a_cell_that_ran_makes_it_edited_with_the_same_history() -> None:
    ran = [(0, "x = 1"), (1, "y = x")]
    before = states("x = 1", "y = x", history=ran)
    assert summary(before) == ["fresh", "fresh"]
    after = states("x = 1\nspare = 2", "y = x", history=ran)
    assert summary(after) == ["edited", "stale"]
    unrun = states("x = 1", "y = x", "w = 3", history=ran)
    assert summary(unrun) == ["fresh", "fresh", "unexecuted"]
    assert states("x = 1", "y = x", "w = 4", history=ran) == unrun
