"""What a user sees when the gateway says no: sentences, never "internal error"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gateway.support import Fetch, finished, start, wait_for, write
from nbfactory import make_notebook
from tornado.httpclient import HTTPClientError

pytestmark = pytest.mark.gateway


@pytest.fixture
def kernel_user(monkeypatch: pytest.MonkeyPatch) -> str:
    """A user stock Enterprise Gateway refuses to start kernels for."""
    monkeypatch.setenv("KERNEL_USERNAME", "root")
    return "root"


async def test_a_refused_start_fails_the_run_with_the_gateways_reason(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write(jp_root_dir, "nb.ipynb", make_notebook("x = 1"))
    run_id = await start(jp_fetch, {"path": "nb.ipynb"})
    data = await wait_for(jp_fetch, run_id, finished)
    assert data["state"] == "failed"
    message = data["message"]
    assert "refused to start a kernel for user 'root' (403)" in message
    assert "not authorized" in message  # the gateway's own reason
    assert "internal error" not in message


async def test_a_bash_kernel_on_the_gateway_is_refused_as_locally(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    nb = make_notebook("echo hi")
    # The notebook claims Python, but its kernelspec on the gateway runs bash.
    nb["metadata"] = {"kernelspec": {"name": "bash"}, "language_info": {"name": "python"}}
    write(jp_root_dir, "shell.ipynb", nb)
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(
            "nbhygiene", "verify", method="POST", body=json.dumps({"path": "shell.ipynb"})
        )
    assert info.value.code == 422
    assert info.value.response is not None
    assert "runs bash" in json.loads(info.value.response.body)["message"]
