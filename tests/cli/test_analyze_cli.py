"""`nbhygiene analyze`: exit codes, output formats, folders, config, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis.rules import all_rules
from jupyterlab_nbhygiene.cli import main

CLEAN = make_notebook(
    {"cell_type": "markdown", "source": "# Clean\n\nLoads and prints."},
    {"source": "import os", "execution_count": 1},
    {"cell_type": "markdown", "source": "Print it."},
    {"source": "print(os.sep)", "execution_count": 2},
)
BROKEN = make_notebook(
    {"cell_type": "markdown", "source": "# Broken"},
    {"source": "print(value)", "execution_count": 1},
    {"cell_type": "markdown", "source": "Define it."},
    {"source": "value = 1", "execution_count": 2},
)

MEH = make_notebook(
    {"cell_type": "markdown", "source": "# Meh"},
    {"source": "x = 1", "execution_count": 1},
    {"cell_type": "markdown", "source": ""},
)  # one empty cell: score 99, no error


def write(path: Path, nb: dict[str, Any] | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nb if isinstance(nb, str) else json.dumps(nb), encoding="utf-8")
    return path


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], cwd: Path | None = None
) -> tuple[int, str, str]:
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = main(["analyze", *argv])
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path / "b" / "clean.ipynb", CLEAN)
    write(tmp_path / "a" / "broken.ipynb", BROKEN)
    write(tmp_path / "a" / ".ipynb_checkpoints" / "broken-checkpoint.ipynb", BROKEN)
    write(tmp_path / "a" / "notes.txt", "not a notebook")
    write(tmp_path / "c" / "meh.ipynb", MEH)
    return tmp_path


def test_clean_notebook_exits_0(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(tree / "b" / "clean.ipynb")], capsys, cwd=tree)
    assert (code, err) == (0, "")
    assert out.strip().endswith("score 100/100 good - no findings")


def test_error_finding_exits_1_with_linter_lines(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tree / "a" / "broken.ipynb")
    code, out, _ = run([path, "--color", "never"], capsys, cwd=tree)
    assert code == 1
    assert f"{path}:cell 2:1: use-before-definition [error] `value` is used here" in out
    assert "\033[" not in out
    assert f"{path}: score " in out.splitlines()[-1]


def test_color_always(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run([str(tree / "a" / "broken.ipynb"), "--color", "always"], capsys, cwd=tree)
    assert "\033[31m" in out


def test_fail_under(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meh = str(tree / "c" / "meh.ipynb")
    assert run([meh], capsys, cwd=tree)[0] == 0
    assert run([meh, "--fail-under", "99"], capsys, cwd=tree)[0] == 0
    assert run([meh, "--fail-under", "100"], capsys, cwd=tree)[0] == 1


def test_json_is_an_array_in_argument_order(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(tree / "b" / "clean.ipynb"), str(tree / "a" / "broken.ipynb")]
    code, out, _ = run([*paths, "--format", "json", "--jobs", "1"], capsys, cwd=tree)
    reports = json.loads(out)
    assert [r["path"] for r in reports] == paths
    assert code == 1
    assert {"score", "score_breakdown", "cells", "findings"} <= set(reports[0])


def test_folder_is_walked_sorted_skipping_checkpoints(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run([str(tree), "--format", "json"], capsys, cwd=tree)
    paths = [Path(r["path"]).relative_to(tree).as_posix() for r in json.loads(out)]
    assert paths == ["a/broken.ipynb", "b/clean.ipynb", "c/meh.ipynb"]


def test_bad_file_in_a_batch_is_reported_and_the_rest_analyzed(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tree / "bad.ipynb", "{not json")
    not_nb = write(tree / "list.ipynb", "[1, 2]")
    clean = str(tree / "b" / "clean.ipynb")
    argv = [str(bad), clean, str(not_nb), str(tree / "missing.ipynb"), "--format", "json"]
    code, out, err = run(argv, capsys, cwd=tree)
    assert code == 2
    assert [r["path"] for r in json.loads(out)] == [clean]
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("nbhygiene: error: ") for line in lines)
    assert "not valid JSON" in lines[0]
    assert "must be a JSON object" in lines[1]
    assert "no such file" in lines[2]
    assert "Traceback" not in err


def test_pyproject_config_is_found_upward_and_flags_override(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tree / "pyproject.toml",
        '[tool.nbhygiene]\nignore = ["use-before-definition"]\n'
        'severity = { "undefined-name" = "info" }\nfail-under = 50\n',
    )
    broken = str(tree / "a" / "broken.ipynb")
    assert run([broken], capsys, cwd=tree / "a")[0] == 0
    code, out, _ = run([broken, "--select", "use-before-definition"], capsys, cwd=tree / "a")
    # --select replaces the selection; the configured ignore still applies.
    assert (code, "use-before-definition" in out) == (0, False)
    meh = str(tree / "c" / "meh.ipynb")
    assert run([meh], capsys, cwd=tree / "a")[0] == 0  # fail-under 50 from the config
    assert run([meh, "--fail-under", "100"], capsys, cwd=tree / "a")[0] == 1


def test_explicit_config_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write(tree / "conf" / "nbhygiene.toml", 'select = ["empty-cell"]\n')
    code, out, _ = run([str(tree / "a" / "broken.ipynb"), "--config", str(config)], capsys)
    assert code == 0
    assert "use-before-definition" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--select", "no-such-rule"], "unknown rule `no-such-rule`"),
        (["--fail-under", "101"], "--fail-under must be from 0 to 100"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--config", "missing.toml"], "cannot read config"),
    ],
)
def test_usage_errors_exit_2(
    tree: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run([str(tree / "b" / "clean.ipynb"), *argv], capsys, cwd=tree)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_bad_pyproject_is_a_usage_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "pyproject.toml", "[tool.nbhygiene]\nlong-cel-lines = 3\n")
    code, _, err = run([str(tree / "b" / "clean.ipynb")], capsys, cwd=tree)
    assert code == 2
    assert "Did you mean `long-cell-lines`?" in err


def test_history_needs_one_notebook(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = write(tree / "h.json", json.dumps({"executions": []}))
    clean = str(tree / "b" / "clean.ipynb")
    assert run([clean, "--history", str(history)], capsys, cwd=tree)[0] == 0
    code, _, err = run([clean, clean, "--history", str(history)], capsys, cwd=tree)
    assert code == 2
    assert "exactly one PATH" in err


def test_sarif_shape(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tree / "a" / "broken.ipynb"
    code, out, _ = run(["a/broken.ipynb", "--format", "sarif"], capsys, cwd=tree)
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    [sarif_run] = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "nbhygiene"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [r.id for r in all_rules()]
    for r in driver["rules"]:
        assert r["shortDescription"]["text"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = sarif_run["results"]
    assert results
    for result in results:
        assert result["ruleId"] in ids
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        [loc] = result["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "a/broken.ipynb"
        assert loc["physicalLocation"]["region"]["startLine"] >= 1
    ubd = next(r for r in results if r["ruleId"] == "use-before-definition")
    assert ubd["level"] == "error"
    assert ubd["locations"][0]["logicalLocations"][0]["name"] == "cell 2"
    assert broken.exists()


def test_subprocess_exit_codes_and_fast_imports(tree: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    clean = str(tree / "b" / "clean.ipynb")
    broken = str(tree / "a" / "broken.ipynb")

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                "-m",
                "jupyterlab_nbhygiene.cli",
                "analyze",
                *argv,
            ],
            capture_output=True,
            text=True,
            cwd=tree,
            env=env,
            check=False,
            timeout=120,
        )

    ok = cli(clean)
    assert ok.returncode == 0, ok.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in ok.stderr.splitlines()}
    for heavy in ("nbclient", "jsonschema", "tornado", "jupyter_server", "jupyter_client"):
        assert heavy not in imported
    assert cli(broken).returncode == 1
    bad = cli(str(tree / "a" / "notes.txt"))
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    batch = cli(str(tree / "b"), str(tree / "a"), "--jobs", "2", "--format", "json")
    assert batch.returncode == 1
    assert [Path(r["path"]).name for r in json.loads(batch.stdout)] == [
        "clean.ipynb",
        "broken.ipynb",
    ]
