"""Property tests: no input text makes the analyzer raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.source import parse_cell
from jupyterlab_nbhygiene.analysis.symbols import cell_symbols

LINES = st.sampled_from(
    [
        "x = 1",
        "y = x + 1",
        "x += y",
        "del x",
        "lst.append(x)",
        "df['c'] = 1",
        "df.dropna(inplace=True)",
        "def f(a=x):",
        "    return a + y",
        "    global z",
        "    z = 1",
        "class C(B):",
        "    attr = x",
        "for i in range(3):",
        "    pass",
        "if x:",
        "else:",
        "try:",
        "except E as e:",
        "finally:",
        "with open(p) as fh:",
        "import os.path",
        "from . import m",
        "from m import *",
        "[v for v in xs if (w := v)]",
        "lambda q: q + r",
        "%matplotlib inline",
        "%time f(x)",
        "%timeit -n 3 g()",
        "!pip install {pkg}",
        "files = !ls",
        "t = %time h()",
        "%%time",
        "%%capture out",
        "%%bash",
        "%%timeit -n1",
        "x?",
        "??y",
        "cd ..",
        "match x:",
        "    case [a, *b]:",
        "        pass",
        "await g()",
        "exec(code)",
        "globals()['k'] = 1",
        "'''",
        '"""',
        "(",
        ")",
        "\\",
        "# comment?",
        "s = 'unterminated",
        "\t",
        "",
        "x = '\\d'",
        "print(_, __, _3, In, Out)",
    ]
)
PYTHONISH = st.lists(LINES, max_size=12).map("\n".join)
TEXT = st.one_of(st.text(max_size=200), PYTHONISH)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_parse_and_symbols_never_raise(source: str) -> None:
    parsed = parse_cell(source)
    assert parsed.python.count("\n") <= source.count("\n") + source.count("\r") + 1
    symbols = cell_symbols(parsed)
    assert all(isinstance(line, int) for line in symbols.uses.values())


@FAST
@given(
    st.lists(TEXT, max_size=5),
    st.lists(st.one_of(st.none(), st.integers(1, 9)), min_size=5, max_size=5),
)
def test_analyze_never_raises(sources: list[str], counts: list[int | None]) -> None:
    cells = [{"source": s, "execution_count": counts[i]} for i, s in enumerate(sources)]
    report = analyze(make_notebook(*cells))
    assert len(report["cells"]) == len(sources)


@FAST
@given(
    st.lists(TEXT, min_size=1, max_size=4), st.lists(st.tuples(st.integers(0, 5), TEXT), max_size=8)
)
def test_analyze_with_history_never_raises(sources: list[str], runs: list[tuple[int, str]]) -> None:
    history = {
        "executions": [
            {"cell_id": f"c{who}", "source": text, "execution_count": k + 1}
            for k, (who, text) in enumerate(runs)
        ]
    }
    report = analyze(make_notebook(*sources), history)
    assert {c["state"] for c in report["cells"]} <= {
        "fresh",
        "stale",
        "edited",
        "unexecuted",
        "errored",
        "hidden",
        "markdown",
    }
