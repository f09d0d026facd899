"""IPython syntax -> Python, line numbers kept, never an exception."""

from __future__ import annotations

import pytest

from jupyterlab_nbhygiene.analysis.source import parse_cell


@pytest.mark.parametrize(
    ("source", "kind", "text"),
    [
        ("%matplotlib inline", "line-magic", "matplotlib inline"),
        ("%pip install numpy", "line-magic", "pip install numpy"),
        ("!pip install pandas", "shell", "pip install pandas"),
        ("!!ls", "shell", "ls"),
        ("files = !ls *.csv", "shell", "ls *.csv"),
        ("t = %timeit -o f()", "line-magic", "timeit -o f()"),
        ("%%bash\necho hi", "cell-magic", "bash"),
        ("%%writefile out.py\nprint(1)", "cell-magic", "writefile out.py"),
        ("df?", "line-magic", "pinfo df"),
        ("?df", "line-magic", "pinfo df"),
        ("np.mean??", "line-magic", "pinfo np.mean"),
        ("cd ..", "line-magic", "cd .."),
        ("  !conda install -y scipy", "shell", "conda install -y scipy"),
    ],
)
def test_escape_recorded(source: str, kind: str, text: str) -> None:
    parsed = parse_cell(source)
    assert parsed.syntax_error is None
    assert [(c.kind, c.text) for c in parsed.commands] == [(kind, text)]


@pytest.mark.parametrize(
    "source",
    [
        "%load_ext autoreload\n%autoreload 2\nimport os\nx = os.sep",
        "for f in files:\n    !echo {f}\n    n = 1",
        "if ok:\n    %time run()\nelse:\n    pass",
        "x = 1\n!ls \\\n  -la\ny = x",
        "%%time\nimport os\n%ls\nz = os.sep",
        "%%capture --no-stderr captured\nprint(1)",
        "%%prun -s cumulative\nrun()",
        "%%debug\nf()",
        "%%memit\nbig = list(range(10))",
        "obj.attr?\nx = 2",
        "x = 1\n%who",
    ],
)
def test_translates_to_python(source: str) -> None:
    parsed = parse_cell(source)
    assert parsed.syntax_error is None, parsed.python
    assert parsed.tree is not None
    assert parsed.python.count("\n") == source.count("\n")


@pytest.mark.parametrize(
    "magic",
    [
        "bash",
        "sh",
        "html",
        "javascript",
        "js",
        "latex",
        "markdown",
        "sql",
        "writefile x.py",
        "script python2",
        "svg",
        "perl",
        "ruby",
        "R",
        "file x",
        "python3",
        "cython",
        "px",
    ],
)
def test_foreign_cell_magics_skipped(magic: str) -> None:
    parsed = parse_cell(f"%%{magic}\nthis is not python {{ ( ]")
    assert parsed.skipped
    assert parsed.syntax_error is None
    assert parsed.tree is None
    assert parsed.cell_magic == magic.split()[0]


def test_cell_magic_after_blank_lines() -> None:
    parsed = parse_cell("\n\n%%html\n<b>x</b>")
    assert parsed.skipped
    assert parsed.cell_magic == "html"


def test_line_numbers_kept_through_magics() -> None:
    parsed = parse_cell("%matplotlib inline\n!ls\n\nx = (1 +\n)")
    assert parsed.syntax_error is not None
    assert parsed.syntax_error.line in (4, 5)
    parsed = parse_cell("%matplotlib inline\n!ls\n\ny = undefined_name")
    assert parsed.tree is not None
    assign = parsed.tree.body[-1]
    assert assign.lineno == 4


def test_magic_lookalikes_inside_python_are_python() -> None:
    source = 's = """\n%not a magic\n!nor a shell\n"""\nv = (10\n% 3)\nw = a != b'
    parsed = parse_cell(source)
    assert parsed.syntax_error is None
    assert parsed.commands == ()
    assert parsed.python == source


def test_comment_question_mark_is_not_help() -> None:
    parsed = parse_cell("x = 1  # why?\ny = x")
    assert parsed.syntax_error is None
    assert parsed.commands == ()


def test_leading_indent_removed_like_ipython() -> None:
    parsed = parse_cell("    x = 1\n    y = x")
    assert parsed.syntax_error is None


def test_top_level_await_parses() -> None:
    assert parse_cell("await asyncio.sleep(0)").syntax_error is None
    assert parse_cell("async for x in gen():\n    pass").syntax_error is None


@pytest.mark.parametrize(
    ("source", "line"),
    [("x = = 1", 1), ("a = 1\nb = (\n", 2), ("def f(:\n    pass", 1), ("a = 1\n  b = 2", 2)],
)
def test_syntax_error(source: str, line: int) -> None:
    parsed = parse_cell(source)
    assert parsed.tree is None
    assert parsed.syntax_error is not None
    assert parsed.syntax_error.line == line
    assert parsed.syntax_error.message


@pytest.mark.parametrize(
    "source",
    [
        "\x00",
        "x = 1\x00",
        "(" * 5000,
        "[" * 300 + "]" * 300,
        "-" * 100_000 + "1",
        "x = " + "+".join(["1"] * 50_000),
        "\ufeffx = 1",
        "x = '\\d'",  # invalid escape: a warning compile() must not let out
        "x = 1 is 1",
        "%",
        "%%",
        "!",
        "?",
        "??",
        "= !",
        "%%timeit",
        "%%capture",
        "\u2028x = 1",
        "x = 1\r\ny = 2\rz = 3",
        "😀 = 1",
        "def f():\n" + "    if x:\n" * 120 + "        pass",
    ],
)
def test_never_raises(source: str) -> None:
    parsed = parse_cell(source)
    assert (parsed.tree is None) == (parsed.syntax_error is not None or parsed.skipped)
