"""Structure rules: imports, cell and notebook length, empty cells."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from operator import itemgetter

from ..context import AnalysisContext
from ..model import CellIndex, ParsedCell
from .base import (
    Code,
    Draft,
    cell_drafts,
    cell_ref,
    cells_with,
    code_cells,
    dotted_name,
    per_cell,
    rule,
)


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


def _setup_only(tree: ast.Module) -> bool:
    return all(_is_setup(s) for s in tree.body)


# Calls that set options rather than compute: `warnings.filterwarnings(...)`,
# `pd.set_option(...)`, `plt.style.use(...)`, `np.random.seed(...)`, ...
_CONFIG_CALLS = frozenset(
    {
        "filterwarnings", "simplefilter", "set_option", "set_printoptions", "seterr", "rc",
        "set_theme", "set_style", "set_context", "set_palette", "basicConfig", "setLevel",
        "set_config", "seed", "manual_seed", "set_seed", "disable_warnings",
        "init_notebook_mode", "output_notebook",
    }
)  # fmt: skip
_CONFIG_DOTTED = ("style.use", "matplotlib.use", "mpl.use", "rcParams.update", "config.update")


def _constant(node: ast.expr) -> bool:
    """A literal: `1`, `-1.5`, `"svg"`, `(8, 6)`, `["a", "b"]`, `{"k": 1}`."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return all(_constant(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _constant(k) for k in node.keys) and all(
            _constant(v) for v in node.values
        )
    return False


def _is_config(stmt: ast.stmt) -> bool:
    """A statement that only configures: a magic (`%matplotlib inline`, `%config ...`), a
    constant assigned (`DPI = 100`, `plt.rcParams["figure.dpi"] = 100`), or an options
    call (`warnings.filterwarnings("ignore")`, `pd.set_option(...)`)."""
    if isinstance(stmt, ast.Assign | ast.AnnAssign):
        return stmt.value is not None and _constant(stmt.value)
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        name = dotted_name(stmt.value.func) or ""
        return (
            name.startswith("get_ipython")
            or name.rsplit(".", 1)[-1] in _CONFIG_CALLS
            or name.endswith(_CONFIG_DOTTED)
        )
    return False


def _configures(tree: ast.Module, parsed: ParsedCell) -> bool:
    """A cell that only sets things up and configures at least something (a magic, which
    the parse turned into `pass`, or a statement `_is_config` accepts): the cell after it
    may still hold the notebook's imports (they are at the top)."""
    return (
        any(cmd.kind != "cell-magic" for cmd in parsed.commands)
        or any(_is_config(s) for s in tree.body)
    ) and all(_is_config(s) or _is_setup(s) for s in tree.body)


def _global_imports(code: Code) -> tuple[int, str] | None:
    """The first line and the modules of a cell's global imports (at module level, also
    inside if/try/with/for blocks); None when it has none."""
    imports = code.nodes.imports
    if not imports:
        return None
    modules: list[str] = []
    for node in imports:
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        else:
            modules.append("." * node.level + (node.module or ""))
    return imports[0].lineno, ", ".join(dict.fromkeys(modules))


def _top(ctx: AnalysisContext) -> tuple[CellIndex, CellIndex] | None:
    """The first code cell with code, and the first cell below the top: the top is that
    cell, the cells before it, and the setup-only cells right after it. When the first
    cells only configure (`%matplotlib inline`, a settings cell), the code cell after
    them is part of the top too. None when there is no code, or no cell below the top.
    Only the top's cells are looked at."""
    first: CellIndex | None = None
    configuring = False
    for code in code_cells(ctx).parsed:
        if configuring:
            if code.tree.body:
                configuring = _configures(code.tree, code.parsed)
            continue
        if first is not None and not _setup_only(code.tree):
            return first, code.cell
        if first is None and code.tree.body:
            first = code.cell
            configuring = _configures(code.tree, code.parsed)
    return None


@rule(
    "import-not-at-top",
    "structure",
    "info",
    "An import stands outside the first code cells (after any cells that only configure).",
    "Readers look for dependencies at the top; an import further down hides one "
    "(Quaranta et al., CSCW 2022: put imports first). ImportError/ModuleNotFoundError "
    "caused 29.23% of failed re-runs (Pimentel et al., MSR 2019).",
)
def import_not_at_top(ctx: AnalysisContext) -> Iterator[Draft]:
    top = _top(ctx)
    if top is None:
        return
    first, below = top
    ref = cell_ref(ctx, first)
    messages: dict[str, str] = {}  # the same imports recur in many cells
    for index, (line, shown) in cells_with(ctx, _global_imports):
        if index < below:
            continue
        message = messages.get(shown)
        if message is None:
            message = messages[shown] = (
                f"Import of {shown} below the top of the notebook: move it to the first "
                f"code cell ({ref}) so readers see every dependency in one place."
            )
        yield (index, line, message)


@rule(
    "duplicate-import",
    "structure",
    "info",
    "The same module or name is imported in several cells.",
    "A second import is noise at best; at worst it hides that cells were meant to run alone.",
)
def duplicate_import(ctx: AnalysisContext) -> Iterator[Draft]:
    seen: dict[tuple[str, str], CellIndex] = {}
    messages: dict[tuple[tuple[str, str], CellIndex], str] = {}  # repeats repeat
    for index, imports in cells_with(ctx, _named_imports):
        for key, line in imports:
            first = seen.setdefault(key, index)
            if first == index:
                continue
            message = messages.get((key, first))
            if message is None:
                module, name = key
                what = module if module == name else f"{name}` (from `{module})"
                message = messages[key, first] = (
                    f"`{what}` is already imported in {cell_ref(ctx, first)}: remove this import."
                )
            yield (index, line, message)


def _named_imports(code: Code) -> tuple[tuple[tuple[str, str], int], ...]:
    """A cell's imports but star imports: ((module, name), line) each."""
    if not code.symbols.imports:
        return ()
    return tuple(
        ((rec.module, rec.name), rec.line) for rec in code.symbols.imports if rec.name != "*"
    )


@rule(
    "star-import",
    "structure",
    "warning",
    "`from x import *`: which names it defines cannot be known.",
    "Readers (and this analysis) cannot tell where a name comes from, and a later version "
    "of the module can silently shadow your names.",
)
def star_import(ctx: AnalysisContext) -> list[Draft]:
    return cell_drafts(ctx, _star_imports)


def _star_imports(code: Code) -> tuple[tuple[int, str], ...]:
    """(line, message) for each star import of a cell."""
    if not code.symbols.imports:
        return ()
    return tuple(
        (
            rec.line,
            f"`from {rec.module} import *` hides which names it defines: import the "
            f"names you use (`from {rec.module} import a, b`).",
        )
        for rec in code.symbols.imports
        if rec.name == "*"
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
    cells = code_cells(ctx)
    found = [(index, lines) for index, lines in per_cell(ctx, _lines_of_code) if lines > limit]
    # Cells without a tree (every cell of a notebook that is not Python): counted here.
    unparsed = [
        (cell.index, lines) for cell, _ in cells.rest if (lines := _code_lines(cell.source)) > limit
    ]
    if unparsed:
        found = sorted(found + unparsed, key=itemgetter(0))
    for index, lines in found:
        yield (
            index,
            None,
            f"Cell has {lines} lines of code (more than {limit}): split it into steps, "
            f"or move functions into a module.",
        )


def _code_lines(source: str) -> int:
    """Lines that are not blank."""
    return sum(1 for line in source.splitlines() if line.strip())


def _lines_of_code(code: Code) -> int:
    """`_code_lines` of a parsed cell's source."""
    return _code_lines(code.source)


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
        yield (
            None,
            None,
            f"The notebook has {count} code cells ({ctx.settings.long_notebook_cells} or more): "
            f"split it into smaller notebooks or move helpers into a module.",
        )


@rule(
    "empty-cell",
    "structure",
    "info",
    "A cell with only whitespace; not the last cell when it is an empty code cell "
    "without outputs (Jupyter keeps one there for the next input).",
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
        yield (cell.index, None, f"Empty {cell.cell_type} cell: delete it.{extra}")
