"""The normaliser `nbhygiene verify` uses, as source text for a generated test file.

Golden tests must compare outputs the way verify does (masks, terminal control, numbers
within 1e-6) without making jupyterlab_nbhygiene (and Jupyter) a dependency of the
exported code's test suite. So the generated file carries a copy of the functions it needs,
taken from repro/normalize.py and repro/compare.py when the tests are generated: one
source of truth, and pytest is the only thing the tests need.
"""

from __future__ import annotations

import ast
from pathlib import Path

# Read as files, not imported: importing repro would load jupyter_client for nothing.
_REPRO = Path(__file__).resolve().parent.parent / "repro"
_NEEDED: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "normalize.py",
        ("MASKS", "_ANSI", "mask", "strip_ansi", "apply_terminal", "_terminal_line", "clean_text"),
    ),
    (
        "compare.py",
        (
            "REL_TOL", "ABS_TOL", "MAX_DIFF_LINES", "MAX_LITERAL_CHARS", "_NUMBER",
            "numbers_equal", "_is_int", "values_equal", "_NOT_A_LITERAL", "_literal",
            "lines_equal", "_literal_tail_equal", "texts_equal", "unified_diff",
        ),
    ),
)  # fmt: skip
IMPORTS = "import ast\nimport difflib\nimport math\nimport re\n"


def _name(node: ast.stmt) -> str | None:
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Name):
            return target.id
        if isinstance(target, ast.Tuple) and target.elts and isinstance(target.elts[0], ast.Name):
            return target.elts[0].id
    return None


def normaliser_source() -> str:
    """The needed definitions, in their modules' order, as one block of Python."""
    blocks: list[str] = []
    for module, names in _NEEDED:
        source = (_REPRO / module).read_text(encoding="utf-8")
        lines = source.split("\n")
        found: set[str] = set()
        for node in ast.parse(source).body:
            name = _name(node)
            if name in names:  # top-level statements span whole lines
                blocks.append("\n".join(lines[node.lineno - 1 : node.end_lineno]))
                found.add(name)
        missing = set(names) - found
        if missing:  # a rename in repro/: the export tests fail on this
            raise RuntimeError(f"repro/{module} lacks {', '.join(sorted(missing))}")
    return "\n\n\n".join(blocks) + "\n"
