"""The verify routes against a real server with real kernels."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook
from repro.support import (
    assert_no_new_kernels,
    child_pids,
    living_children,
    result,
    sha256,
    stream,
)
from tornado.httpclient import HTTPClientError, HTTPResponse

Fetch = Callable[..., Awaitable[HTTPResponse]]


@pytest.fixture(autouse=True)
def no_kernel_left_behind() -> Iterator[None]:
    before = child_pids()
    yield
    assert_no_new_kernels(before)


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}},
        "NbHygieneApp": {"verify_timeout": 30.0, "startup_timeout": 30.0},
    }


def write(root: Path, rel: str, nb: dict[str, Any]) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


GOOD = make_notebook(
    {"source": "x = 20 + 1", "execution_count": 1},
    {"source": "print(x * 2)", "execution_count": 2, "outputs": [stream("42\n")]},
)
SLOW = make_notebook("x = 1", "import time\ntime.sleep(60)", "print('never')")


async def post(fetch: Fetch, body: Any) -> HTTPResponse:
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return await fetch("nbhygiene", "verify", method="POST", body=raw)


async def status(fetch: Fetch, run_id: str) -> dict[str, Any]:
    response = await fetch("nbhygiene", "verify", run_id)
    data: dict[str, Any] = json.loads(response.body)
    return data


async def wait_for(
    fetch: Fetch, run_id: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        data = await status(fetch, run_id)
        if predicate(data):
            return data
        assert asyncio.get_running_loop().time() < deadline, data
        await asyncio.sleep(0.05)


async def error_of(awaitable: Awaitable[HTTPResponse]) -> tuple[int, str]:
    with pytest.raises(HTTPClientError) as info:
        await awaitable
    assert info.value.response is not None
    return info.value.code, json.loads(info.value.response.body)["message"]


@pytest.mark.kernel
async def test_post_then_progress_then_done(
    jp_fetch: Fetch, jp_root_dir: Path, jp_base_url: str
) -> None:
    path = write(jp_root_dir, "dir/nb.ipynb", GOOD)
    digest = sha256(path)
    response = await post(jp_fetch, {"path": "dir/nb.ipynb"})
    assert response.code == 202
    run_id = json.loads(response.body)["id"]
    assert response.headers["Location"] == f"{jp_base_url}nbhygiene/verify/{run_id}"
    first = await status(jp_fetch, run_id)
    assert first["state"] in ("queued", "running", "done")
    assert first["progress"]["total"] == 2
    done = await wait_for(jp_fetch, run_id, lambda d: d["state"] == "done")
    assert done["progress"] == {"done": 2, "total": 2}
    assert done["result"]["reproducible"] is True
    assert done["result"]["path"] == "dir/nb.ipynb"
    assert [c["verdict"] for c in done["cells"]] == ["same", "same"]
    assert sha256(path) == digest


@pytest.mark.kernel
async def test_body_notebook_is_what_runs_and_the_file_is_not_written(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    path = write(jp_root_dir, "nb.ipynb", GOOD)
    digest = sha256(path)
    unsaved = make_notebook({"source": "41 + 1", "execution_count": 1, "outputs": [result("41")]})
    response = await post(
        jp_fetch, {"path": "nb.ipynb", "notebook": unsaved, "runs": 1, "timeout": 10}
    )
    run_id = json.loads(response.body)["id"]
    done = await wait_for(jp_fetch, run_id, lambda d: d["state"] == "done")
    assert done["result"]["cause"] == "changed-output"
    assert [c["verdict"] for c in done["cells"]] == ["changed"]
    assert sha256(path) == digest


@pytest.mark.kernel
async def test_delete_cancels_and_stops_the_kernel(jp_fetch: Fetch, jp_root_dir: Path) -> None:
    path = write(jp_root_dir, "slow.ipynb", SLOW)
    digest = sha256(path)
    before = child_pids()
    run_id = json.loads((await post(jp_fetch, {"path": "slow.ipynb"})).body)["id"]
    await wait_for(jp_fetch, run_id, lambda d: d["progress"]["done"] >= 1)
    # The run's kernel is not one of the user's kernels.
    kernels = json.loads((await jp_fetch("api", "kernels")).body)
    assert kernels == []
    response = await jp_fetch("nbhygiene", "verify", run_id, method="DELETE")
    assert response.code == 204
    data = await status(jp_fetch, run_id)
    assert data["state"] == "cancelled"
    assert not living_children(before)  # stopped before the 204, not later
    assert sha256(path) == digest


@pytest.mark.kernel
async def test_server_shutdown_mid_run_stops_the_kernel(
    jp_fetch: Fetch, jp_root_dir: Path, jp_serverapp: Any
) -> None:
    write(jp_root_dir, "slow.ipynb", SLOW)
    run_id = json.loads((await post(jp_fetch, {"path": "slow.ipynb"})).body)["id"]
    await wait_for(jp_fetch, run_id, lambda d: d["progress"]["done"] >= 1)
    await jp_serverapp.extension_manager.stop_all_extensions()
    app = jp_serverapp.extension_manager.extension_apps["jupyterlab_nbhygiene"]
    [extension] = list(app)
    run = extension.registry.get(run_id)
    assert run is not None
    assert run.state == "cancelled"


@pytest.mark.kernel
async def test_a_kernel_that_dies_fails_nothing_but_its_cell(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write(jp_root_dir, "crash.ipynb", make_notebook("import os\nos._exit(1)", "print(1)"))
    run_id = json.loads((await post(jp_fetch, {"path": "crash.ipynb"})).body)["id"]
    done = await wait_for(jp_fetch, run_id, lambda d: d["state"] == "done")
    assert [c["verdict"] for c in done["cells"]] == ["kernel-died", "skipped"]


async def test_unknown_id_is_404_with_a_sentence(jp_fetch: Fetch) -> None:
    code, message = await error_of(jp_fetch("nbhygiene", "verify", "nope"))
    assert code == 404
    assert "no verify run" in message
    code, _ = await error_of(jp_fetch("nbhygiene", "verify", "0" * 32, method="DELETE"))
    assert code == 404


BAD_BODIES: list[tuple[str, Any, int, str]] = [
    ("not json", "{", 400, "not valid JSON"),
    ("not an object", "[1]", 400, "JSON object"),
    ("no path", {}, 400, '"path"'),
    ("path not a string", {"path": 3}, 400, '"path"'),
    ("dot dot", {"path": "../outside.ipynb"}, 400, "'..'"),
    ("dot dot inside", {"path": "dir/../../x.ipynb"}, 400, "'..'"),
    ("absolute", {"path": "/etc/nb.ipynb"}, 400, "absolute"),
    ("not a notebook path", {"path": "data.csv"}, 400, ".ipynb"),
    ("missing file", {"path": "missing.ipynb"}, 404, "no notebook"),
    ("hidden", {"path": ".secret/nb.ipynb"}, 403, "hidden"),
    ("runs", {"path": "ok.ipynb", "runs": 3}, 400, '"runs"'),
    ("runs bool", {"path": "ok.ipynb", "runs": True}, 400, '"runs"'),
    ("timeout", {"path": "ok.ipynb", "timeout": -1}, 400, '"timeout"'),
    ("timeout string", {"path": "ok.ipynb", "timeout": "10"}, 400, '"timeout"'),
    ("notebook not an object", {"path": "ok.ipynb", "notebook": [1]}, 400, '"notebook"'),
    ("notebook malformed", {"path": "ok.ipynb", "notebook": {"nbformat": 3}}, 400, "format 3"),
    ("broken file", {"path": "broken.ipynb"}, 400, "not a valid notebook"),
    (
        "unknown kernel",
        {"path": "ok.ipynb", "notebook": make_notebook("1", language="nope")},
        422,
        "",
    ),
    (
        "R notebook",
        {"path": "ok.ipynb", "notebook": make_notebook("1", language="R")},
        422,
        "Python",
    ),
    ("symlink out", {"path": "link.ipynb"}, 403, "outside"),
]


@pytest.mark.parametrize(
    ("name", "body", "code", "fragment"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES]
)
async def test_bad_requests_are_4xx_with_a_sentence(
    jp_fetch: Fetch,
    jp_root_dir: Path,
    tmp_path: Path,
    name: str,
    body: Any,
    code: int,
    fragment: str,
) -> None:
    write(jp_root_dir, "ok.ipynb", GOOD)
    write(jp_root_dir, ".secret/nb.ipynb", GOOD)
    (jp_root_dir / "broken.ipynb").write_text("{not json", encoding="utf-8")
    outside = write(tmp_path, "outside.ipynb", GOOD)
    os.symlink(outside, jp_root_dir / "link.ipynb")
    got, message = await error_of(post(jp_fetch, body))
    assert got == code, message
    assert fragment in message
    assert message.endswith(".")


async def test_requests_without_a_token_are_refused(
    http_server_client: Any, jp_base_url: str, jp_serverapp: Any
) -> None:
    for method, route, body in [
        ("POST", "nbhygiene/verify", json.dumps({"path": "x.ipynb"})),
        ("GET", "nbhygiene/verify/abc", None),
        ("DELETE", "nbhygiene/verify/abc", None),
    ]:
        response = await http_server_client.fetch(
            f"{jp_base_url}{route}", method=method, body=body, raise_error=False
        )
        assert response.code in (401, 403), (method, response.code)
