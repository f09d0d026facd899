"""What one code cell does to the global namespace: defines, uses, mutates, deletes.

One :class:`ast.NodeVisitor` with a `visit_*` per node kind walks the cell in execution
order and resolves every name through Python's scopes (function, class, comprehension),
so that a name bound by a comprehension, a lambda or a function body is not a use.
Reads inside function bodies are uses of the cell too (they happen when the function is
called), unless the cell itself binds the name. See architecture.md for the contract.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import OrderedDict

from .model import CellSymbols, ImportRecord, ParsedCell
from .scopes import Scope, function_scope, target_names
from .source import MAGIC_PREFIX

IPYTHON_NAMES: frozenset[str] = frozenset(
    {
        "get_ipython", "display", "In", "Out", "_", "__", "___", "_i", "_ii", "_iii",
        "_ih", "_oh", "_dh", "exit", "quit", "help", "__builtin__", "__builtins__",
        "__name__", "__doc__",
    }
)  # fmt: skip
BUILTIN_NAMES: frozenset[str] = frozenset(dir(builtins)) | IPYTHON_NAMES
_NUMBERED = re.compile(r"_i{0,3}\d+")  # `_5` (Out[5]) and `_i5` (In[5])

MUTATING_METHODS: frozenset[str] = frozenset(
    {
        "append", "extend", "insert", "remove", "pop", "popitem", "clear", "update",
        "setdefault", "sort", "reverse", "add", "discard", "difference_update",
        "intersection_update", "symmetric_difference_update", "fill", "resize", "put",
        "setflags", "itemset", "appendleft", "extendleft", "popleft", "rotate",
        # Estimators learn in place: a later `model.predict` depends on the cell that fit.
        "fit", "partial_fit", "fit_transform",
    }
)  # fmt: skip
# Functions that shuffle their first argument in place (`random.shuffle(x)`).
_MUTATING_FUNCTIONS = frozenset({"shuffle"})
_NAMESPACE_CALLS = frozenset({"globals", "locals", "vars"})

_CACHE_SIZE = 8192
_cache: OrderedDict[tuple[str, tuple[object, ...]], CellSymbols] = OrderedDict()


def is_builtin(name: str) -> bool:
    """A name Python or IPython provides in a fresh kernel's namespace."""
    return name in BUILTIN_NAMES or _NUMBERED.fullmatch(name) is not None


def cell_symbols(parsed: ParsedCell) -> CellSymbols:
    """The global names `parsed` defines, uses, mutates and deletes (never raises).

    A cell without a tree (syntax error, `%%bash`) has empty symbols. The result is
    cached per translated source and shared between callers: treat it as read-only.
    """
    key = (parsed.python, parsed.commands)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    result = _compute(parsed)
    _cache[key] = result
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return result


def cache_clear() -> None:
    """Forget cached results (benchmarks measure cold runs)."""
    _cache.clear()


def _compute(parsed: ParsedCell) -> CellSymbols:
    if parsed.tree is None:
        return CellSymbols()
    visitor = _Visitor()
    try:
        visitor.visit(parsed.tree)
    except RecursionError:
        return CellSymbols()  # deeper than the interpreter can walk: nothing reliable
    symbols = visitor.result()
    for command in parsed.commands:
        # `%run script.py` executes a file in the namespace: names appear unseen.
        if command.kind == "line-magic" and command.text.split(None, 1)[:1] == ["run"]:
            symbols.dynamic.setdefault("%run", command.line)
    return symbols


def root_name(node: ast.expr) -> ast.Name | None:
    """The variable at the root of `x.a.b[c]` (None when the root is a call or literal)."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Starred):
        node = node.value
    return node if isinstance(node, ast.Name) else None


class _Visitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.module = Scope("module", None)
        self.scope = self.module
        self.deferred_depth = 0  # > 0 inside function and lambda bodies
        self.bound: set[str] = set()  # globals bound so far, in execution order
        self.defines: dict[str, int] = {}
        self.uses: dict[str, int] = {}
        self.deferred: dict[str, int] = {}
        self.mutates: dict[str, int] = {}
        self.deletes: dict[str, int] = {}
        self.rebinds: dict[str, int] = {}
        self.dynamic: dict[str, int] = {}
        self.builtin_uses: dict[str, int] = {}
        self.imports: list[ImportRecord] = []
        self.function_reads: dict[str, set[str]] = {}
        self.collector: set[str] | None = None
        self.local_reads: set[str] = set()

    # -- results ---------------------------------------------------------------------

    def result(self) -> CellSymbols:
        defines = {n: ln for n, ln in self.defines.items() if not n.startswith(MAGIC_PREFIX)}
        uses = dict(self.uses)
        deferred: dict[str, int] = {}
        for name, line in self.deferred.items():
            if name in self.defines:
                continue
            if is_builtin(name):
                self.builtin_uses.setdefault(name, line)
            elif name not in uses:
                uses[name] = line
                deferred[name] = line
        # A function the cell defines and calls at once runs its body now.
        pending = [n for n in self.local_reads if n in self.function_reads]
        seen: set[str] = set()
        while pending:
            fn = pending.pop()
            if fn in seen:
                continue
            seen.add(fn)
            for name in self.function_reads[fn]:
                deferred.pop(name, None)
                if name in self.function_reads:
                    pending.append(name)
        function_globals = {
            name: tuple(sorted(reads))
            for name, reads in self.function_reads.items()
            if reads and not name.startswith(MAGIC_PREFIX)
        }
        return CellSymbols(
            defines=defines,
            uses=uses,
            mutates=self.mutates,
            deletes=self.deletes,
            imports=tuple(self.imports),
            rebinds_own_input=self.rebinds,
            dynamic=self.dynamic,
            builtin_uses=self.builtin_uses,
            deferred_uses=deferred,
            function_globals=function_globals,
        )

    # -- name resolution -------------------------------------------------------------

    def _is_global(self, name: str) -> bool:
        scope = self.scope
        while scope.kind != "module":
            if scope.kind == "function":
                if name in scope.globals:
                    return True
                if name in scope.locals or name in scope.nonlocals:
                    return False
            elif scope.kind == "comprehension":
                if name in scope.locals:
                    return False
            elif scope is self.scope and name in scope.locals:
                return False  # a class body sees its own names; nested scopes do not
            assert scope.parent is not None
            scope = scope.parent
        return True

    def _load(self, name: str, line: int) -> None:
        if not self._is_global(name):
            return
        if self.deferred_depth:
            self.deferred.setdefault(name, line)
            if self.collector is not None:
                self.collector.add(name)
        elif name in self.bound:
            self.local_reads.add(name)
        elif is_builtin(name):
            self.builtin_uses.setdefault(name, line)
        else:
            self.uses.setdefault(name, line)

    def _bind(self, name: str, line: int, *, walrus: bool = False) -> None:
        scope = self.scope
        if walrus:
            while scope.kind == "comprehension":
                assert scope.parent is not None
                scope = scope.parent
        if scope.kind == "class":
            scope.locals.add(name)
            return
        if scope.kind == "comprehension" or (
            scope.kind == "function" and name not in scope.globals
        ):
            return
        self.defines.setdefault(name, line)
        if not self.deferred_depth:
            if name in self.uses:
                self.rebinds.setdefault(name, line)
            self.bound.add(name)

    def _mutate(self, target: ast.expr, line: int) -> None:
        root = root_name(target)
        if root is None or self.deferred_depth or not self._is_global(root.id):
            return
        name = root.id
        if name not in self.bound and not is_builtin(name):
            self.mutates.setdefault(name, line)

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
            self.visit(target.value)
            if isinstance(target, ast.Subscript):
                self.visit(target.slice)
                self._namespace_write(target.value, target.lineno)
            self._mutate(target, target.lineno)
        else:
            self.visit(target)

    def _namespace_write(self, node: ast.expr, line: int) -> None:
        # `globals()["x"] = 1` binds a name no statement shows.
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _NAMESPACE_CALLS
        ):
            self.dynamic.setdefault(node.func.id, line)

    # -- statements ----------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._load(node.id, node.lineno)
        elif isinstance(node.ctx, ast.Store):
            self._bind(node.id, node.lineno)
        else:
            self._delete(node)

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
        if self.scope.kind != "function":  # annotations of locals are never evaluated
            self.visit(node.annotation)
        if node.value is not None:
            self._store(node.target)
        elif not isinstance(node.target, ast.Name):
            self.visit(node.target.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind(node.target.id, node.target.lineno, walrus=True)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
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
        # `except E as e` unbinds `e` when the handler ends: not a definition.
        temporary = name is not None and self.scope.kind == "module" and name not in self.bound
        if temporary:
            self.bound.add(name)  # type: ignore[arg-type]
        for stmt in node.body:
            self.visit(stmt)
        if temporary:
            self.bound.discard(name)  # type: ignore[arg-type]

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._delete(target)
            elif isinstance(target, ast.Attribute | ast.Subscript):
                self.visit(target.value)
                if isinstance(target, ast.Subscript):
                    self.visit(target.slice)
                    self._namespace_write(target.value, target.lineno)
                self._mutate(target, target.lineno)
            else:
                self.visit(target)

    def _delete(self, node: ast.Name) -> None:
        if not self._is_global(node.id):
            return
        self._load(node.id, node.lineno)  # `del x` needs `x` to exist
        if not self.deferred_depth and self.scope.kind == "module":
            self.deletes.setdefault(node.id, node.lineno)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            name = alias.asname or alias.name.split(".", 1)[0]
            if self._binds_global(name):
                self.imports.append(ImportRecord(alias.name, name, node.lineno))
            self._bind(name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
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
        return  # resolved when the function scope is built

    visit_Nonlocal = visit_Global

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
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
            if inplace or attr in MUTATING_METHODS or _in_place_suffix(attr):
                self._mutate(func.value, line)
            if attr == "update":
                self._namespace_write(func.value, line)
            if attr in _MUTATING_FUNCTIONS and node.args:
                self._mutate(node.args[0], line)
        elif isinstance(func, ast.Name):
            if func.id in ("exec", "eval") and self._is_global(func.id):
                self.dynamic.setdefault(func.id, line)
            elif func.id == "setattr" and node.args and _is_sys_modules(node.args[0]):
                self.dynamic.setdefault("setattr", line)
            elif func.id in _MUTATING_FUNCTIONS and node.args:
                self._mutate(node.args[0], line)

    # -- scopes ----------------------------------------------------------------------------

    def _collect(self, name: str | None, node: ast.AST) -> None:
        """Visit `node`, recording the globals its deferred bodies read under `name`."""
        if name is None or self.collector is not None or self.scope is not self.module:
            self.visit(node)
            return
        self.collector = reads = set()
        try:
            self.visit(node)
        finally:
            self.collector = None
        self.function_reads[name] = reads

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self.scope is self.module and self.collector is None:
            self.collector = reads = set()
            try:
                self._function(node)
            finally:
                self.collector = None
            self.function_reads[node.name] = reads
        else:
            self._function(node)

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
        self.scope = function_scope(args, body, outer)
        self.deferred_depth += 1
        try:
            if isinstance(body, list):
                for stmt in body:
                    self.visit(stmt)
            else:
                self.visit(body)
        finally:
            self.deferred_depth -= 1
            self.scope = outer

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._arguments(node.args)
        self._body(node.args, node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.scope is self.module and self.collector is None:
            self.collector = reads = set()
            try:
                self._class(node)
            finally:
                self.collector = None
            self.function_reads[node.name] = reads
        else:
            self._class(node)

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


def _in_place_suffix(attr: str) -> bool:
    # PyTorch's in-place operations end in one underscore: `t.add_(1)`, `w.zero_()`.
    return len(attr) > 2 and attr.endswith("_") and not attr.endswith("__") and attr[0] != "_"


def _is_sys_modules(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "modules"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "sys"
    )
