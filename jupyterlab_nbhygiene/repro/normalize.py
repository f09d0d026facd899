"""One normalizer for saved and fresh outputs (reproducibility.md §Normalize).

Both sides of a comparison go through :func:`normalize_outputs`, never only the new side, so a mask
or a terminal rule can never make two outputs differ that were equal before.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MAX_OUTPUT_BYTES = 2_000_000
TRUNCATION_NOTE = "[output truncated]"

# Order matters: a tqdm block holds times, a datetime holds a time, a time is not a duration.
MASKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "tqdm-rate",
        re.compile(r"\[\d+:\d+(?::\d+)?<(?:\d+:\d+(?::\d+)?|\?),\s*(?:\?|[\d.]+)\s*\w*/\w+\]"),
        "[<progress>]",
    ),
    (
        "ipykernel-file",
        re.compile(r"(?:[\w.~:\\/-]*[\\/])?ipykernel_\d+[\\/]\w+\.py"),
        "<ipykernel-cell>",
    ),
    ("cell-in", re.compile(r"\b(Cell In|Input In) ?\[\d*\]"), r"\1[<n>]"),
    (
        "figure",
        re.compile(
            r"<Figure size \d+(?:\.\d+)?x\d+(?:\.\d+)? with \d+ Axes>"
            r"|<matplotlib\.figure\.Figure at 0x[0-9a-fA-F]+>"
        ),
        "<Figure>",
    ),
    ("address", re.compile(r"\b0x[0-9a-fA-F]{6,16}\b"), "0x<address>"),
    (
        "uuid",
        re.compile(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
        ),
        "<uuid>",
    ),
    (
        "datetime-repr",
        re.compile(r"datetime\.datetime\(\d{4}(?:, \d+){2,6}(?:, tzinfo=[^)]*\)?)?\)"),
        "datetime.datetime(<datetime>)",
    ),
    (
        "iso-datetime",
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b"
        ),
        "<datetime>",
    ),
    ("time", re.compile(r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"), "<time>"),
    ("loops", re.compile(r"\b\d[\d,]* loops? each\b"), "<n> loops each"),
    (
        "duration",
        re.compile(
            r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)? ?"
            r"(?:ns|µs|μs|us|ms|s|sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?)\b"
        ),
        "<duration>",
    ),
)

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/svg+xml")
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
_HTML_GAP = re.compile(r"\s*(<|>)\s*")
_SPACES = re.compile(r"\s+")


def mask(text: str) -> str:
    """`text` with every volatile token (addresses, times, …) replaced by a fixed placeholder."""
    for _name, pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def apply_terminal(text: str) -> str:
    """What a terminal shows after printing `text`: `\\r` returns to the line start and later
    characters overwrite earlier ones; backspace moves one column left."""
    if "\r" not in text and "\b" not in text:
        return text
    return "\n".join(_terminal_line(line) for line in text.split("\n"))


def _terminal_line(line: str) -> str:
    if "\r" not in line and "\b" not in line:
        return line
    if "\b" not in line:
        shown = ""
        for segment in line.split("\r"):
            shown = segment + shown[len(segment) :]
        return shown
    screen: list[str] = []
    cursor = 0
    for char in line:
        if char == "\r":
            cursor = 0
        elif char == "\b":
            cursor = max(0, cursor - 1)
        else:
            if cursor < len(screen):
                screen[cursor] = char
            else:
                screen.append(char)
            cursor += 1
    return "".join(screen)


def clean_text(text: str) -> str:
    """The shared text pipeline: ANSI escapes, terminal control characters, then masks."""
    return mask(apply_terminal(strip_ansi(text)))


def source_text(value: Any) -> str:
    """nbformat multiline strings are a string or a list of strings."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return str(value)


# ---------------------------------------------------------------------------- output budget


def output_size(output: Mapping[str, Any]) -> int:
    """Approximate bytes an output holds (the text or the encoded data)."""
    kind = output.get("output_type")
    if kind == "stream":
        return len(source_text(output.get("text")).encode("utf-8", "replace"))
    data = output.get("data")
    if isinstance(data, Mapping):
        return sum(
            len(source_text(v)) if not isinstance(v, Mapping) else 256 for v in data.values()
        )
    return 0


@dataclass
class OutputBudget:
    """Caps what one cell's outputs may hold. The runner admits outputs as they arrive, the
    normalizer admits saved outputs the same way, so both sides are cut at the same place."""

    limit: int = DEFAULT_MAX_OUTPUT_BYTES
    used: int = 0
    truncated: bool = False

    def reset(self) -> None:
        """The outputs so far were cleared (clear_output): their bytes are free again."""
        self.used = 0

    def admit(self, output: dict[str, Any]) -> dict[str, Any] | None:
        """The output to keep (possibly shortened), or None when it no longer fits."""
        if output.get("output_type") == "error":
            return output  # small, and the error is what a comparison needs most
        size = output_size(output)
        if self.used + size <= self.limit:
            self.used += size
            return output
        self.truncated = True
        remaining = self.limit - self.used
        if output.get("output_type") == "stream" and remaining > 0:
            text = source_text(output.get("text"))
            kept = text.encode("utf-8", "replace")[:remaining].decode("utf-8", "ignore")
            self.used = self.limit
            return {**output, "text": kept}
        self.used = self.limit
        return None


def cap_outputs(
    outputs: Iterable[Mapping[str, Any]], limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """Saved outputs passed through the same budget the runner applies while capturing."""
    budget = OutputBudget(limit)
    kept: list[dict[str, Any]] = []
    for output in outputs:
        admitted = budget.admit(dict(output))
        if admitted is not None:
            kept.append(admitted)
    return kept, budget.truncated


# ---------------------------------------------------------------------------- normalized form


@dataclass(frozen=True)
class Image:
    """An image reduced to what may be compared: MIME type, pixel size and a hash of its bytes."""

    mime: str
    size: tuple[int, int] | None
    sha256: str
    data: str = field(compare=False, repr=False)  # as saved (base64, or SVG text), for display

    def describe(self) -> str:
        size = f" {self.size[0]}x{self.size[1]}" if self.size else ""
        return f"[{self.mime}{size} sha256:{self.sha256[:12]}]"


@dataclass(frozen=True)
class Rich:
    """One rich output (execute_result/display_data) as the text that represents it."""

    mime: str
    text: str


@dataclass(frozen=True)
class NormalizedOutput:
    """A cell's outputs with everything that may not be compared removed."""

    stdout: str = ""
    stderr: str = ""
    rich: tuple[Rich, ...] = ()
    images: tuple[Image, ...] = ()
    error: tuple[str, str] | None = None
    truncated: bool = False

    def render(self) -> list[str]:
        """Readable lines for a unified diff; each section says what it is."""
        lines: list[str] = []
        if self.stdout:
            lines += ["[stdout]", *self.stdout.splitlines()]
        for item in self.rich:
            lines += [f"[{item.mime}]", *item.text.splitlines()]
        lines += [image.describe() for image in self.images]
        if self.stderr:
            lines += ["[stderr]", *self.stderr.splitlines()]
        if self.error:
            lines.append(f"[error] {self.error[0]}: {self.error[1]}")
        if self.truncated:
            lines.append(TRUNCATION_NOTE)
        return lines


def normalize_outputs(
    outputs: Iterable[Mapping[str, Any]], *, max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES
) -> NormalizedOutput:
    """Outputs (saved or fresh) reduced to what reproducibility.md says is compared.

    Execution counts, metadata, transient data and tracebacks are dropped; streams are joined per
    name and shown as a terminal would show them; errors keep ename and the masked evalue.
    """
    kept, truncated = cap_outputs(outputs, max_output_bytes)
    streams: dict[str, list[str]] = {"stdout": [], "stderr": []}
    rich: list[Rich] = []
    images: list[Image] = []
    error: tuple[str, str] | None = None
    for output in kept:
        kind = output.get("output_type")
        if kind == "stream":
            name = output.get("name") if output.get("name") == "stderr" else "stdout"
            streams[str(name)].append(source_text(output.get("text")))
        elif kind in ("execute_result", "display_data", "update_display_data"):
            data = output.get("data")
            if isinstance(data, Mapping):
                _rich_item(data, output.get("metadata"), rich, images)
        elif kind == "error":
            ename = str(output.get("ename") or "Error")
            error = (ename, clean_text(str(output.get("evalue") or "")))
    return NormalizedOutput(
        stdout=clean_text("".join(streams["stdout"])),
        stderr=clean_text("".join(streams["stderr"])),
        rich=tuple(rich),
        images=tuple(images),
        error=error,
        truncated=truncated,
    )


def _rich_item(
    data: Mapping[str, Any], metadata: Any, rich: list[Rich], images: list[Image]
) -> None:
    if _WIDGET_MIME in data:
        # A widget's model id is new in every kernel; its state is not output.
        rich.append(Rich(_WIDGET_MIME, "<widget>"))
        return
    for mime in _IMAGE_MIMES:
        if mime in data:
            images.append(_image(mime, data[mime], metadata))
            return  # the text/plain beside an image is its repr (`<Figure …>`): not the output
    if "text/plain" in data:
        rich.append(Rich("text/plain", clean_text(source_text(data["text/plain"]))))
    elif "text/html" in data:
        rich.append(Rich("text/html", canonical_html(source_text(data["text/html"]))))
    elif data:
        mime = sorted(data)[0]
        value = data[mime]
        if isinstance(value, (dict, list)):
            text = json.dumps(value, sort_keys=True, indent=1)
        else:
            text = source_text(value)
        rich.append(Rich(mime, clean_text(text)))


def canonical_html(html: str) -> str:
    """HTML without formatting whitespace: runs collapse to one space, none next to a tag."""
    html = _HTML_GAP.sub(r"\1", strip_ansi(html).strip())
    return mask(_SPACES.sub(" ", html))


def _image(mime: str, value: Any, metadata: Any) -> Image:
    text = source_text(value)
    if mime == "image/svg+xml":
        raw = text.encode("utf-8")
        size = _svg_size(text)
    else:
        compact = "".join(text.split())
        try:
            raw = base64.b64decode(compact, validate=False)
        except (binascii.Error, ValueError):
            raw = compact.encode("ascii", "replace")
        size = image_pixel_size(raw)
    if size is None and isinstance(metadata, Mapping):
        size = _metadata_size(metadata.get(mime))
    return Image(mime=mime, size=size, sha256=hashlib.sha256(raw).hexdigest(), data=text)


def image_pixel_size(raw: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG, GIF or JPEG header; None for anything else."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n") and len(raw) >= 24:
        width, height = struct.unpack(">II", raw[16:24])
        return int(width), int(height)
    if raw[:6] in (b"GIF87a", b"GIF89a") and len(raw) >= 10:
        width, height = struct.unpack("<HH", raw[6:10])
        return int(width), int(height)
    if raw.startswith(b"\xff\xd8"):
        return _jpeg_size(raw)
    return None


def _jpeg_size(raw: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(raw):
        if raw[pos] != 0xFF:
            pos += 1
            continue
        marker = raw[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", raw[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", raw[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + length
    return None


_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_SVG_DIM = re.compile(r"\b(width|height)=[\"']([\d.]+)")


def _svg_size(text: str) -> tuple[int, int] | None:
    header = _SVG_TAG.search(text[:4000])
    found = dict(_SVG_DIM.findall(header.group(0))) if header else {}
    if "width" in found and "height" in found:
        return round(float(found["width"])), round(float(found["height"]))
    return None


def _metadata_size(meta: Any) -> tuple[int, int] | None:
    if isinstance(meta, Mapping):
        width, height = meta.get("width"), meta.get("height")
        if isinstance(width, (int, float)) and isinstance(height, (int, float)):
            return round(width), round(height)
    return None
