"""The walk of one cell: a `visit_*` per statement and expression kind, in execution order.

Assignments, augmented and annotated assignments, `:=`, `for`, `with`, `except ... as`,
`del`, imports and `match` patterns bind or delete names; `Name` nodes read them. Each
goes through the resolver (resolver.py), which decides whether the name is a global of
the cell. Scope bodies (bodies.py) and in-place changes (mutations.py) are walked by the
classes this one combines; the rules' node index (nodes.py) is filled in the same walk.
"""

from __future__ import annotations

import ast

from .bodies import ScopeBodies
from .model import ImportRecord
from .mutations import Mutations
from .namespace import generator_of_import


class CellWalker(Mutations, ScopeBodies):
    """One walk of a cell's tree: bindings, reads and deletes here, the rest inherited."""

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
            # write, the cell that defines the function lists it, and the delete
            # happens in the cell that calls the function.
            self._load(node.id, node.lineno)
            function.written.add(node.id)
            self.deletes.setdefault(node.id, node.lineno)
            self.global_writes.add(node.id)
            if self.write_collector is not None:
                self.write_collector.add(node.id)
            return
        if not self._is_global(node.id):
            return
        self._load(node.id, node.lineno)  # `del x` needs `x` to exist
        if not self.deferred_depth and self.scope.kind == "module":
            self.deletes.setdefault(node.id, node.lineno)
            self.module_deletes.add(node.id)
            self.gone.add(node.id)

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
