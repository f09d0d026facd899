"""The analyzer against any JSON: whatever the notebook, history and settings look like,
`analyze()` returns a report (valid JSON, one entry per cell, score 0-100, inputs untouched)
or raises NotebookError/SettingsError with a short sentence; never anything else.

The source-text fuzzing lives in tests/analysis/test_fuzz_analyzer.py; this goes over the
shapes around it: notebook JSON, execution history and settings."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyterlab_nbhygiene.analysis import NotebookError, SettingsError, analyze
from jupyterlab_nbhygiene.analysis.rules import REGISTRY
from jupyterlab_nbhygiene.analysis.settings import settings_schema

MANY = settings(
    max_examples=1200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MESSAGE_LIMIT = 300  # a sentence for a person, not a dump of what was sent

# JSON as json.loads returns it (plus NaN/inf and ints beyond float range, which Python
# callers and TOML can still hand in).
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**308, max_value=10**400),
    st.floats(),
    st.text(max_size=20),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

SOURCE_LINES = st.sampled_from(
    [
        "x = 1",
        "y = x + 1",
        "del y",
        "df['a'] = x",
        "lst.append(y)",
        "import numpy as np",
        "np.random.rand(3)",
        "from os import *",
        "def f():\n    global g\n    g = x",
        "%matplotlib inline",
        "%%capture out",
        "%%bash\necho $x",
        "!pip install pandas",
        "files = !ls",
        "x?",
        "%load_ext autoreload",
        "%run other.ipynb",
        "get_ipython().run_line_magic('time', 'x')",
        "open('/home/me/data.csv')",
        "if x:",
        "    pass",
        "(",
        "'''",
        "\t\x00",
        "s = '\ud800'",
        "print(_, In, Out)",
        "",
    ]
)
SOURCE_TEXT = st.one_of(st.lists(SOURCE_LINES, max_size=8).map("\n".join), st.text(max_size=60))
SOURCE = st.one_of(
    SOURCE_TEXT, st.lists(SOURCE_TEXT, max_size=4).map(lambda parts: [p + "\n" for p in parts])
)
OUTPUT = st.one_of(
    st.fixed_dictionaries(
        {"output_type": st.just("stream"), "name": st.just("stdout"), "text": SOURCE_TEXT}
    ),
    st.fixed_dictionaries(
        {
            "output_type": st.just("error"),
            "ename": st.text(max_size=10),
            "evalue": st.text(max_size=10),
            "traceback": st.lists(st.text(max_size=10), max_size=2),
        }
    ),
    st.fixed_dictionaries(
        {"output_type": st.just("execute_result"), "data": JSON, "metadata": JSON},
        optional={"execution_count": st.one_of(st.integers(), JSON)},
    ),
    st.dictionaries(st.text(max_size=8), JSON, max_size=3),
)


def maybe(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the valid shape, sometimes any JSON at all."""
    return st.one_of(valid, valid, valid, JSON)


CELL = st.one_of(
    st.fixed_dictionaries(
        {"cell_type": maybe(st.sampled_from(["code", "markdown", "raw"]))},
        optional={
            "source": maybe(SOURCE),
            "id": maybe(st.sampled_from(["a", "b", "c", "c0", "c1", "dup", ""])),
            "execution_count": maybe(st.one_of(st.none(), st.integers(-3, 40))),
            "outputs": maybe(st.lists(OUTPUT, max_size=3)),
            "metadata": maybe(
                st.fixed_dictionaries(
                    {}, optional={"tags": maybe(st.lists(st.text(max_size=12), max_size=3))}
                )
            ),
            "attachments": JSON,
        },
    ),
    JSON,
)
METADATA = st.fixed_dictionaries(
    {},
    optional={
        "kernelspec": maybe(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": maybe(st.sampled_from(["python3", "ir", "julia-1.9", ""])),
                    "language": maybe(st.sampled_from(["python", "R", "Python", ""])),
                },
            )
        ),
        "language_info": maybe(st.fixed_dictionaries({"name": maybe(st.text(max_size=8))})),
        "title": JSON,
    },
)
NOTEBOOK = st.one_of(
    st.fixed_dictionaries(
        {"nbformat": maybe(st.sampled_from([4, 4, 4, 3, 5])), "cells": maybe(st.lists(CELL))},
        optional={"metadata": maybe(METADATA), "nbformat_minor": JSON},
    ),
    JSON,
)
ENTRY = st.one_of(
    st.fixed_dictionaries(
        {
            "cell_id": maybe(st.sampled_from(["a", "b", "c", "c0", "c1", "dup", "ghost"])),
            "source": maybe(SOURCE_TEXT),
        },
        optional={
            "execution_count": maybe(st.one_of(st.none(), st.integers(-3, 40))),
            "status": maybe(st.sampled_from(["ok", "error", "aborted"])),
        },
    ),
    JSON,
)
HISTORY = st.one_of(
    st.none(), st.fixed_dictionaries({"executions": maybe(st.lists(ENTRY, max_size=8))}), JSON
)

_SCHEMA = settings_schema()["properties"]
RULE_IDS = st.sampled_from([*sorted(REGISTRY), "no-such-rule"])
SETTING_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "select": st.one_of(st.none(), st.lists(RULE_IDS, max_size=3), RULE_IDS),
    "ignore": st.one_of(st.lists(RULE_IDS, max_size=3), st.text(max_size=20)),
    "severity": st.dictionaries(RULE_IDS, st.sampled_from(["error", "warning", "info", "x"])),
    "weights": st.dictionaries(RULE_IDS, st.one_of(st.floats(), st.integers(-1, 10**400))),
    "category-caps": st.dictionaries(
        st.sampled_from(["reproducibility", "structure", "documentation", "portability", "x"]),
        st.one_of(st.floats(), st.integers(-1, 200)),
    ),
    "fail-under": st.one_of(st.none(), st.integers(-5, 105)),
}
NUMBER = st.one_of(st.integers(-2, 10**400), st.floats())
SETTING_KEY = st.one_of(
    st.sampled_from(sorted(_SCHEMA)),
    st.sampled_from(sorted(_SCHEMA)).map(lambda k: k.replace("-", "_")),
    st.text(max_size=12),
)


@st.composite
def settings_objects(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON)
    out: dict[str, Any] = {}
    for key in draw(st.lists(SETTING_KEY, max_size=4, unique=True)):
        kebab = key.replace("_", "-")
        valid = SETTING_VALUES.get(kebab, NUMBER)
        out[key] = draw(maybe(valid))
    return out


SETTINGS = st.one_of(st.none(), settings_objects())


def check(notebook: Any, history: Any, conf: Any) -> None:
    before = json.dumps([notebook, history, conf])
    try:
        report = analyze(notebook, history, conf, path="fuzz.ipynb")
    except (NotebookError, SettingsError) as e:
        message = str(e)
        assert message.strip(), "an empty message"
        assert len(message) <= MESSAGE_LIMIT, message
        assert "Traceback" not in message
    else:
        text = json.dumps(report, allow_nan=False)  # valid JSON for any client
        assert json.loads(text) == report
        assert 0 <= report["score"] <= 100
        assert isinstance(notebook, dict)
        assert len(report["cells"]) == len(notebook["cells"])
        assert [c["index"] for c in report["cells"]] == list(range(len(notebook["cells"])))
        for finding in report["findings"]:
            assert finding["rule"] in REGISTRY
    # Compared as text: NaN != NaN would fail an == comparison of equal structures.
    assert json.dumps([notebook, history, conf]) == before, "analyze() changed its input"


@MANY
@given(NOTEBOOK)
def test_any_notebook_shape(notebook: Any) -> None:
    check(notebook, None, None)


@MANY
@given(NOTEBOOK, HISTORY)
def test_any_history_shape(notebook: Any, history: Any) -> None:
    check(notebook, history, None)


@MANY
@given(SETTINGS)
def test_any_settings_shape(conf: Any) -> None:
    notebook = {
        "nbformat": 4,
        "cells": [
            {"cell_type": "markdown", "source": "# T"},
            {"cell_type": "code", "source": "import random\nx = random.random()"},
            {"cell_type": "code", "source": "y = x\n" * 40, "execution_count": 1},
        ],
    }
    check(notebook, None, conf)


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": [value]}
    return value


def test_deep_outputs_and_metadata() -> None:
    # As deep as the JSON decoder lets through a request (its recursion limit).
    deep = _nested(400)
    notebook = {
        "nbformat": 4,
        "metadata": {"kernelspec": {"name": "python3"}, "x": deep},
        "cells": [
            {
                "cell_type": "code",
                "source": "x = 1",
                "execution_count": 1,
                "metadata": {"tags": ["a"], "deep": deep},
                "outputs": [
                    {"output_type": "execute_result", "data": {"text/plain": "1", "x": deep}}
                ],
            }
        ],
    }
    check(notebook, None, None)
