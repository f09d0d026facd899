"""The Settings Editor's `rules` form must only offer keys the server accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jupyterlab_nbhygiene.analysis.settings import Settings, settings_schema

PLUGIN_SCHEMA = Path(__file__).resolve().parents[1] / "schema" / "plugin.json"


def _rules_properties() -> dict[str, Any]:
    schema = json.loads(PLUGIN_SCHEMA.read_text(encoding="utf-8"))
    properties: dict[str, Any] = schema["properties"]["rules"]["properties"]
    return properties


def test_every_frontend_rule_setting_is_a_server_setting() -> None:
    # The server rejects unknown keys, so a stray key here would fail every analysis.
    assert set(_rules_properties()) <= set(settings_schema()["properties"])


def test_frontend_thresholds_default_to_the_server_defaults() -> None:
    defaults = Settings()
    for key, prop in _rules_properties().items():
        value = getattr(defaults, key.replace("-", "_"))
        if isinstance(value, int | float) and "default" in prop:
            assert prop["default"] == value, key


def test_the_server_accepts_the_frontend_defaults() -> None:
    sent = {k: p["default"] for k, p in _rules_properties().items() if p.get("default") is not None}
    Settings.from_mapping(sent)
