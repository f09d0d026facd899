"""Pure notebook analysis: no tornado, no jupyter_server, no kernel."""

from .analyzer import analyze, build_context
from .errors import AnalysisInputError
from .notebook import NotebookError, read_notebook
from .session import AnalysisSession
from .settings import Settings, SettingsError

__all__ = [
    "AnalysisInputError",
    "AnalysisSession",
    "NotebookError",
    "Settings",
    "SettingsError",
    "analyze",
    "build_context",
    "read_notebook",
]
