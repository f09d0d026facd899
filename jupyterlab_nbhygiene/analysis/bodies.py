"""Function, lambda, class and comprehension bodies as a cell is walked.

Each body opens a scope of its own (scopes.py). A function or lambda body runs later,
when called: its reads of globals are deferred uses, settled once the whole body has
been walked and Python's choice of its local names is known, and `global`/`nonlocal`
declare which names it shares with the module or an enclosing function. A top-level
def or class records the globals its body reads (`function_reads`) and writes
(`function_writes`), a top-level `name = lambda ...` those it reads, so that a cell
calling it can be linked to them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .resolver import Resolver
from .scopes import Scope, function_scope, target_names

_Scoped = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda


class ScopeBodies(Resolver):
    """The `visit_*` of nodes that open a scope, and `global`/`nonlocal` declarations."""

    def visit_Global(self, node: ast.Global) -> None:
        # Python requires `global x` before any use of `x` in the function.
        function = self._function_scope()
        if function is not None:
            function.globals.update(node.names)
            function.locals.difference_update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        function = self._function_scope()
        if function is not None:
            function.nonlocals.update(node.names)

    def _collect(self, name: str | None, node: ast.AST) -> None:
        """Visit `node`, recording the globals its deferred bodies read under `name`."""
        if name is None or self.collector is not None or self.scope is not self.module:
            self.visit(node)
            return
        self.collector = reads = set[str]()
        try:
            self.visit(node)
        finally:
            self.collector = None
        self.function_reads[name] = reads

    def _scoped(self, walk: Callable[[_Scoped], None], node: _Scoped, name: str | None) -> None:
        """Walk a def, class or lambda; a top-level one named `name` records the globals
        its body reads (`function_reads`)."""
        self.scoped += 1
        try:
            if name is not None and self.scope is self.module and self.collector is None:
                self.collector = reads = set[str]()
                self.write_collector = writes = set[str]()
                try:
                    walk(node)
                finally:
                    self.collector = self.write_collector = None
                self.function_reads[name] = reads
                if writes:
                    self.function_writes[name] = writes
            else:
                walk(node)
        finally:
            self.scoped -= 1

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._scoped(self._function, node, node.name)  # type: ignore[arg-type]

    visit_AsyncFunctionDef = visit_FunctionDef

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._arguments(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self._bind(node.name, node.lineno)
        self._body(node.args, node.body)

    def _arguments(self, args: ast.arguments) -> None:
        for default in args.defaults:
            self.visit(default)
        for kw_default in args.kw_defaults:
            if kw_default is not None:
                self.visit(kw_default)
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            if arg.annotation is not None:
                self.visit(arg.annotation)
        for star in (args.vararg, args.kwarg):
            if star is not None and star.annotation is not None:
                self.visit(star.annotation)

    def _body(self, args: ast.arguments, body: list[ast.stmt] | ast.expr) -> None:
        outer = self.scope
        scope = self.scope = function_scope(args, outer)
        self.deferred_depth += 1
        try:
            if isinstance(body, list):
                for stmt in body:
                    self.visit(stmt)
            else:
                self.visit(body)
            # Every binding of the function is known now: settle the reads that waited.
            local = scope.locals | scope.nonlocals
            for name, line in scope.pending:
                if name not in local:
                    self._resolve(outer, name, line, current=False)
            for name, line in scope.early.items():
                if name in scope.written:
                    self.read_then_written.setdefault(name, line)
        finally:
            self.deferred_depth -= 1
            self.scope = outer

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._scoped(self._lambda, node, None)  # type: ignore[arg-type]

    def _lambda(self, node: ast.Lambda) -> None:
        self._arguments(node.args)
        self._body(node.args, node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scoped(self._class, node, node.name)  # type: ignore[arg-type]

    def _class(self, node: ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        for base in node.bases:
            self.visit(base)
        for keyword in node.keywords:
            self.visit(keyword.value)
        outer = self.scope
        self.scope = Scope("class", outer)
        try:
            for stmt in node.body:
                self.visit(stmt)
        finally:
            self.scope = outer
        self._bind(node.name, node.lineno)

    def _comprehension(self, node: ast.expr, generators: list[ast.comprehension]) -> None:
        # The first iterable is evaluated in the enclosing scope, the rest inside.
        self.visit(generators[0].iter)
        outer = self.scope
        names: set[str] = set()
        for generator in generators:
            names.update(target_names(generator.target))
        self.scope = Scope("comprehension", outer, names)
        try:
            for i, generator in enumerate(generators):
                if i:
                    self.visit(generator.iter)
                for condition in generator.ifs:
                    self.visit(condition)
            if isinstance(node, ast.DictComp):
                self.visit(node.key)
                self.visit(node.value)
            elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
                self.visit(node.elt)
        finally:
            self.scope = outer

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, node.generators)

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node, node.generators)

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node, node.generators)

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, node.generators)
