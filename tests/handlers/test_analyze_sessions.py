"""The analyze protocol on a real jupyter_server: full, then delta bodies, conflicts,
closing a session, output summaries, the slices flag, and errors without internals."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from nbedits import EditedNotebook, png_output, summary_cell
from tornado.httpclient import HTTPClientError

from jupyterlab_nbhygiene import sessions
from jupyterlab_nbhygiene.analysis import analyze


async def post(jp_fetch: Any, body: Any) -> Any:
    return await jp_fetch("nbhygiene", "analyze", method="POST", body=json.dumps(body))


async def refused(jp_fetch: Any, body: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HTTPClientError) as e:
        await post(jp_fetch, body)
    assert e.value.response is not None
    return e.value.code, json.loads(e.value.response.body)


def cold(edited: EditedNotebook, revision: int) -> dict[str, Any]:
    report = analyze(
        edited.notebook(), edited.history_body(), edited.settings, path="work/edited.ipynb",
        slices=False,
    )  # fmt: skip
    return {**report, "revision": revision}


async def test_full_then_deltas_answer_what_a_cold_analysis_does(jp_fetch: Any) -> None:
    rng = random.Random(5)
    edited = EditedNotebook(rng, cells=10)
    first = json.loads((await post(jp_fetch, edited.full_body("tab-1"))).body)
    assert first == cold(edited, 1)
    for revision in (1, 2):
        edited.edit(rng)
        edited.cells[0]["source"] = f"x = {revision}"
        body = edited.delta_body("tab-1", revision)
        assert len(body["delta"]["cells"]) >= 1
        report = json.loads((await post(jp_fetch, body)).body)
        assert report == cold(edited, revision + 1)


async def test_a_stale_revision_or_an_unknown_client_is_a_409(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(6), cells=4)
    await post(jp_fetch, edited.full_body("tab-2"))
    code, answer = await refused(jp_fetch, edited.delta_body("tab-2", 7))
    assert (code, answer["reason"]) == (409, "revision")
    assert "revision 7" in answer["message"]
    code, answer = await refused(jp_fetch, edited.delta_body("nobody", 1))
    assert (code, answer["reason"]) == (409, "no-session")


async def test_delete_closes_the_session(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(7), cells=4)
    await post(jp_fetch, edited.full_body("tab-3"))
    closed = await jp_fetch("nbhygiene", "analyze", "tab-3", method="DELETE")
    assert closed.code == 204
    code, answer = await refused(jp_fetch, edited.delta_body("tab-3", 1))
    assert (code, answer["reason"]) == (409, "no-session")
    again = await jp_fetch("nbhygiene", "analyze", "never-opened", method="DELETE")
    assert again.code == 204


async def test_output_summaries_are_read_like_outputs(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(8), cells=3)
    edited.cells[0].update(
        cell_type="code",
        source="x = 1",
        execution_count=1,
        outputs=[
            png_output(5000),
            {"output_type": "error", "ename": "E", "evalue": "v", "traceback": []},
        ],
    )
    settings = {"large-output-bytes": 4000}
    full = {**edited.full_body(), "settings": settings}
    cells = [summary_cell(c) for c in full["notebook"]["cells"]]
    summarized = {**full, "notebook": {**full["notebook"], "cells": cells}}
    report = json.loads((await post(jp_fetch, summarized)).body)
    assert report == json.loads((await post(jp_fetch, full)).body)
    rules = {f["rule"] for f in report["findings"] if f["cell"] == 0}
    assert {"large-output", "error-output"} <= rules


async def test_slices_only_when_asked(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(9), cells=5)
    edited.cells[0].update(cell_type="code", source="x = 1")
    plain = json.loads((await post(jp_fetch, edited.full_body())).body)
    assert all("upstream" not in c for c in plain["cells"])
    sliced = json.loads((await post(jp_fetch, {**edited.full_body(), "slices": True})).body)
    assert sliced["cells"][0]["upstream"] == [0]
    assert "revision" not in plain


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"client": "t", "base_revision": 1, "delta": {"order": ["x"]}}, "no-session"),
        ({"base_revision": 1, "delta": {}}, '"client"'),
        ({"client": "", "notebook": {}}, '"client"'),
        ({"client": "t", "delta": {}}, '"base_revision"'),
        ({"slices": "yes", "notebook": {}}, '"slices"'),
    ],
)
async def test_bad_bodies_are_refused_with_a_sentence(
    jp_fetch: Any, body: dict[str, Any], needle: str
) -> None:
    code, answer = await refused(jp_fetch, body)
    if needle == "no-session":
        assert (code, answer["reason"]) == (409, needle)
    else:
        assert code == 400
        assert needle in answer["message"]


async def test_a_delta_with_an_unknown_cell_is_a_400(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(10), cells=3)
    await post(jp_fetch, edited.full_body("tab-4"))
    body = {"client": "tab-4", "base_revision": 1, "delta": {"order": ["ghost"]}}
    code, answer = await refused(jp_fetch, body)
    assert code == 400
    assert "'ghost'" in answer["message"]


async def test_a_delta_may_leave_out_an_unchanged_order(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(11), cells=5)
    await post(jp_fetch, edited.full_body("tab-5"))
    edited.cells[1].update(cell_type="code", source="y = missing + 1", execution_count=None)
    body = edited.delta_body("tab-5", 1)
    del body["delta"]["order"]
    assert [c["id"] for c in body["delta"]["cells"]] == [edited.cells[1]["id"]]
    report = json.loads((await post(jp_fetch, body)).body)
    assert report == cold(edited, 2)
    added = {"id": "new-cell", "cell_type": "code", "source": "z = 1", "metadata": {}}
    code, answer = await refused(
        jp_fetch, {"client": "tab-5", "base_revision": 2, "delta": {"cells": [added]}}
    )
    assert code == 400
    assert "'new-cell'" in answer["message"]
    assert "delta.order" in answer["message"]


async def test_a_delta_may_give_the_order_as_changes(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(12), cells=6)
    await post(jp_fetch, edited.full_body("tab-6"))
    edited.cells.insert(4, edited.cells.pop(1))
    body = edited.delta_body("tab-6", 1, changes=True)
    moved = edited.cells[4]["id"]
    assert body["delta"]["order_changes"] == {
        "removed": [moved],
        "inserted": [{"id": moved, "after": edited.cells[3]["id"]}],
    }
    assert "order" not in body["delta"]
    report = json.loads((await post(jp_fetch, body)).body)
    assert report == cold(edited, 2)
    assert [c["id"] for c in report["cells"]] == [c["id"] for c in edited.cells]


async def test_an_order_change_that_cannot_apply_is_a_400(jp_fetch: Any) -> None:
    edited = EditedNotebook(random.Random(13), cells=3)
    await post(jp_fetch, edited.full_body("tab-7"))
    first = edited.cells[0]["id"]
    ghost = {"id": first, "after": "ghost"}
    changes = {"removed": [first], "inserted": [ghost]}
    body = {"client": "tab-7", "base_revision": 1, "delta": {"order_changes": changes}}
    code, answer = await refused(jp_fetch, body)
    assert code == 400
    assert answer["message"] == (
        f"delta.order_changes inserts cell {first!r} after cell 'ghost', which is not in the "
        "order at that point."
    )
    both = {**body, "delta": {"order": [first], "order_changes": {}}}
    code, answer = await refused(jp_fetch, both)
    assert code == 400
    assert "not both" in answer["message"]
    unchanged = edited.delta_body("tab-7", 1, changes=True)  # the session is still at 1
    assert json.loads((await post(jp_fetch, unchanged)).body) == cold(edited, 2)


async def test_an_internal_error_is_a_500_without_its_text(
    jp_fetch: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("secret internals /home/server/key")

    monkeypatch.setattr(sessions, "analyze", broken)
    code, answer = await refused(jp_fetch, EditedNotebook(random.Random(1), cells=2).full_body())
    assert code == 500
    assert "secret" not in json.dumps(answer)
    assert answer["message"].startswith("nbhygiene hit an internal error")
