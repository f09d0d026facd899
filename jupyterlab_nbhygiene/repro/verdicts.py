"""Per-cell verdicts and the verify result (architecture.md §Verify result): one place shapes it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analysis.model import cell_label
from .compare import Level, compare, unified_diff
from .markers import Markers, cell_markers
from .normalize import DEFAULT_MAX_OUTPUT_BYTES, Image, NormalizedOutput, normalize_outputs
from .runner import CellRun

VERDICTS = (
    "same",
    "soft",
    "changed",
    "nondeterministic",
    "new-error",
    "error-fixed",
    "timeout",
    "kernel-died",
    "unrun",
    "skipped",
)
# A cell with one of these verdicts makes the notebook not reproducible.
BAD_VERDICTS = frozenset(
    {"changed", "nondeterministic", "new-error", "error-fixed", "timeout", "kernel-died"}
)
CAUSE_OF_VERDICT = {
    "new-error": "error",
    "timeout": "error",
    "kernel-died": "error",
    "nondeterministic": "nondeterminism",
    "changed": "changed-output",
    "error-fixed": "changed-output",
}


@dataclass
class CellVerdict:
    """The verdict on one code cell; `to_json` is its entry in the result's `cells`."""

    index: int
    id: str
    verdict: str
    execution_count: int | None = None
    error: dict[str, str] | None = None
    saved_error: dict[str, str] | None = None
    diff: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None
    truncated: bool = False
    seconds: float | None = None
    fresh: NormalizedOutput | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "id": self.id,
            "verdict": self.verdict,
            "execution_count": self.execution_count,
        }
        for key in ("error", "saved_error", "diff", "reason", "seconds"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.images:
            out["images"] = self.images
        if self.truncated:
            out["truncated"] = True
        return out


def _error_json(norm: NormalizedOutput) -> dict[str, str] | None:
    return {"ename": norm.error[0], "evalue": norm.error[1]} if norm.error else None


def never_executed(cell: Mapping[str, Any]) -> bool:
    return cell.get("execution_count") is None and not cell.get("outputs")


def judge_cell(
    cell: Mapping[str, Any],
    run: CellRun,
    *,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    markers: Markers | None = None,
) -> CellVerdict:
    """Compare one cell's saved outputs with what a fresh run produced."""
    markers = markers or cell_markers(cell)
    count = cell.get("execution_count")
    verdict = CellVerdict(
        index=run.index,
        id=str(cell.get("id") or f"cell-{run.index}"),
        verdict="same",
        execution_count=count if isinstance(count, int) else None,
        seconds=run.seconds if run.status not in ("skipped", "not-run") else None,
        truncated=run.truncated,
    )
    if run.status == "skipped" or markers.skip:
        verdict.verdict, verdict.reason = (
            "skipped",
            f"marked {markers.why}" if markers.why else None,
        )
        return verdict
    if run.status == "not-run":
        verdict.verdict, verdict.reason = "skipped", run.reason
        return verdict
    if run.status in ("timeout", "died"):
        verdict.verdict = "timeout" if run.status == "timeout" else "kernel-died"
        verdict.reason = run.reason
        return verdict

    saved = normalize_outputs(cell.get("outputs") or [], max_output_bytes=max_output_bytes)
    fresh = normalize_outputs(run.outputs, max_output_bytes=max_output_bytes)
    verdict.fresh = fresh
    verdict.error, verdict.saved_error = _error_json(fresh), _error_json(saved)
    error_diff = unified_diff(saved.render(), fresh.render())
    if markers.ignore_output:
        if fresh.error and not saved.error and not markers.raises:
            verdict.verdict, verdict.diff = "new-error", error_diff
        else:
            verdict.reason = f"output not compared ({markers.why})"
        return verdict
    if never_executed(cell):
        if fresh.error and not markers.raises:
            verdict.verdict, verdict.diff = "new-error", error_diff
        else:
            verdict.verdict, verdict.reason = "unrun", "no saved output: never executed"
        return verdict
    if fresh.error and not saved.error:
        verdict.verdict, verdict.diff = "new-error", error_diff
        return verdict
    if saved.error and not fresh.error:
        verdict.verdict, verdict.diff = "error-fixed", error_diff
        return verdict
    result = compare(saved, fresh)
    verdict.verdict = {Level.SAME: "same", Level.SOFT: "soft", Level.CHANGED: "changed"}[
        result.level
    ]
    verdict.diff = result.diff
    if result.level == Level.SOFT:
        verdict.reason = _soft_reason(result.images)
    verdict.images = [
        {"mime": a.mime, "saved": a.data, "fresh": b.data, "size": list(b.size) if b.size else None}
        for a, b in result.images
    ]
    return verdict


def _soft_reason(images: tuple[tuple[Image, Image], ...]) -> str:
    """Why a soft verdict is soft; a changed pixel size is named, with both sizes."""
    for saved, fresh in images:
        if saved.size != fresh.size and saved.size and fresh.size:
            return (
                f"an image is {fresh.size[0]}×{fresh.size[1]} instead of "
                f"{saved.size[0]}×{saved.size[1]} (another DPI or plotting backend?): "
                f"compare them side by side"
            )
    return "only stderr or image bytes differ"


def runs_differ(first: CellVerdict, second: CellVerdict) -> str | None:
    """A diff when two fresh runs of one cell disagree beyond soft differences, else None."""
    if first.fresh is None or second.fresh is None:
        if first.verdict != second.verdict and "skipped" not in (first.verdict, second.verdict):
            return f"first run: {first.verdict}, second run: {second.verdict}"
        return None
    result = compare(first.fresh, second.fresh)
    if result.level < Level.CHANGED:
        return None
    return unified_diff(
        first.fresh.render(), second.fresh.render(), labels=("fresh run 1", "fresh run 2")
    )


def mark_nondeterministic(first: CellVerdict, second: CellVerdict) -> None:
    """`first` becomes `nondeterministic` when the two runs of its cell disagree."""
    if first.verdict in ("skipped", "timeout", "kernel-died"):
        return
    diff = runs_differ(first, second)
    if diff is not None:
        first.verdict, first.diff = "nondeterministic", diff
        first.reason = "two fresh runs gave different output"


def build_result(
    verdicts: Sequence[CellVerdict],
    *,
    kernel: str,
    runs: int,
    order_issues: Sequence[Mapping[str, Any]] = (),
    execution_order: bool = False,
) -> dict[str, Any]:
    """The verify result: `reproducible`, `cause`, a plain-words `summary`, `counts` per verdict,
    `order` (cells whose execution order matters), and one entry per code cell."""
    bad = [v for v in sorted(verdicts, key=lambda v: v.index) if v.verdict in BAD_VERDICTS]
    if not bad:
        cause = None
    elif execution_order:
        cause = "execution-order"
    else:
        # The first cell that does not reproduce usually explains the ones after it.
        cause = CAUSE_OF_VERDICT[bad[0].verdict]
    counts = Counter(v.verdict for v in verdicts)
    return {
        "reproducible": not bad,
        "cause": cause,
        "summary": summarize(cause, bad, order_issues),
        "kernel": kernel,
        "runs": runs,
        "counts": {name: counts[name] for name in VERDICTS if counts[name]},
        "order": [dict(issue) for issue in order_issues],
        "cells": [v.to_json() for v in sorted(verdicts, key=lambda v: v.index)],
    }


def summarize(
    cause: str | None, bad: Sequence[CellVerdict], order_issues: Sequence[Mapping[str, Any]]
) -> str:
    """The cause in plain words."""
    if cause is None:
        return "Reproducible: a fresh top-to-bottom run gives the saved outputs."
    first = bad[0]
    label = cell_label(first.index, capital=True)
    if cause == "execution-order":
        details = "; ".join(str(i["message"]) for i in order_issues)
        text = "Restart & Run All fails, but running the cells in their saved execution order "
        text += "reproduces the outputs: the cells were run out of order."
        return f"{text} {details[:1].upper()}{details[1:]}." if details else text
    if cause == "nondeterminism":
        return f"{label} gives different output on every run (unseeded randomness?)."
    if cause == "changed-output":
        if first.verdict == "error-fixed":
            return f"{label} no longer raises the saved error: its output is stale."
        return f"{label} gives different output in a fresh kernel than the saved one."
    what = {
        "new-error": "raises an error",
        "timeout": "did not finish within the timeout",
        "kernel-died": "crashed the kernel",
    }.get(first.verdict, "fails")
    detail = f" ({first.error['ename']}: {first.error['evalue']})" if first.error else ""
    return f"{label} {what} in a fresh kernel{detail}."
