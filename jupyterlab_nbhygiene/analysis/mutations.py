"""In-place changes a cell makes to globals it does not rebind, found while it is walked.

`x.append(1)`, `df.fillna(0, inplace=True)`, `x[k] = v`, `x.a = v`, `del x[k]` and
`random.shuffle(x)` change `x` where it lives; `rng.normal()` draws from (changes the
state of) a random generator. Only top-level code counts: a function body changes
nothing until it is called. Calls the analysis cannot follow (`exec`, `eval`,
`globals()[...] = ...`, `setattr(sys.modules[...], ...)`) are recorded as `dynamic`.
"""

from __future__ import annotations

import ast

from .namespace import (
    MUTATING_FUNCTIONS,
    MUTATING_METHODS,
    NAMESPACE_CALLS,
    generator_state,
    in_place_suffix,
    is_builtin,
    is_sys_modules,
    root_name,
)
from .resolver import Resolver


class Mutations(Resolver):
    """Calls, item and attribute writes: what they change in place (`mutates`, `draws`)."""

    def _write_into(self, target: ast.Attribute | ast.Subscript) -> None:
        """`x.a = …`, `x[k] = …`, `del x[k]`: reads the container and changes it in place."""
        self.visit(target.value)
        if isinstance(target, ast.Subscript):
            self.visit(target.slice)
            self._namespace_write(target.value, target.lineno)
        self._mutate(target, target.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        self.index.calls.append(node)
        if not self.scoped:
            self.index.global_calls.append(node)
        visit = self.visit
        visit(node.func)
        for arg in node.args:
            visit(arg)
        for keyword in node.keywords:
            visit(keyword.value)
        func = node.func
        line = node.lineno
        if isinstance(func, ast.Attribute):
            inplace = any(
                kw.arg == "inplace"
                and isinstance(kw.value, ast.Constant)
                and kw.value.value is True
                for kw in node.keywords
            )
            attr = func.attr
            if inplace or attr in MUTATING_METHODS or in_place_suffix(attr):
                self._mutate(func.value, line)
            if attr == "update":
                self._namespace_write(func.value, line)
            if attr in MUTATING_FUNCTIONS and node.args:
                self._mutate(node.args[0], line)
            generator = generator_state(func)
            if generator is not None:
                self._draw(generator, func, line)
        elif isinstance(func, ast.Name):
            if func.id in ("exec", "eval") and (self.deferred_depth or self._is_global(func.id)):
                self.dynamic.setdefault(func.id, line)
            elif func.id == "setattr" and node.args and is_sys_modules(node.args[0]):
                self.dynamic.setdefault("setattr", line)
            elif func.id in MUTATING_FUNCTIONS and node.args:
                self._mutate(node.args[0], line)

    def _mutate(self, target: ast.expr, line: int) -> None:
        root = root_name(target)
        if root is None or self.deferred_depth or not self._is_global(root.id):
            return
        name = root.id
        if name not in self.bound and not is_builtin(name):
            self.mutates.setdefault(name, line)

    def _draw(self, generator: str, func: ast.expr, line: int) -> None:
        """A draw from (or seeding of) a random generator: its state `generator` (`rng`,
        `random`, the pseudo-name `np.random`) changes in place."""
        root = root_name(func)
        if root is None or self.deferred_depth or not self._is_global(root.id):
            return
        if generator not in self.bound and not is_builtin(generator):
            self.mutates.setdefault(generator, line)
            self.draws.setdefault(generator, line)

    def _namespace_write(self, node: ast.expr, line: int) -> None:
        # `globals()["x"] = 1` binds a name no statement shows.
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in NAMESPACE_CALLS
        ):
            self.dynamic.setdefault(node.func.id, line)
