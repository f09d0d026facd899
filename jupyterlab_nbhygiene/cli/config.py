"""`[tool.nbhygiene]` from pyproject.toml, merged with command-line flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..analysis.settings import Settings, SettingsError
from .common import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    try:
        import tomli as tomllib  # type: ignore[import-not-found]
    except ImportError:
        tomllib = None


def find_pyproject(start: Path) -> Path | None:
    """The nearest `pyproject.toml` in `start` or a parent folder that has `[tool.nbhygiene]`."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _table(candidate, missing_ok=True) is not None:
            return candidate
    return None


def _table(path: Path, *, missing_ok: bool) -> Mapping[str, Any] | None:
    if tomllib is None:
        raise UsageError("reading pyproject.toml needs Python 3.11 or the `tomli` package")
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageError(f"cannot read config {path}: {e.strerror or e}") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"{path} is not valid TOML: {e}") from e
    tool = data.get("tool")
    table = tool.get("nbhygiene") if isinstance(tool, Mapping) else None
    if table is None and not missing_ok:
        if path.name == "pyproject.toml" or "tool" in data:
            return {}  # an explicit pyproject without our table: defaults
        return data  # a standalone nbhygiene.toml with the keys at the top
    if table is not None and not isinstance(table, Mapping):
        raise UsageError(f"{path}: [tool.nbhygiene] must be a table")
    return table if table is None else dict(table)


def _flag_ids(flag: str, key: str, raw: str) -> frozenset[str]:
    try:
        ids: frozenset[str] | None = getattr(Settings.from_mapping({key: raw}), key)
    except SettingsError as e:
        raise UsageError(f"{flag}: {e}") from e
    return ids or frozenset()


def load_settings(args: argparse.Namespace, cwd: Path | None = None) -> tuple[Settings, str]:
    """Settings from `--config` (or the nearest pyproject.toml), then the flags on top.

    Returns the settings and where they came from (for messages). `--select` replaces the
    configured selection, `--ignore` adds to the configured ignore list, `--fail-under`
    replaces `fail-under`. Raises :class:`UsageError` for unreadable or invalid config.
    """
    source = "defaults"
    table: Mapping[str, Any] | None = None
    if args.config:
        path = Path(args.config)
        table = _table(path, missing_ok=False)
        source = str(path)
    else:
        found = find_pyproject((cwd or Path.cwd()).resolve())
        if found is not None:
            table = _table(found, missing_ok=True)
            source = str(found)
    try:
        settings = Settings.from_mapping(table)
    except SettingsError as e:
        raise UsageError(f"{source}: {e}") from e
    overrides: dict[str, Any] = {}
    if args.select:
        overrides["select"] = _flag_ids("--select", "select", args.select)
    if args.ignore:
        overrides["ignore"] = _flag_ids("--ignore", "ignore", args.ignore) | settings.ignore
    if args.fail_under is not None:
        if not 0 <= args.fail_under <= 100:
            raise UsageError("--fail-under must be from 0 to 100")
        overrides["fail_under"] = args.fail_under
    return (settings.merged(overrides) if overrides else settings), source
