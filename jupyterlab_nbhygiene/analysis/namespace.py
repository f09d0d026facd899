"""What a fresh kernel's namespace holds, and which calls change objects in place."""

from __future__ import annotations

import ast
import builtins
import re

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
MUTATING_FUNCTIONS = frozenset({"shuffle"})
NAMESPACE_CALLS = frozenset({"globals", "locals", "vars"})


def is_builtin(name: str) -> bool:
    """A name Python or IPython provides in a fresh kernel's namespace."""
    return name in BUILTIN_NAMES or _NUMBERED.fullmatch(name) is not None


def root_name(node: ast.expr) -> ast.Name | None:
    """The variable at the root of `x.a.b[c]` (None when the root is a call or literal)."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Starred):
        node = node.value
    return node if isinstance(node, ast.Name) else None


def in_place_suffix(attr: str) -> bool:
    # PyTorch's in-place operations end in one underscore: `t.add_(1)`, `w.zero_()`.
    return len(attr) > 2 and attr.endswith("_") and not attr.endswith("__") and attr[0] != "_"


def is_sys_modules(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "modules"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "sys"
    )
