"""`hoist-imports`: every top-level import statement moves to the first code cell.

The first code cell gets its configure-only magics first (they stay where they are, at its
top), then every import of the notebook once (deduplicated by what it imports, in the order
they first appear), then its own other code. Other cells lose their import lines and keep
everything else. Imports inside functions, `try` or `if` blocks, `from __future__` imports
and lines shared with other statements stay put. Refused (naming the dependency) when
hoisting would change what a cell sees: one name imported from two places, a name a cell
binds before the import rebinds it, or `sys.path`/`os.chdir`/`%cd` changed above an import.
"""

from __future__ import annotations

import ast
import re

from ..analysis.model import Cell, Notebook
from .common import FixResult, UnsafeFix, cell_tree, split_lines, whole_lines

_PATH_CHANGE = re.compile(r"\bsys\.path\b|\bos\.chdir\b|^\s*%?cd\s|^\s*%%writefile\b", re.M)
_MAGIC_LINE = re.compile(r"^\s*%(?!%)")


def _bound(node: ast.Import | ast.ImportFrom) -> list[str]:
    return [a.asname or a.name.split(".")[0] for a in node.names if a.name != "*"]


def hoist_imports(nb: Notebook) -> FixResult:
    """The edits that gather the imports in the first code cell (module docstring)."""
    code = [c for c in nb.code_cells if c.source.strip()]
    if not code:
        return FixResult("Move imports to the first code cell", "The notebook has no code.")
    first = code[0]
    imports: list[str] = []  # statement texts, in order
    seen: dict[str, str] = {}  # normalised statement -> text
    binder: dict[str, tuple[str, int]] = {}  # name -> (normalised import, cell index)
    removed: dict[int, set[int]] = {}  # cell index -> 0-based lines to drop
    path_change: int | None = None
    for cell in code:
        tree = cell_tree(cell)
        if tree is None:
            continue
        shared = whole_lines(tree)
        for node in tree.body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            end = node.end_lineno or node.lineno
            if any(line in shared for line in range(node.lineno, end + 1)):
                continue
            key = ast.unparse(node)
            if cell is not first and path_change is not None:
                raise UnsafeFix(
                    f"Cell {path_change + 1} changes the import path or folder before cell "
                    f"{cell.index + 1} runs `{key}`: hoisting that import would run it first."
                )
            for name in _bound(node):
                other = binder.get(name)
                if other is not None and other[0] != key:
                    raise UnsafeFix(
                        f"`{name}` is imported by cell {other[1] + 1} (`{other[0]}`) and by cell "
                        f"{cell.index + 1} (`{key}`): in one cell, the second would hide the first."
                    )
                binder[name] = (key, cell.index)
            if key not in seen:
                text = ast.get_source_segment(cell_source(cell), node) or key
                seen[key] = text
                imports.append(text)
            removed.setdefault(cell.index, set()).update(range(node.lineno - 1, end))
        if path_change is None and _PATH_CHANGE.search(cell.source):
            path_change = cell.index
    _check_rebinding(code, binder)
    edits: list[tuple[str, str]] = []
    moved = 0
    for cell in code:
        drop = removed.get(cell.index, set())
        if cell is not first and not drop:
            continue
        lines = split_lines(cell.source)
        kept = [line for k, line in enumerate(lines) if k not in drop]
        if cell is first:
            new = _first_cell(kept, imports)
        else:
            moved += len(drop) and 1
            new = "\n".join(_strip_blank_edges(kept))
        if new != cell.source:
            edits.append((cell.id, new))
    title = "Move imports to the first code cell"
    if not edits:
        return FixResult(title, "Every import is already in the first code cell, once.")
    summary = (
        f"{len(imports)} import statement{'s' if len(imports) != 1 else ''} gathered in cell "
        f"{first.index + 1}, deduplicated; {moved} other cell{'s' if moved != 1 else ''} changed."
    )
    return FixResult(title, summary, edits=edits)


def cell_source(cell: Cell) -> str:
    return cell.source.replace("\r\n", "\n").replace("\r", "\n")


def _check_rebinding(code: list[Cell], binder: dict[str, tuple[str, int]]) -> None:
    """A name some cell binds by other means above the import that rebinds it."""
    for cell in code:
        tree = cell_tree(cell)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                name = node.id
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                name = node.name
            else:
                continue
            bound = binder.get(name)
            if bound is not None and cell.index < bound[1]:
                raise UnsafeFix(
                    f"Cell {cell.index + 1} binds `{name}` before cell {bound[1] + 1} imports it "
                    f"(`{bound[0]}`): hoisting the import would let cell {cell.index + 1} "
                    "override it."
                )


def _first_cell(kept: list[str], imports: list[str]) -> str:
    """Magic lines that configure IPython first, then the imports, then the rest."""
    head: list[str] = []
    rest = list(kept)
    while rest and not rest[0].strip():
        rest.pop(0)
    if rest and rest[0].lstrip().startswith("%%"):  # a cell magic stays the first line
        head.append(rest.pop(0))
    while rest and (not rest[0].strip() or _MAGIC_LINE.match(rest[0])):
        line = rest.pop(0)
        if line.strip():
            head.append(line)
    body = _strip_blank_edges(rest)
    parts = [*head, *imports]
    if body:
        parts += ["", *body] if imports else body
    return "\n".join(parts)


def _strip_blank_edges(lines: list[str]) -> list[str]:
    lines = list(lines)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
