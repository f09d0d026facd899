"""SARIF 2.1.0 for code-scanning tools (GitHub, GitLab, VS Code's SARIF viewer).

Each finding becomes a result with the notebook as artifact (a percent-encoded URI) and
`cell N` as a logical location. Those tools place `region.startLine`/`startColumn` in the
`.ipynb` file's own text, so the region is where the finding's source line sits in the file as
saved (see positions.py); the cell and the line inside it are kept in the result's
`properties` (`cell`: 0-based index, `cellLine`: 1-based). A finding about a whole cell points
at the cell's first source line, one about the whole notebook at line 1. When the file cannot
be read back (gone, or not the JSON that was analyzed) the region falls back to line 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..analysis.model import cell_label
from ..analysis.rules import all_rules
from .positions import LayoutError, SourcePositions, source_positions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    from .. import __version__  # type: ignore[attr-defined]

    return str(__version__)


def _uri(path: str) -> str:
    """A relative reference (to the current folder) or a `file:` URI, percent-encoded."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return quote(p.as_posix(), safe="/")


def _positions(path: str | None) -> SourcePositions | None:
    if not path:
        return None
    try:
        with open(path, encoding="utf-8", newline="") as handle:  # the text as saved
            return source_positions(handle.read())
    except (OSError, UnicodeDecodeError, LayoutError, RecursionError):
        return None


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "name": "".join(part.capitalize() for part in r.id.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.rationale},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"category": r.category, "tags": [r.category]},
        }
        for r in all_rules()
    ]


def _region(f: Mapping[str, Any], positions: SourcePositions | None) -> dict[str, int]:
    where = None
    if positions is not None and f.get("cell") is not None:
        where = positions.locate(int(f["cell"]), f.get("line"))
    if where is None:
        return {"startLine": 1}
    return {"startLine": where[0], "startColumn": where[1]}


def _result(
    report: Mapping[str, Any],
    f: Mapping[str, Any],
    index: dict[str, int],
    positions: SourcePositions | None,
) -> Any:
    path = str(report.get("path") or "notebook.ipynb")
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path)},
            "region": _region(f, positions),
        }
    }
    if f.get("cell") is not None:
        location["logicalLocations"] = [
            {"name": cell_label(f["cell"]), "fullyQualifiedName": f"{path}:{cell_label(f['cell'])}"}
        ]
    result: dict[str, Any] = {
        "ruleId": f["rule"],
        "level": _LEVEL.get(str(f["severity"]), "note"),
        "message": {"text": f["message"]},
        "locations": [location],
    }
    if f["rule"] in index:
        result["ruleIndex"] = index[f["rule"]]
    if f.get("cell") is not None:
        result["properties"] = {"cell": f["cell"], "cellLine": f.get("line")}
    return result


def to_sarif(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One SARIF log with one run: every rule's metadata and every report's findings."""
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for report in reports:
        positions = _positions(report.get("path")) if report["findings"] else None
        results += [_result(report, f, index, positions) for f in report["findings"]]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nbhygiene",
                        "version": _version(),
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "scores": [{"path": r.get("path"), "score": r["score"]} for r in reports]
                },
            }
        ],
    }
