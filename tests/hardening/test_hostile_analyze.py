"""POST /nbhygiene/analyze under hostile input: every probe is a 4xx with a JSON `{message}`
sentence or a correct report; never a 5xx, never a traceback; the server keeps answering.

`path` on this route is a label for the report: the route never opens a file."""

from __future__ import annotations

import asyncio
import base64
import json
import random
import time
from typing import Any

import pytest
from hardening.support import Answer, Live, assert_user_error, raw
from nbfactory import make_notebook

from jupyterlab_nbhygiene.handlers import base

NB = make_notebook("import os", "x = os.getcwd()", {"cell_type": "markdown", "source": "# t"})


def nb(**top: Any) -> dict[str, Any]:
    return {**make_notebook("x = 1"), **top}


def cell(**fields: Any) -> dict[str, Any]:
    return make_notebook({"source": "x = 1", **fields})


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# (id, raw body, expected status, a word the message must contain)
RAW_BODIES: list[tuple[str, bytes, int, str]] = [
    ("empty", b"", 400, "JSON body"),
    ("malformed", b'{"notebook": {', 400, "not valid JSON"),
    ("binary", bytes(random.Random(7).randrange(256) for _ in range(4096)), 400, ""),
    ("not-utf8", b'{"notebook": "\xff\xfe\xfa"}', 400, "UTF-8"),
    ("latin1", '{"path": "é"}'.encode("latin-1"), 400, "UTF-8"),
    ("bom", b"\xef\xbb\xbf{}", 400, "JSON"),
    ("nested-100k", _deep(100_000).encode(), 400, "nested"),
    (
        "nested-100k-in-notebook",
        b'{"notebook": {"nbformat": 4, "cells": [], "metadata": {"a": '
        + _deep(100_000).encode()
        + b"}}}",
        400,
        "nested",
    ),
    ("nan", b'{"notebook": {"nbformat": NaN, "cells": []}}', 400, "NaN"),
    ("infinity", b'{"settings": {"min-markdown-ratio": -Infinity}}', 400, "Infinity"),
    ("1e400", b'{"settings": {"min-markdown-ratio": 1e400}}', 400, "out of range"),
    ("int-5000-digits", b'{"notebook": ' + b"9" * 5000 + b"}", 400, "JSON"),
    ("array", b"[1, 2]", 400, "JSON object"),
    ("string", b'"notebook"', 400, "JSON object"),
    ("null", b"null", 400, "JSON object"),
    ("number", b"4", 400, "JSON object"),
]

# (id, JSON body, expected status, a word the message must contain)
BODIES: list[tuple[str, Any, int, str]] = [
    ("no-notebook", {}, 400, "notebook"),
    ("notebook-null", {"notebook": None}, 400, "notebook"),
    ("notebook-list", {"notebook": [NB]}, 400, "object"),
    ("notebook-string", {"notebook": json.dumps(NB)}, 400, "object"),
    ("notebook-number", {"notebook": 4}, 400, "object"),
    ("notebook-true", {"notebook": True}, 400, "object"),
    ("nbformat-missing", {"notebook": {"cells": []}}, 400, "nbformat"),
    ("nbformat-3", {"notebook": {"nbformat": 3, "worksheets": [{"cells": []}]}}, 400, "format 3"),
    ("nbformat-5", {"notebook": nb(nbformat=5)}, 400, "format 5"),
    ("nbformat-huge", {"notebook": nb(nbformat=10**4000)}, 400, "not supported"),
    ("nbformat-string", {"notebook": nb(nbformat="4")}, 400, "integer"),
    ("nbformat-float", {"notebook": nb(nbformat=4.0)}, 400, "integer"),
    ("nbformat-bool", {"notebook": nb(nbformat=True)}, 400, "integer"),
    ("cells-missing", {"notebook": {"nbformat": 4}}, 400, "cells"),
    ("cells-string", {"notebook": nb(cells="x = 1")}, 400, "cells"),
    ("cells-object", {"notebook": nb(cells={"0": {}})}, 400, "cells"),
    ("cells-null", {"notebook": nb(cells=None)}, 400, "cells"),
    ("cell-int", {"notebook": nb(cells=[1])}, 400, "Cell"),
    ("cell-list", {"notebook": nb(cells=[["x = 1"]])}, 400, "Cell"),
    ("cell-type-missing", {"notebook": nb(cells=[{"source": "x"}])}, 400, "cell_type"),
    ("cell-type-unknown", {"notebook": cell(cell_type="sql")}, 400, "cell_type"),
    ("cell-type-list", {"notebook": cell(cell_type=["code"])}, 400, "cell_type"),
    ("cell-type-object", {"notebook": cell(cell_type={"a": 1})}, 400, "cell_type"),
    ("source-int", {"notebook": cell(source=1)}, 400, "source"),
    ("source-list-of-int", {"notebook": cell(source=["x = 1\n", 2])}, 400, "source"),
    ("source-object", {"notebook": cell(source={"a": "b"})}, 400, "source"),
    ("id-int", {"notebook": cell(id=3)}, 400, "id"),
    ("execution-count-string", {"notebook": cell(execution_count="1")}, 400, "execution_count"),
    ("execution-count-bool", {"notebook": cell(execution_count=True)}, 400, "execution_count"),
    ("execution-count-float", {"notebook": cell(execution_count=1.5)}, 400, "execution_count"),
    ("outputs-string", {"notebook": cell(outputs="x")}, 400, "outputs"),
    ("outputs-of-int", {"notebook": cell(outputs=[1])}, 400, "outputs"),
    ("metadata-list", {"notebook": nb(metadata=[1])}, 400, "metadata"),
    ("history-list", {"notebook": NB, "history": []}, 400, "executions"),
    ("history-string", {"notebook": NB, "history": "x"}, 400, "executions"),
    ("history-empty", {"notebook": NB, "history": {}}, 400, "executions"),
    ("history-executions-int", {"notebook": NB, "history": {"executions": 3}}, 400, "executions"),
    ("history-entry-int", {"notebook": NB, "history": {"executions": [1]}}, 400, "entry"),
    (
        "history-cell-id-int",
        {"notebook": NB, "history": {"executions": [{"cell_id": 1, "source": "x"}]}},
        400,
        "cell_id",
    ),
    (
        "history-count-string",
        {
            "notebook": NB,
            "history": {"executions": [{"cell_id": "c0", "source": "", "execution_count": "1"}]},
        },
        400,
        "execution_count",
    ),
    ("settings-list", {"notebook": NB, "settings": []}, 400, "Settings"),
    ("settings-string", {"notebook": NB, "settings": "select=x"}, 400, "Settings"),
    ("settings-unknown-key", {"notebook": NB, "settings": {"long-cell-line": 3}}, 400, "mean"),
    ("settings-int-string", {"notebook": NB, "settings": {"long-cell-lines": "30"}}, 400, "30"),
    ("settings-int-negative", {"notebook": NB, "settings": {"long-cell-lines": -1}}, 400, "-1"),
    ("settings-int-bool", {"notebook": NB, "settings": {"long-cell-lines": True}}, 400, "True"),
    ("settings-select-int", {"notebook": NB, "settings": {"select": 1}}, 400, "rule ids"),
    ("settings-select-unknown", {"notebook": NB, "settings": {"select": ["nope"]}}, 400, "nope"),
    (
        "settings-ratio-huge-int",
        {"notebook": NB, "settings": {"min-markdown-ratio": 10**400}},
        400,
        "non-negative number",
    ),
    (
        "settings-weight-huge-int",
        {"notebook": NB, "settings": {"weights": {"long-cell": 10**400}}},
        400,
        "non-negative numbers",
    ),
    ("settings-severity-bad", {"notebook": NB, "settings": {"severity": {"x": "fatal"}}}, 400, ""),
    ("path-int", {"notebook": NB, "path": 7}, 400, "path"),
    ("path-list", {"notebook": NB, "path": ["a.ipynb"]}, 400, "path"),
    # Accepted: the report is correct and `path` only labels it.
    ("path-dotdot", {"notebook": NB, "path": "../../etc/passwd"}, 200, ""),
    ("path-absolute", {"notebook": NB, "path": "/etc/shadow"}, 200, ""),
    ("path-nul", {"notebook": NB, "path": "a\x00.ipynb"}, 200, ""),
    ("unknown-keys", {"notebook": {**NB, "x": [1]}, "extra": {"y": None}}, 200, ""),
    ("cell-metadata-list", {"notebook": cell(metadata=[1, 2])}, 200, ""),
    ("tags-string", {"notebook": cell(metadata={"tags": "a"})}, 200, ""),
    ("lone-surrogate", {"notebook": cell(source='s = "\ud800"\n%time \udfff')}, 200, ""),
    ("no-cells", {"notebook": nb(cells=[])}, 200, ""),
    ("history-null", {"notebook": NB, "history": None}, 200, ""),
    ("settings-null-values", {"notebook": NB, "settings": {"select": None}}, 200, ""),
    ("not-python", {"notebook": make_notebook("x <- 1", language="R")}, 200, ""),
]


async def post(live: Live, body: bytes | str) -> Answer:
    return await raw(live.url("nbhygiene/analyze"), method="POST", body=body, headers=live.auth)


async def assert_still_answers(live: Live) -> None:
    answer = await post(live, json.dumps({"notebook": NB}))
    assert answer.code == 200, answer.text
    assert answer.json()["cells"][1]["uses"] == ["os"]


def check(answer: Answer, status: int, needle: str) -> None:
    assert answer.code < 500, answer.text
    assert "Traceback" not in answer.text
    if status == 200:
        assert answer.code == 200, answer.text
        report = answer.json()
        assert 0 <= report["score"] <= 100
    else:
        message = assert_user_error(answer, status)
        assert needle in message, message
        assert len(message) < 500  # a sentence, not a dump of the input


@pytest.mark.parametrize(("body", "status", "needle"), [r[1:] for r in RAW_BODIES],
                         ids=[r[0] for r in RAW_BODIES])  # fmt: skip
async def test_raw_body(live: Live, body: bytes, status: int, needle: str) -> None:
    check(await post(live, body), status, needle)
    await assert_still_answers(live)


@pytest.mark.parametrize(("body", "status", "needle"), [r[1:] for r in BODIES],
                         ids=[r[0] for r in BODIES])  # fmt: skip
async def test_json_body(live: Live, body: Any, status: int, needle: str) -> None:
    answer = await post(live, json.dumps(body))
    check(answer, status, needle)
    if status == 200 and isinstance(body.get("path"), str):
        assert answer.json()["path"] == body["path"]
    await assert_still_answers(live)


def big_notebook(megabytes: int) -> dict[str, Any]:
    """Code cells with a saved PNG each (as plots are saved), about `megabytes` of JSON."""
    image = base64.b64encode(random.Random(1).randbytes(37_000)).decode("ascii")
    cells = [
        {
            "source": f"plot({i})",
            "execution_count": i + 1,
            "outputs": [
                {
                    "output_type": "display_data",
                    "data": {"image/png": image, "text/plain": "<Figure>"},
                    "metadata": {},
                }
            ],
        }
        for i in range(megabytes * 20)
    ]
    return make_notebook(*cells)


async def test_a_50_mb_notebook_is_analyzed(live: Live) -> None:
    body = json.dumps({"notebook": big_notebook(50)})
    assert len(body) > 49_000_000
    started = time.monotonic()
    answer = await post(live, body)
    seconds = time.monotonic() - started
    assert answer.code == 200, answer.text
    report = answer.json()
    assert len(report["cells"]) == 1000
    assert "large-output" not in {f["rule"] for f in report["findings"]}  # 50 KB per cell
    print(f"50 MB notebook: {seconds:.2f} s")
    await assert_still_answers(live)


async def test_a_body_over_the_limit_is_a_413(live: Live, monkeypatch: Any) -> None:
    # The limit is 100 MB; the test server's HTTP layer (not jupyter_server's, which allows
    # 512 MB) already stops bodies above 100 MiB, so the limit is lowered to see the 413.
    monkeypatch.setattr(base, "MAX_BODY_BYTES", 10 * 1024 * 1024)
    body = b'{"notebook": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    answer = await post(live, body)
    assert "larger than 10 MB" in assert_user_error(answer, 413)
    await assert_still_answers(live)


async def test_a_cell_with_100k_lines_does_not_stall_the_server(live: Live) -> None:
    huge = make_notebook("\n".join(f"x{i % 50} = {i}" for i in range(100_000)))
    started = time.monotonic()
    big = asyncio.ensure_future(post(live, json.dumps({"notebook": huge})))
    await asyncio.sleep(0.2)
    small_started = time.monotonic()
    await assert_still_answers(live)  # the analysis runs in a thread: the loop keeps serving
    small_seconds = time.monotonic() - small_started
    answer = await big
    seconds = time.monotonic() - started
    assert answer.code == 200, answer.text
    report = answer.json()
    assert report["cells"][0]["defines"] == [f"x{i}" for i in sorted(range(50), key=str)]
    assert "long-cell" in {f["rule"] for f in report["findings"]}
    print(f"100k-line cell: {seconds:.2f} s; a small request meanwhile: {small_seconds:.2f} s")
    assert small_seconds < seconds
