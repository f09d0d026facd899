"""One settings model for the CLI (`[tool.nbhygiene]`) and the JupyterLab settings registry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import Severity


class SettingsError(ValueError):
    """A setting has the wrong type or value; the message is for the user."""


@dataclass(frozen=True)
class Settings:
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    long_cell_lines: int = 30
    long_notebook_cells: int = 37
    min_markdown_ratio: float = 0.3
    large_output_bytes: int = 1_000_000

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Settings:
        """Build settings from `[tool.nbhygiene]` or the settings registry (kebab or snake keys)."""
        if not data:
            return cls()
        if not isinstance(data, Mapping):
            raise SettingsError("Settings must be an object.")
        values = {str(k).replace("-", "_"): v for k, v in data.items()}
        kwargs: dict[str, Any] = {}
        for key in ("select", "ignore"):
            if values.get(key) is not None:
                ids = values[key]
                if not isinstance(ids, list | tuple) or not all(isinstance(i, str) for i in ids):
                    raise SettingsError(f"`{key}` must be a list of rule ids.")
                kwargs[key] = frozenset(ids)
        for key in ("long_cell_lines", "long_notebook_cells", "large_output_bytes"):
            if key in values:
                value = values[key]
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise SettingsError(f"`{key}` must be a positive integer.")
                kwargs[key] = value
        if "min_markdown_ratio" in values:
            ratio = values["min_markdown_ratio"]
            if not isinstance(ratio, int | float) or isinstance(ratio, bool) or ratio < 0:
                raise SettingsError("`min_markdown_ratio` must be a non-negative number.")
            kwargs["min_markdown_ratio"] = float(ratio)
        if "severity" in values:
            sev = values["severity"]
            if not isinstance(sev, Mapping) or not all(
                v in ("error", "warning", "info") for v in sev.values()
            ):
                raise SettingsError("`severity` maps rule ids to error, warning or info.")
            kwargs["severity"] = dict(sev)
        return cls(**kwargs)

    def enabled(self, rule_id: str) -> bool:
        if rule_id in self.ignore:
            return False
        return self.select is None or rule_id in self.select
