"""The package's import structure: no cycles, no registration on import, no module-level
`global` in the analysis, no tornado or jupyter_server below the handlers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_nbhygiene.analysis.rule_ids import RULE_IDS
from jupyterlab_nbhygiene.analysis.rules import CATALOGUE

PACKAGE = Path(__file__).resolve().parents[1] / "jupyterlab_nbhygiene"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module(p): p
    for p in sorted(PACKAGE.rglob("*.py"))
    if p.name not in ("_version.py", "__main__.py")
}


def _every_import(name: str, path: Path) -> set[str]:
    """The package modules `name` imports at any time: at import, or later inside a
    function (not under `if TYPE_CHECKING`, which never runs). `from . import x` is an edge
    to the module `x` when there is one, else to the package's `__init__`, whose names it
    reads (the edge that closes a cycle when that `__init__` imports the module back)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                module = f"{base}.{alias.name}"
                found.add(module if module in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph (its modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}

    def visit(name: str, stack: list[str]) -> list[str] | None:
        state[name] = 1
        for dep in sorted(edges[name]):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state:
                found = visit(dep, [*stack, dep])
                if found:
                    return found
        state[name] = 2
        return None

    for name in sorted(edges):
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return None


def test_the_package_has_no_import_cycle_even_through_later_imports() -> None:
    # The whole package, imports inside functions included: `cli/__init__` loads
    # `cli/analyze` only when the command runs, so `cli/analyze` must not read names from
    # `cli/__init__`.
    edges = {name: _every_import(name, path) for name, path in MODULES.items()}
    assert "jupyterlab_nbhygiene.cli.analyze" in edges["jupyterlab_nbhygiene.cli"]
    cycle = _cycle(edges)
    assert cycle is None, f"import cycle: {' -> '.join(cycle or [])}"


def test_the_cycle_check_finds_a_lazy_cycle() -> None:
    edges = {"p": {"p.a"}, "p.a": {"p.b"}, "p.b": {"p"}, "q": set()}
    assert _cycle(edges) == ["p", "p.a", "p.b", "p"]


def test_every_analysis_module_imports_on_its_own() -> None:
    # One fresh interpreter per module would be slow; one that forgets the package
    # between imports finds the same order problems.
    names = sorted(n for n in MODULES if n.startswith("jupyterlab_nbhygiene.analysis"))
    script = (
        "import importlib, sys\n"
        f"names = {names!r}\n"
        "for name in names:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('jupyterlab_nbhygiene')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


@pytest.mark.parametrize("folder", ["analysis", "repro"])
def test_the_core_imports_no_server(folder: str) -> None:
    for name, path in MODULES.items():
        if name.split(".")[1:2] != [folder]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] in ("tornado", "jupyter_server") for n in names), name


def test_the_analysis_has_no_global_statement() -> None:
    for name, path in MODULES.items():
        if ".analysis" in name:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assert not any(isinstance(n, ast.Global) for n in ast.walk(tree)), name


def test_the_catalogue_lists_each_rule_once_in_the_settings_order() -> None:
    assert tuple(r.id for r in CATALOGUE) == RULE_IDS
    assert len(set(RULE_IDS)) == len(RULE_IDS)
