"""nbval markers, so notebooks already tested with nbval keep their meaning here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .normalize import source_text

_COMMENT = re.compile(r"^\s*#\s*NBVAL_(SKIP|IGNORE_OUTPUT|RAISES_EXCEPTION)\b", re.MULTILINE)
SKIP_TAGS = frozenset({"nbval-skip", "skip-execution"})
IGNORE_TAGS = frozenset({"nbval-ignore-output"})
RAISES_TAGS = frozenset({"raises-exception"})


@dataclass(frozen=True)
class Markers:
    """What a cell's tags and marker comments ask for; `why` names the marker for the report."""

    skip: bool = False
    ignore_output: bool = False
    raises: bool = False
    why: str | None = None


def cell_markers(cell: Mapping[str, Any]) -> Markers:
    """The nbval markers of one cell: tags `nbval-skip`, `skip-execution`, `nbval-ignore-output`,
    `raises-exception`, and comments `# NBVAL_SKIP`, `# NBVAL_IGNORE_OUTPUT`,
    `# NBVAL_RAISES_EXCEPTION`."""
    metadata = cell.get("metadata")
    raw_tags = metadata.get("tags") if isinstance(metadata, Mapping) else None
    tags = {t for t in raw_tags if isinstance(t, str)} if isinstance(raw_tags, list) else set()
    comments = {f"NBVAL_{m}" for m in _COMMENT.findall(source_text(cell.get("source")))}
    found = sorted(tags & (SKIP_TAGS | IGNORE_TAGS | RAISES_TAGS)) + sorted(comments)
    return Markers(
        skip=bool(tags & SKIP_TAGS) or "NBVAL_SKIP" in comments,
        ignore_output=bool(tags & IGNORE_TAGS) or "NBVAL_IGNORE_OUTPUT" in comments,
        raises=bool(tags & RAISES_TAGS) or "NBVAL_RAISES_EXCEPTION" in comments,
        why=", ".join(found) or None,
    )
