"""A lab server whose gateway is not running: verify answers with a sentence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from gateway.support import Fetch, free_port, write
from nbfactory import make_notebook
from tornado.httpclient import HTTPClientError

pytestmark = pytest.mark.gateway


@pytest.fixture
def gateway_server_config() -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}},
        "GatewayClient": {"url": f"http://127.0.0.1:{free_port()}"},
    }


async def test_an_unreachable_gateway_is_a_502_with_a_sentence(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write(jp_root_dir, "nb.ipynb", make_notebook("x = 1"))
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("nbhygiene", "verify", method="POST", body=json.dumps({"path": "nb.ipynb"}))
    assert info.value.code == 502
    assert info.value.response is not None
    message = json.loads(info.value.response.body)["message"]
    assert message.startswith("The gateway could not tell which kernels it has:")
    assert "Check to be sure the Gateway instance is running" in message
