"""Where a cell's source lines sit in the text of the `.ipynb` file as saved.

Code-scanning UIs show SARIF regions against the file's own text, where line 1 is `{`. nbformat
saves a cell's source as a list of JSON strings, one line each, each on a line of its own; other
writers save it as one string holding `\\n` escapes. :func:`source_positions` reads the file's
JSON once, skipping every value but the cells' sources with the C decoder, and maps a line inside
a cell to the (line, column) of the file's text where that source line starts, whatever the
layout, indentation and escapes (`\\"`, `\\n`, `\\uXXXX` and surrogate pairs).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class LayoutError(ValueError):
    """The text is not a notebook this module can read (not JSON, no `cells` array)."""


@dataclass(frozen=True)
class _Piece:
    """One JSON string of a source: where its first character is in the file text."""

    start: int  # offset just past the opening quote
    value: str  # the decoded string


class SourcePositions:
    """Maps (cell index, 1-based line in the cell) to 1-based (line, column) in the file text.

    Columns count Unicode code points (SARIF `columnKind` `unicodeCodePoints`).
    """

    def __init__(self, text: str, sources: list[list[_Piece] | int]) -> None:
        self._text = text
        # Per cell: its source strings, or the offset of the source value when it is empty.
        self._sources = sources

    def _line_col(self, offset: int) -> tuple[int, int]:
        line = self._text.count("\n", 0, offset) + 1
        return line, offset - (self._text.rfind("\n", 0, offset) + 1) + 1

    def locate(self, cell: int, line: int | None) -> tuple[int, int] | None:
        """Where line `line` of cell `cell` starts (its first character, or where it would be
        for an empty line); the start of the source for `line` None; None for a cell or line
        the file does not have."""
        if not 0 <= cell < len(self._sources):
            return None
        source = self._sources[cell]
        if isinstance(source, int):
            return self._line_col(source) if line in (None, 1) else None
        wanted = (line or 1) - 1
        seen = 0  # newlines met so far across the pieces
        for piece in source:
            at = 0
            while seen < wanted:
                newline = piece.value.find("\n", at)
                if newline < 0:
                    break
                seen += 1
                at = newline + 1
            if seen == wanted and at <= len(piece.value):
                if at == len(piece.value) and piece is not source[-1]:
                    continue  # the line starts in the next piece
                return self._line_col(_raw_offset(self._text, piece.start, at))
        return None


def _raw_offset(text: str, start: int, index: int) -> int:
    """The offset in `text` of decoded character `index` of the JSON string at `start`."""
    pos = start
    for _ in range(index):
        if text[pos] != "\\":
            pos += 1
        elif text[pos + 1] != "u":
            pos += 2
        else:
            code = int(text[pos + 2 : pos + 6], 16)
            pos += 6
            # A surrogate pair decodes to one character.
            if (
                0xD800 <= code < 0xDC00
                and text.startswith("\\u", pos)
                and 0xDC00 <= int(text[pos + 2 : pos + 6], 16) < 0xE000
            ):
                pos += 6
    return pos


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _expect(text: str, pos: int, char: str) -> int:
    pos = _skip_ws(text, pos)
    if not text.startswith(char, pos):
        raise LayoutError(f"expected {char!r} at offset {pos}")
    return pos + 1


def _members(text: str, pos: int) -> list[tuple[str, int]]:
    """The keys of the object at `pos` and where each value starts; skips the values."""
    pos = _expect(text, pos, "{")
    found: list[tuple[str, int]] = []
    pos = _skip_ws(text, pos)
    if text.startswith("}", pos):
        return found
    while True:
        pos = _expect(text, pos, '"')
        key, pos = _scanstring(text, pos)
        pos = _skip_ws(text, _expect(text, pos, ":"))
        found.append((key, pos))
        pos = _skip_ws(text, _skip_value(text, pos))
        if text.startswith("}", pos):
            return found
        pos = _expect(text, pos, ",")


def _skip_value(text: str, pos: int) -> int:
    try:
        return int(_DECODER.raw_decode(text, pos)[1])
    except ValueError as e:
        raise LayoutError(str(e)) from e


def _elements(text: str, pos: int) -> list[int]:
    """Where each element of the array at `pos` starts."""
    pos = _expect(text, pos, "[")
    starts: list[int] = []
    pos = _skip_ws(text, pos)
    if text.startswith("]", pos):
        return starts
    while True:
        pos = _skip_ws(text, pos)
        starts.append(pos)
        pos = _skip_ws(text, _skip_value(text, pos))
        if text.startswith("]", pos):
            return starts
        pos = _expect(text, pos, ",")


def _string(text: str, pos: int) -> _Piece:
    if not text.startswith('"', pos):
        raise LayoutError(f"expected a string at offset {pos}")
    value, _ = _scanstring(text, pos + 1)
    return _Piece(pos + 1, value)


def _source(text: str, pos: int) -> list[_Piece] | int:
    if text.startswith('"', pos):
        piece = _string(text, pos)
        return [piece] if piece.value else pos
    pieces = [_string(text, at) for at in _elements(text, pos)]
    return [p for p in pieces if p.value] or pos


def source_positions(text: str) -> SourcePositions:
    """Read the notebook JSON `text` once; raises :class:`LayoutError` when it has no cells."""
    top = dict(_members(text, _skip_ws(text, 0)))
    if "cells" not in top:
        raise LayoutError("the notebook has no `cells` array")
    sources: list[list[_Piece] | int] = []
    for cell_start in _elements(text, top["cells"]):
        members = dict(_members(text, cell_start))
        sources.append(_source(text, members["source"]) if "source" in members else cell_start)
    return SourcePositions(text, sources)
