"""AnalysisSession: a warm session answers what a cold `analyze()` of the same notebook
answers, whatever the edits; sessions of two notebooks do not disturb each other."""

from __future__ import annotations

import json
import random
import threading
from importlib import resources
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbedits import EditedNotebook, cold_report, png_output

from jupyterlab_nbhygiene.analysis import analyze
from jupyterlab_nbhygiene.analysis.delta import DeltaError
from jupyterlab_nbhygiene.analysis.errors import AnalysisInputError
from jupyterlab_nbhygiene.analysis.model import CellIndex
from jupyterlab_nbhygiene.analysis.session import AnalysisSession, SessionConflict


def send_delta(session: AnalysisSession, edited: EditedNotebook, slices: bool) -> dict[str, Any]:
    body = edited.delta_body("c", session.revision)
    return session.apply(
        body["base_revision"], body["delta"], body.get("settings", edited.settings), slices=slices
    )


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False), st.booleans())
def test_a_warm_session_answers_what_a_cold_analysis_does(
    rng: random.Random, with_history: bool
) -> None:
    edited = EditedNotebook(rng, cells=rng.randrange(0, 14), with_history=with_history)
    session = AnalysisSession()
    body = edited.full_body("c")
    first = session.analyze_full(
        body["notebook"], body.get("history"), body.get("settings"), path=body["path"]
    )
    assert first == cold_report(edited, 1)
    for step in range(12):
        kinds = [edited.edit(rng) for _ in range(rng.randrange(1, 4))]
        slices = rng.random() < 0.25
        warm = send_delta(session, edited, slices)
        assert warm == cold_report(edited, step + 2, slices), kinds


def test_a_full_body_with_outputs_and_one_with_summaries_give_one_report() -> None:
    edited = EditedNotebook(random.Random(3), cells=6)
    edited.cells[1].update(cell_type="code", execution_count=1, outputs=[png_output(3000)])
    session = AnalysisSession()
    report = session.analyze_full(edited.notebook(), None, {"large-output-bytes": 1000})
    expected = analyze(edited.notebook(), None, {"large-output-bytes": 1000}, slices=False)
    assert report == {**expected, "revision": 1}
    assert any(f["rule"] == "large-output" for f in report["findings"])
    held = session.notebook()
    assert held is not None
    [summary] = held["cells"][1]["outputs"]
    assert summary["output_type"] == "display_data"
    assert "data" not in summary
    assert summary["nbytes"] > 3000
    assert summary["mime_types"] == ["image/png", "text/plain"]


def test_a_stale_revision_or_no_notebook_is_a_conflict() -> None:
    session = AnalysisSession()
    with pytest.raises(SessionConflict) as empty:
        session.apply(0, {"order": []})
    assert empty.value.reason == "no-session"
    edited = EditedNotebook(random.Random(1), cells=3)
    session.analyze_full(edited.notebook())
    with pytest.raises(SessionConflict) as stale:
        session.apply(0, {"order": []})
    assert stale.value.reason == "revision"
    assert session.revision == 1


@pytest.mark.parametrize(
    ("delta", "needle"),
    [
        ([], "must be an object"),
        ({"order": "id-1"}, "list of cell ids"),
        ({"order": ["id-1", "id-1", "id-2", "id-3"]}, "appears twice in delta.order"),
        ({"order": ["nope"]}, "does not know"),
        ({"order": ["id-1"], "cells": [{"id": "id-9"}]}, "does not list"),
        ({"order": ["id-1"], "cells": [{"source": "x"}]}, 'string "id"'),
        ({"order": ["id-1"], "cells": "x"}, "list of cell objects"),
        ({"order": ["id-1"], "history": [1]}, "execution objects"),
        ({"order": ["id-1"], "history_reset": "yes"}, "true or false"),
        ({"order": ["id-9"], "cells": [{"id": "id-9", "cell_type": "odd"}]}, "cell_type"),
        ({"order": ["id-1"], "history": [{"cell_id": 3}]}, "History entry 0"),
        ({"cells": [{"id": "id-9", "cell_type": "code", "source": "x"}]}, "does not know"),
        ({"order": None}, "list of cell ids"),
    ],
)
def test_a_bad_delta_is_refused_and_changes_nothing(delta: Any, needle: str) -> None:
    edited = EditedNotebook(random.Random(2), cells=3)
    session = AnalysisSession()
    before = session.analyze_full(edited.notebook())
    with pytest.raises(AnalysisInputError, match=needle):
        session.apply(1, delta)
    assert session.revision == 1
    body = edited.delta_body("c", 1)
    assert session.apply(1, body["delta"]) == {**before, "revision": 2}


def test_a_delta_without_order_keeps_the_cells_and_their_order() -> None:
    edited = EditedNotebook(random.Random(12), cells=6)
    session = AnalysisSession()
    body = edited.full_body("c")
    session.analyze_full(body["notebook"], body["history"], path=body["path"])
    edited.cells[2].update(cell_type="code", source="x = undefined_name", execution_count=None)
    delta = edited.delta_body("c", 1)["delta"]
    del delta["order"]
    assert [c["id"] for c in delta["cells"]] == [edited.cells[2]["id"]]
    report = session.apply(1, delta)
    assert report == cold_report(edited, 2)
    assert [c["id"] for c in report["cells"]] == [c["id"] for c in edited.cells]


def test_a_session_needs_cell_ids_once_each() -> None:
    edited = EditedNotebook(random.Random(4), cells=2)
    nb = edited.notebook()
    nb["cells"][1]["id"] = nb["cells"][0]["id"]
    with pytest.raises(DeltaError, match="appears twice"):
        AnalysisSession().analyze_full(nb)
    for cell in nb["cells"]:
        del cell["id"]
    with pytest.raises(DeltaError, match="needs an id"):
        AnalysisSession().analyze_full(nb)


def _edits(seed: int, count: int) -> tuple[EditedNotebook, list[dict[str, Any]]]:
    """A notebook's full body, then `count` delta bodies (base revisions 1, 2, ...)."""
    rng = random.Random(seed)
    edited = EditedNotebook(rng, cells=20)
    bodies = [edited.full_body("c")]
    for revision in range(1, count + 1):
        edited.edit(rng)
        bodies.append(edited.delta_body("c", revision))
    return edited, bodies


def _replay(bodies: list[dict[str, Any]], out: list[dict[str, Any]]) -> None:
    session = AnalysisSession()
    full = bodies[0]
    out.append(session.analyze_full(full["notebook"], full.get("history"), full.get("settings")))
    settings_now = full.get("settings")
    for body in bodies[1:]:
        settings_now = body.get("settings", settings_now)
        out.append(session.apply(body["base_revision"], body["delta"], settings_now))


def test_two_notebooks_analysed_at_once_give_the_serial_reports() -> None:
    notebooks = [_edits(seed, 250)[1] for seed in (11, 12)]  # 500 edits in all
    serial: list[list[dict[str, Any]]] = [[], []]
    for bodies, out in zip(notebooks, serial, strict=True):
        _replay(bodies, out)
    threaded: list[list[dict[str, Any]]] = [[], []]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(k: int) -> None:
        start.wait()
        try:
            _replay(notebooks[k], threaded[k])
        except BaseException as error:  # reported below, with the edit it happened at
            errors.append(error)
            raise

    workers = [threading.Thread(target=run, args=(k,)) for k in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, f"a thread raised after {[len(t) for t in threaded]} reports: {errors!r}"
    assert len(threaded[0]) == len(threaded[1]) == 251
    for k in (0, 1):
        for step, (got, want) in enumerate(zip(threaded[k], serial[k], strict=True)):
            diff = sorted(key for key in want.keys() | got.keys() if got.get(key) != want.get(key))
            assert not diff, f"notebook {k}, report {step}: {diff} differ from the serial run"


def test_session_reports_follow_the_schema() -> None:
    schema = json.loads(
        resources.files("jupyterlab_nbhygiene.analysis").joinpath("report.schema.json").read_text()
    )
    edited = EditedNotebook(random.Random(13), cells=8)
    session = AnalysisSession()
    for slices in (False, True):
        report = session.analyze_full(edited.notebook(), edited.history_body(), slices=slices)
        jsonschema.Draft202012Validator(schema).validate(report)
        assert report["revision"] == 1 + slices


def test_the_session_keeps_the_graph_and_states_of_its_last_report() -> None:
    session = AnalysisSession()
    assert session.context is None
    nb = EditedNotebook(random.Random(14), cells=0).notebook()
    nb["cells"] = [
        {"id": "a", "cell_type": "code", "source": "x = 1", "execution_count": 1, "outputs": []},
        {"id": "b", "cell_type": "code", "source": "y = x", "execution_count": 2, "outputs": []},
    ]
    session.analyze_full(nb)
    context = session.context
    assert context is not None
    assert [e.source for e in context.graph.depends_on[CellIndex(1)]] == [0]
    assert {s.state for s in context.states.values()} == {"fresh"}


_KEYS = st.sampled_from(
    ["id", "cell_type", "source", "outputs", "metadata", "tags", "order", "cells", "history",
     "history_reset", "execution_count", "nbytes", "output_type", "cell_id", "order_changes",
     "removed", "inserted", "after"]
)  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "id-1", "x = 1", "code"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=12,
)


_CELL = st.fixed_dictionaries(
    {"id": st.sampled_from(["id-1", "id-2", "id-9"]) | _JSON},
    optional={
        "cell_type": st.sampled_from(["code", "markdown", "raw"]) | _JSON,
        "source": st.sampled_from(["x = 1", "y = x", "def (:", "%%bash\nls"]) | _JSON,
        "execution_count": st.none() | st.integers(0, 5) | _JSON,
        "outputs": st.lists(
            st.fixed_dictionaries(
                {"output_type": st.sampled_from(["error", "stream", "odd"]) | _JSON},
                optional={"nbytes": st.integers(-1, 10**7) | _JSON, "mime_types": _JSON},
            ),
            max_size=2,
        )
        | _JSON,
        "metadata": st.fixed_dictionaries({"tags": _JSON}) | _JSON,
    },
)
_ID = st.sampled_from(["id-1", "id-2", "id-3", "id-9"])
_ORDER_CHANGES = st.fixed_dictionaries(
    {},
    optional={
        "removed": st.lists(_ID, max_size=3) | _JSON,
        "inserted": st.lists(
            st.fixed_dictionaries({"id": _ID | _JSON, "after": st.none() | _ID | _JSON}),
            max_size=3,
        )
        | _JSON,
    },
)
_DELTA = st.fixed_dictionaries(
    {},
    optional={
        "order": st.permutations(["id-1", "id-2", "id-3", "id-9"]).map(lambda ids: ids[:3]) | _JSON,
        "order_changes": _ORDER_CHANGES | _JSON,
        "cells": st.lists(_CELL, max_size=3) | _JSON,
        "history": st.lists(st.fixed_dictionaries({"cell_id": _JSON, "source": _JSON}), max_size=2)
        | _JSON,
        "history_reset": st.booleans() | _JSON,
    },
)


@settings(max_examples=200, deadline=None)
@given(_DELTA | _JSON)
def test_any_delta_is_a_report_or_an_input_error(delta: Any) -> None:
    edited = EditedNotebook(random.Random(15), cells=3)
    session = AnalysisSession()
    session.analyze_full(edited.notebook())
    try:
        report = session.apply(1, delta)
    except AnalysisInputError:
        assert session.revision == 1
    else:
        assert report["revision"] == 2
