"""What every nbhygiene handler shares: auth, JSON in and out, errors without tracebacks."""

from __future__ import annotations

import json
import math
from http.client import responses
from typing import Any

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from .encoding import Encoded, encode_json

AUTH_RESOURCE = "nbhygiene"
MAX_BODY_BYTES = 100 * 1024 * 1024  # a notebook with many plots; beyond it, a 413


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range for a number")
    return value


class BaseHandler(ExtensionHandlerMixin, APIHandler):
    """JSON API handler. Subclasses decorate every verb with `@web.authenticated` and
    `@authorized`; tests/hardening/test_auth.py fails the build for a route that does not."""

    auth_resource = AUTH_RESOURCE

    def json_body(self) -> dict[str, Any]:
        """The request body as a JSON object, or a 400 that says what is wrong with it."""
        raw = self.request.body
        if not raw:
            raise web.HTTPError(400, "The request needs a JSON body.")
        if len(raw) > MAX_BODY_BYTES:
            limit = MAX_BODY_BYTES // (1024 * 1024)
            raise web.HTTPError(413, f"The request body is larger than {limit} MB.")
        try:
            # Strict JSON: NaN, Infinity and 1e400 are not numbers another client can read back.
            body = json.loads(
                raw.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite_float
            )
        except UnicodeDecodeError as e:
            raise web.HTTPError(400, "The request body is not UTF-8 text.") from e
        except RecursionError as e:
            raise web.HTTPError(400, "The request body is nested too deeply.") from e
        except ValueError as e:
            raise web.HTTPError(400, f"The request body is not valid JSON: {e}.") from e
        if not isinstance(body, dict):
            raise web.HTTPError(400, "The request body must be a JSON object.")
        return body

    def write_json(self, payload: Any, status: int = 200) -> None:
        """`payload` as the answer, compressed for a client that takes gzip when large."""
        accept = self.request.headers.get("Accept-Encoding")
        self.write_encoded(encode_json(payload, accept), status)

    def write_encoded(self, answer: Encoded, status: int = 200) -> None:
        """A JSON answer already encoded (`encoding.encode_json`, in a worker thread)."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Vary", "Accept-Encoding")
        if answer.encoding is not None:
            self.set_header("Content-Encoding", answer.encoding)
        self.finish(answer.body)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Errors are `{"message": ...}`; a traceback is logged, never sent."""
        self.set_header("Content-Type", "application/json")
        message = responses.get(status_code, "Unknown error")
        exc_info = kwargs.get("exc_info")
        if exc_info and isinstance(exc_info[1], web.HTTPError):
            message = exc_info[1].log_message or message
        elif status_code >= 500:
            message = "nbhygiene hit an internal error; the server log has the details."
        self.finish(json.dumps({"message": message}))
