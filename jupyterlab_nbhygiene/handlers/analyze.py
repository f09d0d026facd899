"""POST /nbhygiene/analyze: the report for a notebook sent in the body."""

from __future__ import annotations

import asyncio
from functools import partial

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..analysis import analyze
from .base import BaseHandler

POOL_KEY = "nbhygiene_analysis_pool"


class AnalyzeHandler(BaseHandler):
    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        notebook = body.get("notebook")
        if notebook is None:
            raise web.HTTPError(400, 'The body needs a "notebook" (nbformat v4 JSON).')
        path = body.get("path")
        if path is not None and not isinstance(path, str):
            raise web.HTTPError(400, '"path" must be a string.')
        history = body.get("history")
        settings = body.get("settings")
        try:
            # In the extension's few worker threads: a large notebook must not stall the
            # server's event loop, and a burst must not take the interpreter lock from it.
            report = await asyncio.get_running_loop().run_in_executor(
                self.settings.get(POOL_KEY),
                partial(analyze, notebook, history, settings, path=path),
            )
        except ValueError as e:  # NotebookError, SettingsError: the message is for the user
            raise web.HTTPError(400, str(e)) from e
        self.write_json(report)
