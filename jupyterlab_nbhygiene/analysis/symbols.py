"""What one code cell does to the global namespace: defines, uses, mutates, deletes.

The entry points of one walk of a cell's tree. The walk (bindings.py's `CellWalker`,
with scope bodies in bodies.py and in-place changes in mutations.py) resolves every name
through Python's scopes (function, class, comprehension), so that a name bound by a
comprehension, a lambda or a function body is not a use. Reads inside function bodies
are uses of the cell too (they happen when the function is called), unless the cell
itself binds the name. The fields of the result are described on
:class:`~.model.CellSymbols`.
"""

from __future__ import annotations

import ast

from .bindings import CellWalker
from .model import CellSymbols, ParsedCell
from .namespace import BUILTIN_NAMES, IPYTHON_NAMES, MUTATING_METHODS, is_builtin, root_name
from .nodes import NodeIndex

__all__ = [
    "BUILTIN_NAMES",
    "IPYTHON_NAMES",
    "MUTATING_METHODS",
    "cell_symbols",
    "is_builtin",
    "node_index",
    "root_name",
]


def cell_symbols(parsed: ParsedCell) -> CellSymbols:
    """The global names `parsed` defines, uses, mutates and deletes (never raises).

    A cell without a tree (syntax error, `%%bash`) has empty symbols.
    """
    return symbols_and_index(parsed)[0]


def symbols_and_index(parsed: ParsedCell) -> tuple[CellSymbols, NodeIndex]:
    """`cell_symbols(parsed)` and the node index rules look at, from one walk of the tree."""
    if parsed.tree is None:
        return CellSymbols(), NodeIndex()
    visitor = _walked(parsed.tree)
    if visitor is None:
        return CellSymbols(), NodeIndex()
    symbols = visitor.result()
    for command in parsed.commands:
        # `%run script.py` executes a file in the namespace: names appear unseen.
        if command.kind == "line-magic" and command.text.split(None, 1)[:1] == ["run"]:
            symbols.dynamic.setdefault("%run", command.line)
    return symbols, visitor.node_index()


def node_index(tree: ast.Module) -> NodeIndex:
    """The calls, strings, imports and reads of a parsed cell, from a walk of its own
    (analysis reads the index made with the symbols: facts.CellFacts.nodes)."""
    visitor = _walked(tree)
    return NodeIndex() if visitor is None else visitor.node_index()


def _walked(tree: ast.Module) -> CellWalker | None:
    """The visitor after one walk of `tree`; None when the tree is deeper than the
    interpreter can walk (nothing it found would be reliable)."""
    visitor = CellWalker()
    try:
        visitor.visit(tree)
    except RecursionError:
        return None
    return visitor
