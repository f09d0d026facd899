"""POST /nbhygiene/analyze on a real jupyter_server with the extension loaded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nbfactory import make_notebook
from tornado.httpclient import HTTPClientError


async def post(jp_fetch: Any, body: Any) -> Any:
    return await jp_fetch(
        "nbhygiene",
        "analyze",
        method="POST",
        body=body if isinstance(body, str) else json.dumps(body),
    )


async def test_report_for_an_out_of_order_notebook(jp_fetch: Any) -> None:
    nb = make_notebook(
        {"source": "x = 1", "execution_count": 2},
        {"source": "y = x + 1", "execution_count": 1},
    )
    response = await post(jp_fetch, {"notebook": nb, "path": "work/a.ipynb"})
    assert response.code == 200
    report = json.loads(response.body)
    assert report["path"] == "work/a.ipynb"
    assert [c["index"] for c in report["cells"]] == [0, 1]
    assert [c["execution_count"] for c in report["cells"]] == [2, 1]
    assert report["cells"][1]["depends_on"] == [{"cell": 0, "names": ["x"]}]
    rules = {f["rule"] for f in report["findings"]}
    assert "out-of-order-execution" in rules
    assert 0 <= report["score"] <= 100


async def test_report_follows_the_history(jp_fetch: Any) -> None:
    nb = make_notebook("x = 2", "y = x + 1")
    history = {
        "executions": [
            {"cell_id": "c0", "source": "x = 1", "execution_count": 1},
            {"cell_id": "c1", "source": "y = x + 1", "execution_count": 2},
        ]
    }
    response = await post(jp_fetch, {"notebook": nb, "history": history})
    cells = json.loads(response.body)["cells"]
    # Cell 0 ran as `x = 1` and was edited since; cell 1's output came from that old x.
    assert [c["state"] for c in cells] == ["edited", "stale"]
    assert cells[1]["stale_because"] == [{"name": "x", "cell": 0}]
    assert cells[1]["fix_by"] == [0, 1]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ({}, "notebook"),
        ({"notebook": {"nbformat": 3, "cells": []}}, "format 3"),
        ({"notebook": {"nbformat": 4, "cells": "x"}}, "cells"),
        ({"notebook": make_notebook("x"), "history": {"executions": 3}}, "executions"),
        ({"notebook": make_notebook("x"), "path": 7}, "path"),
    ],
    ids=["bad-json", "not-object", "no-notebook", "nbformat3", "cells-str", "history", "path"],
)
async def test_bad_input_is_a_400_with_a_sentence(jp_fetch: Any, body: Any, needle: str) -> None:
    with pytest.raises(HTTPClientError) as info:
        await post(jp_fetch, body)
    assert info.value.code == 400
    assert info.value.response is not None
    payload = json.loads(info.value.response.body)
    assert needle in payload["message"]
    assert "Traceback" not in info.value.response.body.decode()


async def test_a_request_without_a_token_is_refused(
    jp_fetch: Any, jp_http_port: int, jp_base_url: str
) -> None:
    from tornado.httpclient import AsyncHTTPClient

    url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}nbhygiene/analyze"
    with pytest.raises(HTTPClientError) as info:
        await AsyncHTTPClient().fetch(
            url, method="POST", body=json.dumps({"notebook": make_notebook("x = 1")})
        )
    assert info.value.code in (401, 403)
