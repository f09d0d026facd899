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
    Live,
    assert_user_error,
    concrete_path,
    extension_routes,
    implemented_verbs,
    raw,
)
from nbfactory import make_notebook
from tornado.web import RequestHandler

from jupyterlab_nbhygiene.handlers import routes
from jupyterlab_nbhygiene.handlers.base import AUTH_RESOURCE

# jupyter_server's default (allow_unauthenticated_access=True) leaves auth to each handler's
# decorators: a verb that lacks them answers there. A locked server also refuses at prepare().
DEFAULT = {"ServerApp": {"jpserver_extensions": {"jupyterlab_nbhygiene": True}}}
LOCKED = {
    "ServerApp": {
        "jpserver_extensions": {"jupyterlab_nbhygiene": True},
        "allow_unauthenticated_access": False,
    }
}
NO_CREDENTIALS: list[dict[str, str]] = [
    {},
    {"Authorization": "token not-the-token"},
    # A matching XSRF cookie and header but no credentials: only the handler's own
    # decorators can refuse it (a script can always send such a pair).
    {"Cookie": "_xsrf=pair", "X-XSRFToken": "pair"},
]
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


async def _send(live: Live, pattern: str, verb: str, **kw: Any) -> Answer:
    body = BODY if verb in ("POST", "PUT", "PATCH") else None
    return await raw(live.url(concrete_path(pattern)), method=verb, body=body, **kw)


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


@pytest.mark.parametrize("jp_server_config", [DEFAULT, LOCKED], ids=["default", "locked"])
async def test_no_token_no_entry(live: Live) -> None:
    refused: list[str] = []
    for pattern, _handler, verb in _all_verbs(live.serverapp):
        for headers in NO_CREDENTIALS:
            answer = await _send(live, pattern, verb, headers=headers)
            assert answer.code in (401, 403), f"{verb} {pattern} {headers}: {answer.code}"
            assert "Traceback" not in answer.text
            refused.append(f"{verb} {pattern}")
    assert len(refused) >= 8
    for pattern, _handler in extension_routes(live.serverapp):
        # jupyter_server answers the CORS preflight for everyone, with no data and no action.
        answer = await _send(live, pattern, "OPTIONS")
        assert answer.code in (200, 204), (pattern, answer.code)
        assert answer.body == b"", (pattern, answer.text)
    # Nothing ran: no verify run was queued by the refused POSTs.
    assert len(live.nbhygiene.registry) == 0


async def test_unimplemented_verbs_are_405_not_500(live: Live) -> None:
    for pattern, handler in extension_routes(live.serverapp):
        for verb in ("GET", "PUT", "PATCH", "DELETE", "POST"):
            if verb in implemented_verbs(handler):
                continue
            answer = await _send(live, pattern, verb, headers=live.auth)
            assert answer.code == 405, f"{verb} {pattern}: {answer.code}"


async def _login(live: Live) -> dict[str, str]:
    """Log in as a browser does (login form + XSRF cookie); returns the cookies it got."""
    page = await raw(live.url("login"))
    assert page.code == 200
    cookies = _cookies(page)
    xsrf = cookies["_xsrf"]
    form = urlencode({"_xsrf": xsrf, "password": live.token})
    answer = await raw(
        live.url("login"),
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


async def test_cookie_requests_need_the_xsrf_token(live: Live) -> None:
    cookies = await _login(live)
    cookie = {"Cookie": _cookie_header(cookies)}
    with_xsrf = {**cookie, "X-XSRFToken": cookies["_xsrf"]}
    changing = [
        (p, v) for p, _h, v in _all_verbs(live.serverapp) if v not in ("GET", "HEAD", "OPTIONS")
    ]
    assert {v for _p, v in changing} >= {"POST", "DELETE"}
    for pattern, verb in changing:
        # A cross-site form post carries the browser's cookies but cannot read the XSRF token.
        answer = await _send(live, pattern, verb, headers=cookie)
        assert answer.code == 403, f"{verb} {pattern} without _xsrf: {answer.code}"
        assert "_xsrf" in assert_user_error(answer, 403)
        forged = {**cookie, "X-XSRFToken": "forged"}
        answer = await _send(live, pattern, verb, headers=forged)
        assert answer.code == 403, f"{verb} {pattern} with a forged _xsrf: {answer.code}"
        # A page of another origin that somehow has the token is still refused.
        evil = {**with_xsrf, "Origin": "http://evil.example"}
        answer = await _send(live, pattern, verb, headers=evil)
        assert answer.code in (403, 404), f"{verb} {pattern} cross-origin: {answer.code}"
    assert len(live.nbhygiene.registry) == 0

    # The same session with the token in the header is the JupyterLab frontend: it gets in.
    ok = await raw(
        live.url("nbhygiene/analyze"),
        method="POST",
        body=BODY,
        headers=with_xsrf,
    )
    assert ok.code == 200, ok.text
    gone = await raw(
        live.url("nbhygiene/verify/unknown"),
        method="DELETE",
        headers=with_xsrf,
    )
    assert gone.code == 404, gone.text
