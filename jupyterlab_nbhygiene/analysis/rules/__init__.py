"""Hygiene rules: run every enabled rule, apply settings and suppressions, sort.

Suppression (docs/rules.md):
- cell tag `nbhygiene-ignore` silences every rule in that cell,
  `nbhygiene-ignore:<rule-id>` one rule;
- a comment `# nbhygiene: ignore[<id>, <id>]` (or a bare `# nbhygiene: ignore`) on the
  finding's line silences those rules (or all) there. A finding that points at a cell
  but not at a line is silenced by such a comment on the cell's first line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from operator import itemgetter
from types import MappingProxyType

from ..context import AnalysisContext
from ..model import SEVERITY_ORDER, Category, Finding, Severity
from . import (
    documentation,
    leakage,
    mutation,
    names,
    portability,
    randomness,
    reproducibility_order,
    structure,
)
from .base import Draft, Rule

__all__ = ["CATALOGUE", "REGISTRY", "Rule", "all_rules", "run_rules"]

CATALOGUE: tuple[Rule, ...] = (
    # reproducibility
    leakage.test_data_leak,
    mutation.cross_cell_mutation,
    mutation.non_idempotent,
    mutation.redefined,
    names.syntax_error,
    names.use_before_definition,
    names.undefined_name,
    names.dynamic_namespace,
    randomness.unseeded_random,
    reproducibility_order.out_of_order,
    reproducibility_order.count_gap,
    reproducibility_order.unexecuted,
    reproducibility_order.error_output,
    reproducibility_order.stale,
    # structure
    structure.import_not_at_top,
    structure.duplicate_import,
    structure.star_import,
    structure.long_cell,
    structure.long_notebook,
    structure.empty_cell,
    # documentation
    documentation.missing_title,
    documentation.low_markdown_ratio,
    documentation.untitled,
    # portability
    portability.absolute_path,
    portability.pip_install,
    portability.large_output,
    portability.unsupported_language,
)
"""Every rule, in the order docs/rules.md lists them (category, then family)."""

REGISTRY: Mapping[str, Rule] = MappingProxyType({r.id: r for r in CATALOGUE})
"""Rule id -> rule, read-only."""

_IGNORE_COMMENT = re.compile(r"#\s*nbhygiene:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
_TAG = "nbhygiene-ignore"
_RANK = itemgetter(0, 1)  # (-severity, rule id) of a batch of drafts
_POSITION = itemgetter(0)  # (cell, line) of a placed finding
_FINDING = itemgetter(1)  # the placed finding itself


def all_rules() -> list[Rule]:
    """Every rule, in catalogue order."""
    return list(CATALOGUE)


def _line_ignores(source: str, line: int) -> frozenset[str] | None:
    """Rule ids a comment on `line` silences; `{"*"}` for all; None when there is none."""
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return None
    match = _IGNORE_COMMENT.search(lines[line - 1])
    if match is None:
        return None
    if match.group(1) is None:
        return frozenset({"*"})
    ids = frozenset(part.strip() for part in match.group(1).split(",") if part.strip())
    return ids or frozenset({"*"})


def _suppressed(ctx: AnalysisContext, rule_id: str, draft: Draft) -> bool:
    cell_index, line, _ = draft
    if cell_index is None or not 0 <= cell_index < len(ctx.notebook.cells):
        return False
    cell = ctx.notebook.cells[cell_index]
    if cell.tags and (_TAG in cell.tags or f"{_TAG}:{rule_id}" in cell.tags):
        return True
    if "nbhygiene" not in cell.source:  # no ignore comment possible: skip splitting lines
        return False
    ids = _line_ignores(cell.source, line or 1)
    return ids is not None and ("*" in ids or rule_id in ids)


def run_rules(ctx: AnalysisContext) -> list[Finding]:
    """Run every rule the settings enable and return findings sorted by cell, then line.

    Notebook-level findings (no cell) come first, and a cell's findings without a line
    before those with one. Findings on the same line are ordered by severity (errors
    first), then by rule id. Suppressed findings are dropped; severity overrides from the
    settings are applied. A rule never sees a non-Python notebook unless it only reads
    structure (``needs_python=False``).
    """
    settings = ctx.settings
    python = ctx.notebook.language == "python"
    # Cells that can silence a finding at all (a tag, or an ignore comment in the source);
    # findings elsewhere skip the suppression check.
    quiet = {cell.index for cell in ctx.notebook.cells if cell.tags or "nbhygiene" in cell.source}
    batches: list[tuple[int, str, Severity, Category, list[Draft]]] = []
    for r in all_rules():
        if not settings.enabled(r.id) or (r.needs_python and not python):
            continue
        drafts = list(r.check(ctx))
        if quiet:
            drafts = [d for d in drafts if d[0] not in quiet or not _suppressed(ctx, r.id, d)]
        if drafts:
            severity = settings.severity.get(r.id, r.severity)
            batches.append((-SEVERITY_ORDER[severity], r.id, severity, r.category, drafts))
    # Rules taken by severity, then id: a stable sort by position then keeps that order
    # among the findings of one line.
    batches.sort(key=_RANK)
    placed: list[tuple[tuple[int, int], Finding]] = []
    for _, rule_id, severity, category, drafts in batches:
        placed += [
            (
                (-1 if cell is None else cell, line or 0),
                Finding(rule_id, severity, category, cell, line, message),
            )
            for cell, line, message in drafts
        ]
    placed.sort(key=_POSITION)
    return list(map(_FINDING, placed))
