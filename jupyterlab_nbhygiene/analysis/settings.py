"""One settings model for the CLI (`[tool.nbhygiene]`) and the JupyterLab settings registry.

Both send the same keys; kebab-case (`long-cell-lines`) and snake_case (`long_cell_lines`)
are accepted. An unknown key is an error (:class:`SettingsError`, with a "did you mean"),
like ruff: a typo in a config must not silently turn a rule back on.
:func:`settings_schema` lists every setting as JSON Schema, so the frontend's
`schema/*.json` can mirror it: `settings.schema.json` beside this file is its output
(`python -m jupyterlab_nbhygiene.analysis.settings > settings.schema.json`).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import AnalysisInputError
from .model import CATEGORIES, Severity
from .rule_ids import RULE_IDS


class SettingsError(AnalysisInputError):
    """A setting has the wrong type or value; the message is for the user."""


@dataclass(frozen=True)
class Settings:
    """What the analysis may be told; every field has a documented default."""

    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    long_cell_lines: int = 30
    long_notebook_cells: int = 37
    min_markdown_ratio: float = 0.3
    large_output_bytes: int = 1_000_000
    weights: Mapping[str, float] = field(default_factory=dict)
    category_caps: Mapping[str, float] = field(default_factory=dict)
    fail_under: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Settings:
        """Build settings from `[tool.nbhygiene]` or the settings registry (kebab or snake keys).

        Raises :class:`SettingsError` with one sentence naming the key when a key is
        unknown or a value has the wrong type or range. ``None`` or ``{}`` gives defaults.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise SettingsError("Settings must be an object (a TOML table or a JSON object).")
        kwargs: dict[str, Any] = {}
        for raw_key, value in data.items():
            key = str(raw_key).replace("-", "_")
            spec = _SPECS.get(key)
            if spec is None:
                raise SettingsError(_unknown_key(str(raw_key)))
            if value is None:
                continue  # the registry sends null for "use the default"
            kwargs[key] = spec.parse(_kebab(key), value)
        return cls(**kwargs)

    def enabled(self, rule_id: str) -> bool:
        """True when `rule_id` is selected (or nothing is) and not ignored."""
        if rule_id in self.ignore:
            return False
        return self.select is None or rule_id in self.select

    def merged(self, overrides: Mapping[str, Any]) -> Settings:
        """A copy with `overrides` (snake_case field names, already valid) applied."""
        values = {name: getattr(self, name) for name in _SPECS}
        values.update(overrides)
        return Settings(**values)


def _kebab(key: str) -> str:
    return key.replace("_", "-")


def _unknown_key(key: str) -> str:
    names = [_kebab(k) for k in _SPECS]
    close = difflib.get_close_matches(key.replace("_", "-"), names, n=1)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return f"Unknown setting `{key}`.{hint} Known settings: {', '.join(names)}."


def _check_rule_ids(key: str, ids: Any) -> None:
    unknown = sorted(set(ids).difference(RULE_IDS))
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(RULE_IDS), n=1)
        hint = f" Did you mean `{close[0]}`?" if close else ""
        raise SettingsError(f"`{key}` names an unknown rule `{unknown[0]}`.{hint}")


def _rule_ids(key: str, value: Any) -> frozenset[str]:
    if isinstance(value, str):  # "a,b" from a command line or a quick config
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple | frozenset | set) or not all(
        isinstance(i, str) for i in value
    ):
        raise SettingsError(f"`{key}` must be a list of rule ids.")
    _check_rule_ids(key, value)
    return frozenset(value)


def _positive_int(key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SettingsError(f"`{key}` must be a positive integer, not {_short(value)}.")
    return value


def _finite(value: Any) -> float | None:
    """`value` as a finite float, or None for a bool, a non-number, NaN, ±inf or an int too
    large for a float (JSON and TOML allow all of those)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _ratio(key: str, value: Any) -> float:
    number = _finite(value)
    if number is None or number < 0:
        raise SettingsError(f"`{key}` must be a non-negative number, not {_short(value)}.")
    return number


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _severity(key: str, value: Any) -> dict[str, Severity]:
    if not isinstance(value, Mapping) or not all(
        v in ("error", "warning", "info") for v in value.values()
    ):
        raise SettingsError(f"`{key}` maps rule ids to error, warning or info.")
    _check_rule_ids(key, value)
    return {str(k): v for k, v in value.items()}


def _number_map(key: str, value: Any, keys: frozenset[str] | None) -> dict[str, float]:
    numbers = {k: _finite(v) for k, v in value.items()} if isinstance(value, Mapping) else None
    if numbers is None or any(v is None or v < 0 for v in numbers.values()):
        raise SettingsError(f"`{key}` maps names to non-negative numbers.")
    if keys is None:
        _check_rule_ids(key, value)
    elif set(value) - keys:
        bad = sorted(set(value) - keys)[0]
        raise SettingsError(f"`{key}` has an unknown category `{bad}`; use {', '.join(keys)}.")
    return {str(k): v for k, v in numbers.items() if v is not None}


def _fail_under(key: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise SettingsError(f"`{key}` must be an integer from 0 to 100, not {_short(value)}.")
    return value


@dataclass(frozen=True)
class _Spec:
    description: str
    schema: dict[str, Any]
    kind: str

    def parse(self, key: str, value: Any) -> Any:
        if self.kind == "ids":
            return _rule_ids(key, value)
        if self.kind == "int":
            return _positive_int(key, value)
        if self.kind == "ratio":
            return _ratio(key, value)
        if self.kind == "severity":
            return _severity(key, value)
        if self.kind == "weights":
            return _number_map(key, value, None)
        if self.kind == "caps":
            return _number_map(key, value, frozenset(CATEGORIES))
        return _fail_under(key, value)


_IDS = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
_SPECS: dict[str, _Spec] = {
    "select": _Spec("Rule ids to run (default: every rule).", {**_IDS, "default": None}, "ids"),
    "ignore": _Spec("Rule ids never to run.", {**_IDS, "default": []}, "ids"),
    "severity": _Spec(
        "Severity overrides: rule id -> error, warning or info.",
        {
            "type": "object",
            "additionalProperties": {"enum": ["error", "warning", "info"]},
            "default": {},
        },
        "severity",
    ),
    "long_cell_lines": _Spec(
        "`long-cell` fires above this many lines.",
        {"type": "integer", "minimum": 1, "default": 30},
        "int",
    ),
    "long_notebook_cells": _Spec(
        "`long-notebook` fires at this many code cells (EMSE'21: 37).",
        {"type": "integer", "minimum": 1, "default": 37},
        "int",
    ),
    "min_markdown_ratio": _Spec(
        "`low-markdown-ratio` fires below this markdown/code cell ratio.",
        {"type": "number", "minimum": 0, "default": 0.3},
        "ratio",
    ),
    "large_output_bytes": _Spec(
        "`large-output` fires when one cell's saved outputs exceed this many bytes.",
        {"type": "integer", "minimum": 1, "default": 1_000_000},
        "int",
    ),
    "weights": _Spec(
        "Score weight per rule id (points for its first finding).",
        {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}, "default": {}},
        "weights",
    ),
    "category_caps": _Spec(
        "Most points one category can cost.",
        {
            "type": "object",
            "propertyNames": {"enum": list(CATEGORIES)},
            "additionalProperties": {"type": "number", "minimum": 0},
            "default": {},
        },
        "caps",
    ),
    "fail_under": _Spec(
        "`nbhygiene analyze` exits 1 when a score is below this.",
        {"type": ["integer", "null"], "minimum": 0, "maximum": 100, "default": None},
        "fail",
    ),
}


def settings_schema() -> dict[str, Any]:
    """JSON Schema (draft 7) of the settings object, with kebab-case keys.

    The same keys are valid in `[tool.nbhygiene]` and in the JupyterLab settings registry.
    """
    properties: dict[str, Any] = {}
    for key, spec in _SPECS.items():
        properties[_kebab(key)] = {"description": spec.description, **spec.schema}
    properties["select"]["type"] = ["array", "null"]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "nbhygiene settings",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


if __name__ == "__main__":  # regenerate settings.schema.json
    import json

    print(json.dumps(settings_schema(), indent=2))
