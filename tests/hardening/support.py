"""Helpers for the hardening tests: raw HTTP without jp_fetch's token, error-shape checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psutil
from repro.support import living_children
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPResponse
from tornado.web import RequestHandler

EXTENSION = "jupyterlab_nbhygiene"
_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)|\([^)]*\)")


@dataclass
class Answer:
    """What the server answered, whatever the status."""

    code: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


async def raw(
    url: str,
    *,
    method: str = "GET",
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 120.0,
) -> Answer:
    """One request with exactly the given headers (no token unless given); never raises on a
    status code. A body is always sent for POST/PUT/PATCH (tornado requires one)."""
    if body is None and method in ("POST", "PUT", "PATCH"):
        body = b""
    # A client of its own: the shared one sends at most 10 requests at a time.
    client = AsyncHTTPClient(force_instance=True, max_clients=1)
    try:
        response: HTTPResponse = await client.fetch(
            url,
            method=method,
            body=body,
            headers=headers or {},
            follow_redirects=False,
            request_timeout=timeout,
            allow_nonstandard_methods=True,
        )
    except HTTPClientError as e:
        if e.response is None:
            raise
        response = e.response
    finally:
        client.close()
    return Answer(response.code, response.body or b"", dict(response.headers))


def server_url(port: int, base_url: str, *parts: str) -> str:
    return f"http://127.0.0.1:{port}{base_url}" + "/".join(parts)


def extension_routes(serverapp: Any) -> list[tuple[str, type[RequestHandler]]]:
    """Every (pattern, handler class) the nbhygiene extension registered in the running server."""
    routes: list[tuple[str, type[RequestHandler]]] = []
    for app in serverapp.extension_manager.extension_apps[EXTENSION]:
        for spec in app.handlers:
            routes.append((spec[0], spec[1]))
    assert routes, "the extension registered no handlers"
    return routes


def implemented_verbs(handler: type[RequestHandler]) -> Iterator[str]:
    """The HTTP verbs the handler class answers (not tornado's 405 placeholder), except the
    CORS preflight that jupyter_server's APIHandler answers for everyone on purpose."""
    for verb in handler.SUPPORTED_METHODS:
        method = getattr(handler, verb.lower())
        if method is RequestHandler._unimplemented_method or is_public_preflight(method):
            continue
        yield verb


def is_public_preflight(method: Any) -> bool:
    """jupyter_server's own `@allow_unauthenticated` OPTIONS (CORS preflight, no body)."""
    return bool(
        getattr(method, "__allow_unauthenticated", False)
        and method.__module__.startswith("jupyter_server.")
        and method.__name__ == "options"
    )


def concrete_path(pattern: str) -> str:
    """A URL path that matches a route pattern: each capture group becomes a plausible id."""
    return _GROUP.sub("0123456789abcdef0123456789abcdef", pattern).lstrip("/").rstrip("$")


def assert_user_error(answer: Answer, *codes: int) -> str:
    """A 4xx (one of `codes` when given) with a JSON `{message}` sentence and no traceback;
    returns the message."""
    assert 400 <= answer.code < 500, f"{answer.code}: {answer.text[:300]}"
    if codes:
        assert answer.code in codes, f"{answer.code} not in {codes}: {answer.text[:300]}"
    assert "Traceback" not in answer.text
    assert answer.headers.get("Content-Type", "").startswith("application/json"), answer.headers
    payload = answer.json()
    assert isinstance(payload, dict)
    message = payload.get("message")
    assert isinstance(message, str)
    assert message.strip()
    return message


@dataclass
class Live:
    """A listening test server: its URLs, token and the nbhygiene extension app."""

    serverapp: Any
    port: int
    base_url: str

    def url(self, *parts: str) -> str:
        return server_url(self.port, self.base_url, *parts)

    @property
    def token(self) -> str:
        token: str = self.serverapp.identity_provider.token
        return token

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    @property
    def nbhygiene(self) -> Any:
        return next(iter(self.serverapp.extension_manager.extension_apps[EXTENSION]))


def kernel_processes(before: set[int]) -> list[psutil.Process]:
    """Living ipykernel processes started (by this process) since `before` was taken."""
    found = []
    for proc in living_children(before):
        try:
            if "ipykernel" in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found
