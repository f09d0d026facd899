"""`nbhygiene analyze PATH...`: reports for notebooks as text, JSON or SARIF.

Exit codes: 0 = no finding at error severity and every score >= fail-under; 1 = otherwise;
2 = usage error, or a file that could not be read (reported on stderr, the other files are
still analyzed and printed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from ..analysis import analyze
from ..analysis.settings import Settings
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError
from .config import load_settings

Outcome = tuple[dict[str, Any] | None, str | None]


def iter_notebooks(paths: Sequence[str]) -> Iterator[Path]:
    """Each PATH in order; a folder gives its `*.ipynb` files, sorted, skipping hidden
    folders such as `.ipynb_checkpoints`. A missing path is yielded as is (and fails later)."""
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        found = [
            p
            for p in path.rglob("*.ipynb")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ]
        yield from sorted(found, key=lambda p: p.as_posix())


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise UsageError(f"{path}: cannot read {what}: {reason}") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as e:
        raise UsageError(f"{path}: not valid JSON: {e}") from None


def analyze_file(path: str, history: Any, settings: Settings) -> Outcome:
    """(report, None) for a notebook, or (None, one-line error) when it cannot be read.

    Top level so a process pool can run it.
    """
    try:
        data = _read_json(Path(path), "notebook")
        return analyze(data, history, settings, path=path), None
    except UsageError as e:
        return None, str(e)
    except ValueError as e:  # NotebookError: the JSON is not a notebook
        return None, f"{path}: {e}"


def _run_all(files: list[str], history: Any, settings: Settings, jobs: int | None) -> list[Outcome]:
    work = partial(analyze_file, history=history, settings=settings)
    workers = min(jobs or os.cpu_count() or 1, len(files))
    if workers <= 1:
        return [work(f) for f in files]
    # Only several files pay for starting processes; one file stays in-process.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(files) // (workers * 4))
        return list(pool.map(work, files, chunksize=chunk))


def _failing(report: dict[str, Any], settings: Settings) -> bool:
    if any(f["severity"] == "error" for f in report["findings"]):
        return True
    return settings.fail_under is not None and report["score"] < settings.fail_under


def _write(reports: list[dict[str, Any]], fmt: str, colour_mode: str) -> None:
    out = sys.stdout
    if fmt == "json":
        json.dump(reports, out, indent=2)
        out.write("\n")
    elif fmt == "sarif":
        from .sarif import to_sarif

        json.dump(to_sarif(reports), out, indent=2)
        out.write("\n")
    else:
        from .text import use_colour, write_report

        colour = use_colour(colour_mode, out)
        for report in reports:
            write_report(report, out, colour=colour)


def run_analyze(args: argparse.Namespace) -> int:
    """Analyze every PATH, print the reports, return the exit code (module docstring)."""
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    settings, _ = load_settings(args)
    files = [str(p) for p in iter_notebooks(args.paths)]
    if not files:
        raise UsageError(f"no notebooks found in {', '.join(args.paths)}")
    history = None
    if args.history:
        if len(files) > 1:
            raise UsageError("--history describes one notebook; pass exactly one PATH")
        history = _read_json(Path(args.history), "history")
    outcomes = _run_all(files, history, settings, args.jobs)
    reports = [report for report, _ in outcomes if report is not None]
    errors = [error for _, error in outcomes if error is not None]
    try:
        _write(reports, args.format, getattr(args, "color", "auto"))
        sys.stdout.flush()
    except BrokenPipeError:  # `nbhygiene analyze . | head`
        sys.stderr.close()
        return EXIT_FINDINGS
    for error in errors:
        print(f"nbhygiene: error: {error}", file=sys.stderr)
    if errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if any(_failing(r, settings) for r in reports) else EXIT_OK
