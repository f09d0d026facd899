"""`nbhygiene analyze|verify|export`: the command line for CI and pre-commit.

Exit codes: 0 clean, 1 findings / not reproducible / export refused, 2 usage error or
unreadable input.
Heavy modules (nbclient, jupyter_client) are imported only by `verify`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "UsageError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"nbhygiene: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nbhygiene", description="Notebook hygiene and reproducibility.")
    from .. import __version__  # type: ignore[attr-defined]

    parser.add_argument("--version", action="version", version=f"nbhygiene {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    an = sub.add_parser("analyze", help="report hidden state and hygiene findings")
    an.add_argument("paths", nargs="+", metavar="PATH", help="notebooks or folders")
    an.add_argument("--history", metavar="FILE", help="execution history JSON (one notebook)")
    an.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    an.add_argument("--select", metavar="IDS", help="comma-separated rule ids to run")
    an.add_argument("--ignore", metavar="IDS", help="comma-separated rule ids to skip")
    an.add_argument("--fail-under", type=int, metavar="N", help="exit 1 when a score is below N")
    an.add_argument("--config", metavar="FILE", help="pyproject.toml to read [tool.nbhygiene] from")
    an.add_argument("--jobs", type=int, metavar="N", help="processes for many notebooks")
    an.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    ve = sub.add_parser("verify", help="re-run in a fresh kernel and compare outputs")
    ve.add_argument("path", metavar="PATH", help="the notebook to verify")
    ve.add_argument("--timeout", type=float, metavar="SECONDS", help="per-cell timeout")
    ve.add_argument("--startup-timeout", type=float, metavar="SECONDS")
    ve.add_argument("--runs", type=int, choices=(1, 2), default=1)
    ve.add_argument("--format", choices=("text", "json"), default="text")
    ve.add_argument("--kernel", metavar="NAME", help="kernelspec to use instead of the notebook's")
    ve.add_argument("--gateway-url", metavar="URL", help="kernel gateway ($JUPYTER_GATEWAY_URL)")
    ve.add_argument("--gateway-token", metavar="TOKEN", help="($JUPYTER_GATEWAY_AUTH_TOKEN)")

    ex = sub.add_parser("export", help="export cells and what they need as a Python module")
    ex.add_argument("path", metavar="PATH", help="the notebook (Python)")
    ex.add_argument(
        "--cell",
        type=int,
        action="append",
        metavar="N",
        help="a cell to export, counting every cell from 1 as the panel does (repeatable; "
        "default: every code cell)",
    )
    ex.add_argument("-o", "--output", metavar="FILE", help="write the module here, not to stdout")
    ex.add_argument("--tests", metavar="FILE", help="also write golden pytest tests here")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "analyze":
            from .analyze import run_analyze

            return run_analyze(args)
        if args.command == "export":
            from .export import run_export

            return run_export(args)
        from .verify import run_verify

        return run_verify(args)
    except UsageError as e:
        print(f"nbhygiene: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
