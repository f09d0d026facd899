"""The normalizer: masks, terminal control characters, streams, errors, rich output, images."""

from __future__ import annotations

import pytest
from repro.support import display, error, png_b64, result, stream

from jupyterlab_nbhygiene.repro.normalize import (
    OutputBudget,
    apply_terminal,
    canonical_html,
    cap_outputs,
    image_pixel_size,
    mask,
    normalize_outputs,
    strip_ansi,
)

MASK_CASES = [
    ("address", "<__main__.Thing at 0x7f3a2b1c9d00>", "<__main__.Thing at 0x<address>>"),
    ("short hex is kept", "flags 0x1f", "flags 0x1f"),
    ("uuid", "id=123e4567-e89b-12d3-a456-426614174000", "id=<uuid>"),
    ("iso datetime", "at 2024-05-01T10:11:12.345678+02:00 ok", "at <datetime> ok"),
    ("iso datetime with space", "2024-05-01 10:11:12", "<datetime>"),
    (
        "datetime repr",
        "datetime.datetime(2023, 5, 1, 10, 11, 12, 345678)",
        "datetime.datetime(<datetime>)",
    ),
    ("time", "done at 10:11:12.5", "done at <time>"),
    ("duration ms", "took 12.3 ms", "took <duration>"),
    ("duration s", "took 4s", "took <duration>"),
    ("duration µs", "1.2 µs ± 3.4 ns per loop", "<duration> ± <duration> per loop"),
    ("timeit loops", "7 runs, 1,000,000 loops each", "7 runs, <n> loops each"),
    (
        "tqdm block",
        "100%|##########| 10/10 [00:01<00:00, 5.00it/s]",
        "100%|##########| 10/10 [<progress>]",
    ),
    (
        "tqdm s/it",
        "50%|#####     | 1/2 [00:02<00:02, 2.01s/it]",
        "50%|#####     | 1/2 [<progress>]",
    ),
    (
        "ipykernel file",
        "/tmp/ipykernel_4242/3017389146.py:3: UserWarning",
        "<ipykernel-cell>:3: UserWarning",
    ),
    ("cell in", "Cell In[17], line 2", "Cell In[<n>], line 2"),
    ("figure", "<Figure size 640x480 with 1 Axes>", "<Figure>"),
    ("figure float size", "<Figure size 432.5x288 with 2 Axes>", "<Figure>"),
    ("plain numbers kept", "answer 42 and 3.14", "answer 42 and 3.14"),
    ("words with s kept", "2 cats and 3 dogs", "2 cats and 3 dogs"),
]


@pytest.mark.parametrize(("name", "text", "expected"), MASK_CASES, ids=[c[0] for c in MASK_CASES])
def test_mask(name: str, text: str, expected: str) -> None:
    assert mask(text) == expected


TERMINAL_CASES = [
    ("plain", "abc\ndef", "abc\ndef"),
    ("carriage return overwrites", "10%\r20%\r30%", "30%"),
    ("shorter overwrite keeps tail", "abcdef\rXY", "XYcdef"),
    ("backspace", "abc\b\bX", "aXc"),
    ("windows newline", "line1\r\nline2\r\n", "line1\nline2\n"),
    ("per line", "a\rb\nc\rd", "b\nd"),
]


@pytest.mark.parametrize(
    ("name", "text", "expected"), TERMINAL_CASES, ids=[c[0] for c in TERMINAL_CASES]
)
def test_terminal(name: str, text: str, expected: str) -> None:
    assert apply_terminal(text) == expected


def test_strip_ansi() -> None:
    assert strip_ansi("\x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07") == "red link"


def test_streams_join_per_name_and_drop_counts() -> None:
    split = normalize_outputs([stream("a"), stream("warn\n", "stderr"), stream("b\n")])
    joined = normalize_outputs([stream("ab\n"), stream("warn\n", "stderr")])
    assert split == joined
    assert split.stdout == "ab\n"
    assert split.stderr == "warn\n"


def test_progress_bar_written_with_carriage_returns() -> None:
    out = normalize_outputs(
        [stream(f"\r{i}/3", "stderr") for i in range(1, 4)] + [stream("\n", "stderr")]
    )
    assert out.stderr == "3/3\n"


def test_error_keeps_ename_and_masked_evalue_not_traceback() -> None:
    a = normalize_outputs([error("ValueError", "bad object at 0x7f00aa11bb22")])
    b = normalize_outputs(
        [{**error("ValueError", "bad object at 0x7f00cc33dd44"), "traceback": ["other"]}]
    )
    assert a == b
    assert a.error == ("ValueError", "bad object at 0x<address>")


def test_text_plain_wins_over_html() -> None:
    a = normalize_outputs([result("   a  b\n0  1  2")])
    both = {
        "output_type": "execute_result",
        "execution_count": 9,
        "metadata": {"x": 1},
        "data": {"text/plain": "   a  b\n0  1  2", "text/html": "<table>different</table>"},
    }
    assert normalize_outputs([both]) == a


def test_html_alone_is_whitespace_canonical() -> None:
    a = normalize_outputs([display({"text/html": "<div>\n  <b>x</b>   y\n</div>"})])
    b = normalize_outputs([display({"text/html": "<div><b>x</b> y</div>"})])
    assert a == b
    assert canonical_html("<p>\n a  b\n</p>") == "<p>a b</p>"


def test_widget_model_ids_are_dropped() -> None:
    mime = "application/vnd.jupyter.widget-view+json"
    a = normalize_outputs(
        [display({mime: {"model_id": "abc", "version_major": 2}, "text/plain": "w"})]
    )
    b = normalize_outputs(
        [display({mime: {"model_id": "def", "version_major": 2}, "text/plain": "w"})]
    )
    assert a == b


def test_image_reduced_to_mime_size_hash() -> None:
    out = normalize_outputs(
        [display({"image/png": png_b64(4, 3), "text/plain": "<Figure size 4x3 with 1 Axes>"})]
    )
    assert out.rich == ()
    [image] = out.images
    assert (image.mime, image.size) == ("image/png", (4, 3))
    other = normalize_outputs([display({"image/png": png_b64(4, 3, shade=200)})])
    assert other.images[0].size == (4, 3)
    assert other.images[0].sha256 != image.sha256
    # Base64 line breaks (as some writers save them) do not change the bytes.
    wrapped = png_b64(4, 3)
    wrapped = "\n".join(wrapped[i : i + 20] for i in range(0, len(wrapped), 20))
    assert normalize_outputs([display({"image/png": wrapped})]).images == out.images


def test_image_sizes_from_headers() -> None:
    import base64

    assert image_pixel_size(base64.b64decode(png_b64(7, 5))) == (7, 5)
    assert image_pixel_size(b"GIF89a\x0a\x00\x14\x00rest") == (10, 20)
    jpeg = b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x0b\x08\x00\x30\x00\x40\x01\x01\x11\x00"
    assert image_pixel_size(jpeg) == (64, 48)
    assert image_pixel_size(b"not an image") is None


def test_svg_is_an_image_with_its_size() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect/></svg>'
    [image] = normalize_outputs([display({"image/svg+xml": svg})]).images
    assert (image.mime, image.size) == ("image/svg+xml", (120, 80))


def test_metadata_and_counts_do_not_matter() -> None:
    a = {
        "output_type": "execute_result",
        "execution_count": 3,
        "data": {"text/plain": "1"},
        "metadata": {"tags": ["x"]},
        "transient": {"display_id": "abc"},
    }
    assert normalize_outputs([a]) == normalize_outputs([result("1", count=99)])


def test_budget_cuts_both_sides_at_the_same_place() -> None:
    outputs = [stream("x" * 60), stream("y" * 60), display({"text/plain": "z" * 10})]
    kept, truncated = cap_outputs(outputs, 100)
    assert truncated
    assert [len(o["text"]) for o in kept] == [60, 40]
    budget = OutputBudget(100)
    streamed = [o for o in (budget.admit(dict(o)) for o in outputs) if o is not None]
    assert streamed == kept
    assert normalize_outputs(outputs, max_output_bytes=100).truncated


def test_budget_always_keeps_errors() -> None:
    kept, truncated = cap_outputs([stream("x" * 200), error("E", "v")], 100)
    assert truncated
    assert kept[-1]["output_type"] == "error"
