"""POST /nbhygiene/fix and /nbhygiene/export on a real jupyter_server with the extension."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook
from tornado.httpclient import HTTPClientError

DEMO = Path(__file__).resolve().parents[2] / "demo" / "hidden_state.ipynb"


async def post(jp_fetch: Any, route: str, body: Any) -> Any:
    return await jp_fetch(
        "nbhygiene",
        route,
        method="POST",
        body=body if isinstance(body, str) else json.dumps(body),
    )


async def refused(jp_fetch: Any, route: str, body: Any) -> tuple[int, str]:
    with pytest.raises(HTTPClientError) as info:
        await post(jp_fetch, route, body)
    assert info.value.response is not None
    text = info.value.response.body.decode()
    assert "Traceback" not in text
    return info.value.code, json.loads(text)["message"]


async def test_fix_moves_the_defining_cell(jp_fetch: Any) -> None:
    nb = make_notebook("y = x + 1", "x = 1")
    response = await post(jp_fetch, "fix", {"notebook": nb, "fix": "move-cell", "cell": 0})
    assert response.code == 200
    answer = json.loads(response.body)
    assert answer == {
        "fix": "move-cell",
        "title": "Move cell 2 above cell 1",
        "edits": [],
        "moves": [{"cell_id": "c1", "to_index": 0}],
        "summary": answer["summary"],
    }
    assert "`x`" in answer["summary"]


async def test_fix_edits_for_imports_and_seeds(jp_fetch: Any) -> None:
    nb = make_notebook("import random", "import os\nx = random.random()")
    answer = json.loads(
        (await post(jp_fetch, "fix", {"notebook": nb, "fix": "hoist-imports"})).body
    )
    assert answer["edits"] == [
        {"cell_id": "c0", "source": "import random\nimport os"},
        {"cell_id": "c1", "source": "x = random.random()"},
    ]
    answer = json.loads((await post(jp_fetch, "fix", {"notebook": nb, "fix": "seed-random"})).body)
    assert answer["edits"] == [{"cell_id": "c0", "source": "import random\nrandom.seed(0)"}]


async def test_an_unsafe_fix_is_a_409_naming_the_dependency(jp_fetch: Any) -> None:
    nb = make_notebook("y = x", "base = 1", "x = base + 1")
    code, message = await refused(jp_fetch, "fix", {"notebook": nb, "fix": "move-cell", "cell": 0})
    assert code == 409
    assert "cell 3 needs `base` from cell 2" in message


async def test_export_answers_module_tests_and_summary(jp_fetch: Any) -> None:
    nb = json.loads(DEMO.read_text(encoding="utf-8"))
    body = {"notebook": nb, "path": "demo/hidden_state.ipynb", "cells": [4], "tests": True}
    answer = json.loads((await post(jp_fetch, "export", body)).body)
    assert set(answer) == {"module", "tests", "summary"}
    assert "# %% cell 4 (exported)" in answer["module"]
    assert "def test_cell_4(" in answer["tests"]
    assert "MODULE = HERE / 'hidden_state.py'" in answer["tests"]
    assert answer["summary"]["cells"] == [3, 5, 6, 4]
    assert answer["summary"]["dropped_magics"] == []
    assert answer["summary"]["skipped_outputs"] == []
    body = {"notebook": nb, "path": "demo/hidden_state.ipynb", "tests": False}
    answer = json.loads((await post(jp_fetch, "export", body)).body)
    assert answer["tests"] is None
    assert answer["summary"]["exported"] == [2, 3, 4, 5, 6, 7]


async def test_a_refused_export_is_a_409_naming_cell_and_name(jp_fetch: Any) -> None:
    nb = make_notebook("x = 1", "y = ghost + x")
    body = {"notebook": nb, "path": "a.ipynb", "cells": [2], "tests": False}
    code, message = await refused(jp_fetch, "export", body)
    assert code == 409
    assert "Cell 2" in message
    assert "`ghost`" in message


@pytest.mark.parametrize(
    ("route", "body", "needle"),
    [
        ("fix", "{not json", "not valid JSON"),
        ("fix", {}, "notebook"),
        ("fix", {"notebook": make_notebook("x = 1")}, '"fix"'),
        ("fix", {"notebook": make_notebook("x = 1"), "fix": "tidy"}, "must be one of"),
        ("fix", {"notebook": make_notebook("x = 1"), "fix": "move-cell", "cell": "2"}, "cell"),
        ("fix", {"notebook": make_notebook("x = 1"), "fix": "move-cell", "cell": 5}, "index"),
        ("fix", {"notebook": {"nbformat": 3, "cells": []}, "fix": "hoist-imports"}, "format"),
        ("export", {"notebook": make_notebook("x = 1")}, "path"),
        ("export", {"notebook": make_notebook("x = 1"), "path": "a.ipynb", "cells": 1}, "list"),
        ("export", {"notebook": make_notebook("x = 1"), "path": "a.ipynb", "cells": [4]}, "cell 4"),
        ("export", {"notebook": make_notebook("x = 1"), "path": "a.ipynb", "tests": 1}, "tests"),
    ],
)
async def test_bad_input_is_a_400_with_a_sentence(
    jp_fetch: Any, route: str, body: Any, needle: str
) -> None:
    code, message = await refused(jp_fetch, route, body)
    assert code == 400
    assert needle in message
    assert message.endswith("."), message


SECRET = "token=abc123 at /home/someone/private.py"


@pytest.mark.parametrize(
    ("route", "target", "body"),
    [
        ("fix", "jupyterlab_nbhygiene.fixes.apply_fix", {"fix": "hoist-imports"}),
        ("export", "jupyterlab_nbhygiene.export.export_notebook", {"path": "a.ipynb"}),
    ],
)
@pytest.mark.parametrize("error", [ValueError, RuntimeError, KeyError])
async def test_a_bug_in_the_core_is_a_500_that_shows_no_exception_text(
    jp_fetch: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    route: str,
    target: str,
    body: dict[str, Any],
    error: type[Exception],
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error(SECRET)

    monkeypatch.setattr(target, broken)
    code, message = await refused(jp_fetch, route, {"notebook": make_notebook("x = 1"), **body})
    assert code == 500
    assert message == "nbhygiene hit an internal error; the server log has the details."
    assert "abc123" not in message
    assert any("abc123" in r.getMessage() + str(r.exc_info) for r in caplog.records)
