"""`possible-test-data-leak`: held-out data flowing into `.fit(...)`.

A small taint pass over the cells' module-level statements in notebook order: a name is
tainted when it looks like held-out data (`X_test`, `y_val`, `test_df`) or is assigned
from an expression that reads a tainted name; rebinding it from clean data clears it.
Function and class bodies are not followed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import AnalysisContext
from ..model import CellIndex
from .base import Draft, cell_ref, code_trees, node_index, per_tree, rule

_HELD_OUT = re.compile(
    r"(?:^|_)(?:test|tst|val|valid|validation|holdout|dev)(?:_|\d|$)|^[XxYy](?:test|val)$",
    re.IGNORECASE,
)
_TRAIN = re.compile(r"train", re.IGNORECASE)
_SINKS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit", "fit_resample"})
# Keywords of fit() meant for held-out data (keras validation_data, xgboost eval_set...).
_HELD_OUT_KEYWORDS = re.compile(r"valid|eval|test", re.IGNORECASE)
# Reading a size or a shape does not carry the data itself.
_SCALAR_CALLS = frozenset({"len", "int", "float", "str", "round", "range", "print", "type"})
_SHAPE_ATTRS = frozenset({"shape", "size", "ndim", "dtype", "dtypes", "columns", "index"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def held_out(name: str) -> bool:
    """True for names that read as test/validation data and not as training data."""
    return bool(_HELD_OUT.search(name)) and not _TRAIN.search(name)


@dataclass(frozen=True)
class _Origin:
    name: str  # the held-out name the value came from
    cell: CellIndex


def _reads(expr: ast.AST) -> Iterator[ast.Name]:
    """Names an expression reads as data (skipping len(), .shape and nested scopes)."""
    stack: list[ast.AST] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node
            continue
        if isinstance(node, ast.Attribute) and node.attr in _SHAPE_ATTRS:
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _SCALAR_CALLS
        ):
            continue
        stack.extend(ast.iter_child_nodes(node))


class _Taint:
    def __init__(self) -> None:
        self.tainted: dict[str, _Origin] = {}

    def origin(self, expr: ast.AST, cell: CellIndex) -> _Origin | None:
        for name in _reads(expr):
            if name.id in self.tainted:
                return self.tainted[name.id]
            if held_out(name.id):
                return _Origin(name.id, cell)
        return None

    def bind(self, target: ast.expr, origin: _Origin | None) -> None:
        if isinstance(target, ast.Name):
            if origin is not None and not _TRAIN.search(target.id):
                self.tainted[target.id] = origin
            else:
                self.tainted.pop(target.id, None)
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.bind(element, origin)
        elif isinstance(target, ast.Starred):
            self.bind(target.value, origin)

    def assign(self, targets: list[ast.expr], value: ast.expr, cell: CellIndex) -> None:
        for target in targets:
            pairs = (
                isinstance(target, ast.Tuple | ast.List)
                and isinstance(value, ast.Tuple | ast.List)
                and len(target.elts) == len(value.elts)
            )
            if pairs:
                assert isinstance(target, ast.Tuple | ast.List)
                assert isinstance(value, ast.Tuple | ast.List)
                for t, v in zip(target.elts, value.elts, strict=True):
                    self.bind(t, self.origin(v, cell))
            else:
                self.bind(target, self.origin(value, cell))


def _sink_args(call: ast.Call) -> Iterator[ast.expr]:
    yield from call.args
    for kw in call.keywords:
        if kw.arg is not None and not _HELD_OUT_KEYWORDS.search(kw.arg):
            yield kw.value


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements in execution order, entering compound blocks but not functions/classes."""
    for stmt in body:
        if isinstance(stmt, _SCOPES):
            continue
        yield stmt
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                yield from _statements(inner)
        for handler in getattr(stmt, "handlers", []):
            yield from _statements(handler.body)
        for case in getattr(stmt, "cases", []):
            yield from _statements(case.body)


def _own_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The expressions of a statement itself, not of the statements nested in it."""
    for name, value in ast.iter_fields(stmt):
        if name in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, ast.AST))


def _calls(stmt: ast.stmt) -> Iterator[ast.Call]:
    stack = list(_own_expressions(stmt))
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _has_sink(tree: ast.Module) -> bool:
    return any(
        isinstance(c.func, ast.Attribute) and c.func.attr in _SINKS
        for c in node_index(tree).global_calls
    )


@rule(
    "possible-test-data-leak",
    "reproducibility",
    "warning",
    "Data that looks held out (`X_test`, `y_val`, ...) flows into `.fit(...)`.",
    "Fitting a model or a scaler on test data leaks it into training, so the reported "
    "score overstates how the model does on new data.",
)
def test_data_leak(ctx: AnalysisContext) -> Iterator[Draft]:
    trees = list(code_trees(ctx))
    has_sink = {index for index, tree in trees if per_tree("leak-sink", tree, _has_sink)}
    if not has_sink:
        return
    taint = _Taint()
    for index, tree in trees:
        for stmt in _statements(tree.body):
            for call in _calls(stmt) if index in has_sink else ():
                func = call.func
                if not (isinstance(func, ast.Attribute) and func.attr in _SINKS):
                    continue
                for arg in _sink_args(call):
                    origin = taint.origin(arg, index)
                    if origin is None:
                        continue
                    via = next(
                        (n.id for n in _reads(arg) if n.id in taint.tainted or held_out(n.id)),
                        origin.name,
                    )
                    source = (
                        f" (from `{origin.name}`, {cell_ref(ctx, origin.cell)})"
                        if via != origin.name
                        else ""
                    )
                    yield Draft(
                        index,
                        call.lineno,
                        f"`{via}`{source} flows into `.{func.attr}(...)`: fitting on held-out "
                        f"data leaks it into the model. Fit on training data only and only "
                        f"`transform`/`predict` the held-out set.",
                    )
                    break
            if isinstance(stmt, ast.Assign):
                taint.assign(stmt.targets, stmt.value, index)
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                taint.assign([stmt.target], stmt.value, index)
            elif isinstance(stmt, ast.AugAssign):
                origin = taint.origin(stmt.value, index)
                if origin is not None:
                    taint.bind(stmt.target, origin)
