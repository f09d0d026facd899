"""Export to module: the cells that recompute the chosen ones, as a Python module that runs.

`export_notebook` is pure (no tornado, no kernel, no file written): slice (slicing.py) ->
order -> translate IPython syntax (translate.py) -> module text (module.py) -> golden
tests text (golden.py) + a summary of what was left out. It is for Python notebooks.
Cells are numbered from 1 counting every cell (markdown too), as the panel and
JupyterLab's status bar count them.
"""

from __future__ import annotations

import ast
import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..analysis import analyze, read_notebook
from ..analysis.model import Cell
from .errors import ExportError, ExportInputError
from .files import file_effects
from .golden import Expected, expected_output, write_tests
from .module import ModuleCell, write_module
from .randomness import generator_names, import_aliases, random_effects
from .slicing import CellFacts, compute_slice
from .translate import Dropped, Translated, translate_cell

__all__ = ["ExportError", "ExportInputError", "ExportResult", "export_notebook"]


@dataclass
class ExportResult:
    """The module, the golden tests (None unless asked) and what the export left out."""

    module: str
    tests: str | None
    cells: list[int]  # 1-based, in the order the module runs them
    exported: list[int]  # 1-based, the cells asked for
    dropped_magics: list[Dropped] = field(default_factory=list)
    skipped_outputs: list[dict[str, object]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The `summary` object of POST /nbhygiene/export (README, REST API)."""
        return {
            "cells": self.cells,
            "exported": self.exported,
            "reordered": self.cells != sorted(self.cells),
            "dropped_magics": [d.to_json() for d in self.dropped_magics],
            "skipped_outputs": self.skipped_outputs,
        }


def export_notebook(
    notebook: Mapping[str, Any],
    *,
    path: str,
    cells: Sequence[int] | None = None,
    tests: bool = False,
    module_path: str | None = None,
    tests_path: str | None = None,
    now: datetime | None = None,
) -> ExportResult:
    """Export cells `cells` (1-based; None: every code cell) of the notebook at `path`.

    `module_path`/`tests_path` say where the files will be written (default: next to the
    notebook, `<name>.py` and `test_<name>.py`); the tests find the module and the
    notebook's folder from there. Raises ``NotebookError`` for JSON that is not a notebook,
    :class:`ExportInputError` for a cell number that is not a code cell (both are
    ``AnalysisInputError``: HTTP 400), and :class:`ExportError` when no module can be made
    (HTTP 409; the message names cell and name).
    """
    nb = read_notebook(notebook, path=path)
    if nb.language != "python":
        raise ExportError(f"Export makes Python modules; this notebook is {nb.language}.")
    targets = _targets(nb.cells, cells)
    report = analyze(nb, path=path)
    by_index = {c["index"]: c for c in report["cells"]}
    known = {name for c in report["cells"] for name in c["defines"]}
    translated: dict[int, Translated | ExportError] = {}
    trees: dict[int, ast.Module] = {}
    for cell in nb.code_cells:
        try:
            translated[cell.index] = t = translate_cell(cell.source, cell.index + 1, known)
            trees[cell.index] = ast.parse(t.python)
        except ExportError as e:
            translated[cell.index] = e
        except (SyntaxError, ValueError) as e:
            line = getattr(e, "lineno", None) or 1
            translated[cell.index] = ExportError(
                f"Cell {cell.index + 1}, line {line}: it is not valid Python "
                f"({getattr(e, 'msg', e)}).",
                cell=cell.index + 1,
            )
    facts = _facts(nb.code_cells, by_index, trees)
    sliced = compute_slice(facts, targets)
    picked: list[ModuleCell] = []
    dropped: list[Dropped] = []
    subprocess = uses_os = False
    wanted = set(targets)
    for index in sliced.order:
        result = translated[index]
        if isinstance(result, ExportError):
            raise result
        _refuse_errors(nb.cells[index])
        picked.append(
            ModuleCell(index + 1, result.python, index in wanted, _shows(nb.cells[index]))
        )
        dropped.extend(result.dropped)
        subprocess = subprocess or result.uses_subprocess
        uses_os = uses_os or result.uses_os
    when = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    order = [i + 1 for i in sliced.order]
    exported = [i + 1 for i in sorted(wanted & set(sliced.order))]
    module_file = module_path or _default_module(path)
    header = _header(path, module_file, order, exported, dropped, when)
    module = write_module(picked, header, subprocess=subprocess, os=uses_os)
    expected = [
        expected_output(n, nb.cells[n - 1].outputs, has_code=bool(trees[n - 1].body))
        for n in exported
    ]
    done = ExportResult(module, None, order, exported, dropped)
    done.skipped_outputs = [s.to_json() for e in expected for s in e.skipped]
    if tests:
        done.tests = _tests(expected, path, module_file, tests_path, when)
    return done


def _targets(cells: Sequence[Cell], numbers: Sequence[int] | None) -> list[int]:
    if numbers is None:
        chosen: list[int] = [c.index for c in cells if c.cell_type == "code" and c.source.strip()]
        if not chosen:
            has_code = any(c.cell_type == "code" for c in cells)
            which = "code cell with source" if has_code else "code cell"
            raise ExportInputError(f"The notebook has no {which} to export.")
        return chosen
    if not numbers:
        raise ExportInputError("Name at least one cell to export.")
    chosen = []
    for n in numbers:
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= len(cells):
            raise ExportInputError(
                f"There is no cell {n}: cells are numbered 1 to {len(cells)}, "
                "counting every cell as the panel does."
            )
        if cells[n - 1].cell_type != "code":
            raise ExportInputError(f"Cell {n} is a {cells[n - 1].cell_type} cell, not a code cell.")
        chosen.append(n - 1)
    return chosen


def _facts(
    code_cells: Sequence[Cell], report: Mapping[int, Any], trees: Mapping[int, ast.Module]
) -> list[CellFacts]:
    aliases = import_aliases(trees.values())
    generators = generator_names(trees.values(), aliases)
    modules = set(aliases)
    facts = []
    for cell in code_cells:
        entry = report[cell.index]
        tree = trees.get(cell.index)
        draws: set[str] = set()
        seeds: set[str] = set()
        reads: set[str] = set()
        hoisted: set[str] = set()
        star = "*" in entry["imports"]
        if tree is not None:
            effects = random_effects(tree, aliases, generators)
            files = file_effects(tree)
            draws, seeds = effects.draws, effects.seeds | files.writes
            reads = files.reads
            for node in tree.body:
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    star = star or any(a.name == "*" for a in node.names)
                    hoisted.update(
                        a.asname or a.name.split(".")[0] for a in node.names if a.name != "*"
                    )
        mutates = frozenset(entry["mutates"]) | draws
        if tree is not None and not modules.isdisjoint(entry["uses"]):
            # The analysis counts no change to an imported module but draws; the module
            # keeps the cells that configure one (`pd.options... = 10`): outputs follow it.
            mutates |= modules & _assigned_into(tree)
        uses = frozenset(entry["uses"])
        fresh = frozenset(entry["defines"]) - uses  # bound before any read in the cell
        facts.append(
            CellFacts(
                index=cell.index,
                execution_count=cell.execution_count,
                defines=frozenset(entry["defines"]) | seeds,
                needs=uses | (mutates - fresh) | reads,
                mutates=mutates,
                hoisted=frozenset(hoisted),
                star_import=star,
            )
        )
    return facts


def _assigned_into(tree: ast.Module) -> set[str]:
    """Names whose attributes or items the cell assigns: `pd.options.x = 1` -> {pd}."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Store):
            root: ast.expr = node
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            if isinstance(root, ast.Name):
                found.add(root.id)
    return found


def _shows(cell: Cell) -> bool | None:
    if cell.execution_count is None and not cell.outputs:
        return None
    return any(o.get("output_type") == "execute_result" for o in cell.outputs)


def _refuse_errors(cell: Cell) -> None:
    for output in cell.outputs:
        if output.get("output_type") == "error":
            ename = output.get("ename") or "an error"
            raise ExportError(
                f"Cell {cell.index + 1} stopped with {ename} when it last ran: "
                "fix it in the notebook before exporting.",
                cell=cell.index + 1,
                name=str(ename),
            )


def _default_module(path: str) -> str:
    folder, name = os.path.split(path)
    stem = os.path.splitext(name)[0] or "notebook"
    safe = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in stem)
    return os.path.join(folder, (safe if not safe[:1].isdigit() else f"nb_{safe}") + ".py")


def _header(
    path: str, module: str, order: list[int], exported: list[int], dropped: list[Dropped], when: str
) -> str:
    which = f"{'Cells' if len(exported) > 1 else 'Cell'} {', '.join(map(str, exported))}"
    lines = [
        f"{which} of {os.path.basename(path) or path}, exported by nbhygiene on {when}.",
        "",
        f"Notebook: {path}",
        (
            f"Runs cells {', '.join(map(str, order))} in this order"
            if len(order) > 1
            else f"Runs cell {order[0]}"
        )
        + " (numbered from 1, counting every cell, as JupyterLab does).",
        "Importing runs the code; running it as a script also prints the exported cells' results:",
        f"    python {os.path.basename(module)}    (from the notebook's folder)",
    ]
    if order != sorted(order):
        lines.append(
            "The order differs from the notebook's: cells run in the order the kernel ran "
            "them, each name defined before it is used."
        )
    for d in dropped:
        lines.append(f"Left out: {d.magic} (cell {d.cell}, line {d.line}: {d.why}).")
    wrapped = [part for line in lines for part in (textwrap.wrap(line, 96) or [""])]
    return "\n".join(wrapped).replace('"""', "'''").replace("\\", "\\\\")


def _tests(expected: list[Expected], path: str, module: str, tests: str | None, when: str) -> str:
    folder = os.path.dirname(path)
    test_file = tests or os.path.join(os.path.dirname(module), f"test_{os.path.basename(module)}")
    base = os.path.dirname(test_file) or "."
    return write_tests(
        expected,
        module=os.path.basename(module),
        notebook=os.path.basename(path),
        module_rel=os.path.relpath(module or ".", base),
        folder_rel=os.path.relpath(folder or ".", base),
        when=when,
    )
