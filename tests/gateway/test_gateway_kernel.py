"""The gateway kernel itself: a start cancelled while the gateway is starting the kernel."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlparse

import pytest
from gateway.support import USER, Gateway, SlowProxy
from jupyter_server.gateway.gateway_client import GatewayClient

from jupyterlab_nbhygiene.gateway import GatewayKernel, endpoint_from_config

pytestmark = pytest.mark.gateway


async def test_a_start_cancelled_mid_request_deletes_the_kernel_it_asked_for(
    gateway: Gateway, tmp_path: Path
) -> None:
    # A gateway that takes a while to accept the request: the cancel surely lands while
    # the start is on its way (a quick gateway may answer before any cancel can).
    with SlowProxy(urlparse(gateway.url).port or 80, 0.5) as proxy:
        config = GatewayClient(url=f"http://127.0.0.1:{proxy.port}", auth_token=gateway.token)
        endpoint = endpoint_from_config(config, environ={"KERNEL_USERNAME": USER})
        kernel = GatewayKernel(endpoint, "python3")
        start = asyncio.ensure_future(kernel.start_kernel(cwd=str(tmp_path)))
        await asyncio.sleep(0.05)  # the start request is on its way to the gateway
        start.cancel()
        with pytest.raises(asyncio.CancelledError):
            await start
    assert not kernel.has_kernel
    assert await asyncio.to_thread(gateway.kernels) == []
