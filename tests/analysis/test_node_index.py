"""The node index rules read, filled by the same walk that resolves a cell's names.

Each case gives one cell and what the index must hold; every case is also checked
against symbols.node_index, which walks a tree on its own: both ways must agree.
"""

from __future__ import annotations

import ast

import pytest

from jupyterlab_nbhygiene.analysis.nodes import NodeIndex
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import node_index, symbols_and_index


def _calls(calls: list[ast.Call]) -> list[str]:
    return [ast.unparse(c.func) for c in calls]


def _index(source: str) -> NodeIndex:
    parsed = parse_cell(source)
    assert parsed.tree is not None
    return symbols_and_index(parsed)[1]


def _summary(index: NodeIndex) -> dict[str, object]:
    return {
        "calls": _calls(index.calls),
        "global_calls": _calls(index.global_calls),
        "strings": [s.value for s in index.strings],
        "imports": [ast.unparse(i) for i in index.imports],
        "all_imports": [ast.unparse(i) for i in index.all_imports],
        "loop_targets": sorted(index.loop_targets),
        "loaded": sorted(index.loaded),
    }


CASES = [
    # Source order, an enclosing call before the calls inside it, whatever the order
    # the names are resolved in (the value of an assignment before its targets).
    ("x[f()] = g(h())", {"calls": ["f", "g", "h"]}),
    ("a.b().c(d())", {"calls": ["a.b().c", "a.b", "d"]}),
    # Decorators come first in the source, and belong to the def: not global.
    (
        "@dec(1)\ndef f():\n    return g()\nh()",
        {"calls": ["dec", "g", "h"], "global_calls": ["h"]},
    ),
    ("class A:\n    x = f()\ny = lambda: g()\nz = [k() for _ in r]", {"global_calls": ["k"]}),
    # Strings: f-string parts and docstrings too, in source order.
    ('"""doc"""\np = f"/home/{user}/x"', {"strings": ["doc", "/home/", "/x"]}),
    # A local annotation is never evaluated, yet its names and strings are indexed.
    (
        "def f():\n    x: 'List[int]' = [] \n    y: Dict = {}\n",
        {"strings": ["List[int]"], "loaded": ["Dict"]},
    ),
    (
        "import os\nfrom a import b as c\ndef f():\n    import json",
        {
            "imports": ["import os", "from a import b as c"],
            "all_imports": ["import os", "from a import b as c", "import json"],
        },
    ),
    # Loop targets of global loops only, including names under attribute targets.
    (
        "for i, (j, *k) in x:\n    pass\nfor self.n in y:\n    pass\n"
        "def f():\n    for m in z:\n        pass",
        {"loop_targets": ["i", "j", "k", "self"]},
    ),
    # Every name read, in any scope; stores and deletes are not reads.
    ("a = b\ndel c\nd += 1\ndef f():\n    return e", {"loaded": ["b", "e"]}),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_node_index(source: str, expected: dict[str, object]) -> None:
    summary = _summary(_index(source))
    for key, value in expected.items():
        assert summary[key] == value, key


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_walk_of_its_own_agrees(source: str, expected: dict[str, object]) -> None:
    walked_with_symbols = _summary(_index(source))
    other_tree = ast.parse(parse_cell(source).python)
    assert _summary(node_index(other_tree)) == walked_with_symbols


def test_too_deep_for_the_walk_gives_an_empty_index() -> None:
    # Deeper than the interpreter can recurse: like the symbols, the index is empty.
    at = {"lineno": 1, "col_offset": 0, "end_lineno": 1, "end_col_offset": 1}
    value: ast.expr = ast.Call(ast.Name("f", ast.Load(), **at), [], [], **at)
    for _ in range(5000):
        value = ast.UnaryOp(ast.USub(), value, **at)
    tree = ast.Module([ast.Assign([ast.Name("y", ast.Store(), **at)], value, **at)], [])
    assert _summary(node_index(tree)) == _summary(NodeIndex())
