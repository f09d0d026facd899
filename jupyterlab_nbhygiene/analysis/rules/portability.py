"""Portability rules: things that tie a notebook to one machine."""

from __future__ import annotations

import re
from collections.abc import Iterator
from operator import itemgetter

from ..context import AnalysisContext
from ..model import ParsedCell
from ..notebook import output_nbytes
from .base import Code, Draft, cell_drafts, cells_with, code_cells, rule

# Roots that only exist on the author's machine. `/tmp` and `/dev` exist on every Unix,
# and paths like `/api/v1` are URL routes, so a Unix path counts when it starts at one of
# these roots or ends in a file name with an extension.
_UNIX_ROOTS = (
    "home|Users|mnt|media|opt|srv|root|data|datasets|scratch|content|kaggle|workspace|"
    "Volumes|private|gpfs|nfs|net|dbfs|var|usr|etc|storage|projects"
)
_ABSOLUTE = re.compile(
    rf"""^(?:
        /(?:{_UNIX_ROOTS})/\S*            # /home/me/data.csv
      | /(?!tmp/|dev/)(?:[\w.-]+/)+[\w-]+\.\w{{1,5}}  # /some/where/file.ext
      | [A-Za-z]:[\\/]\S*                # C:\\Users\\me
      | ~[\\/]\S*                        # ~/data
    )$""",
    re.VERBOSE,
)
_INSTALLERS = re.compile(
    r"^(?:(?:python\d?(?:\.\d+)?\s+-m\s+)?pip\d?|conda|mamba|micromamba|uv\s+pip)\s+install\b"
)


@rule(
    "absolute-path",
    "portability",
    "warning",
    "A string literal is an absolute file path (`/home/...`, `C:\\...`, `~/...`).",
    "The path exists only on the author's machine: 6.82% of 4.2M notebooks used absolute "
    "paths (Jupyter's 2019 re-analysis) and FileNotFoundError caused 12.59% of failed "
    "re-runs (Pimentel et al., MSR 2019).",
)
def absolute_path(ctx: AnalysisContext) -> list[Draft]:
    return cell_drafts(ctx, _absolute_paths)


def _absolute_paths(code: Code) -> tuple[tuple[int, str], ...]:
    """(line, message) for each absolute path among a cell's strings."""
    strings = code.nodes.strings
    if not strings:
        return ()
    return tuple(
        (
            node.lineno,
            f"Absolute path {node.value!r} exists only on this machine: use a path "
            f"relative to the notebook (or read it from a setting or an environment "
            f"variable).",
        )
        for node in strings
        if isinstance(node.value, str)
        and len(node.value) < 300
        and "\n" not in node.value
        and _ABSOLUTE.match(node.value)
    )


@rule(
    "pip-install-in-notebook",
    "portability",
    "info",
    "`!pip install`, `%pip install` or `!conda install` in a cell.",
    "Dependencies installed from inside a notebook are not declared anywhere a tool can "
    "read; ImportError/ModuleNotFoundError caused 29.23% of failed re-runs (Pimentel et al., "
    "MSR 2019). Quaranta et al. (CSCW 2022): manage dependencies.",
)
def pip_install(ctx: AnalysisContext) -> Iterator[Draft]:
    found = cells_with(ctx, _installs_in)
    # Cells without a tree (`%%bash`, a syntax error) still hold commands: read directly.
    unparsed = [
        (cell.index, installs)
        for cell, parsed in code_cells(ctx).rest
        if parsed is not None and (installs := _installs(parsed))
    ]
    if unparsed:
        found = sorted(found + unparsed, key=itemgetter(0))
    for index, installs in found:
        for line, message in installs:
            yield (index, line, message)


def _installs_in(code: Code) -> tuple[tuple[int, str], ...]:
    """`_installs` of a parsed cell."""
    return _installs(code.parsed)


def _installs(parsed: ParsedCell) -> tuple[tuple[int, str], ...]:
    """(line, message) for each install command of a cell."""
    if not parsed.commands:
        return ()
    return tuple(
        (
            cmd.line,
            f"`{cmd.text.strip()}` installs a dependency from inside the notebook: "
            f"declare it in requirements.txt, environment.yml or pyproject.toml.",
        )
        for cmd in parsed.commands
        if cmd.kind != "cell-magic" and _INSTALLERS.match(cmd.text.strip())
    )


def _output_bytes(outputs: tuple[dict[str, object], ...]) -> int:
    """The size of the outputs' JSON list: each output's size (a summary's `nbytes`), the
    brackets and the commas between them."""
    return sum(map(output_nbytes, outputs)) + len(outputs) + 1


@rule(
    "large-output",
    "portability",
    "info",
    "One cell's saved outputs are larger than 1 MB (configurable: `large-output-bytes`).",
    "Large outputs bloat the file and its diffs, and hide code changes in review.",
    needs_python=False,
)
def large_output(ctx: AnalysisContext) -> Iterator[Draft]:
    limit = ctx.settings.large_output_bytes
    for cell in ctx.notebook.code_cells:
        if not cell.outputs:
            continue
        size = _output_bytes(cell.outputs)
        if size > limit:
            yield (
                cell.index,
                None,
                f"Saved outputs take {size / 1_000_000:.1f} MB (limit {limit / 1_000_000:g} MB): "
                f"clear them, or save plots and tables to files instead.",
            )


@rule(
    "unsupported-language",
    "portability",
    "info",
    "The notebook is not Python: only structure and output rules apply.",
    "Symbol, order-of-definition and randomness rules read Python code only.",
    needs_python=False,
)
def unsupported_language(ctx: AnalysisContext) -> Iterator[Draft]:
    language = ctx.notebook.language
    if language != "python":
        yield (
            None,
            None,
            f"This notebook is written in {ctx.notebook.language_name or language}: nbhygiene "
            f"checks only its structure, execution counts and outputs; name, import and "
            f"randomness rules need Python.",
        )
