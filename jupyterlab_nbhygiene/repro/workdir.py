"""Saying so when a cell's output changed because the kernel ran in another folder.

A kernel on a gateway runs in the gateway's working directory (a pod, a cluster node), not in
the notebook's folder: relative paths, ``os.getcwd()`` and file listings give other answers
there. A verify run on a gateway names that as the likely cause of such a cell's change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .normalize import source_text
from .verdicts import CellVerdict

PATH_ERRORS = frozenset(
    {"FileNotFoundError", "NotADirectoryError", "IsADirectoryError", "PermissionError"}
)
# Calls and magics whose result depends on the working directory.
_PATH_USE = re.compile(
    r"\b(?:os\.getcwd|getcwd|Path\.cwd|Path\.home|os\.listdir|os\.scandir|os\.walk|glob|iglob"
    r"|os\.path\.(?:abspath|realpath|exists|isfile|isdir|getsize)|open|read_csv|read_json"
    r"|read_excel|read_parquet|read_table|loadtxt|genfromtxt|imread)\s*\("
    r"|^\s*[%!](?:pwd|ls|cd)\b",
    re.MULTILINE,
)
CELL_NOTE = "the gateway's kernel ran in its own working directory, not the notebook's folder"
SUMMARY_NOTE = (
    "The kernel ran on a gateway, whose working directory is not the notebook's folder: "
    "cells that read files by relative path or show the current directory give other "
    "output there."
)
_CHANGED = frozenset({"changed", "new-error"})


def path_dependent(cell: Mapping[str, Any], verdict: CellVerdict) -> bool:
    """Whether `verdict` (changed or a new error) is likely due to the working directory: a
    file-system error, or a cell that reads paths or shows the current directory."""
    if verdict.verdict not in _CHANGED:
        return False
    if verdict.error is not None:
        ename, evalue = verdict.error.get("ename", ""), verdict.error.get("evalue", "")
        if ename in PATH_ERRORS or "No such file or directory" in evalue:
            return True
    return bool(_PATH_USE.search(source_text(cell.get("source"))))


def note_remote_workdir(cells: list[Mapping[str, Any]], verdicts: Iterable[CellVerdict]) -> bool:
    """Add the working-directory note to the reason of each path-dependent verdict; True when
    any was noted (the summary then says so too)."""
    noted = False
    for verdict in verdicts:
        if path_dependent(cells[verdict.index], verdict):
            verdict.reason = f"{verdict.reason}; {CELL_NOTE}" if verdict.reason else CELL_NOTE
            noted = True
    return noted
