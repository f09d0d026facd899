"""The Jupyter server extension: configuration (traitlets) and routes."""

from __future__ import annotations

from typing import Any

from jupyter_server.extension.application import ExtensionApp

from .handlers import routes


class NbHygieneApp(ExtensionApp):  # type: ignore[misc]
    """Serves `/nbhygiene/*`: notebook analysis and reproducibility runs."""

    name = "jupyterlab_nbhygiene"
    load_other_extensions = True

    def initialize_handlers(self) -> None:
        self.handlers.extend(routes())

    def initialize_settings(self) -> None:
        self.log.info("nbhygiene: analysis and verify routes enabled")

    async def stop_extension(self) -> None:
        """Called by the server on shutdown."""

    def _extra(self) -> dict[str, Any]:
        return {}
