"""`nbhygiene verify`: output, exit codes, bad input as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook
from repro.support import result, sha256, stream

from jupyterlab_nbhygiene.cli import main

GOOD = make_notebook(
    {"source": "x = 21", "execution_count": 1},
    {"source": "print(x * 2)", "execution_count": 2, "outputs": [stream("42\n")]},
)
HIDDEN = make_notebook(
    {"source": "y = base + 1\ny", "execution_count": 2, "outputs": [result("11")]},
    {"source": "base = 10", "execution_count": 1},
)


def write(tmp_path: Path, nb: Any, name: str = "nb.ipynb") -> Path:
    path = tmp_path / name
    path.write_text(nb if isinstance(nb, str) else json.dumps(nb), encoding="utf-8")
    return path


@pytest.mark.kernel
def test_reproducible_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "reproducible; cells: 2 same" in out
    assert "Reproducible: a fresh top-to-bottom run" in out


@pytest.mark.kernel
def test_hidden_state_exits_1_and_names_the_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, HIDDEN)
    digest = sha256(path)
    assert main(["verify", str(path), "--timeout", "20"]) == 1
    out = capsys.readouterr().out
    assert f"{path}: cell 1: new-error  NameError: name 'base' is not defined" in out
    assert "NOT reproducible (execution-order)" in out
    assert (
        "cell 1 uses `base`, defined in cell 2, which ran before it (counts 2 and 1)" in out.lower()
    )
    assert sha256(path) == digest


@pytest.mark.kernel
def test_json_through_the_real_entry_point(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        make_notebook({"source": "6 * 7", "execution_count": 1, "outputs": [result("41")]}),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyterlab_nbhygiene.cli",
            "verify",
            str(path),
            "--format",
            "json",
            "--runs",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["path"] == str(path)
    assert (data["reproducible"], data["cause"], data["runs"]) == (False, "changed-output", 2)
    assert [c["verdict"] for c in data["cells"]] == ["changed"]
    assert "Traceback" not in done.stderr


BAD_INPUT = [
    ("missing", None, [], "no such notebook file"),
    ("not json", "{oops", [], "not a readable notebook"),
    ("format 3", {"nbformat": 3, "cells": []}, [], "format 3"),
    ("unknown kernel", make_notebook("1"), ["--kernel", "no-such-kernel"], "not installed"),
    ("not python", make_notebook("1", language="R"), [], "Python notebooks"),
    ("bad timeout", make_notebook("1"), ["--timeout", "0"], "--timeout"),
]


@pytest.mark.parametrize(
    ("name", "content", "extra", "fragment"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT]
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: Any,
    extra: list[str],
    fragment: str,
) -> None:
    path = tmp_path / "nb.ipynb" if content is None else write(tmp_path, content)
    assert main(["verify", str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert fragment in err
    assert "Traceback" not in err


def test_runs_must_be_1_or_2(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["verify", str(write(tmp_path, GOOD)), "--runs", "3"])
    assert info.value.code == 2
