"""Linter-style text output: `path:cell N:line: rule [severity] message`, then a summary."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from typing import Any, TextIO

from ..analysis.model import cell_label

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def use_colour(mode: str, stream: TextIO) -> bool:
    """`always`/`never`, or for `auto`: a terminal, and NO_COLOR not set."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def location(path: str, finding: Mapping[str, Any]) -> str:
    """`path:cell 3:2` / `path:cell 3` / `path` for a notebook-wide finding."""
    where = path
    if finding.get("cell") is not None:
        where += f":{cell_label(finding['cell'])}"
        if finding.get("line"):
            where += f":{finding['line']}"
    return where


def _counts(findings: list[Mapping[str, Any]]) -> str:
    by = Counter(str(f["severity"]) for f in findings)
    if not findings:
        return "no findings"
    parts = [
        f"{by[s]} {s}" + ("s" if by[s] != 1 and s != "info" else "")
        for s in ("error", "warning", "info")
        if by[s]
    ]
    return f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)})"


def write_report(report: Mapping[str, Any], out: TextIO, *, colour: bool) -> None:
    """One line per finding, then `path: score N/100 LABEL (...) - K findings (...)`."""
    path = str(report.get("path") or "<notebook>")
    findings: list[Mapping[str, Any]] = list(report.get("findings", []))
    for f in findings:
        severity = str(f["severity"])
        rule = f"{f['rule']} [{severity}]"
        if colour:
            rule = f"{_COLOURS.get(severity, '')}{rule}{_RESET}"
            where = f"{_BOLD}{location(path, f)}{_RESET}"
        else:
            where = location(path, f)
        out.write(f"{where}: {rule} {f['message']}\n")
    breakdown = report.get("score_breakdown", {})
    lost = ", ".join(f"{k} {v}" for k, v in breakdown.items() if v)
    detail = f" ({lost})" if lost else ""
    label = f" {report['score_label']}" if report.get("score_label") else ""
    summary = f"{path}: score {report['score']}/100{label}{detail} - {_counts(findings)}"
    out.write(f"{_DIM}{summary}{_RESET}\n" if colour else f"{summary}\n")
