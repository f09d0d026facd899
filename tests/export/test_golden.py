"""Golden tests: generated from saved outputs, run with pytest in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_nbhygiene.export import export_notebook
from jupyterlab_nbhygiene.export.golden import expected_output

HERE = Path(__file__).resolve().parent
DICE = HERE / "notebooks" / "dice.ipynb"
DEMO = HERE.parents[1] / "demo" / "hidden_state.ipynb"
STDLIB_AND_PYTEST = {
    "__future__", "ast", "difflib", "json", "math", "os", "pathlib", "pytest", "re",
    "subprocess", "sys", "tempfile", "typing",
}  # fmt: skip


def export_and_test(
    notebook: Path, folder: Path, cells: list[int] | None, edit: Any = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Copy the notebook into `folder`, export it with tests, run pytest on the tests."""
    nb_path = folder / "work" / notebook.name
    nb_path.parent.mkdir(parents=True)
    shutil.copy(notebook, nb_path)
    data = json.loads(nb_path.read_text(encoding="utf-8"))
    if edit is not None:
        edit(data)
    module = folder / "pkg" / "exported.py"
    tests = folder / "pkg" / "tests" / "test_exported.py"
    result = export_notebook(
        data,
        path=str(nb_path),
        cells=cells,
        tests=True,
        module_path=str(module),
        tests_path=str(tests),
    )
    assert result.tests is not None
    tests.parent.mkdir(parents=True)
    module.write_text(result.module, encoding="utf-8")
    tests.write_text(result.tests, encoding="utf-8")
    # The tests need only pytest: they carry their copy of verify's normaliser.
    tree = ast.parse(result.tests)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= STDLIB_AND_PYTEST, imported
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tests)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done, result.summary()


def test_golden_tests_pass_on_the_notebook_that_made_them(tmp_path: Path) -> None:
    done, summary = export_and_test(DICE, tmp_path, None)
    assert done.returncode == 0, done.stdout + done.stderr
    # 6 code cells with output to compare, module runs, module imports; one image skipped
    assert "8 passed, 1 skipped" in done.stdout, done.stdout
    assert "cell 7, output 1: image/png: images are not compared" in done.stdout
    assert summary["skipped_outputs"] == [
        {"cell": 7, "output": 0, "mime": "image/png", "why": "images are not compared"}
    ]


def test_golden_tests_of_the_demo_hidden_state_cell(tmp_path: Path) -> None:
    done, summary = export_and_test(DEMO, tmp_path, [4])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
    assert summary["cells"] == [3, 5, 6, 4]


def test_a_changed_number_fails_the_golden_test(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        outputs = data["cells"][4]["outputs"]
        text = "".join(outputs[0]["data"]["text/plain"])
        outputs[0]["data"]["text/plain"] = text.replace("'mean': ", "'mean': 1")

    done, _ = export_and_test(DICE, tmp_path, [5], change)
    assert done.returncode == 1
    assert "1 failed, 2 passed" in done.stdout, done.stdout
    assert "test_cell_5" in done.stdout


def test_outputs_of_a_cell_without_code_are_skipped() -> None:
    outputs = [{"output_type": "execute_result", "data": {"text/plain": "3"}}]
    found = expected_output(4, outputs, has_code=False)
    assert (found.text, found.compared) == ("", 0)
    assert "no code" in found.skipped[0].why


@pytest.mark.parametrize(
    ("outputs", "text", "skipped"),
    [
        ([{"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]}], "a\nb\n", []),
        ([{"output_type": "stream", "name": "stderr", "text": "warn\n"}], "", []),
        ([{"output_type": "execute_result", "data": {"text/plain": "3"}}], "3\n", []),
        (
            [{"output_type": "display_data", "data": {"text/html": "<b>x</b>"}}],
            "",
            ["text/html"],
        ),
        (
            [{"output_type": "display_data", "data": {"image/png": "", "text/plain": "<F>"}}],
            "",
            ["image/png"],
        ),
    ],
)
def test_what_a_cell_is_expected_to_print(
    outputs: list[dict[str, Any]], text: str, skipped: list[str]
) -> None:
    found = expected_output(3, outputs)
    assert found.text == text
    assert [s.mime for s in found.skipped] == skipped
