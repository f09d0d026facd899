"""POST /nbhygiene/fix and POST /nbhygiene/export: repairs and modules (README, "REST API").

Thin: validate the body, run the pure core (fixes/, export/) in the extension's worker
threads, map its refusals to 409 and bad input to 400. Nothing is written here: the
frontend applies the edits through the notebook model and writes files through the
contents API.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..analysis.errors import AnalysisInputError
from .analyze import POOL_KEY
from .base import BaseHandler

T = TypeVar("T")


class RepairBase(BaseHandler):
    """Shared by the repair routes: the notebook from the body, the core off the loop."""

    def notebook(self, body: dict[str, Any]) -> Any:
        notebook = body.get("notebook")
        if not isinstance(notebook, dict):
            raise web.HTTPError(400, 'The body needs a "notebook" (nbformat v4 JSON).')
        return notebook

    async def run_core(self, work: Callable[[], T]) -> T:
        """`work()` in the worker threads; its refusal is a 409, its input error a 400.

        Only the core's own errors (``AnalysisInputError``) carry a sentence for the user;
        any other exception is a bug: it propagates, is logged with its traceback, and is
        answered 500 with a generic message (`BaseHandler.write_error`).
        """
        from ..export.errors import ExportError
        from ..fixes import UnsafeFix

        try:
            return await asyncio.get_running_loop().run_in_executor(
                self.settings.get(POOL_KEY), work
            )
        except (UnsafeFix, ExportError) as e:
            raise web.HTTPError(409, str(e)) from e
        except AnalysisInputError as e:  # not a notebook, no such cell or fix
            raise web.HTTPError(400, str(e)) from e


class FixHandler(RepairBase):
    @web.authenticated
    @authorized
    async def post(self) -> None:
        from ..fixes import apply_fix

        body = self.json_body()
        notebook = self.notebook(body)
        fix = body.get("fix")
        if not isinstance(fix, str):
            raise web.HTTPError(400, 'The body needs a "fix" name (a string).')
        cell = body.get("cell")
        if cell is not None and (not isinstance(cell, int) or isinstance(cell, bool)):
            raise web.HTTPError(400, '"cell" must be a cell index (an integer from 0).')
        self.write_json(await self.run_core(partial(apply_fix, notebook, fix, cell)))


class ExportHandler(RepairBase):
    @web.authenticated
    @authorized
    async def post(self) -> None:
        from ..export import export_notebook

        body = self.json_body()
        notebook = self.notebook(body)
        path = body.get("path")
        if not isinstance(path, str) or not path.strip():
            raise web.HTTPError(400, 'The body needs the notebook\'s "path" (a string).')
        cells = body.get("cells")
        if cells is not None and (
            not isinstance(cells, list)
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in cells)
        ):
            raise web.HTTPError(400, '"cells" must be a list of cell numbers (1-based).')
        tests = body.get("tests", False)
        if not isinstance(tests, bool):
            raise web.HTTPError(400, '"tests" must be true or false.')
        places = {}
        for key in ("module_path", "tests_path"):
            value = body.get(key)
            if value is not None and not isinstance(value, str):
                raise web.HTTPError(400, f'"{key}" must be a string.')
            places[key] = value
        work = partial(
            export_notebook,
            notebook,
            path=path,
            cells=cells,
            tests=tests,
            module_path=places["module_path"],
            tests_path=places["tests_path"],
        )
        result = await self.run_core(work)
        summary = result.summary()
        self.write_json({"module": result.module, "tests": result.tests, "summary": summary})
