"""IPython syntax -> Python for exported modules: kept, translated, dropped, refused."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_nbhygiene.export.errors import ExportError
from jupyterlab_nbhygiene.export.translate import translate_cell

KNOWN = {"name", "folder", "n"}


@pytest.mark.parametrize(
    ("source", "python"),
    [
        ("x = 1\nprint(x)", "x = 1\nprint(x)"),
        ("!ls -l", "subprocess.run('ls -l', shell=True, check=True)"),
        ("  !echo hi", "  subprocess.run('echo hi', shell=True, check=True)"),
        ("!echo {name}", "subprocess.run(f'echo {name}', shell=True, check=True)"),
        ("!echo $name", "subprocess.run(f'echo {name}', shell=True, check=True)"),
        ("!echo $HOME {x}", "subprocess.run('echo $HOME {x}', shell=True, check=True)"),
        (
            "files = !ls",
            "files = subprocess.run('ls', shell=True, check=True, capture_output=True, "
            "text=True).stdout.splitlines()",
        ),
        ("%time y = f(2)", "y = f(2)"),
        ("%timeit -n 10 -r 2 f(3)", "f(3)"),
        ("%%time\ny = 2\ny", "\ny = 2\ny"),
        ("%%timeit -n 3\nz = 1", "\nz = 1"),
        ("%cd data", "os.chdir(os.path.expanduser('data'))"),
        ("%env MODE=fast", "os.environ['MODE'] = 'fast'"),
        (
            "for i in range(2):\n    !echo {i}",
            "for i in range(2):\n    subprocess.run('echo {i}', shell=True, check=True)",
        ),
        (
            's = """\n!not a command\n"""\n!ls',
            's = """\n!not a command\n"""\nsubprocess.run(\'ls\', shell=True, check=True)',
        ),
    ],
)  # fmt: skip
def test_translation(source: str, python: str) -> None:
    assert translate_cell(source, 3, KNOWN).python == python


@pytest.mark.parametrize(
    ("source", "magic", "why"),
    [
        ("%matplotlib inline\nx = 1", "%matplotlib inline", "configures IPython only"),
        ("%load_ext autoreload\n%autoreload 2", "%load_ext autoreload", "configures IPython only"),
        ("%config InlineBackend.figure_format = 'svg'", "%config", "configures IPython only"),
        ("%pip install pandas", "%pip install pandas", "installs packages"),
        ("!pip install -q numpy", "!pip install -q numpy", "installs packages"),
        ("%%html\n<b>hi</b>", "%%html", "only displays"),
        ("%who", "%who", "only displays"),
        ("len?", "len?", "help only displays"),
    ],
)
def test_dropped_magics_are_listed(source: str, magic: str, why: str) -> None:
    out = translate_cell(source, 3, KNOWN)
    ast.parse(out.python)  # what is left is Python
    assert out.dropped, out.python
    first = out.dropped[0]
    assert first.magic.startswith(magic)
    assert (first.cell, first.line, first.why) == (3, 1, why)


@pytest.mark.parametrize(
    ("source", "line", "needle"),
    [
        ("x = 1\n%run other.py", 2, "%run other.py"),
        ("%store x", 1, "%store x"),
        ("%%bash -e\necho hi", 1, "%%bash -e"),
        ("%%capture out\nprint(1)", 1, "%%capture out"),
        ("x = %who_ls", 1, "%who_ls"),
        ("%%R\nx <- 1", 1, "%%R"),
        ("x = 1\n%%time\ny = 2", 2, "%%time"),
    ],
)
def test_untranslatable_magics_are_refused_with_cell_and_line(
    source: str, line: int, needle: str
) -> None:
    with pytest.raises(ExportError) as caught:
        translate_cell(source, 7, KNOWN)
    assert f"Cell 7, line {line}: {needle}" in str(caught.value)
    assert caught.value.cell == 7


def test_bash_cell_runs_its_script() -> None:
    out = translate_cell("%%bash\necho one\necho two", 1, KNOWN)
    assert out.uses_subprocess
    done = subprocess.run(
        [sys.executable, "-c", "import subprocess\n" + out.python],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "one\ntwo\n"


def test_writefile_cell_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "helper.py"
    out = translate_cell(f"%%writefile {target}\ndef f():\n    return 2", 1, KNOWN)
    exec(out.python, {})
    assert target.read_text(encoding="utf-8") == "def f():\n    return 2\n"
