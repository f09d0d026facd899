"""Which names a function body binds, computed before the body is walked.

Python decides at compile time that a name bound anywhere in a function is local to
it, even where it is read before the binding; symbols.py needs the same answer before
it meets the first read.
"""

from __future__ import annotations

import ast
from typing import Literal

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Scope:
    """One Python scope while a cell is walked; `locals` of a class grow as it runs."""

    __slots__ = ("globals", "kind", "locals", "nonlocals", "parent")

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


def function_scope(
    args: ast.arguments, body: list[ast.stmt] | ast.expr, parent: Scope
) -> Scope:
    """The scope of a function or lambda body: its parameters and every name it binds."""
    local_names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    for star in (args.vararg, args.kwarg):
        if star is not None:
            local_names.add(star.arg)
    global_names: set[str] = set()
    nonlocal_names: set[str] = set()
    stack: list[ast.AST] = list(body) if isinstance(body, list) else [body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                local_names.add(node.id)
        elif isinstance(node, ast.Global):
            global_names.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            nonlocal_names.update(node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            local_names.add(node.name)
            stack.extend(node.decorator_list)
            stack.extend(_argument_expressions(node.args))
            if node.returns is not None:
                stack.append(node.returns)
        elif isinstance(node, ast.ClassDef):
            local_names.add(node.name)
            stack.extend(node.decorator_list)
            stack.extend(node.bases)
            stack.extend(k.value for k in node.keywords)
        elif isinstance(node, ast.Lambda):
            stack.extend(_argument_expressions(node.args))
        elif isinstance(node, _COMPREHENSIONS):
            local_names.update(_walrus_targets(node))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    local_names.add(alias.asname or alias.name.split(".", 1)[0])
        else:
            if isinstance(node, ast.ExceptHandler) and node.name:
                local_names.add(node.name)
            elif isinstance(node, ast.MatchAs | ast.MatchStar) and node.name:
                local_names.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                local_names.add(node.rest)
            stack.extend(ast.iter_child_nodes(node))
    local_names -= global_names
    local_names -= nonlocal_names
    return Scope("function", parent, local_names, global_names, nonlocal_names)


def _argument_expressions(args: ast.arguments) -> list[ast.expr]:
    found: list[ast.expr] = [*args.defaults]
    found.extend(d for d in args.kw_defaults if d is not None)
    return found


def _walrus_targets(node: ast.AST) -> list[str]:
    # `(y := ...)` inside a comprehension binds `y` in the enclosing function.
    out: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.NamedExpr):
            out.append(current.target.id)
        if isinstance(current, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        stack.extend(ast.iter_child_nodes(current))
    return out
