"""A faster :class:`ast.NodeVisitor`: dispatch by node type, leaves skipped.

`ast.NodeVisitor.visit` builds a method name and looks it up for every node, and its
`generic_visit` also walks operator and context nodes (`Load`, `Add`, ...) that never
hold a name. Analysis time is dominated by that walk, so this base class resolves
`visit_*` methods once per class and keeps, per node type, the fields that can hold
child nodes.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

# Fields that only ever hold operators, contexts or plain values, never names.
_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "kind", "type_comment", "conversion"})
LEAF_TYPES: tuple[type[ast.AST], ...] = (
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
    ast.boolop,
    ast.Constant,
)


def child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    """The fields of `node_type` that can hold child nodes holding names."""
    return tuple(f for f in node_type._fields if f not in _LEAF_FIELDS)


def _node_types() -> list[type[ast.AST]]:
    """Every node class of the `ast` module."""
    found: list[type[ast.AST]] = []
    stack: list[type[ast.AST]] = [ast.AST]
    while stack:
        node_type = stack.pop()
        found.append(node_type)
        stack.extend(node_type.__subclasses__())
    return found


# The child fields of every node type, made once at import (read-only afterwards).
_CHILD_FIELDS: Mapping[type[ast.AST], tuple[str, ...]] = MappingProxyType(
    {node_type: child_fields(node_type) for node_type in _node_types()}
)


def _fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    """`child_fields(node_type)`: from the table, or computed for a type made since."""
    fields = _CHILD_FIELDS.get(node_type)
    return child_fields(node_type) if fields is None else fields


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """`list(ast.iter_child_nodes(node))` less operators, contexts and constants' kinds:
    the same nodes holding names, in the same order, with fewer attribute reads."""
    children: list[ast.AST] = []
    for name in _CHILD_FIELDS.get(type(node)) or _fields(type(node)):
        value = getattr(node, name, None)
        if type(value) is list:
            children.extend(v for v in value if isinstance(v, ast.AST))
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


class FastVisitor(ast.NodeVisitor):
    """Calls `visit_<NodeType>` when defined, otherwise visits the node's children."""

    _dispatch: ClassVar[dict[type[ast.AST], Callable[[Any, Any], Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dispatch: dict[type[ast.AST], Callable[[Any, Any], Any]] = {}
        for attr in dir(cls):
            # NodeVisitor's own `visit_Constant` only serves deprecated node classes.
            if attr.startswith("visit_") and getattr(cls, attr) is not getattr(
                ast.NodeVisitor, attr, None
            ):
                node_type = getattr(ast, attr[6:], None)
                if isinstance(node_type, type) and issubclass(node_type, ast.AST):
                    dispatch[node_type] = getattr(cls, attr)
        for leaf in LEAF_TYPES:
            for sub in (leaf, *leaf.__subclasses__()):
                dispatch.setdefault(sub, _ignore)
        cls._dispatch = dispatch

    def visit(self, node: ast.AST) -> None:
        method = self._dispatch.get(type(node))
        if method is not None:
            method(self, node)
        else:
            self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        visit = self.visit
        for name in _CHILD_FIELDS.get(type(node)) or _fields(type(node)):
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        visit(item)
            elif isinstance(value, ast.AST):
                visit(value)


def _ignore(visitor: Any, node: Any) -> None:
    return None
