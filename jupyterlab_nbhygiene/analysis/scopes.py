"""Python scopes as a cell is walked: module, class, function, comprehension.

Python decides at compile time that a name bound anywhere in a function is local to
it, even where it is read before the binding. A function scope therefore keeps the
reads of its body `pending` until the body has been walked and its bindings are known.
"""

from __future__ import annotations

import ast
from typing import Literal


class Scope:
    """One Python scope while a cell is walked; `locals` of a class grow as it runs."""

    __slots__ = ("early", "globals", "kind", "locals", "nonlocals", "parent", "pending", "written")

    def __init__(
        self,
        kind: Literal["module", "function", "class", "comprehension"],
        parent: Scope | None,
        local_names: set[str] | None = None,
        global_names: set[str] | None = None,
        nonlocal_names: set[str] | None = None,
    ) -> None:
        self.kind = kind
        self.parent = parent
        self.locals = local_names if local_names is not None else set()
        self.globals = global_names if global_names is not None else set()
        self.nonlocals = nonlocal_names if nonlocal_names is not None else set()
        # Reads inside a function body that wait until all its bindings are known.
        self.pending: list[tuple[str, int]] = []
        # A function's `global` names it has bound or deleted so far, and those it read
        # before that (`global n; n += 1` reads `n` first): reads of the caller's value.
        self.written: set[str] = set()
        self.early: dict[str, int] = {}


def target_names(target: ast.AST) -> list[str]:
    """Names bound by an assignment or loop target (`a, (b, *c)` -> a, b, c)."""
    out: list[str] = []
    stack = [target]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            out.append(node.id)
        elif isinstance(node, ast.Tuple | ast.List):
            stack.extend(node.elts)
        elif isinstance(node, ast.Starred):
            stack.append(node.value)
    return out


def function_scope(args: ast.arguments, parent: Scope) -> Scope:
    """A new function or lambda scope holding its parameters; the body adds the rest."""
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    for star in (args.vararg, args.kwarg):
        if star is not None:
            names.add(star.arg)
    return Scope("function", parent, names)
