"""A slow gateway does not stall the lab server: every gateway call waits asynchronously."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from gateway.support import Fetch, Gateway, SlowProxy, finished, start, wait_for, write
from nbfactory import make_notebook

pytestmark = pytest.mark.gateway

DELAY = 0.8  # seconds the gateway takes to accept each connection


@pytest.fixture
def slow_gateway(gateway: Gateway) -> Iterator[SlowProxy]:
    with SlowProxy(urlparse(gateway.url).port or 80, DELAY) as proxy:
        yield proxy


@pytest.fixture
def gateway_server_config(gateway: Gateway, slow_gateway: SlowProxy) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}},
        "GatewayClient": {
            "url": f"http://127.0.0.1:{slow_gateway.port}",
            "auth_token": gateway.token,
        },
    }


async def test_the_event_loop_never_waits_for_the_gateway(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write(jp_root_dir, "nb.ipynb", make_notebook({"source": "x = 1", "execution_count": 1}))
    loop = asyncio.get_running_loop()
    gaps: list[float] = []

    async def tick() -> None:
        last = loop.time()
        while True:
            await asyncio.sleep(0.01)
            gaps.append(loop.time() - last)
            last = loop.time()

    ticker = asyncio.ensure_future(tick())
    began = time.monotonic()
    try:
        run_id = await start(jp_fetch, {"path": "nb.ipynb"})
        data = await wait_for(jp_fetch, run_id, finished)
    finally:
        ticker.cancel()
    assert data["state"] == "done", data
    assert [c["verdict"] for c in data["cells"]] == ["same"]
    # Starting the kernel (kernelspec, start, websocket) alone took three slow connections...
    assert time.monotonic() - began > 3 * DELAY
    # ...while the server's loop went on (a blocking connect would hold it for DELAY).
    assert max(gaps) < DELAY / 2, f"the event loop stalled for {max(gaps):.2f} s"
