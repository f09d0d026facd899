"""Compare two normalized outputs with meaning (reproducibility.md §Compare with meaning).

Text and integers compare exactly, floats within a tolerance, Python literals by value (set and
dict order ignored); stderr and image bytes or pixel sizes can only make a difference `soft`:
only another number of images, or another image type, is `changed`.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from .normalize import Image, NormalizedOutput

REL_TOL = 1e-6
ABS_TOL = 1e-12
MAX_DIFF_LINES = 200
MAX_LITERAL_CHARS = 200_000  # literal_eval on megabytes of text costs more than it tells

_NUMBER = re.compile(
    r"(?<![\w.])([-+]?(?:\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d+"
    r"|nan|inf))(?![\w.])"
)
_WARNING_LINE = re.compile(r"^.*?:\d+: (?P<category>[A-Za-z_][\w.]*): (?P<message>.*)$")
_PROGRESS_LINE = re.compile(
    r"\d{1,3}%\|"  # tqdm: ` 40%|████      | 4/10`
    r"|\[<progress>\]"  # a masked tqdm rate block
    r"|^\s*\S*\s*\|[█▉▊▋▌▍▎▏#=>\-. ]+\|"  # a bar drawn between pipes
)


class Level(IntEnum):
    """How much two outputs differ; the larger wins when parts disagree."""

    SAME = 0
    SOFT = 1
    CHANGED = 2


@dataclass(frozen=True)
class Comparison:
    level: Level
    diff: str | None
    images: tuple[tuple[Image, Image], ...] = ()  # pairs that differ, for side by side


# ---------------------------------------------------------------------------- values


def numbers_equal(a: str, b: str) -> bool:
    """Number tokens: integers exactly, anything with a fraction or exponent within tolerance."""
    if a == b:
        return True
    if _is_int(a) and _is_int(b):
        return int(a) == int(b)
    try:
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    except ValueError:
        return False


def _is_int(token: str) -> bool:
    return token.lstrip("+-").isdigit()


def values_equal(a: Any, b: Any) -> bool:
    """Python values compared as data: float tolerance, set and dict order ignored."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(a, complex) and isinstance(b, complex):
        return values_equal(a.real, b.real) and values_equal(a.imag, b.imag)
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k]) for k in a)
    if isinstance(a, (set, frozenset)):
        if a == b:
            return True
        if len(a) != len(b):
            return False
        try:  # sets of floats: pair them in sorted order to allow float noise
            return all(values_equal(x, y) for x, y in zip(sorted(a), sorted(b), strict=True))
        except TypeError:
            return False
    return bool(a == b)


_NOT_A_LITERAL = object()


def _literal(text: str) -> Any:
    text = text.strip()
    if not text or len(text) > MAX_LITERAL_CHARS or text[0] not in "[({-+.0123456789'\"bTFN":
        return _NOT_A_LITERAL
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_A_LITERAL


def lines_equal(a: str, b: str) -> bool:
    """One line each: equal text, numbers within tolerance, or equal literal values."""
    if a == b:
        return True
    parts_a, parts_b = _NUMBER.split(a), _NUMBER.split(b)
    if len(parts_a) == len(parts_b) and all(
        (x == y) if i % 2 == 0 else numbers_equal(x, y)
        for i, (x, y) in enumerate(zip(parts_a, parts_b, strict=True))
    ):
        return True
    return _literal_tail_equal(a, b)


def _literal_tail_equal(a: str, b: str) -> bool:
    """`label: {…}` lines: the same prefix and equal literal values after it."""
    for opener in "{[(":
        i, j = a.find(opener), b.find(opener)
        if i >= 0 and i == j and a[:i] == b[:i]:
            left, right = _literal(a[i:]), _literal(b[j:])
            if left is not _NOT_A_LITERAL and right is not _NOT_A_LITERAL:
                return values_equal(left, right)
    return False


def texts_equal(a: str, b: str) -> bool:
    """Two blocks of text compared with meaning: as whole literals, else line by line."""
    if a == b:
        return True
    left, right = _literal(a), _literal(b)
    if left is not _NOT_A_LITERAL and right is not _NOT_A_LITERAL:
        return values_equal(left, right)
    lines_a, lines_b = a.splitlines(), b.splitlines()
    return len(lines_a) == len(lines_b) and all(
        lines_equal(x, y) for x, y in zip(lines_a, lines_b, strict=True)
    )


# ---------------------------------------------------------------------------- stderr


def split_stderr(text: str) -> tuple[frozenset[tuple[str, str]], list[str]]:
    """Warnings as a set of (category, message), and the other lines without progress bars.

    A warning's location line and the source line Python prints under it are not part of it.
    """
    warnings: set[tuple[str, str]] = set()
    other: list[str] = []
    lines = text.splitlines()
    skip_next = False
    for line in lines:
        if skip_next and line.startswith((" ", "\t")):
            skip_next = False
            continue
        skip_next = False
        match = _WARNING_LINE.match(line)
        if match and match.group("category").endswith(("Warning", "Deprecation")):
            warnings.add((match.group("category"), match.group("message").strip()))
            skip_next = True
        elif not line.strip() or _PROGRESS_LINE.search(line):
            continue
        else:
            other.append(line)
    return frozenset(warnings), other


def stderr_equal(a: str, b: str) -> bool:
    warnings_a, other_a = split_stderr(a)
    warnings_b, other_b = split_stderr(b)
    return warnings_a == warnings_b and texts_equal("\n".join(other_a), "\n".join(other_b))


# ---------------------------------------------------------------------------- outputs


def compare(saved: NormalizedOutput, new: NormalizedOutput) -> Comparison:
    """How `new` differs from `saved`, with a unified diff of the normalized text when it does."""
    level = Level.SAME
    rich_changed = len(saved.rich) != len(new.rich) or any(
        x.mime != y.mime or not texts_equal(x.text, y.text)
        for x, y in zip(saved.rich, new.rich, strict=False)
    )
    if saved.error != new.error or rich_changed or not texts_equal(saved.stdout, new.stdout):
        level = Level.CHANGED
    image_level, image_pairs = _compare_images(saved.images, new.images)
    level = max(level, image_level)
    if level < Level.SOFT and not stderr_equal(saved.stderr, new.stderr):
        level = Level.SOFT
    if level == Level.SAME:
        return Comparison(Level.SAME, None)
    return Comparison(level, unified_diff(saved.render(), new.render()), image_pairs)


def _compare_images(
    saved: Sequence[Image], new: Sequence[Image]
) -> tuple[Level, tuple[tuple[Image, Image], ...]]:
    if len(saved) != len(new):
        return Level.CHANGED, ()
    level = Level.SAME
    pairs: list[tuple[Image, Image]] = []
    for x, y in zip(saved, new, strict=True):
        if x.mime != y.mime:
            return Level.CHANGED, ()
        # Other bytes or another pixel size (another DPI or backend draws the same figure
        # at 389×389 instead of 231×231): shown side by side, for a person to judge.
        if x.sha256 != y.sha256 or x.size != y.size:
            level = Level.SOFT
            pairs.append((x, y))
    return level, tuple(pairs)


def unified_diff(
    saved: list[str], new: list[str], *, labels: tuple[str, str] = ("saved", "fresh run")
) -> str:
    """A unified diff, cut after MAX_DIFF_LINES lines."""
    lines = list(difflib.unified_diff(saved, new, labels[0], labels[1], lineterm="", n=2))
    if len(lines) > MAX_DIFF_LINES:
        more = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"… {more} more diff lines"]
    return "\n".join(lines)
