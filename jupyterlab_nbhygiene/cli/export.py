"""`nbhygiene export PATH [--cell N ...] [-o FILE] [--tests FILE]`: cells as a module.

N counts every cell from 1 (markdown too), as the panel and JupyterLab's status bar do.
Exit codes as `analyze`: 0 the module was written (or printed), 1 the export was refused
(the message names the cell and the name), 2 usage error or unreadable notebook.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..analysis.errors import AnalysisInputError
from .analyze import _read_json
from .common import EXIT_FINDINGS, EXIT_OK, UsageError


def run_export(args: argparse.Namespace) -> int:
    """Export, write or print the module (and the tests), report what was left out."""
    from ..export import ExportError, export_notebook

    path = Path(args.path)
    if path.is_dir():
        raise UsageError(f"{path}: export takes one notebook, not a folder")
    data = _read_json(path, "notebook")
    if args.tests and not args.output:
        raise UsageError("--tests needs -o FILE: the tests import the module from its file")
    try:
        result = export_notebook(
            data,
            path=str(path),
            cells=args.cell,
            tests=bool(args.tests),
            module_path=args.output,
            tests_path=args.tests,
        )
    except ExportError as e:
        print(f"nbhygiene: export refused: {e}", file=sys.stderr)
        return EXIT_FINDINGS
    except AnalysisInputError as e:  # not a notebook, or no such cell
        raise UsageError(f"{path}: {e}") from None
    if not args.output:
        sys.stdout.write(result.module)
    else:
        _write(args.output, result.module)
        if args.tests and result.tests is not None:
            _write(args.tests, result.tests)
    cells = ", ".join(map(str, result.cells))
    print(f"nbhygiene: exported cells {cells} of {path}", file=sys.stderr)
    for dropped in result.dropped_magics:
        print(
            f"  left out {dropped.magic} (cell {dropped.cell}, line {dropped.line}): {dropped.why}",
            file=sys.stderr,
        )
    for skipped in result.skipped_outputs:
        print(
            f"  not tested: cell {skipped['cell']}, output {int(str(skipped['output'])) + 1} "
            f"({skipped['mime']}): {skipped['why']}",
            file=sys.stderr,
        )
    return EXIT_OK


def _write(target: str, text: str) -> None:
    try:
        folder = os.path.dirname(target)
        if folder:
            os.makedirs(folder, exist_ok=True)
        Path(target).write_text(text, encoding="utf-8")
    except OSError as e:
        raise UsageError(f"{target}: cannot write: {e.strerror or e}") from None
