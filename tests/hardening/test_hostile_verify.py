"""The verify routes under hostile input: bodies, paths on disk and run ids. Every probe is a
4xx with a JSON `{message}` sentence (or a started run where the path is fine); never a 5xx,
never a traceback, nothing written, and the server keeps answering.

(tests/handlers/test_verify_routes.py has the plain cases: '..', absolute, missing, hidden
folder, symlink to a file outside, bad runs/timeout, non-Python kernels.)"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hardening.support import Answer, Live, assert_user_error, raw
from nbfactory import make_notebook
from repro.support import assert_no_new_kernels, child_pids, sha256, stream

EXTENSIONS = {"jupyterlab_nbhygiene": True}
GOOD = make_notebook({"source": "print(6 * 7)", "execution_count": 1, "outputs": [stream("42\n")]})


@pytest.fixture(autouse=True)
def no_kernel_left_behind() -> Iterator[None]:
    before = child_pids()
    yield
    assert_no_new_kernels(before, grace=5.0)


@pytest.fixture
def tree(jp_root_dir: Path, tmp_path: Path) -> Path:
    """A server root with the awkward things a real home folder has."""
    root = jp_root_dir
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "nb.ipynb").write_text(json.dumps(GOOD))
    (root / "ok.ipynb").write_text(json.dumps(GOOD))
    (root / ".secret.ipynb").write_text(json.dumps(GOOD))
    (root / "dir.ipynb").mkdir()
    (root / "sub").mkdir()
    (root / "sub" / "ok.ipynb").write_text(json.dumps(GOOD))
    os.symlink(outside, root / "escape")  # a folder link leading out of the root
    os.symlink("/dev/zero", root / "zero.ipynb")
    os.symlink(root / "loop.ipynb", root / "loop.ipynb")
    os.symlink(root / "ok.ipynb", root / "inside-link.ipynb")
    os.mkfifo(root / "fifo.ipynb")  # reading it would block forever
    (root / "latin1.ipynb").write_bytes('{"cells": "é"}'.encode("latin-1"))
    (root / "array.ipynb").write_text("[1, 2]")
    (root / "empty.ipynb").write_text("")
    (root / "v3.ipynb").write_text(json.dumps({"nbformat": 3, "worksheets": []}))
    with open(root / "huge.ipynb", "wb") as handle:  # sparse: 101 MB, no disk used
        handle.truncate(101 * 1024 * 1024)
    (root / "ünïcode ✓.ipynb").write_text(json.dumps(GOOD))
    return root


def _deep(levels: int) -> bytes:
    return b'{"path": ' + b"[" * levels + b"]" * levels + b"}"


RAW_BODIES: list[tuple[str, bytes, int, str]] = [
    ("empty", b"", 400, "JSON body"),
    ("binary", bytes(random.Random(3).randrange(256) for _ in range(4096)), 400, ""),
    ("not-utf8", b'{"path": "\xff.ipynb"}', 400, "UTF-8"),
    ("nested-100k", _deep(100_000), 400, "nested"),
    ("nan-timeout", b'{"path": "ok.ipynb", "timeout": NaN}', 400, "NaN"),
    ("huge-timeout", b'{"path": "ok.ipynb", "timeout": 1e400}', 400, "out of range"),
]

# (id, body, expected status, a word of the message); 202 = the run starts (and must finish).
BODIES: list[tuple[str, Any, int, str]] = [
    ("path-empty", {"path": ""}, 400, '"path"'),
    ("path-blank", {"path": "   "}, 400, '"path"'),
    ("path-dot", {"path": "."}, 400, ".ipynb"),
    ("path-nul", {"path": "ok.ipynb\x00.txt"}, 400, "NUL"),
    ("path-backslash-dotdot", {"path": "sub\\..\\..\\x.ipynb"}, 400, "'..'"),
    ("path-windows-drive", {"path": "C:\\nb.ipynb"}, 400, "absolute"),
    ("path-list", {"path": ["ok.ipynb"]}, 400, '"path"'),
    ("path-very-long", {"path": "a/" * 5000 + "nb.ipynb"}, 404, "no notebook"),
    ("hidden-file", {"path": ".secret.ipynb"}, 403, "hidden"),
    ("hidden-via-dot-segment", {"path": "./.secret.ipynb"}, 403, "hidden"),
    ("directory", {"path": "dir.ipynb"}, 404, "no notebook"),
    ("directory-slash", {"path": "dir.ipynb/"}, 404, "no notebook"),
    ("symlinked-folder-out", {"path": "escape/nb.ipynb"}, 403, "outside"),
    ("symlink-to-dev-zero", {"path": "zero.ipynb"}, 403, "outside"),
    ("symlink-loop", {"path": "loop.ipynb"}, 404, "no notebook"),
    ("fifo", {"path": "fifo.ipynb"}, 404, "no notebook"),
    ("file-not-utf8", {"path": "latin1.ipynb"}, 400, "not a valid notebook"),
    ("file-array", {"path": "array.ipynb"}, 400, "not a notebook"),
    ("file-empty", {"path": "empty.ipynb"}, 400, "not a valid notebook"),
    ("file-nbformat-3", {"path": "v3.ipynb"}, 400, "format 3"),
    ("file-over-100-mb", {"path": "huge.ipynb"}, 413, "100 MB"),
    ("notebook-cells-string", {"path": "ok.ipynb", "notebook": {"nbformat": 4, "cells": "x"}},
     400, "cells"),
    ("notebook-cell-type-list",
     {"path": "ok.ipynb", "notebook": make_notebook({"cell_type": ["code"]})}, 400, "cell_type"),
    ("notebook-source-int", {"path": "ok.ipynb", "notebook": make_notebook({"source": 5})},
     400, "source"),
    ("runs-float", {"path": "ok.ipynb", "runs": 1.5}, 400, '"runs"'),
    ("timeout-zero", {"path": "ok.ipynb", "timeout": 0}, 400, '"timeout"'),
    ("timeout-over-a-day", {"path": "ok.ipynb", "timeout": 10**9}, 400, '"timeout"'),
    ("symlink-inside-root", {"path": "inside-link.ipynb"}, 202, ""),
    ("unicode-name", {"path": "ünïcode ✓.ipynb"}, 202, ""),
    ("subfolder", {"path": "sub/./ok.ipynb"}, 202, ""),
]  # fmt: skip


async def post(live: Live, body: bytes | str) -> Answer:
    return await raw(live.url("nbhygiene/verify"), method="POST", body=body, headers=live.auth)


async def finish(live: Live, run_id: str, seconds: float = 120) -> dict[str, Any]:
    """Poll the run until it ends; a loaded machine may take a while to start a kernel."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = await raw(live.url("nbhygiene/verify", run_id), headers=live.auth)
        data: dict[str, Any] = answer.json()
        if data["state"] in ("done", "failed", "cancelled"):
            return data
        await asyncio.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish in {seconds:g} s")


async def assert_still_answers(live: Live) -> None:
    answer = await raw(
        live.url("nbhygiene/analyze"),
        method="POST",
        body=json.dumps({"notebook": GOOD}),
        headers=live.auth,
    )
    assert answer.code == 200, answer.text


def snapshot(root: Path) -> dict[str, str]:
    """Every regular file under the root with its digest (links and FIFOs are not read)."""
    return {
        str(p.relative_to(root)): sha256(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.stat().st_size < 1024 * 1024
    }


@pytest.mark.parametrize(("body", "status", "needle"), [r[1:] for r in RAW_BODIES],
                         ids=[r[0] for r in RAW_BODIES])  # fmt: skip
async def test_raw_body(live: Live, tree: Path, body: bytes, status: int, needle: str) -> None:
    message = assert_user_error(await post(live, body), status)
    assert needle in message, message
    await assert_still_answers(live)


@pytest.mark.parametrize(("body", "status", "needle"), [r[1:] for r in BODIES],
                         ids=[r[0] for r in BODIES])  # fmt: skip
async def test_json_body(live: Live, tree: Path, body: Any, status: int, needle: str) -> None:
    before = snapshot(tree)
    answer = await post(live, json.dumps(body))
    if status == 202:
        assert answer.code == 202, answer.text
        data = await finish(live, answer.json()["id"])
        assert data["state"] == "done", data
        assert [c["verdict"] for c in data["cells"]] == ["same"]
    else:
        message = assert_user_error(answer, status)
        assert needle in message, message
        assert len(message) < 300, message
        assert str(tree) not in message  # the server's own folders stay private
    assert snapshot(tree) == before
    await assert_still_answers(live)


@pytest.mark.parametrize(
    "jp_server_config",
    [{"ServerApp": {"jpserver_extensions": EXTENSIONS}, "ContentsManager": {"allow_hidden": True}}],
    ids=["allow-hidden"],
)
async def test_hidden_files_run_when_the_server_shows_them(live: Live, tree: Path) -> None:
    answer = await post(live, json.dumps({"path": ".secret.ipynb"}))
    assert answer.code == 202, answer.text
    assert (await finish(live, answer.json()["id"]))["state"] == "done"


RUN_IDS = ["x" * 5000, "ünï", "%2e%2e", "..", "%00", "0" * 32 + "%2Fetc", "'; DROP TABLE runs"]


@pytest.mark.parametrize("run_id", RUN_IDS, ids=range(len(RUN_IDS)))
async def test_unknown_run_ids(live: Live, run_id: str) -> None:
    for verb in ("GET", "DELETE"):
        url = live.url("nbhygiene/verify", quote(run_id, safe="%"))
        answer = await raw(url, method=verb, headers=live.auth)
        assert answer.code in (404, 405), (verb, answer.code, answer.text)
        assert "Traceback" not in answer.text
        if answer.code == 404 and answer.text.startswith("{"):
            assert_user_error(answer, 404)
    await assert_still_answers(live)


async def test_cancel_twice_and_after_the_end(live: Live, tree: Path) -> None:
    answer = await post(live, json.dumps({"path": "ok.ipynb"}))
    run_id = answer.json()["id"]
    data = await finish(live, run_id)
    assert data["state"] == "done"
    for _ in range(2):
        gone = await raw(live.url("nbhygiene/verify", run_id), method="DELETE", headers=live.auth)
        assert gone.code == 204
    after = await raw(live.url("nbhygiene/verify", run_id), headers=live.auth)
    assert after.json()["state"] == "done"  # a finished run keeps its result
