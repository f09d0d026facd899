"""`nbhygiene verify --gateway-url`: CI running the checks on the gateway's kernels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from gateway.support import ROOT, USER, Gateway, free_port

from jupyterlab_nbhygiene.cli import main

pytestmark = pytest.mark.gateway


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KERNEL_USERNAME", USER)
    for name in ("JUPYTER_GATEWAY_URL", "JUPYTER_GATEWAY_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "hidden_state.ipynb"
    shutil.copy(ROOT / "demo" / "hidden_state.ipynb", path)
    return path


def test_gateway_url_and_token_run_the_notebook_on_the_gateway(
    demo: Path, gateway: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["verify", str(demo), "--gateway-url", gateway.url, "--gateway-token", gateway.token]
    )
    out = capsys.readouterr().out
    assert code == 1, out
    assert "NOT reproducible (execution-order)" in out
    assert "NameError: name 'tax_rate' is not defined" in out


def test_the_environment_names_the_gateway_and_its_token(
    demo: Path,
    gateway: Gateway,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("JUPYTER_GATEWAY_URL", gateway.url)
    monkeypatch.setenv("JUPYTER_GATEWAY_AUTH_TOKEN", gateway.token)
    code = main(["verify", str(demo), "--format", "json", "--timeout", "20"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert result["cause"] == "execution-order"
    assert [c["verdict"] for c in result["cells"]][2] == "new-error"


def test_a_missing_token_is_a_sentence(
    demo: Path, gateway: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(demo), "--gateway-url", gateway.url]) == 2
    err = capsys.readouterr().err
    assert "asks for authentication (401)" in err
    assert "--gateway-token" in err


def test_a_gateway_that_is_not_running_is_a_sentence(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert main(["verify", str(demo), "--gateway-url", url]) == 2
    err = capsys.readouterr().err
    assert f"Cannot reach the gateway at {url}: the connection was refused" in err


def test_a_kernel_the_gateway_does_not_have_is_a_sentence(
    demo: Path, gateway: Gateway, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["verify", str(demo), "--gateway-url", gateway.url, "--gateway-token", gateway.token]
    assert main([*args, "--kernel", "nope"]) == 2
    assert "has no kernel named 'nope'" in capsys.readouterr().err
