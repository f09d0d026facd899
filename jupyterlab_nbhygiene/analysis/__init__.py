"""Pure notebook analysis: no tornado, no jupyter_server, no kernel."""

from .analyzer import analyze, build_context
from .notebook import NotebookError, read_notebook
from .settings import Settings, SettingsError

__all__ = [
    "NotebookError",
    "Settings",
    "SettingsError",
    "analyze",
    "build_context",
    "read_notebook",
]
