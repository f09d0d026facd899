"""Cells whose error is the point: nbval's `raises-exception` marker.

A notebook tested with nbval tags a cell that must raise `raises-exception` (or starts a
line with the comment `# NBVAL_RAISES_EXCEPTION`). Rules about errors (`error-output`,
`undefined-name`) stay silent there.
"""

from __future__ import annotations

import re

from ..model import Cell

_COMMENT = re.compile(r"^\s*#\s*NBVAL_RAISES_EXCEPTION\b", re.MULTILINE)
_TAG = "raises-exception"


def expects_error(cell: Cell) -> bool:
    """True when nbval's marker says this cell is meant to raise."""
    return _TAG in cell.tags or (
        "NBVAL_RAISES_EXCEPTION" in cell.source and _COMMENT.search(cell.source) is not None
    )
