"""Property tests: export and the repairs answer or refuse, whatever the cells hold."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbfactory import make_notebook

from jupyterlab_nbhygiene.analysis.errors import AnalysisInputError
from jupyterlab_nbhygiene.export import ExportError, export_notebook
from jupyterlab_nbhygiene.fixes import FIXES, apply_fix

LINES = st.sampled_from(
    [
        "x = 1", "y = x + 1", "x += y", "del x", "lst = []", "lst.append(x)",
        "import numpy as np", "import random", "rng = np.random.default_rng()",
        "z = rng.normal()", "w = np.random.rand()", "random.random()", "def f(a=x):",
        "    return a + y", "for i in range(3):", "    pass", "    !echo {i}", "if x:",
        "try:", "except E as e:", "from m import *", "%matplotlib inline", "%time f(x)",
        "%timeit -n 3 g()", "!pip install {pkg}", "files = !ls", "t = %time h()", "%%time",
        "%%capture out", "%%bash", "%%writefile a.py", "%run b.py", "%cd ..", "%env A=1",
        "x?", "??y", "cd ..", "await g()", "'''", '"""', "(", ")", "\\", "# comment?",
        "x;", "get_ipython()", "print(_, In, Out)", "display(x)", "", "\t",
    ]
)  # fmt: skip
SOURCES = st.lists(st.lists(LINES, max_size=8).map("\n".join), min_size=1, max_size=5)
COUNTS = st.lists(st.one_of(st.none(), st.integers(1, 9)), min_size=5, max_size=5)
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(SOURCES, COUNTS)
def test_export_makes_a_module_that_parses_or_refuses(
    sources: list[str], counts: list[int | None]
) -> None:
    cells = [{"source": s, "execution_count": counts[i]} for i, s in enumerate(sources)]
    nb = make_notebook(*cells)
    for chosen in (None, [len(sources)]):
        refusal = ""
        try:
            result = export_notebook(nb, path="fuzz.ipynb", cells=chosen, tests=True)
        except ExportError as e:
            refusal = str(e) or "(empty message)"
        except AnalysisInputError as e:  # no code cell at all
            refusal = "no code cell" if "no code cell" in str(e) else f"unexpected: {e}"
        if refusal:
            assert not refusal.startswith(("unexpected", "(empty")), refusal
            continue
        ast.parse(result.module)
        assert result.tests is not None
        ast.parse(result.tests)


@FAST
@given(SOURCES, st.sampled_from(FIXES), st.integers(0, 4))
def test_repairs_answer_or_refuse(sources: list[str], fix: str, cell: int) -> None:
    nb = make_notebook(*sources)
    message = None
    try:
        result = apply_fix(nb, fix, min(cell, len(sources) - 1))
    except AnalysisInputError as e:  # UnsafeFix included: a sentence for the user
        message = str(e)
    if message is not None:
        assert message.endswith("."), message
        return
    ids = {c["id"] for c in nb["cells"]}
    assert {e["cell_id"] for e in result["edits"]} <= ids
    assert {m["cell_id"] for m in result["moves"]} <= ids


CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="tests/corpus is not vendored yet")
def test_corpus_last_cells_export_or_refuse() -> None:
    import json

    for path in sorted(CORPUS.rglob("*.ipynb")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = [
            k + 1
            for k, c in enumerate(data["cells"])
            if c["cell_type"] == "code" and "".join(c["source"]).strip()
        ]
        if not code:
            continue
        try:
            result = export_notebook(data, path=str(path), cells=[code[-1]], tests=True)
        except ExportError:
            continue
        ast.parse(result.module)
