"""The score formula (docs/rules.md, "The score"): a weight change must show up here."""

from __future__ import annotations

import pytest

from jupyterlab_nbhygiene.analysis.model import CellIndex, Finding
from jupyterlab_nbhygiene.analysis.rules import all_rules
from jupyterlab_nbhygiene.analysis.score import DEFAULT_WEIGHTS, compute_score
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
    ("rules", "expected"),
    [
        (["use-before-definition"], 80),
        (["syntax-error"], 75),
        (["out-of-order-execution"], 89),  # 10 * ln(1 / 0.34)
        (["execution-count-gap"], 96),  # 10 * ln(1 / 0.64)
        (["empty-cell"], 99),
        (["empty-cell"] * 2, 98),  # 1 + 0.5, rounded
        (["empty-cell"] * 50, 98),  # a rule never costs more than twice its weight
        (["undefined-name"] * 3 + ["use-before-definition"] * 3, 40),  # capped at 60
    ],
)
def test_pinned_scores(rules: list[str], expected: int) -> None:
    score, breakdown = compute_score([finding(r, i) for i, r in enumerate(rules)], Settings())
    assert score == expected
    assert score == 100 + sum(breakdown.values())


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
    free = Settings.from_mapping({"weights": {"syntax-error": 0}})
    assert compute_score([finding("syntax-error")], free)[0] == 100


def test_unknown_rule_costs_by_severity() -> None:
    plugin = Finding("plugin-rule", "warning", "portability", None, None, "m")
    assert compute_score([plugin], Settings())[1]["portability"] == -3
