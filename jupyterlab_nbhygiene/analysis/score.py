"""The 0–100 hygiene score and its per-category breakdown (docs/rules.md, "The score").

Formula, for each rule r with n findings and weight w_r::

    cost(r)      = w_r * (2 - 2 ** (1 - n))      # 1st finding w, 2nd +w/2, 3rd +w/4 ... < 2w
    loss(c)      = min(cap_c, sum of cost(r) for the rules r of category c)
    breakdown[c] = -round(loss(c))
    score        = max(0, 100 + sum(breakdown.values()))
    score        = min(49, score)   # when the notebook breaks on re-run (see below)

Weights are set by consequence. What breaks Restart & Run All costs most. Where EMSE'21
measured an odds ratio of reproducing, the weight is ``10 * ln(1 / OR)``: out-of-order
execution (0.34x) costs 11, an execution-count gap (0.64x) 4. Style rules cost 1–3 and
the structure + documentation caps add up to 16, so style alone never takes a notebook
below 84.

A notebook with a finding that breaks Restart & Run All (`syntax-error`,
`use-before-definition`, `undefined-name` at error severity, not suppressed) scores at most
49 and is labelled "breaks on re-run", never "good" or "fair" (`score_label`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from .model import CATEGORIES, Category, Finding
from .settings import Settings


def _odds_weight(odds_ratio: float) -> float:
    return round(10 * math.log(1 / odds_ratio))


DEFAULT_WEIGHTS: Mapping[str, float] = {
    # reproducibility: breaks Restart & Run All
    "syntax-error": 25,
    "use-before-definition": 20,
    "undefined-name": 20,
    # reproducibility: measured odds (Pimentel et al., EMSE 2021)
    "out-of-order-execution": _odds_weight(0.34),  # 11
    "execution-count-gap": _odds_weight(0.64),  # 4
    # reproducibility: hidden state and nondeterminism
    "unexecuted-cell": 5,
    "error-output": 6,
    "stale-cell": 6,
    "possible-test-data-leak": 6,
    "unseeded-random": 5,
    "cross-cell-mutation": 3,
    "non-idempotent-cell": 3,
    "redefined-across-cells": 1,
    "dynamic-namespace": 1,
    # structure
    "star-import": 3,
    "long-notebook": 3,
    "import-not-at-top": 1,
    "duplicate-import": 1,
    "long-cell": 1,
    "empty-cell": 1,
    # documentation
    "missing-title": 2,
    "low-markdown-ratio": 2,
    "untitled-notebook": 2,
    # portability
    "absolute-path": 5,
    "pip-install-in-notebook": 2,
    "large-output": 2,
    "unsupported-language": 0,
}

DEFAULT_CAPS: Mapping[Category, float] = {
    "reproducibility": 60,
    "structure": 10,
    "documentation": 6,
    "portability": 12,
}

# Findings of these rules (at error severity) mean Restart & Run All fails.
BREAKS_ON_RERUN: frozenset[str] = frozenset(
    {"syntax-error", "use-before-definition", "undefined-name"}
)
BREAKING_SCORE_CAP = 49  # the most a notebook that breaks on re-run scores: "poor" at best
ScoreLabel = Literal["good", "fair", "poor", "breaks on re-run"]

# A rule that is not in the table (a plugin, a future rule) costs by its severity.
_SEVERITY_WEIGHT: Mapping[str, float] = {"error": 10, "warning": 3, "info": 1}


def rule_weight(rule_id: str, severity: str, settings: Settings) -> float:
    """The weight of one rule: the settings' override, else the default table."""
    if rule_id in settings.weights:
        return settings.weights[rule_id]
    return DEFAULT_WEIGHTS.get(rule_id, _SEVERITY_WEIGHT.get(severity, 1))


def compute_score(
    findings: Iterable[Finding], settings: Settings | None = None
) -> tuple[int, dict[str, int]]:
    """Return ``(score, breakdown)``: score in 0..100, breakdown = points lost per category.

    The breakdown always has the four categories as keys, each a non-positive int, and
    ``score == max(0, 100 + sum(breakdown.values()))``, capped at 49 when a finding says
    the notebook breaks on re-run (`breaks_on_rerun`), whatever the rules' weights.
    """
    findings = list(findings)
    conf = settings or Settings()
    counts: Counter[tuple[str, str, str]] = Counter(
        (f.rule, f.category, f.severity) for f in findings
    )
    loss: dict[str, float] = dict.fromkeys(CATEGORIES, 0.0)
    for (rule_id, category, severity), n in counts.items():
        weight = rule_weight(rule_id, severity, conf)
        loss[category] = loss.get(category, 0.0) + weight * (2 - 2 ** (1 - n))
    breakdown: dict[str, int] = {}
    for category in CATEGORIES:
        cap = conf.category_caps.get(category, DEFAULT_CAPS[category])
        lost = round(min(cap, loss[category]))
        breakdown[category] = -lost if lost else 0
    score = max(0, 100 + sum(breakdown.values()))
    if breaks_on_rerun(findings):
        score = min(score, BREAKING_SCORE_CAP)
    return score, breakdown


def breaks_on_rerun(findings: Sequence[Finding]) -> bool:
    """Whether a finding says Restart & Run All fails: one of `BREAKS_ON_RERUN` at error
    severity (suppressed findings are not in `findings`)."""
    return any(f.rule in BREAKS_ON_RERUN and f.severity == "error" for f in findings)


def score_label(score: int, findings: Sequence[Finding]) -> ScoreLabel:
    """The word shown with the score: "breaks on re-run" when `breaks_on_rerun`, else
    "good" (80 and above), "fair" (50-79) or "poor" (below 50)."""
    if breaks_on_rerun(findings):
        return "breaks on re-run"
    if score >= 80:
        return "good"
    return "fair" if score >= 50 else "poor"
