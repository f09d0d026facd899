"""`nbhygiene analyze`: reports for notebooks, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..analysis import analyze
from . import EXIT_FINDINGS, EXIT_OK, UsageError


def _load_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read {what} {path}: {e}") from e
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:
        raise UsageError(f"{path} is not valid JSON: {e}") from e


def run_analyze(args: argparse.Namespace) -> int:
    history = _load_json(Path(args.history), "history") if args.history else None
    reports: list[dict[str, Any]] = []
    for raw in args.paths:
        path = Path(raw)
        data = _load_json(path, "notebook")
        try:
            reports.append(analyze(data, history, path=str(path)))
        except ValueError as e:
            raise UsageError(f"{path}: {e}") from e
    if args.format == "json":
        json.dump(reports, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for report in reports:
            for f in report["findings"]:
                where = f"{report['path']}:cell {f['cell']}" + (
                    f":{f['line']}" if f.get("line") else ""
                )
                print(f"{where}: {f['severity']} [{f['rule']}] {f['message']}")
            print(f"{report['path']}: score {report['score']}/100")
    failing = any(
        f["severity"] == "error" for r in reports for f in r["findings"]
    ) or (args.fail_under is not None and any(r["score"] < args.fail_under for r in reports))
    return EXIT_FINDINGS if failing else EXIT_OK
