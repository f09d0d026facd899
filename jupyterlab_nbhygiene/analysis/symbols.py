"""What one code cell does to the global namespace: defines, uses, mutates, deletes.

One :class:`ast.NodeVisitor` with a `visit_*` per node kind walks the cell in execution
order and resolves every name through Python's scopes (function, class, comprehension),
so that a name bound by a comprehension, a lambda or a function body is not a use.
Reads inside function bodies are uses of the cell too (they happen when the function is
called), unless the cell itself binds the name. See architecture.md for the contract.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from .model import CellSymbols, ImportRecord, ParsedCell
from .namespace import (
    BUILTIN_NAMES,
    IPYTHON_NAMES,
    MUTATING_FUNCTIONS,
    MUTATING_METHODS,
    generator_of_import,
    generator_state,
    in_place_suffix,
    is_builtin,
    is_sys_modules,
    root_name,
)
from .nodes import NodeIndex
from .resolver import Resolver
from .scopes import Scope, function_scope, target_names

__all__ = [
    "BUILTIN_NAMES",
    "IPYTHON_NAMES",
    "MUTATING_METHODS",
    "cell_symbols",
    "is_builtin",
    "node_index",
    "root_name",
]

_Scoped = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda


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


def _walked(tree: ast.Module) -> _Visitor | None:
    """The visitor after one walk of `tree`; None when the tree is deeper than the
    interpreter can walk (nothing it found would be reliable)."""
    visitor = _Visitor()
    try:
        visitor.visit(tree)
    except RecursionError:
        return None
    return visitor


class _Visitor(Resolver):
    """One `visit_*` per node kind, in execution order."""

    # -- targets -----------------------------------------------------------------------

    def _store(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, target.lineno)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._store(element)
        elif isinstance(target, ast.Starred):
            self._store(target.value)
        elif isinstance(target, ast.Attribute | ast.Subscript):
            self._write_into(target)
        else:
            self.visit(target)

    def _write_into(self, target: ast.Attribute | ast.Subscript) -> None:
        """`x.a = …`, `x[k] = …`, `del x[k]`: reads the container and changes it in place."""
        self.visit(target.value)
        if isinstance(target, ast.Subscript):
            self.visit(target.slice)
            self._namespace_write(target.value, target.lineno)
        self._mutate(target, target.lineno)

    # -- statements ----------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.index.loaded.add(node.id)
            self._load(node.id, node.lineno)
        elif isinstance(node.ctx, ast.Store):
            self._bind(node.id, node.lineno)
        else:
            self._delete(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if type(node.value) is str:
            self.index.strings.append(node)

    # Common expression nodes, visited directly rather than field by field.

    def visit_Expr(self, node: ast.Expr) -> None:
        self.visit(node.value)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.visit(node.value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.visit(node.value)
        self.visit(node.slice)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self.visit(node.left)
        self.visit(node.right)

    def visit_Compare(self, node: ast.Compare) -> None:
        self.visit(node.left)
        for comparator in node.comparators:
            self.visit(comparator)

    def visit_keyword(self, node: ast.keyword) -> None:
        self.visit(node.value)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        lambda_name = (
            node.targets[0].id
            if isinstance(node.value, ast.Lambda)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            else None
        )
        self._collect(lambda_name, node.value)
        for target in node.targets:
            self._store(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            self._load(target.id, target.lineno)
            self.visit(node.value)
            self._bind(target.id, target.lineno)
        else:
            self.visit(node.value)
            self._store(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        if self.scope.kind != "function":
            self.visit(node.annotation)
        else:  # annotations of locals are never evaluated: only indexed
            self.annotation_only = True
            try:
                self.visit(node.annotation)
            finally:
                self.annotation_only = False
        if node.value is not None:
            self._store(node.target)
        elif not isinstance(node.target, ast.Name):
            self.visit(node.target.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind(node.target.id, node.target.lineno, walrus=True)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        if not self.scoped:
            self.index.loop_targets.update(
                n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)
            )
        self.visit(node.iter)
        self._store(node.target)
        for stmt in node.body:
            self.visit(stmt)
        for stmt in node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._store(item.optional_vars)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        name = node.name
        function = self._function_scope() if name and self.deferred_depth else None
        if function is not None and name and name not in function.globals:
            function.locals.add(name)
        # `except E as e` unbinds `e` when the handler ends: not a definition.
        temporary = (
            name if name and self.scope.kind == "module" and name not in self.bound else None
        )
        defined = temporary is not None and temporary in self.defines
        if temporary:
            self.bound.add(temporary)
        for stmt in node.body:
            self.visit(stmt)
        if temporary:
            # Python deletes `e` when the handler ends, even when the handler rebound it.
            self.bound.discard(temporary)
            if not defined:
                self.defines.pop(temporary, None)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._delete(target)
            elif isinstance(target, ast.Attribute | ast.Subscript):
                self._write_into(target)
            else:
                self.visit(target)

    def _delete(self, node: ast.Name) -> None:
        if self.deferred_depth:
            function = self._function_scope()
            if function is None:
                return
            if node.id not in function.globals:
                function.locals.add(node.id)  # `del x` makes `x` local, like assignment
                return
            # `global x; del x`: reads x when called, and deletes it; like a `global`
            # write, the delete is recorded for the cell that defines the function.
            self._load(node.id, node.lineno)
            function.written.add(node.id)
            self.deletes.setdefault(node.id, node.lineno)
            return
        if not self._is_global(node.id):
            return
        self._load(node.id, node.lineno)  # `del x` needs `x` to exist
        if not self.deferred_depth and self.scope.kind == "module":
            self.deletes.setdefault(node.id, node.lineno)

    def _index_import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.index.all_imports.append(node)
        if not self.scoped:
            self.index.imports.append(node)

    def visit_Import(self, node: ast.Import) -> None:
        self._index_import(node)
        for alias in node.names:
            name = alias.asname or alias.name.split(".", 1)[0]
            if self._binds_global(name):
                self.imports.append(ImportRecord(alias.name, name, node.lineno))
            self._bind(name, node.lineno)
            generator = generator_of_import(alias.name, name)
            if generator is not None:
                self._bind(generator, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._index_import(node)
        module = "." * (node.level or 0) + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                if self.scope.kind == "module":
                    self.imports.append(ImportRecord(module, "*", node.lineno))
                continue
            name = alias.asname or alias.name
            if self._binds_global(name):
                self.imports.append(ImportRecord(module, name, node.lineno))
            self._bind(name, node.lineno)

    def _binds_global(self, name: str) -> bool:
        return self.scope.kind == "module" or (
            self.scope.kind == "function" and name in self.scope.globals
        )

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

    # -- scopes ----------------------------------------------------------------------------

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

    # -- match -------------------------------------------------------------------------------

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name is not None:
            self._bind(node.name, node.lineno)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self._bind(node.name, node.lineno)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        for key in node.keys:
            self.visit(key)
        for pattern in node.patterns:
            self.visit(pattern)
        if node.rest is not None:
            self._bind(node.rest, node.lineno)
