"""No one gets in: every verb of every nbhygiene route needs a token (or a login cookie plus
the XSRF token), found by enumerating the handlers the extension registers, so a new route
without `@web.authenticated` / `@authorized` fails the build."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import pytest
from hardening.support import (
    Answer,
    assert_user_error,
    concrete_path,
    extension_routes,
    implemented_verbs,
    raw,
    server_url,
)
from nbfactory import make_notebook
from tornado.web import RequestHandler

from jupyterlab_nbhygiene.handlers import routes
from jupyterlab_nbhygiene.handlers.base import AUTH_RESOURCE

DEFAULT = {"ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}}}
# With unauthenticated access allowed server-wide, only the handlers' own decorators keep
# requests out: a verb that lacks them answers here.
OPEN_SERVER = {
    "ServerApp": {
        "jpserver_extensions": {"jupyterlab_nbhygiene": True},
        "allow_unauthenticated_access": True,
    }
}
BODY = json.dumps({"notebook": make_notebook("x = 1"), "path": "a.ipynb"})


def _decorators(method: Any) -> list[str]:
    """Qualified names of the wrappers around a handler method, outermost first."""
    names = []
    while hasattr(method, "__wrapped__"):
        code = getattr(method, "__code__", None)
        names.append(code.co_qualname if code is not None else repr(method))
        method = method.__wrapped__
    return names


def _all_verbs(serverapp: Any) -> list[tuple[str, type[RequestHandler], str]]:
    return [
        (pattern, handler, verb)
        for pattern, handler in extension_routes(serverapp)
        for verb in implemented_verbs(handler)
    ]


def _send(serverapp: Any, port: int, base_url: str, pattern: str, verb: str, **kw: Any) -> Any:
    body = BODY if verb in ("POST", "PUT", "PATCH") else None
    return raw(server_url(port, base_url, concrete_path(pattern)), method=verb, body=body, **kw)


def test_every_verb_is_authenticated_then_authorized() -> None:
    checked = 0
    for pattern, handler in routes():
        assert handler.auth_resource == AUTH_RESOURCE, pattern
        for verb in implemented_verbs(handler):
            wrappers = _decorators(getattr(handler, verb.lower()))
            assert wrappers[:2] == [
                "authenticated.<locals>.wrapper",
                "authorized.<locals>.wrapper.<locals>.inner",
            ], f"{verb} {pattern} ({handler.__name__}) is decorated with {wrappers}"
            checked += 1
    assert checked >= 4  # POST analyze, POST verify, GET and DELETE verify/{id}


def test_no_nbhygiene_method_is_public() -> None:
    for _pattern, handler in routes():
        for cls in handler.__mro__:
            if not cls.__module__.startswith("jupyterlab_nbhygiene"):
                continue
            for name, member in vars(cls).items():
                assert not getattr(member, "__allow_unauthenticated", False), (
                    f"{cls.__name__}.{name} is public"
                )


def test_the_server_registers_exactly_the_declared_routes(jp_serverapp: Any) -> None:
    assert sorted(p for p, _ in extension_routes(jp_serverapp)) == sorted(p for p, _ in routes())


@pytest.mark.parametrize("jp_server_config", [DEFAULT, OPEN_SERVER], ids=["default", "open"])
async def test_no_token_no_entry(jp_serverapp: Any, jp_http_port: int, jp_base_url: str) -> None:
    refused: list[str] = []
    for pattern, _handler, verb in _all_verbs(jp_serverapp):
        for headers in ({}, {"Authorization": "token not-the-token"}):
            answer: Answer = await _send(
                jp_serverapp, jp_http_port, jp_base_url, pattern, verb, headers=headers
            )
            assert answer.code in (401, 403), f"{verb} {pattern} {headers}: {answer.code}"
            assert "Traceback" not in answer.text
            refused.append(f"{verb} {pattern}")
    assert len(refused) >= 8
    for pattern, _handler in extension_routes(jp_serverapp):
        # jupyter_server answers the CORS preflight for everyone, with no data and no action.
        answer = await _send(jp_serverapp, jp_http_port, jp_base_url, pattern, "OPTIONS")
        assert answer.code in (200, 204) and answer.body == b"", (pattern, answer.code)
    # Nothing ran: no verify run was queued by the refused POSTs.
    app = next(iter(jp_serverapp.extension_manager.extension_apps["jupyterlab_nbhygiene"]))
    assert len(app.registry) == 0


async def test_unimplemented_verbs_are_405_not_500(
    jp_fetch: Any, jp_serverapp: Any, jp_http_port: int, jp_base_url: str, jp_auth_header: Any
) -> None:
    for pattern, handler in extension_routes(jp_serverapp):
        for verb in ("GET", "PUT", "PATCH", "DELETE", "POST"):
            if verb in implemented_verbs(handler):
                continue
            answer = await _send(
                jp_serverapp, jp_http_port, jp_base_url, pattern, verb, headers=jp_auth_header
            )
            assert answer.code == 405, f"{verb} {pattern}: {answer.code}"


async def _login(port: int, base_url: str, token: str) -> dict[str, str]:
    """Log in as a browser does (login form + XSRF cookie); returns the cookies it got."""
    page = await raw(server_url(port, base_url, "login"))
    assert page.code == 200
    cookies = _cookies(page)
    xsrf = cookies["_xsrf"]
    form = urlencode({"_xsrf": xsrf, "password": token})
    answer = await raw(
        server_url(port, base_url, "login"),
        method="POST",
        body=form,
        headers={
            "Cookie": _cookie_header(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert answer.code == 302, answer.text
    cookies.update(_cookies(answer))
    assert len(cookies) >= 2, cookies  # the XSRF cookie and the login cookie
    return cookies


def _cookies(answer: Answer) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in answer.headers.items():
        if name.lower() == "set-cookie":
            jar.load(value)
    return {k: v.value for k, v in jar.items()}


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


async def test_cookie_requests_need_the_xsrf_token(
    jp_serverapp: Any, jp_http_port: int, jp_base_url: str
) -> None:
    cookies = await _login(jp_http_port, jp_base_url, jp_serverapp.identity_provider.token)
    cookie = {"Cookie": _cookie_header(cookies)}
    with_xsrf = {**cookie, "X-XSRFToken": cookies["_xsrf"]}
    changing = [
        (p, v) for p, _h, v in _all_verbs(jp_serverapp) if v not in ("GET", "HEAD", "OPTIONS")
    ]
    assert {v for _p, v in changing} >= {"POST", "DELETE"}
    for pattern, verb in changing:
        # A cross-site form post carries the browser's cookies but cannot read the XSRF token.
        answer = await _send(jp_serverapp, jp_http_port, jp_base_url, pattern, verb, headers=cookie)
        assert answer.code == 403, f"{verb} {pattern} without _xsrf: {answer.code}"
        assert "_xsrf" in assert_user_error(answer, 403)
        forged = {**cookie, "X-XSRFToken": "forged"}
        answer = await _send(jp_serverapp, jp_http_port, jp_base_url, pattern, verb, headers=forged)
        assert answer.code == 403, f"{verb} {pattern} with a forged _xsrf: {answer.code}"
        # A page of another origin that somehow has the token is still refused.
        evil = {**with_xsrf, "Origin": "http://evil.example"}
        answer = await _send(jp_serverapp, jp_http_port, jp_base_url, pattern, verb, headers=evil)
        assert answer.code in (403, 404), f"{verb} {pattern} cross-origin: {answer.code}"
    app = next(iter(jp_serverapp.extension_manager.extension_apps["jupyterlab_nbhygiene"]))
    assert len(app.registry) == 0

    # The same session with the token in the header is the JupyterLab frontend: it gets in.
    ok = await raw(
        server_url(jp_http_port, jp_base_url, "nbhygiene/analyze"),
        method="POST",
        body=BODY,
        headers=with_xsrf,
    )
    assert ok.code == 200, ok.text
    gone = await raw(
        server_url(jp_http_port, jp_base_url, "nbhygiene/verify/unknown"),
        method="DELETE",
        headers=with_xsrf,
    )
    assert gone.code == 404, gone.text
