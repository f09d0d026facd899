"""One settings model for pyproject.toml and the JupyterLab settings registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_nbhygiene.analysis import settings as settings_module
from jupyterlab_nbhygiene.analysis.settings import Settings, SettingsError, settings_schema

SCHEMA_FILE = Path(settings_module.__file__).with_name("settings.schema.json")


def test_defaults() -> None:
    conf = Settings.from_mapping(None)
    assert conf == Settings.from_mapping({}) == Settings()
    assert conf.enabled("long-cell")
    assert conf.long_cell_lines == 30
    assert conf.fail_under is None


@pytest.mark.parametrize("key", ["long-cell-lines", "long_cell_lines"])
def test_kebab_and_snake_keys(key: str) -> None:
    assert Settings.from_mapping({key: 50}).long_cell_lines == 50


def test_every_setting_parses() -> None:
    conf = Settings.from_mapping(
        {
            "select": ["long-cell", "empty-cell"],
            "ignore": "empty-cell",
            "severity": {"long-cell": "error"},
            "long-notebook-cells": 10,
            "min-markdown-ratio": 0.5,
            "large-output-bytes": 1000,
            "weights": {"long-cell": 2.5},
            "category-caps": {"structure": 5},
            "fail-under": 70,
        }
    )
    assert conf.select == {"long-cell", "empty-cell"}
    assert conf.ignore == {"empty-cell"}
    assert conf.enabled("long-cell")
    assert not conf.enabled("empty-cell")
    assert not conf.enabled("syntax-error")
    assert conf.severity == {"long-cell": "error"}
    assert conf.weights == {"long-cell": 2.5}
    assert conf.category_caps == {"structure": 5.0}
    assert conf.fail_under == 70


def test_null_means_default() -> None:
    assert Settings.from_mapping({"select": None, "fail-under": None}) == Settings()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"long-cel-lines": 3}, "Did you mean `long-cell-lines`?"),
        ({"colour": "red"}, "Unknown setting `colour`"),
        ({"long-cell-lines": 0}, "positive integer"),
        ({"long-cell-lines": True}, "positive integer"),
        ({"min-markdown-ratio": -1}, "non-negative"),
        ({"select": [1]}, "list of rule ids"),
        ({"select": ["unseded-random"]}, "Did you mean `unseeded-random`?"),
        ({"ignore": ["no-such-rule"]}, "unknown rule `no-such-rule`"),
        ({"severity": {"long-cell": "fatal"}}, "error, warning or info"),
        ({"weights": {"long-cell": -1}}, "non-negative numbers"),
        ({"category-caps": {"style": 3}}, "unknown category `style`"),
        ({"fail-under": 101}, "0 to 100"),
    ],
)
def test_bad_settings_say_what_is_wrong(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace("?", r"\?")):
        Settings.from_mapping(data)


def test_not_a_mapping() -> None:
    with pytest.raises(SettingsError, match="object"):
        Settings.from_mapping(["select"])  # type: ignore[arg-type]


def test_schema_lists_every_setting_and_the_file_is_current() -> None:
    schema = settings_schema()
    keys = {name.replace("_", "-") for name in Settings.__dataclass_fields__}
    assert set(schema["properties"]) == keys
    assert schema["additionalProperties"] is False
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == schema


def test_schema_defaults_are_the_dataclass_defaults() -> None:
    props = settings_schema()["properties"]
    defaults = Settings()
    for key, prop in props.items():
        value = getattr(defaults, key.replace("-", "_"))
        if isinstance(value, frozenset):
            value = sorted(value)
        if isinstance(value, dict):
            value = dict(value)
        assert prop["default"] == value, key
