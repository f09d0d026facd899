"""Execution order: the saved execution-count order, and which cells' order matters."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..analysis.model import cell_label
from .normalize import source_text

_NAME_ERROR = re.compile(r"name '(\w+)' is not defined")
_MAGIC = re.compile(r"^\s*[%!?]|^\s*\w+\s*=\s*[%!]")


def saved_order(cells: Sequence[Mapping[str, Any]], code: Sequence[int]) -> list[int]:
    """Code cells that have a saved execution count, in the order of those counts."""
    counted = [(c, i) for i in code if isinstance(c := cells[i].get("execution_count"), int)]
    return [i for _count, i in sorted(counted)]


def out_of_order(cells: Sequence[Mapping[str, Any]], code: Sequence[int]) -> bool:
    """Whether the saved counts say some cell ran before a cell above it."""
    order = saved_order(cells, code)
    return order != sorted(order)


def bound_names(source: str) -> set[str]:
    """Global names a cell binds (assignments, imports, def, class, for, with, walrus)."""
    if source.lstrip().startswith("%%"):
        return set()
    # IPython lines (magics, shell escapes) are not Python: blank them, keep line numbers.
    lines = ["" if _MAGIC.match(line) else line for line in source.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return set()
    return set(_bindings(tree.body))


def _bindings(body: Sequence[ast.stmt]) -> Iterator[str]:
    for stmt in body:
        for node in _walk_module_scope(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                yield node.id
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield node.name
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name != "*":
                        yield (alias.asname or alias.name).split(".")[0]


def _walk_module_scope(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk that does not enter function, class, lambda or comprehension scopes."""
    yield node
    if isinstance(
        node,
        (
            ast.FunctionDef,
            ast.AsyncFunctionDef,
            ast.ClassDef,
            ast.Lambda,
            ast.ListComp,
            ast.SetComp,
            ast.DictComp,
            ast.GeneratorExp,
        ),
    ):
        return
    for child in ast.iter_child_nodes(node):
        yield from _walk_module_scope(child)


def order_issues(
    cells: Sequence[Mapping[str, Any]],
    code: Sequence[int],
    failures: Sequence[tuple[int, str, str]],
) -> list[dict[str, Any]]:
    """Name the cells whose order matters, for cells that fail top-down.

    `failures` are (cell index, ename, evalue) from the top-down run. For a NameError, the cell
    below that defines the name and ran before (by saved counts) is named; otherwise the pairs
    of cells whose saved counts contradict notebook order are listed.
    """
    counts = {i: c for i in code if isinstance(c := cells[i].get("execution_count"), int)}
    issues: list[dict[str, Any]] = []
    for index, ename, evalue in failures:
        match = _NAME_ERROR.search(evalue) if ename == "NameError" else None
        if match is None or index not in counts:
            continue
        name = match.group(1)
        definers = [
            j
            for j in code
            if j > index
            and j in counts
            and counts[j] < counts[index]
            and name in bound_names(source_text(cells[j].get("source")))
        ]
        if not definers:
            continue
        j = max(definers, key=lambda k: counts[k])  # the definition that reached the cell
        issues.append(
            {
                "cell": index,
                "name": name,
                "defined_in": j,
                "counts": [counts[index], counts[j]],
                "message": (
                    f"{cell_label(index)} uses `{name}`, defined in {cell_label(j)}, "
                    f"which ran before it (counts {counts[index]} and {counts[j]})"
                ),
            }
        )
    if issues:
        return issues
    for i in code:
        for j in code:
            if i < j and i in counts and j in counts and counts[j] < counts[i]:
                issues.append(
                    {
                        "cell": i,
                        "name": None,
                        "defined_in": j,
                        "counts": [counts[i], counts[j]],
                        "message": (
                            f"{cell_label(j)} (count {counts[j]}) ran before "
                            f"{cell_label(i)} above it (count {counts[i]})"
                        ),
                    }
                )
    return issues[:10]
