"""Documentation rules: a title, enough prose, a real file name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath

from ..context import AnalysisContext
from .base import Draft, rule

# `# Title` or `## Title`, a setext `Title\n===`, or an HTML <h1>/<h2>.
_H1 = re.compile(r"^\s{0,3}##?(?!#)\s*\S|^[^\n]*\S[^\n]*\n\s{0,3}=+\s*$|<h[12][\s>]", re.M | re.I)
_TITLE_KEY = re.compile(r"title:\s*\S")
# Notebooks with this many code cells or fewer are too short to need prose between steps.
_FEW_CODE_CELLS = 2
_UNTITLED = re.compile(r"^Untitled\d*\.ipynb$|-Copy\d*\.ipynb$", re.IGNORECASE)


def _front_matter_title(source: str) -> bool:
    """True when `source` starts with YAML front matter (Jupyter Book, Quarto, jupytext)
    whose top level has a `title:`: `---`, `title: …`, `---` (or `...`)."""
    lines = source.lstrip().splitlines()
    if not lines or lines[0].rstrip() != "---":
        return False
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            return False  # closed without a title
        if _TITLE_KEY.match(line):
            return any(end.rstrip() in ("---", "...") for end in lines[1:])
    return False


@rule(
    "missing-title",
    "documentation",
    "info",
    "No title at the top: a markdown `#` or `##` heading, or YAML front matter with `title:`.",
    "A title says what the notebook is for; Quaranta et al. (CSCW 2022) list markdown "
    "headings among 17 collaboration best practices.",
    needs_python=False,
)
def missing_title(ctx: AnalysisContext) -> Iterator[Draft]:
    cells = ctx.notebook.cells
    if not cells:
        return
    for cell in cells:
        if cell.cell_type == "code" and cell.source.strip():
            break  # the title must come before the first code
        if cell.cell_type == "markdown" and _H1.search(cell.source):
            return
        if cell.cell_type != "code" and _front_matter_title(cell.source):
            return
    yield (
        cells[0].index,
        None,
        "No title: start the notebook with a markdown cell `# Title` that says what it does.",
    )


@rule(
    "low-markdown-ratio",
    "documentation",
    "info",
    "Fewer than 0.3 markdown cells per code cell (configurable: `min-markdown-ratio`); "
    "silent with one or two code cells.",
    "Code without prose leaves readers guessing why each step is there (Quaranta et al., "
    "CSCW 2022).",
    needs_python=False,
)
def low_markdown_ratio(ctx: AnalysisContext) -> Iterator[Draft]:
    code = prose = 0
    for cell in ctx.notebook.cells:
        source = cell.source
        if not source or source.isspace():  # blank: what `strip()` would empty, unstripped
            continue
        if cell.cell_type == "code":
            code += 1
        elif cell.cell_type == "markdown":
            prose += 1
    minimum = ctx.settings.min_markdown_ratio
    if code > _FEW_CODE_CELLS and prose / code < minimum:
        yield (
            None,
            None,
            f"{prose} markdown cells for {code} code cells (ratio {prose / code:.2f}, below "
            f"{minimum:g}): explain the steps in markdown cells between the code.",
        )


@rule(
    "untitled-notebook",
    "documentation",
    "info",
    "The file is named `Untitled*` or `*-Copy*`.",
    "A default name says nothing about the content, and copies drift apart silently.",
    needs_python=False,
)
def untitled(ctx: AnalysisContext) -> Iterator[Draft]:
    path = ctx.notebook.path
    if path and _UNTITLED.search(PurePath(path.replace("\\", "/")).name):
        yield (
            None,
            None,
            f"`{PurePath(path).name}` is a default name: rename the notebook to say what it does.",
        )
