"""`nbhygiene export`: stdout or files, cell numbers, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.cli import main

DEMO = Path(__file__).resolve().parents[2] / "demo" / "hidden_state.ipynb"


def write(folder: Path, nb: dict[str, object], name: str = "nb.ipynb") -> Path:
    path = folder / name
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_prints_the_module_without_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(DEMO), "--cell", "4"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith('"""Cell 4 of hidden_state.ipynb')
    assert "exported cells 3, 5, 6, 4" in err
    done = subprocess.run(
        [sys.executable, "-"], input=out, capture_output=True, text=True, check=True
    )
    assert done.stdout == "27.9\n"


def test_writes_module_and_tests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = write(tmp_path, make_notebook("%matplotlib inline\nx = 2", "x * 3"))
    module, tests = tmp_path / "out" / "m.py", tmp_path / "out" / "test_m.py"
    code = main(["export", str(nb), "-o", str(module), "--tests", str(tests), "--cell", "2"])
    assert code == 0
    assert capsys.readouterr().out == ""
    assert "# %% cell 2 (exported)" in module.read_text(encoding="utf-8")
    assert "def test_module_runs" in tests.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("cells", "args", "code", "needle"),
    [
        (["y = ghost"], [], 1, "export refused: Cell 1 uses `ghost`"),
        (["%run x.py"], [], 1, "Cell 1, line 1: %run x.py"),
        (["x = 1"], ["--cell", "3"], 2, "There is no cell 3"),
        (["x = 1"], ["--tests", "t.py"], 2, "--tests needs -o"),
    ],
)
def test_exit_codes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cells: list[str],
    args: list[str],
    code: int,
    needle: str,
) -> None:
    nb = write(tmp_path, make_notebook(*cells))
    assert main(["export", str(nb), *args]) == code
    assert needle in capsys.readouterr().err


@pytest.mark.parametrize(
    ("cells", "needle"),
    [
        (["", "  \n"], "has no code cell with source to export."),
        ([{"cell_type": "markdown", "source": "# t"}], "has no code cell to export."),
    ],
)
def test_nothing_to_export_says_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cells: list[Any], needle: str
) -> None:
    nb = write(tmp_path, make_notebook(*cells))
    assert main(["export", str(nb)]) == 2
    assert needle in capsys.readouterr().err


def test_unreadable_input_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tmp_path / "missing.ipynb")]) == 2
    (tmp_path / "bad.ipynb").write_text("{", encoding="utf-8")
    assert main(["export", str(tmp_path / "bad.ipynb")]) == 2
    assert main(["export", str(tmp_path)]) == 2
    assert "no such file" in capsys.readouterr().err
