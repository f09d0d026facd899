"""`seed-random`: a seed where each random generator is made, as a visible edit.

- `np.random.default_rng()` (also `RandomState()`, `random.Random()`) made without a seed
  gets `0`: `np.random.default_rng(0)`;
- draws from numpy's global generator (`np.random.rand()`) with no `np.random.seed(...)`
  in the notebook: `np.random.seed(0)` on the line after the cell's `import numpy`;
- the same for the `random` module (`random.seed(0)`) and torch (`torch.manual_seed(0)`).
"""

from __future__ import annotations

import ast

from ..analysis.model import Cell, Notebook
from ..export.randomness import dotted, import_aliases, random_effects
from .common import FixResult, cell_tree, split_lines

_UNSEEDED_MAKERS = {
    "numpy.random.default_rng",
    "numpy.random.RandomState",
    "random.Random",
}
_GLOBAL = {
    "<numpy.random>": ("numpy", "{alias}.random.seed(0)"),
    "<random>": ("random", "{alias}.seed(0)"),
    "<torch>": ("torch", "{alias}.manual_seed(0)"),
}


def seed_random(nb: Notebook) -> FixResult:
    """The edits that seed every unseeded generator (module docstring)."""
    trees: dict[int, ast.Module] = {}
    for cell in nb.code_cells:
        tree = cell_tree(cell)
        if tree is not None:
            trees[cell.index] = tree
    aliases = import_aliases(trees.values())
    lines = {i: split_lines(nb.cells[i].source) for i in trees}
    notes: list[str] = []
    for index, tree in trees.items():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and not node.args
                and not node.keywords
                and dotted(node.func, aliases) in _UNSEEDED_MAKERS
                and _seed_call(lines[index], node)
            ):
                notes.append(f"cell {index + 1}: a generator made with seed 0")
    drawn: set[str] = set()
    seeded: set[str] = set()
    for tree in trees.values():
        effects = random_effects(tree, aliases, set())
        drawn |= effects.draws
        seeded |= effects.seeds
    inserts: list[tuple[int, int, str]] = []
    for generator in sorted(drawn - seeded):
        module, template = _GLOBAL[generator]
        spot = _import_spot(nb.code_cells, trees, module)
        if spot is not None:
            index, after, alias = spot
            inserts.append((index, after, template.format(alias=alias)))
            notes.append(f"cell {index + 1}: {template.format(alias=alias)}")
    for index, after, line in sorted(inserts, reverse=True):
        lines[index].insert(after, line)
    edits = [
        (nb.cells[i].id, "\n".join(lines[i]))
        for i in sorted(lines)
        if "\n".join(lines[i]) != nb.cells[i].source.replace("\r\n", "\n")
    ]
    title = "Seed the random generators"
    if not edits:
        return FixResult(title, "Every random generator the notebook uses is already seeded.")
    return FixResult(title, "Seeded with 0: " + "; ".join(notes) + ".", edits=edits)


def _seed_call(lines: list[str], call: ast.Call) -> bool:
    """Put `0` between the parentheses of a one-line call `f()`; False if not one line."""
    if call.end_lineno != call.lineno or call.end_col_offset is None:
        return False
    row = call.lineno - 1
    line = lines[row]
    raw = line.encode("utf-8")
    end = call.end_col_offset
    if raw[end - 2 : end] != b"()":
        return False
    lines[row] = (raw[: end - 1] + b"0" + raw[end - 1 :]).decode("utf-8")
    return True


def _import_spot(
    code: tuple[Cell, ...], trees: dict[int, ast.Module], module: str
) -> tuple[int, int, str] | None:
    """(cell index, 0-based line to insert at, alias) after the first `import module`."""
    for cell in code:
        tree = trees.get(cell.index)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == module:
                        return cell.index, node.end_lineno or node.lineno, a.asname or module
    return None
