"""POST /nbhygiene/analyze (a report for a full or a delta body) and
DELETE /nbhygiene/analyze/{client} (the notebook was closed)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized
from tornado import web

from ..analysis.errors import AnalysisInputError
from ..analysis.session import SessionConflict
from ..sessions import AnalyzeService
from .base import BaseHandler
from .encoding import Encoded, encode_json

POOL_KEY = "nbhygiene_analysis_pool"
SERVICE_KEY = "nbhygiene_analyze_service"


class _AnalyzeBase(BaseHandler):
    @property
    def service(self) -> AnalyzeService:
        service: AnalyzeService = self.settings[SERVICE_KEY]
        return service

    async def user_key(self) -> str:
        """Who owns the sessions of this request: the user a login cookie names; a
        request that proves only the server's token (a script without cookies, which
        jupyter_server gives a new anonymous user each time) is the token holder."""
        provider = self.identity_provider
        cookie_user = await ensure_async(provider.get_user_cookie(self))
        if cookie_user is None and self.token and provider.get_token(self) == self.token:
            return "token holder"
        user: Any = self.current_user
        return f"user {getattr(user, 'username', user)}"


class AnalyzeHandler(_AnalyzeBase):
    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.json_body()
        accept = self.request.headers.get("Accept-Encoding")
        try:
            # In the extension's few worker threads: a large notebook must not stall the
            # server's event loop, and a burst must not take the interpreter lock from it.
            # The report is serialised (and compressed) there too.
            answer = await asyncio.get_running_loop().run_in_executor(
                self.settings.get(POOL_KEY),
                partial(_report_bytes, self.service, await self.user_key(), body, accept),
            )
        except AnalysisInputError as e:  # the message is for the user
            raise web.HTTPError(400, str(e)) from e
        except SessionConflict as e:
            self.write_json({"message": str(e), "reason": e.reason}, status=409)
            return
        self.write_encoded(answer)


def _report_bytes(
    service: AnalyzeService, user: str, body: dict[str, Any], accept: str | None
) -> Encoded:
    return encode_json(service.analyze(user, body), accept)


class AnalyzeSessionHandler(_AnalyzeBase):
    @web.authenticated
    @authorized
    async def delete(self, client: str) -> None:
        self.service.close(await self.user_key(), client)
        self.set_status(204)
        await self.finish()
