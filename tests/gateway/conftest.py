"""A real Jupyter Enterprise Gateway on loopback for the gateway tests.

Enterprise Gateway pins an older jupyter_server, so it lives in its own venv (`.venv-eg`, made by
`scripts/dev.sh setup`). One gateway serves the whole session; it is started on a free port with
its own kernelspecs (python3 on the gateway venv's ipykernel, and a bash spec that is never
started) and working directory, and stopped at the end. Every test checks that no kernel is
left on the gateway.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from gateway.support import USER, Gateway, eg_python, free_port, write_kernelspecs


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    python = eg_python()
    if python is None:
        message = "no Enterprise Gateway venv (.venv-eg): run `scripts/dev.sh setup`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    base = tmp_path_factory.mktemp("enterprise-gateway")
    home = base / "gateway-home"  # the gateway's (and so its kernels') working directory
    home.mkdir()
    port = free_port()
    token = secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_PATH": str(write_kernelspecs(base, python)),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "KERNEL_USERNAME": USER,
        "PYTHONPATH": "",
    }
    log = base / "gateway.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(python),
                "-m",
                "enterprise_gateway",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--port_retries=0",
                "--EnterpriseGatewayApp.list_kernels=True",
                f"--EnterpriseGatewayApp.auth_token={token}",
            ],
            cwd=home,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    gw = Gateway(url, token, process, home, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                gw.kernels()
                break
            except OSError:  # not listening yet (URLError is an OSError)
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the gateway did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.1)
        yield gw
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(autouse=True)
def nothing_left_on_the_gateway(gateway: Gateway) -> Iterator[None]:
    """Every test leaves the gateway empty; what a failing test leaves is reported by that
    test alone, then deleted, so the tests after it start from an empty gateway."""
    gateway.wait_until_empty()
    yield
    try:
        gateway.wait_until_empty()
    finally:
        gateway.clear()


@pytest.fixture
def kernel_user(monkeypatch: pytest.MonkeyPatch) -> str:
    """The user the lab server asks the gateway to start kernels for (KERNEL_USERNAME)."""
    monkeypatch.setenv("KERNEL_USERNAME", USER)
    return USER


@pytest.fixture
def gateway_server_config(gateway: Gateway) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}},
        "GatewayClient": {"url": gateway.url, "auth_token": gateway.token},
        "NbHygieneApp": {"verify_timeout": 20.0, "startup_timeout": 30.0},
    }


@pytest.fixture
def jp_server_config(
    gateway_server_config: dict[str, Any], kernel_user: str
) -> Iterator[dict[str, Any]]:
    """A lab server whose kernels run on the gateway (``--GatewayClient.url``)."""
    from jupyter_server.gateway.gateway_client import GatewayClient

    GatewayClient.clear_instance()
    yield gateway_server_config
    # The server's gateway configuration is a process-wide singleton: later tests run local.
    GatewayClient.clear_instance()
