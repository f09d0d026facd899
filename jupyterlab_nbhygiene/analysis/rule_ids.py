"""The id of every rule, in catalogue order: what settings may name (`select`, `ignore`,
`severity`, `weights`) without importing the rules. tests/analysis/test_imports.py checks
that the catalogue (rules/__init__.py) has exactly these ids, in this order."""

from __future__ import annotations

RULE_IDS: tuple[str, ...] = (
    # reproducibility
    "possible-test-data-leak",
    "cross-cell-mutation",
    "non-idempotent-cell",
    "redefined-across-cells",
    "syntax-error",
    "use-before-definition",
    "undefined-name",
    "dynamic-namespace",
    "unseeded-random",
    "out-of-order-execution",
    "execution-count-gap",
    "unexecuted-cell",
    "error-output",
    "stale-cell",
    # structure
    "import-not-at-top",
    "duplicate-import",
    "star-import",
    "long-cell",
    "long-notebook",
    "empty-cell",
    # documentation
    "missing-title",
    "low-markdown-ratio",
    "untitled-notebook",
    # portability
    "absolute-path",
    "pip-install-in-notebook",
    "large-output",
    "unsupported-language",
)
