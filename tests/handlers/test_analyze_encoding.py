"""Large reports travel gzip-compressed to clients that take gzip (a real jupyter_server)."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.handlers.encoding import GZIP_ABOVE, encode_json, takes_gzip


def _chain(cells: int) -> dict[str, Any]:
    """Cells that each read the one before, run top to bottom."""
    sources = ["x0 = 1", *(f"x{i} = x{i - 1} + 1" for i in range(1, cells))]
    return make_notebook(*({"source": s, "execution_count": i + 1} for i, s in enumerate(sources)))


async def _post(jp_fetch: Any, body: dict[str, Any], accept: str) -> Any:
    return await jp_fetch(
        "nbhygiene",
        "analyze",
        method="POST",
        body=json.dumps(body),
        headers={"Accept-Encoding": accept},
        decompress_response=False,
    )


async def test_a_large_report_is_gzipped_for_a_client_that_takes_it(jp_fetch: Any) -> None:
    body = {"notebook": _chain(150)}
    plain = await _post(jp_fetch, body, "identity")
    assert plain.headers.get("Content-Encoding") is None
    assert len(plain.body) >= GZIP_ABOVE  # large enough to be compressed
    packed = await _post(jp_fetch, body, "gzip, deflate, br")
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert packed.headers["Content-Type"] == "application/json"
    assert json.loads(gzip.decompress(packed.body)) == json.loads(plain.body)
    assert len(packed.body) * 4 < len(plain.body)


async def test_a_small_report_is_sent_as_it_is(jp_fetch: Any) -> None:
    response = await _post(jp_fetch, {"notebook": make_notebook("x = 1")}, "gzip")
    assert response.headers.get("Content-Encoding") is None
    assert json.loads(response.body)["cells"][0]["defines"] == ["x"]


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip", True),
        ("br, gzip;q=0.5", True),
        ("GZIP", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0", False),
        ("identity", False),
        ("deflate, br", False),
        ("", False),
        (None, False),
        ("gzip;q=high", False),
        ("*;q=0, gzip", True),
        ("gzip;q=0, *", False),
    ],
)
def test_accept_encoding_is_read_as_http_says(header: str | None, takes: bool) -> None:
    assert takes_gzip(header) is takes


def test_compressed_bytes_are_the_same_json() -> None:
    payload = {"cells": [{"index": i, "fix_by": list(range(i))} for i in range(300)]}
    encoded = encode_json(payload, "gzip")
    assert encoded.encoding == "gzip"
    assert json.loads(gzip.decompress(encoded.body)) == payload
    assert encode_json(payload, None).encoding is None
