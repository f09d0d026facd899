"""Files as state: a cell that writes `data.csv` provides it to a later cell that reads it.

The analyzer follows names, not files; a notebook that saves an array in one cell and loads
it in another has a dependency no name shows. A string literal that looks like a file path
(no blanks, a dot or a slash, not a URL; or a word of a shell command) is named
`<file:PATH>`: handed to a writer
(`to_csv`, `savez`, `savefig`, `dump`, `write_text`, `open(PATH, "w")`, ...) it is defined
by the cell; anywhere else in a call it is read. Like the random generators' names, these
names never make an export refuse: a file no cell writes is data that comes with the notebook.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

WRITERS = frozenset(
    {
        "to_csv", "to_excel", "to_json", "to_pickle", "to_parquet", "to_hdf", "to_feather",
        "to_html", "to_stata", "to_xml", "save", "savez", "savez_compressed", "savetxt",
        "savefig", "dump", "write_text", "write_bytes", "tofile", "to_file", "imwrite",
        "save_weights", "copyfile", "copy", "urlretrieve", "connect",
    }
)  # fmt: skip


@dataclass
class FileEffects:
    """Pseudo names of the files a cell writes and reads."""

    writes: set[str] = field(default_factory=set)
    reads: set[str] = field(default_factory=set)


# numpy adds the extension a bare name lacks: np.savez("arrays") writes arrays.npz
_SUFFIX = {"savez": ".npz", "savez_compressed": ".npz", "save": ".npy"}


def _path(node: ast.expr, writer: str = "") -> str | None:
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return None
    text = node.value
    if not text or len(text) > 255 or any(ch.isspace() for ch in text) or "://" in text:
        return None
    suffix = _SUFFIX.get(writer, "")
    if suffix and not text.endswith(suffix):
        return f"<file:{text}{suffix}>"
    if "." not in text and "/" not in text:
        return None
    return f"<file:{text}>"


def _callee(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _writes_mode(call: ast.Call) -> bool:
    mode = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    return (
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and any(ch in mode.value for ch in "wax")
    )


def file_effects(tree: ast.Module) -> FileEffects:
    """The files a cell writes and reads (module docstring)."""
    effects = FileEffects()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node.func)
        handed = [*node.args, *(k.value for k in node.keywords)]
        paths = [p for p in (_path(arg, name) for arg in handed) if p is not None]
        if name == "run" and node.args and isinstance(node.args[0], ast.Constant):
            # a shell command (`!rm data.db`): the words that look like paths are read
            words = str(node.args[0].value).split()
            paths += [p for p in (_path(ast.Constant(w)) for w in words[1:]) if p is not None]
        if not paths:
            continue
        if name in WRITERS or (name == "open" and _writes_mode(node)):
            # `copy(src, dst)`: the last path is written, the others read
            last = paths[-1] if name in ("copy", "copyfile", "urlretrieve") else None
            for path in paths:
                (effects.writes if last in (None, path) else effects.reads).add(path)
        else:
            effects.reads.update(paths)
    effects.reads -= effects.writes
    return effects
