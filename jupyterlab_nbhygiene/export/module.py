"""The module text: a header, the hoisted imports, then each cell of the slice in order.

Every cell starts with a `# %% cell N` line (N counts every cell from 1, as the panel and
JupyterLab's status bar do; editors read these as cell markers, and the golden tests split
the module's output at them). The value a cell displayed is printed only for the exported
cells and only under `if __name__ == "__main__":`, so importing the module runs the slice
silently.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .errors import ExportError

SHOW_HELPER = '''

def _show(value: object) -> None:
    """Print a value as the notebook displayed it (IPython's text/plain when installed)."""
    if value is None:
        return
    try:
        from IPython.lib.pretty import pretty
    except ImportError:
        print(repr(value))
    else:
        print(pretty(value))
'''
DISPLAY_SHIM = '''

def display(*values: object) -> None:
    """IPython's `display` outside IPython: print what the notebook showed as text
    (an image shows nothing here)."""
    for value in values:
        if not any(hasattr(value, f"_repr_{kind}_") for kind in ("png", "jpeg", "svg")):
            _show(value)
'''
_IPYTHON_ONLY = {
    "get_ipython": "IPython's shell",
    "In": "IPython's input history",
    "Out": "IPython's output history",
}
_HISTORY = re.compile(r"^(?:_i{1,3}\d*|_\d+|_oh|_ih|_dh|__{1,2})$")


@dataclass
class ModuleCell:
    """A cell of the slice, ready to be written: `number` is 1-based."""

    number: int
    python: str
    exported: bool
    # Whether the notebook showed the cell's value: True/False from its saved outputs,
    # None when the cell never ran (then a call's value is assumed to be shown).
    shows_result: bool | None = None


@dataclass
class Written:
    """The module's body parts: imports to hoist, cells with their display lines."""

    imports: list[str] = field(default_factory=list)
    future: list[str] = field(default_factory=list)
    cells: list[tuple[int, bool, str]] = field(default_factory=list)
    show: bool = False
    display: bool = False


def write_module(cells: Sequence[ModuleCell], header: str, *, subprocess: bool, os: bool) -> str:
    """The module's text (module docstring); `header` is its docstring's text."""
    written = Written()
    for cell in cells:
        written.cells.append((cell.number, cell.exported, _cell_body(cell, written)))
    imports = list(written.future)
    for extra, wanted in (("import os", os), ("import subprocess", subprocess)):
        if wanted and extra not in written.imports:
            imports.append(extra)
    imports.extend(written.imports)
    parts = [f'"""{header}\n"""\n']
    if imports:
        parts.append("\n" + "\n".join(imports) + "\n")
    if written.show or written.display:
        parts.append(SHOW_HELPER)
    if written.display:
        parts.append(DISPLAY_SHIM)
    for number, exported, body in written.cells:
        mark = f"# %% cell {number}" + (" (exported)" if exported else "")
        parts.append(f"\n\n{mark}\n{body.strip(chr(10))}\n" if body.strip() else f"\n\n{mark}\n")
    return "".join(parts).rstrip("\n") + "\n"


def _cell_body(cell: ModuleCell, written: Written) -> str:
    tree = ast.parse(cell.python)
    _refuse_ipython_only(tree, cell.number)
    lines = cell.python.split("\n")
    taken: set[int] = set()
    shared = _shared_lines(tree)
    hoisted = dropped = False
    for node in tree.body:
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or node.lineno in shared:
            continue
        hoisted = True
        text = ast.unparse(node)
        target = written.future if _is_future(node) else written.imports
        if text not in target and text not in written.imports:
            target.append(text)
        taken.update(range(node.lineno - 1, (node.end_lineno or node.lineno)))
    uses_display = any(isinstance(n, ast.Name) and n.id == "display" for n in ast.walk(tree))
    if uses_display and not _binds(tree, "display"):
        written.display = True
    last = tree.body[-1] if tree.body else None
    tail: list[str] = []
    if isinstance(last, ast.Expr) and last.lineno not in shared and not _silenced(lines, last):
        start, end = last.lineno - 1, last.end_lineno or last.lineno
        expr = ast.get_source_segment(cell.python, last.value) or ast.unparse(last.value)
        taken.update(range(start, end))
        shown = cell.exported and cell.shows_result is not False
        tail = _display_lines(expr, last.value, exported=shown)
        dropped = not tail
        written.show = written.show or (cell.exported and bool(tail))
    kept = _trim([line for k, line in enumerate(lines) if k not in taken])
    before = lines[last.lineno - 2] if last is not None and last.lineno >= 2 else "x"
    if tail and kept and not before.strip():
        kept.append("")  # the blank line the cell had before its last expression
    kept += tail
    if not kept and taken:
        kept = [_emptied(hoisted=hoisted, dropped=dropped)]
    return "\n".join(kept)


def _emptied(*, hoisted: bool, dropped: bool) -> str:
    """The comment standing for a cell the module leaves empty: what became of its code."""
    if hoisted and dropped:
        return "# (its imports are at the top; the rest was display only: nothing to run)"
    if hoisted:
        return "# (its imports are at the top)"
    return "# (display only: nothing to run)"


def _display_lines(expr: str, value: ast.expr, *, exported: bool) -> list[str]:
    """What stands for a cell's displayed last expression in the module."""
    if isinstance(value, ast.Call) and _callee(value) in _STATEMENTS:
        return [expr]
    calls = any(_may_change(n) for n in ast.walk(value))
    if not exported:
        return [expr] if calls else []
    if calls:  # evaluated on import too: a call may change what later cells see
        return [f"_value = {expr}", 'if __name__ == "__main__":', "    _show(_value)"]
    shown = "\n".join("    " + line for line in f"_show({expr})".split("\n"))
    return ['if __name__ == "__main__":', shown]


_STATEMENTS = ("print", "display", "subprocess.run", "os.chdir")
# Builtins that only compute a value: `len(xs)` can stay under `if __name__ == "__main__":`.
_PURE = frozenset(
    {
        "len", "sorted", "sum", "min", "max", "abs", "round", "repr", "str", "int", "float",
        "bool", "list", "tuple", "set", "dict", "frozenset", "type", "isinstance", "range",
        "enumerate", "zip", "any", "all", "divmod", "pow", "hex", "bin", "oct", "chr", "ord",
    }
)  # fmt: skip


def _may_change(node: ast.AST) -> bool:
    """Whether evaluating `node` may change state (a call other than a pure builtin)."""
    if isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
        return True
    return isinstance(node, ast.Call) and _callee(node) not in _PURE


def _callee(call: ast.Call) -> str | None:
    """`print` or `subprocess.run` for a call of a name or a module's function."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return func.id if isinstance(func, ast.Name) else None


def _silenced(lines: list[str], last: ast.Expr) -> bool:
    """A trailing `;` hides the value in IPython."""
    end = lines[(last.end_lineno or last.lineno) - 1]
    return end[(last.end_col_offset or 0) :].split("#", 1)[0].strip().startswith(";")


def _shared_lines(tree: ast.Module) -> set[int]:
    """Lines holding more than one top-level statement (`import os; x = 1`): kept as is."""
    seen: dict[int, int] = {}
    for node in tree.body:
        for line in {node.lineno, node.end_lineno or node.lineno}:
            seen[line] = seen.get(line, 0) + 1
    return {line for line, n in seen.items() if n > 1}


def _is_future(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


def _binds(tree: ast.Module, name: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.split(".")[0]) == name for a in node.names
        ):
            return True
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return True
    return False


def _refuse_ipython_only(tree: ast.Module, number: int) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            what = _IPYTHON_ONLY.get(node.id)
            if what is None and _HISTORY.match(node.id) and not _binds(tree, node.id):
                what = "IPython's history"
            if what is not None:
                raise ExportError(
                    f"Cell {number}, line {node.lineno}: `{node.id}` is {what}, "
                    "which a module does not have.",
                    cell=number,
                    name=node.id,
                )


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines
