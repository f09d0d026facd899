"""Cross-cell dependencies: nearest earlier provider, missing names, slices."""

from __future__ import annotations

from nbfactory import graph_of

from jupyterlab_nbhygiene.analysis.graph import (
    build_graph,
    downstream,
    effective_uses,
    slices,
    upstream,
)
from jupyterlab_nbhygiene.analysis.model import CellIndex, Edge, Graph
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols


def deps(graph: Graph, cell: int) -> list[tuple[int, tuple[str, ...]]]:
    return [(e.source, e.names) for e in graph.depends_on[CellIndex(cell)]]


def test_nearest_earlier_definer() -> None:
    graph, _ = graph_of("x = 1", "x = 2", "y = x")
    assert deps(graph, 2) == [(1, ("x",))]


def test_grouped_per_source_in_order() -> None:
    graph, _ = graph_of("import pandas as pd", "path = 'a'", "df = pd.read_csv(path)\nn = path")
    assert deps(graph, 2) == [(0, ("pd",)), (1, ("path",))]


def test_mutating_cell_counts_as_definition() -> None:
    graph, _ = graph_of("lst = []", "lst.append(1)", "print(lst)")
    assert deps(graph, 1) == [(0, ("lst",))]
    assert deps(graph, 2) == [(1, ("lst",))]
    assert graph.definers["lst"] == (0, 1)


def test_use_before_definition() -> None:
    graph, _ = graph_of("print(x)", "y = 1", "x = 2")
    assert [(m.name, m.cell, m.line, m.defined_later_in) for m in graph.missing] == [("x", 0, 1, 2)]


def test_undefined_name() -> None:
    graph, _ = graph_of("a = 1", "b = a + ghost")
    assert [(m.name, m.defined_later_in) for m in graph.missing] == [("ghost", None)]


def test_missing_mutated_name() -> None:
    graph, _ = graph_of("data.append(1)")
    assert [m.name for m in graph.missing] == ["data"]


def test_builtins_never_missing() -> None:
    graph, _ = graph_of("print(len([1]))\ndisplay(1)")
    assert graph.missing == ()


def test_rebound_builtin_becomes_a_use() -> None:
    graph, symbols = graph_of("list = [1, 2]", "n = len(list)")
    assert deps(graph, 1) == [(0, ("list",))]
    assert "list" in effective_uses(symbols[CellIndex(1)], graph)
    assert "len" not in effective_uses(symbols[CellIndex(1)], graph)


def test_builtin_rebound_later_is_not_missing() -> None:
    graph, symbols = graph_of("n = len(xs := [1])", "len = 3")
    assert graph.missing == ()
    assert deps(graph, 0) == []
    assert "len" in effective_uses(symbols[CellIndex(0)], graph)


def test_syntax_error_cell_takes_no_part() -> None:
    graph, _ = graph_of("x = 1", "x = (", "y = x")
    assert deps(graph, 1) == []
    assert deps(graph, 2) == [(0, ("x",))]


def test_function_global_dependency() -> None:
    graph, _ = graph_of("k = 2", "def f():\n    return k", "v = f()")
    assert deps(graph, 1) == [(0, ("k",))]
    assert deps(graph, 2) == [(1, ("f",))]


def test_dependents() -> None:
    graph, _ = graph_of("a = 1", "b = a", "c = a + b")
    assert graph.dependents == {0: (1, 2), 1: (2,)}


def test_upstream_and_downstream() -> None:
    graph, _ = graph_of("a = 1", "b = 2", "c = a", "d = c", "e = b")
    assert upstream(graph, CellIndex(3)) == (0, 2, 3)
    assert upstream(graph, CellIndex(0)) == (0,)
    assert downstream(graph, CellIndex(0)) == (0, 2, 3)
    assert downstream(graph, CellIndex(1)) == (1, 4)


def test_slices_agree_with_walking_from_each_cell() -> None:
    graph, _ = graph_of("a = 1", "b = 2", "c = a", "d = c + b", "e = b", "del a", "f = d + e")
    cells = [CellIndex(i) for i in range(7)]
    up, down = slices(graph, cells)
    assert up == {cell: upstream(graph, cell) for cell in cells}
    assert down == {cell: downstream(graph, cell) for cell in cells}
    assert up[CellIndex(6)] == (0, 1, 2, 3, 4, 6)
    assert down[CellIndex(1)] == (1, 3, 4, 6)


def test_slices_walk_an_edge_that_points_down() -> None:
    # build_graph only links a cell to earlier cells; a graph made otherwise still gets
    # complete slices (the neighbour's closure is walked, not looked up).
    graph = Graph(
        depends_on={
            CellIndex(0): (Edge(CellIndex(2), ("z",)),),
            CellIndex(1): (),
            CellIndex(2): (Edge(CellIndex(1), ("y",)),),
        },
        missing=(),
        definers={},
        dependents={CellIndex(2): (CellIndex(0),), CellIndex(1): (CellIndex(2),)},
    )
    cells = [CellIndex(0), CellIndex(1), CellIndex(2)]
    up, down = slices(graph, cells)
    assert up[CellIndex(0)] == (0, 1, 2)
    assert down[CellIndex(2)] == (0, 2)
    assert up == {cell: upstream(graph, cell) for cell in cells}
    assert down == {cell: downstream(graph, cell) for cell in cells}


def test_skips_cells_outside_order() -> None:
    symbols = {
        CellIndex(0): cell_symbols(parse_cell("a = 1")),
        CellIndex(2): cell_symbols(parse_cell("b = a")),
    }
    graph = build_graph(symbols, [CellIndex(0), CellIndex(1), CellIndex(2)])
    assert deps(graph, 2) == [(0, ("a",))]
    assert deps(graph, 1) == []


def test_linear_chain_is_fast() -> None:
    sources = ["x0 = 1"] + [f"x{i} = x{i - 1} + 1" for i in range(1, 3000)]
    graph, _ = graph_of(*sources)
    assert deps(graph, 2999) == [(2998, ("x2998",))]
    assert len(upstream(graph, CellIndex(2999))) == 3000


def test_an_edit_that_changes_only_unread_names_keeps_the_edges() -> None:
    first, _ = graph_of("a = 1", "b = a", "print(b)")
    second, _ = graph_of("a = 1\nspare = 2", "b = a", "print(b)")
    assert second.depends_on == first.depends_on
    assert second.definers["spare"] == (0,)


def test_an_edit_that_changes_a_read_name_links_anew() -> None:
    first, _ = graph_of("x = 1", "y = 2", "print(x)")
    assert deps(first, 2) == [(0, ("x",))]
    second, _ = graph_of("x = 1", "y = 2\nx = 5", "print(x)")
    assert deps(second, 2) == [(1, ("x",))]
    assert second.definers["x"] == (0, 1)
    third, _ = graph_of("x = 1", "y = 2", "print(x)")  # and back
    assert third == first


def test_an_edit_that_rebinds_a_used_builtin_links_anew() -> None:
    graph_of("a = 1", "print(a)")
    second, _ = graph_of("a = 1\nprint = 2", "print(a)")
    assert deps(second, 1) == [(0, ("a", "print"))]
