"""`possible-test-data-leak`: held-out data flowing into `.fit(...)`.

A small taint pass over the cells' module-level statements in notebook order: a name is
tainted when it looks like held-out data (`X_test`, `y_val`, `test_df`) or is assigned
from an expression that reads a tainted name; rebinding it from clean data clears it.
Function and class bodies are not followed.

Each cell that can take part is reduced to a tuple of plain events, its sink calls and its
bindings in execution order, which the pass then replays with dict look-ups.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import NamedTuple

from ..context import AnalysisContext, Code
from ..model import CellIndex
from ..visitor import child_nodes
from .base import Draft, cell_ref, code_cells, rule

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
_SCOPE_TYPES = frozenset(_SCOPES)


def held_out(name: str) -> bool:
    """True for names that read as test/validation data and not as training data."""
    return bool(_HELD_OUT.search(name)) and not _TRAIN.search(name)


def _reads(expr: ast.AST) -> Iterator[str]:
    """Names an expression reads as data (skipping len(), .shape and nested scopes)."""
    stack: list[ast.AST] = [expr]
    while stack:
        node = stack.pop()
        if type(node) is ast.Name:
            if type(node.ctx) is ast.Load:
                yield node.id
            continue
        if type(node) is ast.Constant or type(node) in _SCOPE_TYPES:
            continue
        if type(node) is ast.Attribute and node.attr in _SHAPE_ATTRS:
            continue
        if type(node) is ast.Call and type(node.func) is ast.Name and node.func.id in _SCALAR_CALLS:
            continue
        stack.extend(child_nodes(node))


# What an expression reads, reduced to what the taint scan can stop at: the names before
# the first held-out one (deduplicated, in `_reads` order) and that held-out name. The
# scan stops at the first name that is tainted or held out, so later names never matter.
_Reads = tuple[tuple[str, ...], str | None]


def _reduce(expr: ast.AST) -> _Reads | None:
    """`expr`'s reads for the taint scan; None when it reads no name at all."""
    names: dict[str, None] = {}
    for name in _reads(expr):
        if held_out(name):
            return tuple(names), name
        names[name] = None
    return (tuple(names), None) if names else None


class _Sink(NamedTuple):
    """A `.fit(...)`-like call: its line, method and the reads of each checked argument."""

    line: int
    attr: str
    args: tuple[_Reads, ...]


class _Bind(NamedTuple):
    """One target of an assignment (or one pair of `a, b = x, y`) and its value's reads.

    `clear` is False for augmented assignments, which bind when tainted but never clear.
    """

    taint: tuple[str, ...]  # names the value's taint is copied to
    train: tuple[str, ...]  # names that look like training data: always cleared
    reads: _Reads | None
    clear: bool


_Event = _Sink | _Bind
_Origin = tuple[str, CellIndex]  # the held-out name a value came from, and its cell


def _targets(target: ast.expr, out: list[str]) -> list[str]:
    """The names an assignment target binds; attributes and subscripts bind none."""
    if isinstance(target, ast.Name):
        out.append(target.id)
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            _targets(element, out)
    elif isinstance(target, ast.Starred):
        _targets(target.value, out)
    return out


def _bind(target: ast.expr, value: ast.expr, clear: bool) -> _Bind | None:
    names = _targets(target, [])
    if not names:
        return None  # computing the value's origin has no effect
    reads = _reduce(value)
    if reads is None and not clear:
        return None
    taint = tuple(n for n in names if not _TRAIN.search(n))
    train = tuple(n for n in names if _TRAIN.search(n))
    return _Bind(taint, train, reads, clear)


def _assign(targets: list[ast.expr], value: ast.expr) -> Iterator[_Bind | None]:
    """Binds in the order the taint pass applies them: target by target, and pair by pair
    for `a, b = x, y`, each origin computed after the previous pair is bound."""
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
                yield _bind(t, v, True)
        else:
            yield _bind(target, value, True)


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
        stack.extend(child_nodes(node))


def _events(tree: ast.Module, has_sink: bool) -> tuple[_Event, ...]:
    """A cell's sinks and binds in the order the taint pass meets them.

    Per statement (`_statements` order) its sink calls (`_calls` order) come before its
    own binding, as the call runs first. A cell with no sink among its global calls has
    no sink event (`has_sink` is false), and the `_calls` walk is skipped.
    """
    events: list[_Event | None] = []
    for stmt in _statements(tree.body):
        for call in _calls(stmt) if has_sink else ():
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in _SINKS:
                args = tuple(r for r in map(_reduce, _sink_args(call)) if r is not None)
                if args:
                    events.append(_Sink(call.lineno, func.attr, args))
        if isinstance(stmt, ast.Assign):
            events.extend(_assign(stmt.targets, stmt.value))
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            events.extend(_assign([stmt.target], stmt.value))
        elif isinstance(stmt, ast.AugAssign):
            events.append(_bind(stmt.target, stmt.value, False))
    return tuple(e for e in events if e is not None)


def _has_sink(code: Code) -> bool:
    return any(
        isinstance(c.func, ast.Attribute) and c.func.attr in _SINKS for c in code.nodes.global_calls
    )


def _reads_held_out(code: Code) -> bool:
    return any(held_out(name) for name in code.nodes.loaded)


def _origin(
    reads: _Reads, tainted: dict[str, _Origin], cell: CellIndex
) -> tuple[str, _Origin] | None:
    """The first name read that is tainted or held out, and where its data came from."""
    names, held = reads
    for name in names:
        origin = tainted.get(name)
        if origin is not None:
            return name, origin
    if held is None:
        return None
    return held, tainted.get(held) or (held, cell)


@rule(
    "possible-test-data-leak",
    "reproducibility",
    "warning",
    "Data that looks held out (`X_test`, `y_val`, ...) flows into `.fit(...)`.",
    "Fitting a model or a scaler on test data leaks it into training, so the reported "
    "score overstates how the model does on new data.",
)
def test_data_leak(ctx: AnalysisContext) -> Iterator[Draft]:
    cells = code_cells(ctx).parsed
    sinks = [code.once(_has_sink) for code in cells]
    if not any(sinks):
        return
    tainted: dict[str, _Origin] = {}
    for code, has_sink in zip(cells, sinks, strict=True):
        index = code.cell
        # A cell that reads no held-out or tainted name and binds no tainted name
        # changes nothing and finds nothing: its events are not even built.
        if not code.once(_reads_held_out) and (
            not tainted
            or (
                tainted.keys().isdisjoint(code.nodes.loaded)
                and tainted.keys().isdisjoint(code.symbols.defines)
            )
        ):
            continue
        for event in _events(code.tree, has_sink):
            if isinstance(event, _Bind):
                found = None if event.reads is None else _origin(event.reads, tainted, index)
                if found is not None:
                    origin = found[1]
                    for name in event.taint:
                        tainted[name] = origin
                    for name in event.train:
                        tainted.pop(name, None)
                elif event.clear:
                    for name in event.taint:
                        tainted.pop(name, None)
                    for name in event.train:
                        tainted.pop(name, None)
                continue
            for reads in event.args:
                found = _origin(reads, tainted, index)
                if found is None:
                    continue
                via, (name, cell) = found
                source = f" (from `{name}`, {cell_ref(ctx, cell)})" if via != name else ""
                yield (
                    index,
                    event.line,
                    f"`{via}`{source} flows into `.{event.attr}(...)`: fitting on held-out "
                    f"data leaks it into the model. Fit on training data only and only "
                    f"`transform`/`predict` the held-out set.",
                )
                break
