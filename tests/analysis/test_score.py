"""The score formula (docs/rules.md, "The score"): a weight change must show up here."""

from __future__ import annotations

import pytest

from jupyterlab_nbhygiene.analysis.model import CellIndex, Finding
from jupyterlab_nbhygiene.analysis.rules import all_rules
from jupyterlab_nbhygiene.analysis.score import (
    BREAKS_ON_RERUN,
    DEFAULT_WEIGHTS,
    breaks_on_rerun,
    compute_score,
    score_label,
)
from jupyterlab_nbhygiene.analysis.settings import Settings

_RULES = {r.id: r for r in all_rules()}


def finding(rule_id: str, cell: int = 0) -> Finding:
    r = _RULES[rule_id]
    return Finding(rule_id, r.severity, r.category, CellIndex(cell), 1, "m")


def test_no_findings_is_100_with_every_category() -> None:
    assert compute_score([], Settings()) == (
        100,
        {"reproducibility": 0, "structure": 0, "documentation": 0, "portability": 0},
    )


def test_every_rule_has_a_default_weight() -> None:
    assert set(DEFAULT_WEIGHTS) == set(_RULES)


@pytest.mark.parametrize(
    ("rules", "expected", "label"),
    [
        # What breaks Restart & Run All: at most 49, whatever the formula gives (80, 75, ...).
        (["use-before-definition"], 49, "breaks on re-run"),
        (["syntax-error"], 49, "breaks on re-run"),
        (["undefined-name", "empty-cell"], 49, "breaks on re-run"),
        (["undefined-name"] * 3 + ["use-before-definition"] * 3, 40, "breaks on re-run"),
        (["out-of-order-execution"], 89, "good"),  # 10 * ln(1 / 0.34)
        (["execution-count-gap"], 96, "good"),  # 10 * ln(1 / 0.64)
        (["empty-cell"], 99, "good"),
        (["empty-cell"] * 2, 98, "good"),  # 1 + 0.5, rounded
        (["empty-cell"] * 50, 98, "good"),  # a rule never costs more than twice its weight
        (["stale-cell", "error-output", "unexecuted-cell", "cross-cell-mutation"], 80, "good"),
        (["stale-cell", "error-output", "unexecuted-cell", "execution-count-gap"], 79, "fair"),
        (["out-of-order-execution", "absolute-path", "possible-test-data-leak"], 78, "fair"),
        (["out-of-order-execution", "stale-cell", "error-output", "unseeded-random"], 72, "fair"),
        ([r.id for r in all_rules() if r.id not in BREAKS_ON_RERUN], 24, "poor"),
    ],
)
def test_pinned_scores(rules: list[str], expected: int, label: str) -> None:
    findings = [finding(r, i) for i, r in enumerate(rules)]
    score, breakdown = compute_score(findings, Settings())
    assert score == expected
    assert score_label(score, findings) == label
    if label != "breaks on re-run":
        assert score == 100 + sum(breakdown.values())
    else:  # the breakdown still says what each category lost
        assert breakdown["reproducibility"] < 0
        assert score == min(49, 100 + sum(breakdown.values()))


@pytest.mark.parametrize(
    ("score", "label"), [(100, "good"), (80, "good"), (79, "fair"), (50, "fair"), (49, "poor")]
)
def test_label_bounds(score: int, label: str) -> None:
    assert score_label(score, []) == label


def test_a_breaking_finding_at_lower_severity_or_of_another_rule_does_not_cap() -> None:
    softened = Finding("undefined-name", "warning", "reproducibility", CellIndex(0), 1, "m")
    assert compute_score([softened], Settings())[0] == 80
    assert score_label(80, [softened]) == "good"
    assert not breaks_on_rerun([finding("error-output")])


def test_style_alone_never_below_84() -> None:
    style = [r.id for r in all_rules() if r.category in ("structure", "documentation")]
    findings = [finding(r, i) for i, r in enumerate(style * 20)]
    score, breakdown = compute_score(findings, Settings())
    assert score == 84
    assert breakdown == {
        "reproducibility": 0,
        "structure": -10,
        "documentation": -6,
        "portability": 0,
    }


def test_worst_case_is_clamped_at_zero_by_caps() -> None:
    findings = [finding(r.id, i) for i, r in enumerate(all_rules() * 10)]
    score, breakdown = compute_score(findings, Settings())
    assert breakdown == {
        "reproducibility": -60,
        "structure": -10,
        "documentation": -6,
        "portability": -12,
    }
    assert score == 12


def test_weights_and_caps_come_from_settings() -> None:
    conf = Settings.from_mapping({"weights": {"empty-cell": 10}, "category-caps": {"structure": 4}})
    assert compute_score([finding("empty-cell")], conf) == (
        96,
        {"reproducibility": 0, "structure": -4, "documentation": 0, "portability": 0},
    )
    free = Settings.from_mapping({"weights": {"out-of-order-execution": 0}})
    assert compute_score([finding("out-of-order-execution")], free)[0] == 100
    # A weight of 0 costs nothing, but a notebook that breaks on re-run stays capped.
    free = Settings.from_mapping({"weights": {"syntax-error": 0}})
    assert compute_score([finding("syntax-error")], free)[0] == 49


def test_unknown_rule_costs_by_severity() -> None:
    plugin = Finding("plugin-rule", "warning", "portability", None, None, "m")
    assert compute_score([plugin], Settings())[1]["portability"] == -3
