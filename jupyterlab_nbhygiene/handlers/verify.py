"""The verify routes: start a run (202 + Location), read its status, cancel it (204)."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from .base import BaseHandler
from .verify_support import VerifyInputError, VerifyService

SERVICE_KEY = "nbhygiene_verify"


class _VerifyBase(BaseHandler):
    @property
    def service(self) -> VerifyService:
        service: VerifyService = self.settings[SERVICE_KEY]
        return service

    def _unknown(self, run_id: str) -> web.HTTPError:
        return web.HTTPError(
            404, f"There is no verify run {run_id!r}; finished runs are forgotten after a while."
        )


class VerifyHandler(_VerifyBase):
    """POST /nbhygiene/verify: start a run; the answer is 202 `{"id"}` with a Location."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        try:
            run = await self.service.start(body)
        except VerifyInputError as e:
            raise web.HTTPError(e.status, str(e)) from e
        self.set_header("Location", url_path_join(self.base_url, "nbhygiene/verify", run.id))
        self.write_json({"id": run.id}, status=202)


class VerifyRunHandler(_VerifyBase):
    """GET /nbhygiene/verify/{id}: the run's status; DELETE: cancel it (its kernel stops)."""

    @web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        run = self.service.registry.get(run_id)
        if run is None:
            raise self._unknown(run_id)
        self.write_json(run.to_json())

    @web.authenticated
    @authorized
    async def delete(self, run_id: str) -> None:
        run = await self.service.registry.cancel(run_id)
        if run is None:
            raise self._unknown(run_id)
        self.set_status(204)
        self.finish()
