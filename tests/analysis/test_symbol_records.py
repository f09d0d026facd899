"""The records of a cell's symbols beyond its names: rebinds, dynamic calls, lines,
imports, builtins, function globals and writes, the facts cache and cells without a tree."""

from __future__ import annotations

import pytest

from jupyterlab_nbhygiene.analysis.facts import cell_facts
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("x = x + 1", {"x"}),
        ("df = df.dropna()", {"df"}),
        ("x += 1", {"x"}),
        ("x = 1\nx = x + 1", set()),
        ("y = x + 1", set()),
        ("n = n * 2 if n else 1", {"n"}),
    ],
)
def test_rebinds_own_input(code: str, expected: set[str]) -> None:
    assert set(cell_symbols(parse_cell(code)).rebinds_own_input) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("exec(code)", {"exec"}),
        ("v = eval('1 + 1')", {"eval"}),
        ("globals()['x'] = 1", {"globals"}),
        ("globals().update(d)", {"globals"}),
        ("locals()['y'] = 2", {"locals"}),
        ("vars()['z'] = 3", {"vars"}),
        ("import sys\nsetattr(sys.modules[__name__], 'a', 1)", {"setattr"}),
        ("%run helpers.py", {"%run"}),
        ("x = 1", set()),
        ("setattr(obj, 'a', 1)", set()),
    ],
)
def test_dynamic(code: str, expected: set[str]) -> None:
    assert set(cell_symbols(parse_cell(code)).dynamic) == expected


def test_lines_are_first_occurrence() -> None:
    symbols = cell_symbols(parse_cell("a = 1\n\nb = c\nc = 2\nprint(c, d)\nd.append(1)"))
    assert symbols.defines == {"a": 1, "b": 3, "c": 4}
    assert symbols.uses == {"c": 3, "d": 5}
    assert symbols.mutates == {"d": 6}


def test_imports_record_module_and_binding() -> None:
    symbols = cell_symbols(
        parse_cell("import a.b.c\nimport numpy as np\nfrom ..pkg import x as y\nfrom m import *")
    )
    assert [(r.module, r.name, r.line) for r in symbols.imports] == [
        ("a.b.c", "a", 1),
        ("numpy", "np", 2),
        ("..pkg", "y", 3),
        ("m", "*", 4),
    ]


def test_builtins_recorded_apart() -> None:
    symbols = cell_symbols(parse_cell("print(len(xs))\ndisplay(_5)"))
    assert set(symbols.builtin_uses) == {"print", "len", "display", "_5"}
    assert set(symbols.uses) == {"xs"}


def test_deferred_uses_and_function_globals() -> None:
    symbols = cell_symbols(
        parse_cell(
            "def f():\n    return threshold * k\n\nclass C:\n"
            "    def m(self):\n        return scale\nk = 2"
        )
    )
    assert set(symbols.uses) == {"threshold", "scale"}
    assert set(symbols.deferred_uses) == {"threshold", "scale"}
    assert symbols.function_globals == {"f": ("k", "threshold"), "C": ("scale",)}


def test_function_called_in_its_cell_reads_now() -> None:
    symbols = cell_symbols(parse_cell("def f():\n    return t\nresult = f()"))
    assert set(symbols.uses) == {"t"}
    assert symbols.deferred_uses == {}


@pytest.mark.parametrize(
    ("code", "writes", "run_changes", "run_inputs"),
    [
        # the delete happens where `drop` is called: not in this cell's run
        ("def drop():\n    global x\n    del x", {"drop": ("x",)}, ("drop",), ()),
        # called in the same cell: deleted as the cell runs
        ("def drop():\n    global x\n    del x\ndrop()", {"drop": ("x",)}, ("drop", "x"), ("x",)),
        # a top-level delete of the same name still counts
        ("def drop():\n    global x\n    del x\ndel x", {"drop": ("x",)}, ("drop", "x"), ("x",)),
    ],
)
def test_a_functions_global_delete_belongs_to_the_call(
    code: str,
    writes: dict[str, tuple[str, ...]],
    run_changes: tuple[str, ...],
    run_inputs: tuple[str, ...],
) -> None:
    # deleted in a function body, on line 3 (the top-level `del x` comes later)
    symbols = cell_symbols(parse_cell(code))
    assert symbols.deletes == {"x": 3}
    assert symbols.function_writes == writes
    assert symbols.run_changes == run_changes
    assert set(symbols.run_inputs) == set(run_inputs)  # with repeats


def test_cell_facts_are_cached_per_source() -> None:
    # The analyzer's one cache: per source text, the same facts object.
    assert cell_facts("cached_a = cached_b") is cell_facts("cached_a = cached_b")
    assert cell_facts("cached_a = cached_b").symbols == cell_symbols(
        parse_cell("cached_a = cached_b")
    )


def test_no_tree_gives_empty_symbols() -> None:
    symbols = cell_symbols(parse_cell("def (:"))
    assert symbols.defines == {}
    assert symbols.uses == {}
