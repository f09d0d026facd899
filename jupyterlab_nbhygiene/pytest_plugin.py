"""pytest plugin: `pytest --nbhygiene [PATH...]` checks notebooks as test items.

Every `*.ipynb` pytest collects (outside `.ipynb_checkpoints`) becomes one item, `nbhygiene`,
that fails as `nbhygiene analyze` does: a finding at error severity, or a score under
`fail-under`; the failure message is the text report. `--nbhygiene-verify` adds a second item,
`nbhygiene-verify`, that re-runs the notebook in a fresh kernel and fails when it does not
reproduce its saved outputs (nbval's skip / ignore-output / raises tags and comments are
honoured), as `nbhygiene verify` does. `[tool.nbhygiene]` from the nearest pyproject.toml (or
`--nbhygiene-config`) applies. Items hold only their path, so pytest-xdist (`-n auto`) spreads
notebooks over its workers; each worker reads the settings itself.

Registered through the `pytest11` entry point; it does nothing unless one of its flags is given.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .analysis.settings import Settings

_SETTINGS = pytest.StashKey[Settings]()


class NotebookCheckFailed(Exception):
    """A notebook failed its check; the message is the report to show."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nbhygiene", "notebook hygiene and reproducibility (nbhygiene)")
    group.addoption(
        "--nbhygiene",
        action="store_true",
        help="collect *.ipynb files and fail on error-severity findings or a low score",
    )
    group.addoption(
        "--nbhygiene-verify",
        action="store_true",
        help="also re-run each notebook in a fresh kernel and compare its outputs "
        "(implies --nbhygiene)",
    )
    group.addoption(
        "--nbhygiene-config",
        metavar="FILE",
        help="pyproject.toml to read [tool.nbhygiene] from (default: the nearest one)",
    )
    group.addoption(
        "--nbhygiene-fail-under",
        type=int,
        metavar="N",
        help="fail a notebook whose score is below N (overrides fail-under)",
    )
    group.addoption(
        "--nbhygiene-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="per-cell timeout of the verify run (default 120)",
    )


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("nbhygiene") or config.getoption("nbhygiene_verify"))


def pytest_configure(config: pytest.Config) -> None:
    if not _enabled(config):
        return
    from .cli import UsageError
    from .cli.config import load_settings

    if config.getoption("nbhygiene_timeout") <= 0:
        raise pytest.UsageError("--nbhygiene-timeout must be above 0 seconds")
    args = argparse.Namespace(
        config=config.getoption("nbhygiene_config"),
        select=None,
        ignore=None,
        fail_under=config.getoption("nbhygiene_fail_under"),
    )
    try:
        settings, _ = load_settings(args, cwd=config.rootpath)
    except UsageError as e:
        raise pytest.UsageError(f"nbhygiene: {e}") from None
    config.stash[_SETTINGS] = settings


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".ipynb" or ".ipynb_checkpoints" in file_path.parts:
        return None
    if not _enabled(parent.config):
        return None
    notebook: NotebookFile = NotebookFile.from_parent(parent, path=file_path)
    return notebook


class NotebookFile(pytest.File):
    """One notebook: its hygiene item, and with `--nbhygiene-verify` its verify item."""

    def collect(self) -> Iterator[pytest.Item]:
        yield HygieneItem.from_parent(self, name="nbhygiene")
        if self.config.getoption("nbhygiene_verify"):
            yield VerifyItem.from_parent(self, name="nbhygiene-verify")


class _NotebookItem(pytest.Item):
    def _shown_path(self) -> str:
        """The path as the reports show it: relative to where pytest was started."""
        return os.path.relpath(self.path, self.config.invocation_params.dir)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        if isinstance(excinfo.value, NotebookCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        # The failure's heading. Not `path::name`: pytest would turn the dots of a domain
        # that ends the node id into `::` in the verbose test list.
        return self.path, None, f"{self._shown_path()} ({self.name})"


class HygieneItem(_NotebookItem):
    """Fails when `nbhygiene analyze` would: an error-severity finding or a score too low."""

    def runtest(self) -> None:
        from .cli.analyze import _failing, analyze_file
        from .cli.text import write_report

        settings = self.config.stash[_SETTINGS]
        shown = self._shown_path()
        # Read by absolute path (a test may have changed the working folder); report as shown.
        report, error = analyze_file(str(self.path), None, settings)
        if report is None:
            raise NotebookCheckFailed(f"nbhygiene: {error}".replace(str(self.path), shown))
        report = {**report, "path": shown}
        if _failing(report, settings):
            out = io.StringIO()
            write_report(report, out, colour=False)
            if settings.fail_under is not None and report["score"] < settings.fail_under:
                out.write(f"score {report['score']} is below fail-under {settings.fail_under}\n")
            raise NotebookCheckFailed(out.getvalue().rstrip("\n"))


class VerifyItem(_NotebookItem):
    """Re-runs the notebook in a fresh kernel; fails when it does not reproduce."""

    def runtest(self) -> None:
        from .cli import UsageError
        from .cli.verify import _kernel_name, _load, format_text
        from .repro import KernelStartError, RunOptions, verify_notebook

        path = self._shown_path()
        try:
            notebook = _load(str(self.path))
            kernel = _kernel_name(notebook, None, path)
        except UsageError as e:
            raise NotebookCheckFailed(f"nbhygiene verify: {e}") from None
        options = RunOptions(
            kernel_name=kernel,
            timeout=self.config.getoption("nbhygiene_timeout"),
            startup_timeout=60.0,
            start_kwargs={"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL},
        )
        try:
            result = asyncio.run(
                verify_notebook(notebook, folder=str(self.path.parent), options=options)
            )
        except KernelStartError as e:
            raise NotebookCheckFailed(f"nbhygiene verify: {path}: {e}") from None
        if not result["reproducible"]:
            raise NotebookCheckFailed(format_text({"path": path, **result}))
