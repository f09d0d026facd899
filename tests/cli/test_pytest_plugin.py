"""`pytest --nbhygiene`: notebooks as test items, run by a real pytest (pytester).

The runs happen in-process (`runpytest`), except one real subprocess with pytest-xdist
(`-n 2`), the way CI spreads notebooks over cores.
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook
from repro.support import assert_no_new_kernels, child_pids, stream

PLUGIN = "jupyterlab_nbhygiene.pytest_plugin"
# The inner runs get an ini of their own; this keeps pytest-asyncio quiet there.
PYTEST_INI = '[tool.pytest.ini_options]\nasyncio_default_fixture_loop_scope = "function"\n'


def _registered() -> bool:
    return any(ep.value == PLUGIN for ep in importlib.metadata.entry_points(group="pytest11"))


def _plugin_args() -> list[str]:
    # Loaded through its entry point once the package is installed; `-p` covers a source tree
    # that is only on the path (test_registered_as_a_pytest11_entry_point checks the install).
    return [] if _registered() else ["-p", PLUGIN]


def _write(folder: Path, name: str, nb: dict[str, Any]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


def _clean() -> dict[str, Any]:
    return make_notebook(
        {"cell_type": "markdown", "source": "# Doubling\nA number, doubled."},
        {"source": "x = 21", "execution_count": 1},
        {"cell_type": "markdown", "source": "Twice that:"},
        {"source": "print(x * 2)", "execution_count": 2, "outputs": [stream("42\n")]},
    )


def _hidden_state() -> dict[str, Any]:
    """Ran fine out of order; top to bottom it uses `rate` before defining it."""
    return make_notebook(
        {"cell_type": "markdown", "source": "# Prices\nWith tax."},
        {"source": "print(100 * rate)", "execution_count": 2, "outputs": [stream("20.0\n")]},
        {"cell_type": "markdown", "source": "The rate:"},
        {"source": "rate = 0.2", "execution_count": 1},
    )


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyprojecttoml(PYTEST_INI)
    return pytester


def test_registered_as_a_pytest11_entry_point() -> None:
    assert _registered(), "reinstall the package (pip install -e .) to register its entry point"


def test_notebooks_are_not_collected_without_the_flag(project: pytest.Pytester) -> None:
    _write(project.path, "clean.ipynb", _clean())
    result = project.runpytest(*_plugin_args())
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_one_item_per_notebook_failing_with_the_text_report(project: pytest.Pytester) -> None:
    _write(project.path, "clean.ipynb", _clean())
    _write(project.path, "sub dir/hidden.ipynb", _hidden_state())
    _write(project.path, "sub dir/.ipynb_checkpoints/hidden-checkpoint.ipynb", _hidden_state())
    result = project.runpytest(*_plugin_args(), "--nbhygiene", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "clean.ipynb::nbhygiene PASSED*",
            "sub dir/hidden.ipynb::nbhygiene FAILED*",
            "*_ sub dir/hidden.ipynb (nbhygiene) _*",
            "sub dir/hidden.ipynb:cell 2:1: use-before-definition [[]error] `rate` is used here*",
            "sub dir/hidden.ipynb: score *",
        ]
    )
    assert "checkpoint" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_an_unreadable_notebook_fails_with_a_sentence(project: pytest.Pytester) -> None:
    (project.path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    result = project.runpytest(*_plugin_args(), "--nbhygiene")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["nbhygiene: broken.ipynb: not valid JSON: *"])


def test_tool_nbhygiene_settings_apply(project: pytest.Pytester) -> None:
    project.makepyprojecttoml(
        PYTEST_INI + '[tool.nbhygiene]\nignore = ["use-before-definition"]\nfail-under = 10\n'
    )
    _write(project.path, "hidden.ipynb", _hidden_state())
    project.runpytest(*_plugin_args(), "--nbhygiene").assert_outcomes(passed=1)
    # The flag overrides fail-under; the failure says why.
    result = project.runpytest(*_plugin_args(), "--nbhygiene", "--nbhygiene-fail-under", "100")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["score * is below fail-under 100"])
    assert "use-before-definition" not in result.stdout.str()


def test_a_bad_config_is_a_usage_error(project: pytest.Pytester) -> None:
    project.makepyprojecttoml(PYTEST_INI + "[tool.nbhygiene]\nfail-undr = 10\n")
    _write(project.path, "clean.ipynb", _clean())
    result = project.runpytest(*_plugin_args(), "--nbhygiene")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*nbhygiene: *pyproject.toml: *fail-undr*"])


@pytest.mark.kernel
def test_verify_adds_a_fresh_kernel_item_honouring_nbval_markers(
    project: pytest.Pytester,
) -> None:
    before = child_pids()
    _write(project.path, "clean.ipynb", _clean())
    volatile = make_notebook(
        {"cell_type": "markdown", "source": "# Random\nNumbers that change."},
        {
            "source": "import random\nprint(random.random())",
            "execution_count": 1,
            "outputs": [stream("0.5\n")],
            "metadata": {"tags": ["nbval-ignore-output"]},
        },
        {"cell_type": "markdown", "source": "Not run here:"},
        {
            "source": "# NBVAL_SKIP\nraise SystemExit('needs a GPU')",
            "execution_count": 2,
            "outputs": [stream("gpu ok\n")],
        },
    )
    _write(project.path, "volatile.ipynb", volatile)
    changed = _clean()
    changed["cells"][3]["outputs"] = [stream("41\n")]
    _write(project.path, "changed.ipynb", changed)
    result = project.runpytest(*_plugin_args(), "--nbhygiene-verify", "-v")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "changed.ipynb::nbhygiene-verify FAILED*",
            "*_ changed.ipynb (nbhygiene-verify) _*",
            "changed.ipynb: cell 4: changed*",
            "changed.ipynb: NOT reproducible*",
        ]
    )
    assert_no_new_kernels(before)


@pytest.mark.kernel
def test_spread_over_two_xdist_workers_in_a_subprocess(project: pytest.Pytester) -> None:
    for i in range(3):
        _write(project.path, f"nb{i}.ipynb", _clean())
    _write(project.path, "hidden.ipynb", _hidden_state())
    result = project.runpytest_subprocess(
        *_plugin_args(), "--nbhygiene-verify", "-n", "2", "-p", "no:cacheprovider"
    )
    result.stdout.fnmatch_lines(["created: 2/2 workers"])
    result.assert_outcomes(passed=6, failed=2)
    # Workers finish in any order: each line on its own.
    result.stdout.fnmatch_lines(["FAILED hidden.ipynb::nbhygiene - *"])
    result.stdout.fnmatch_lines(["FAILED hidden.ipynb::nbhygiene-verify - *"])
