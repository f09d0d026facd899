"""nbhygiene: make notebook hidden state visible and reproducibility checkable."""

from __future__ import annotations

from typing import Any

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "0.0.0.dev0"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab_nbhygiene"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    # Imported here so that `import jupyterlab_nbhygiene` (the CLI) stays free of tornado.
    from .app import NbHygieneApp

    return [{"module": "jupyterlab_nbhygiene", "app": NbHygieneApp}]
