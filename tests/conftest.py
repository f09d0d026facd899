"""Shared fixtures: a real jupyter_server with the extension loaded (pytest-jupyter)."""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = ["pytest_jupyter.jupyter_server", "pytester"]


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}}}


# Skips a run may report (substrings of the reason). Any other skip fails the run: every test
# must run from a clone, so a skip means something the suite needs is missing.
EXPECTED_SKIPS: tuple[str, ...] = ()


class SkipGuard:
    """Fails an otherwise green run that skipped a test for a reason not in `EXPECTED_SKIPS`."""

    def __init__(self) -> None:
        self.unexpected: list[str] = []

    def _record(self, report: pytest.CollectReport | pytest.TestReport) -> None:
        if not report.skipped or hasattr(report, "wasxfail"):
            return
        longrepr = report.longrepr
        reason = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr)
        if not any(expected in reason for expected in EXPECTED_SKIPS):
            self.unexpected.append(f"{report.nodeid}: {reason}")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._record(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._record(report)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.unexpected:
            terminalreporter.section("unexpected skips (the run fails)", sep="=", red=True)
            for line in self.unexpected:
                terminalreporter.line(line)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.unexpected and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # xdist workers report to the controller
        config.pluginmanager.register(SkipGuard(), "nbhygiene-skip-guard")
