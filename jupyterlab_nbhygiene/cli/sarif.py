"""SARIF 2.1.0 for code-scanning tools (GitHub, GitLab, VS Code's SARIF viewer).

Each finding becomes a result with the notebook as artifact, `cell N` as a logical
location and the line inside the cell as `region.startLine` (1 for findings about a
whole cell or notebook, since viewers require a region).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..analysis.model import cell_label
from ..analysis.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_DOCS = "https://github.com/nbhygiene/jupyterlab_nbhygiene/blob/main/docs/rules.md"


def _version() -> str:
    from .. import __version__  # type: ignore[attr-defined]

    return str(__version__)


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "name": "".join(part.capitalize() for part in r.id.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.rationale},
            "helpUri": f"{_DOCS}#{r.id}",
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"category": r.category, "tags": [r.category]},
        }
        for r in all_rules()
    ]


def _result(report: Mapping[str, Any], f: Mapping[str, Any], index: dict[str, int]) -> Any:
    path = str(report.get("path") or "notebook.ipynb")
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(path)},
            "region": {"startLine": int(f.get("line") or 1)},
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
    return result


def to_sarif(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One SARIF log with one run: every rule's metadata and every report's findings."""
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = [_result(report, f, index) for report in reports for f in report["findings"]]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nbhygiene",
                        "version": _version(),
                        "informationUri": _DOCS,
                        "rules": rules,
                    }
                },
                "results": results,
                "properties": {
                    "scores": [{"path": r.get("path"), "score": r["score"]} for r in reports]
                },
            }
        ],
    }
