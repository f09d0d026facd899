"""Comparison with meaning: numbers, literals, stderr, images; nbval markers."""

from __future__ import annotations

import pytest
from repro.support import display, png_b64, result, stream

from jupyterlab_nbhygiene.repro.compare import (
    Level,
    compare,
    lines_equal,
    split_stderr,
    stderr_equal,
    texts_equal,
    values_equal,
)
from jupyterlab_nbhygiene.repro.markers import cell_markers
from jupyterlab_nbhygiene.repro.normalize import normalize_outputs

TEXT_CASES = [
    ("identical", "a 1", "a 1", True),
    ("int differs", "answer 41", "answer 42", False),
    ("float noise", "0.30000000000000004", "0.3", True),
    ("float noise in text", "loss=0.12345678901 acc 3", "loss=0.12345678999 acc 3", True),
    ("float real change", "loss=0.1234", "loss=0.1240", False),
    ("tiny absolute", "1e-15", "2e-15", True),
    ("scientific", "x 1.0000000001e5", "x 1.0000000002e5", True),
    ("int vs float form", "1", "1.0", True),
    ("word changes", "alpha 1", "beta 1", False),
    ("set order", "{'apple', 'banana', 'cherry'}", "{'cherry', 'apple', 'banana'}", True),
    ("set member differs", "{'apple', 'banana'}", "{'apple', 'kiwi'}", False),
    ("dict order", "{'b': 2, 'a': 1}", "{'a': 1, 'b': 2}", True),
    ("dict value differs", "{'a': 1}", "{'a': 2}", False),
    ("multi-line dict", "{'a': 1,\n 'b': [1, 2]}", "{'b': [1, 2], 'a': 1}", True),
    ("labelled set", "fruits: {3, 1, 2}", "fruits: {1, 2, 3}", True),
    ("labelled set differs", "fruits: {3, 1, 2}", "fruits: {1, 2, 4}", False),
    ("set of floats with noise", "{0.1, 0.30000000000000004}", "{0.3, 0.1}", True),
    ("nested tolerance", "[(1, 0.1), (2, 0.2)]", "[(1, 0.10000000000000002), (2, 0.2)]", True),
    ("list order matters", "[1, 2]", "[2, 1]", False),
    ("line count differs", "a\nb", "a", False),
    ("nan", "nan", "nan", True),
    ("bool is not int", "True", "1", False),
]


@pytest.mark.parametrize(("name", "a", "b", "equal"), TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_texts_equal(name: str, a: str, b: str, equal: bool) -> None:
    assert texts_equal(a, b) is equal
    assert texts_equal(b, a) is equal


def test_values_equal_types() -> None:
    assert values_equal({1: [0.1]}, {1: [0.1 + 1e-12]})
    assert not values_equal((1,), [1])
    assert values_equal(frozenset({1, 2}), frozenset({2, 1}))
    assert values_equal(1 + 2j, 1 + 2.0000000001j)


def test_lines_equal_ignores_nothing_but_numbers() -> None:
    assert lines_equal("step 3: 0.5000000001", "step 3: 0.5")
    assert not lines_equal("step 3: 0.5", "step 4: 0.5")


STDERR_A = (
    "/tmp/ipykernel_111/2222.py:3: UserWarning: careful\n"
    '  warnings.warn("careful")\n'
    "/tmp/ipykernel_111/2222.py:4: DeprecationWarning: old\n"
    "  old()\n"
    "100%|##########| 10/10 [00:01<00:00, 5.00it/s]\n"
)
STDERR_B = (
    "/tmp/ipykernel_999/7777.py:9: DeprecationWarning: old\n"
    "  old()\n"
    "/tmp/ipykernel_999/7777.py:8: UserWarning: careful\n"
    '  warnings.warn("careful")\n'
    " 90%|######### | 9/10 [00:02<00:00, 4.12it/s]\n"
)


def test_warnings_are_a_set_and_progress_lines_dropped() -> None:
    warnings, other = split_stderr(STDERR_A)
    assert warnings == {("UserWarning", "careful"), ("DeprecationWarning", "old")}
    assert other == []
    assert stderr_equal(STDERR_A, STDERR_B)
    assert not stderr_equal(STDERR_A, STDERR_A.replace("careful\n", "different\n", 1))


def _cmp(saved: list[dict[str, object]], new: list[dict[str, object]]) -> Level:
    return compare(normalize_outputs(saved), normalize_outputs(new)).level


COMPARE_CASES = [
    ("same", [result("1")], [result("1", 5)], Level.SAME),
    ("genuine change", [result("41")], [result("42")], Level.CHANGED),
    ("split stdout", [stream("a"), stream("b\n")], [stream("ab\n")], Level.SAME),
    ("stdout change", [stream("a\n")], [stream("b\n")], Level.CHANGED),
    (
        "other stderr is soft",
        [stream("note 1\n", "stderr")],
        [stream("note 2 here\n", "stderr")],
        Level.SOFT,
    ),
    (
        "stderr missing is soft",
        [stream("x\n"), stream("w\n", "stderr")],
        [stream("x\n")],
        Level.SOFT,
    ),
    (
        "image bytes soft",
        [display({"image/png": png_b64(8, 6, 1)})],
        [display({"image/png": png_b64(8, 6, 2)})],
        Level.SOFT,
    ),
    (
        "image pixel size soft",  # another DPI or backend: 231×231 saved, 389×389 fresh
        [display({"image/png": png_b64(231, 231)})],
        [display({"image/png": png_b64(389, 389)})],
        Level.SOFT,
    ),
    (
        "image pixel size soft beside the same text",
        [display({"image/png": png_b64(8, 6)}), stream("done\n")],
        [display({"image/png": png_b64(6, 8)}), stream("done\n")],
        Level.SOFT,
    ),
    (
        "image size soft but text changed",
        [display({"image/png": png_b64(8, 6)}), stream("41\n")],
        [display({"image/png": png_b64(6, 8)}), stream("42\n")],
        Level.CHANGED,
    ),
    (
        "image dropped",
        [display({"image/png": png_b64(8, 6)})],
        [],
        Level.CHANGED,
    ),
    (
        "image count changed",
        [display({"image/png": png_b64(8, 6)})],
        [display({"image/png": png_b64(8, 6)})] * 2,
        Level.CHANGED,
    ),
    (
        "image mime changed",
        [display({"image/png": png_b64(8, 6)})],
        [display({"image/jpeg": "/9j/"})],
        Level.CHANGED,
    ),
    ("output added", [], [result("1")], Level.CHANGED),
    ("rich mime changed", [result("1")], [display({"text/html": "<b>1</b>"})], Level.CHANGED),
]


@pytest.mark.parametrize(
    ("name", "saved", "new", "level"), COMPARE_CASES, ids=[c[0] for c in COMPARE_CASES]
)
def test_compare(
    name: str, saved: list[dict[str, object]], new: list[dict[str, object]], level: Level
) -> None:
    assert _cmp(saved, new) == level


def test_diff_is_a_unified_diff_of_normalized_text() -> None:
    comparison = compare(normalize_outputs([result("41")]), normalize_outputs([result("42")]))
    assert comparison.diff is not None
    assert comparison.diff.splitlines() == [
        "--- saved",
        "+++ fresh run",
        "@@ -1,2 +1,2 @@",
        " [text/plain]",
        "-41",
        "+42",
    ]


def test_soft_images_come_with_both_images() -> None:
    saved, new = png_b64(8, 6, 1), png_b64(8, 6, 2)
    comparison = compare(
        normalize_outputs([display({"image/png": saved})]),
        normalize_outputs([display({"image/png": new})]),
    )
    [(a, b)] = comparison.images
    assert (a.data, b.data) == (saved, new)


def test_resized_images_come_side_by_side_with_their_sizes() -> None:
    saved, new = png_b64(231, 231), png_b64(389, 389)
    comparison = compare(
        normalize_outputs([display({"image/png": saved})]),
        normalize_outputs([display({"image/png": new})]),
    )
    assert comparison.level == Level.SOFT
    [(a, b)] = comparison.images
    assert (a.data, b.data) == (saved, new)
    assert (a.size, b.size) == ((231, 231), (389, 389))
    assert comparison.diff is not None
    assert "231x231" in comparison.diff


MARKER_CASES = [
    ({"metadata": {"tags": ["nbval-skip"]}}, (True, False, False)),
    ({"metadata": {"tags": ["skip-execution"]}}, (True, False, False)),
    ({"metadata": {"tags": ["nbval-ignore-output"]}}, (False, True, False)),
    ({"metadata": {"tags": ["raises-exception"]}}, (False, False, True)),
    ({"source": "# NBVAL_SKIP\nx = 1"}, (True, False, False)),
    ({"source": "x = 1\n  #  NBVAL_IGNORE_OUTPUT"}, (False, True, False)),
    ({"source": ["# NBVAL_RAISES_EXCEPTION\n", "1/0"]}, (False, False, True)),
    ({"source": "print('# NBVAL_SKIP')"}, (False, False, False)),
    ({"metadata": {"tags": "not-a-list"}}, (False, False, False)),
]


@pytest.mark.parametrize(("cell", "expected"), MARKER_CASES)
def test_markers(cell: dict[str, object], expected: tuple[bool, bool, bool]) -> None:
    markers = cell_markers(cell)
    assert (markers.skip, markers.ignore_output, markers.raises) == expected
    assert (markers.why is not None) == any(expected)
