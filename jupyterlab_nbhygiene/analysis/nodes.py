"""The node index rules look at.

The walk that resolves a cell's names (symbols.py; bindings.py and mutations.py) fills a
:class:`NodeIndex` as it goes, so a cell's tree is walked once however many rules look at
its calls, strings or imports.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass
class NodeIndex:
    """The nodes several rules look for, collected while a cell's names are resolved."""

    calls: list[ast.Call] = field(default_factory=list)  # everywhere, in source order
    global_calls: list[ast.Call] = field(default_factory=list)  # not inside def/lambda/class
    strings: list[ast.Constant] = field(default_factory=list)  # in source order
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)  # global ones
    all_imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    loop_targets: set[str] = field(default_factory=set)  # global `for` target names
    loaded: set[str] = field(default_factory=set)  # every name read, in any scope


def by_position(node: ast.expr) -> tuple[int, int, int, int]:
    """A sort key giving source order, an enclosing node before the nodes inside it."""
    return (
        node.lineno,
        node.col_offset,
        -(node.end_lineno or node.lineno),
        -(node.end_col_offset or 0),
    )
