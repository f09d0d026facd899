"""Structure rules: imports, cell and notebook length, empty cells."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..context import AnalysisContext
from ..model import CellIndex
from .base import Draft, cell_ref, code_trees, dotted_name, node_index, rule


def _is_setup(stmt: ast.stmt) -> bool:
    """An import, a docstring, `pass`, a magic, or a try/if whose body is only those."""
    if isinstance(stmt, ast.Import | ast.ImportFrom | ast.Pass):
        return True
    if isinstance(stmt, ast.Expr):
        if isinstance(stmt.value, ast.Constant):
            return True
        if isinstance(stmt.value, ast.Call):
            name = dotted_name(stmt.value.func) or ""
            return name.startswith("get_ipython")  # translated %magic
    if isinstance(stmt, ast.Try | ast.If):
        return all(_is_setup(s) for s in stmt.body)
    return False


def _top_cells(ctx: AnalysisContext) -> set[CellIndex]:
    """The first code cell with code, plus the setup-only code cells right after it."""
    top: set[CellIndex] = set()
    started = False
    for index, tree in code_trees(ctx):
        if not started or all(_is_setup(s) for s in tree.body):
            top.add(index)
            started = started or bool(tree.body)
            continue
        break
    return top


def _first_with_code(ctx: AnalysisContext) -> CellIndex | None:
    for index, tree in code_trees(ctx):
        if tree.body:
            return index
    return None


@rule(
    "import-not-at-top",
    "structure",
    "info",
    "An import stands outside the first code cells.",
    "Readers look for dependencies at the top; an import further down hides one "
    "(Quaranta et al., CSCW 2022: put imports first). ImportError/ModuleNotFoundError "
    "caused 29.23% of failed re-runs (Pimentel et al., MSR 2019).",
)
def import_not_at_top(ctx: AnalysisContext) -> Iterator[Draft]:
    first = _first_with_code(ctx)
    if first is None:
        return
    top = _top_cells(ctx)
    for index, tree in code_trees(ctx):
        if index in top or index < first:
            continue
        # Global imports: at module level, also inside if/try/with/for blocks.
        imports = node_index(tree).imports
        if not imports:
            continue
        modules: list[str] = []
        for node in imports:
            if isinstance(node, ast.Import):
                modules.extend(alias.name for alias in node.names)
            else:
                modules.append("." * node.level + (node.module or ""))
        shown = ", ".join(dict.fromkeys(modules))
        yield Draft(
            index,
            imports[0].lineno,
            f"Import of {shown} below the top of the notebook: move it to the first code "
            f"cell ({cell_ref(ctx, first)}) so readers see every dependency in one place.",
        )


@rule(
    "duplicate-import",
    "structure",
    "info",
    "The same module or name is imported in several cells.",
    "A second import is noise at best; at worst it hides that cells were meant to run alone.",
)
def duplicate_import(ctx: AnalysisContext) -> Iterator[Draft]:
    seen: dict[tuple[str, str], CellIndex] = {}
    for index, symbols in sorted(ctx.symbols.items()):
        for rec in symbols.imports:
            if rec.name == "*":
                continue
            key = (rec.module, rec.name)
            first = seen.setdefault(key, index)
            if first != index:
                what = rec.module if rec.module == rec.name else f"{rec.name}` (from `{rec.module})"
                yield Draft(
                    index,
                    rec.line,
                    f"`{what}` is already imported in {cell_ref(ctx, first)}: remove this import.",
                )


@rule(
    "star-import",
    "structure",
    "warning",
    "`from x import *`: which names it defines cannot be known.",
    "Readers (and this analysis) cannot tell where a name comes from, and a later version "
    "of the module can silently shadow your names.",
)
def star_import(ctx: AnalysisContext) -> Iterator[Draft]:
    for index, symbols in sorted(ctx.symbols.items()):
        for rec in symbols.imports:
            if rec.name == "*":
                yield Draft(
                    index,
                    rec.line,
                    f"`from {rec.module} import *` hides which names it defines: import the "
                    f"names you use (`from {rec.module} import a, b`).",
                )


@rule(
    "long-cell",
    "structure",
    "info",
    "A code cell longer than 30 lines (configurable: `long-cell-lines`).",
    "Long cells mix steps, so re-running one step re-runs them all; Quaranta et al. "
    "(CSCW 2022) recommend modularizing code into functions and modules.",
    needs_python=False,
)
def long_cell(ctx: AnalysisContext) -> Iterator[Draft]:
    limit = ctx.settings.long_cell_lines
    for cell in ctx.notebook.code_cells:
        lines = sum(1 for line in cell.source.splitlines() if line.strip())
        if lines > limit:
            yield Draft(
                cell.index,
                None,
                f"Cell has {lines} lines of code (more than {limit}): split it into steps, "
                f"or move functions into a module.",
            )


@rule(
    "long-notebook",
    "structure",
    "info",
    "37 or more code cells (configurable: `long-notebook-cells`).",
    "Notebooks with 37 or more cells were 0.30x as likely to reproduce "
    "(Pimentel et al., EMSE 2021).",
    needs_python=False,
)
def long_notebook(ctx: AnalysisContext) -> Iterator[Draft]:
    count = len(ctx.notebook.code_cells)
    if count >= ctx.settings.long_notebook_cells:
        yield Draft(
            None,
            None,
            f"The notebook has {count} code cells ({ctx.settings.long_notebook_cells} or more): "
            f"split it into smaller notebooks or move helpers into a module.",
        )


@rule(
    "empty-cell",
    "structure",
    "info",
    "A cell with only whitespace.",
    "Empty cells are noise, and an empty code cell with saved outputs shows results of "
    "code that is gone.",
    needs_python=False,
)
def empty_cell(ctx: AnalysisContext) -> Iterator[Draft]:
    cells = ctx.notebook.cells
    for cell in cells:
        if cell.source.strip():
            continue
        if cell is cells[-1] and cell.cell_type == "code" and not cell.outputs:
            continue  # Jupyter keeps a blank cell at the end for the next input
        extra = " Its saved outputs come from code that was deleted." if cell.outputs else ""
        yield Draft(cell.index, None, f"Empty {cell.cell_type} cell: delete it.{extra}")
