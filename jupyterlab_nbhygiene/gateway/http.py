"""Talking to a kernel gateway (Jupyter Kernel or Enterprise Gateway) over its REST API.

A :class:`GatewayEndpoint` says where the gateway is and how to authenticate: the server builds
it from its own ``GatewayClient`` configuration, the CLI from ``--gateway-url``. Every failed
request becomes a :class:`GatewayError` whose message is a sentence for the user (a 403 names the
user the gateway refused), never a traceback.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..repro import KernelStartError

# Requests other than a kernel start (status, interrupt, shutdown) do not wait longer than this.
SHORT_REQUEST_TIMEOUT = 15.0


class GatewayError(KernelStartError):
    """A gateway request failed; the message is a sentence, `status` the HTTP status (or None
    when the gateway could not be reached)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class GatewayEndpoint:
    """Where a gateway is and how to reach it.

    `connection_args` returns the keyword arguments of every request (headers with the auth
    token, timeouts, certificates): jupyter_server's ``GatewayClient.load_connection_args``.
    `env` is the environment sent with a kernel start (``KERNEL_*`` variables, the user name).
    """

    url: str
    ws_url: str
    kernels_endpoint: str = "/api/kernels"
    kernelspecs_endpoint: str = "/api/kernelspecs"
    connection_args: Callable[[], dict[str, Any]] = field(default=dict, compare=False)
    env: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def user(self) -> str | None:
        """The user name kernels are started for (KERNEL_USERNAME), when one is sent."""
        return self.env.get("KERNEL_USERNAME")

    def kernels_url(self, *parts: str, ws: bool = False) -> str:
        """The URL of the kernels collection, or of one of its members with `parts`."""
        return _join(self.ws_url if ws else self.url, self.kernels_endpoint, *parts)

    def kernelspec_url(self, name: str) -> str:
        """The URL of one kernelspec."""
        return _join(self.url, self.kernelspecs_endpoint, name)


def _join(base: str, endpoint: str, *parts: str) -> str:
    path = "/".join([endpoint.strip("/"), *(quote(p, safe="") for p in parts)])
    return f"{base.rstrip('/')}/{path}"


def kernel_env(
    environ: Mapping[str, str], *, allowed: str = "", http_user: str | None = None
) -> dict[str, str]:
    """The environment a kernel start sends, as jupyter_server's gateway client builds it:
    the ``KERNEL_*`` variables and those named in `allowed` (comma-separated), with
    KERNEL_USERNAME taken from `http_user` when it is not set."""
    names = {n.strip() for n in allowed.split(",") if n.strip()}
    env = {k: v for k, v in environ.items() if k.startswith("KERNEL_") or k in names}
    if "KERNEL_USERNAME" not in env and http_user:
        env["KERNEL_USERNAME"] = http_user
    return env


def endpoint_from_config(config: Any, environ: Mapping[str, str] | None = None) -> GatewayEndpoint:
    """The endpoint of a jupyter_server ``GatewayClient`` (the server's ``gateway_config``, or
    one the CLI made), with its URLs, auth and the kernel environment it would send."""
    environ = os.environ if environ is None else environ
    url = str(config.url)
    ws_url = str(config.ws_url or "") or "ws" + url[len("http") :]
    return GatewayEndpoint(
        url=url,
        ws_url=ws_url,
        kernels_endpoint=str(config.kernels_endpoint or "/api/kernels"),
        kernelspecs_endpoint=str(config.kernelspecs_endpoint or "/api/kernelspecs"),
        connection_args=config.load_connection_args,
        env=kernel_env(
            environ,
            allowed=str(config.allowed_envs or ""),
            http_user=config.http_user or None,
        ),
    )


def request_for(
    endpoint: GatewayEndpoint,
    url: str,
    *,
    timeout: float | None = None,
    headers: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> HTTPRequest:
    """An HTTPRequest to `url` with the endpoint's headers (plus `headers`), certificates and
    timeouts (both capped at `timeout` when given)."""
    args = dict(endpoint.connection_args())
    args["headers"] = {**(args.get("headers") or {}), **(headers or {})}
    args.update(kwargs)
    if timeout is not None:
        args["request_timeout"] = min(float(args.get("request_timeout") or timeout), timeout)
        args["connect_timeout"] = min(float(args.get("connect_timeout") or timeout), timeout)
    return HTTPRequest(url, **args)


async def fetch_json(
    endpoint: GatewayEndpoint,
    url: str,
    *,
    method: str = "GET",
    body: Any = None,
    what: str,
    kernel: str | None = None,
    timeout: float | None = SHORT_REQUEST_TIMEOUT,
) -> Any:
    """Send a request to the gateway and return the JSON answer (None for an empty body).
    `what` names the action for the error sentence ("start a kernel", "interrupt the kernel");
    raises GatewayError."""
    raw = None if body is None else json.dumps(body)
    headers = {"Content-Type": "application/json"} if raw is not None else None
    request = request_for(endpoint, url, timeout=timeout, headers=headers, method=method, body=raw)
    client = AsyncHTTPClient(force_instance=True)
    try:
        response = await client.fetch(request)
    except HTTPClientError as e:
        raise describe_http_error(endpoint, e, what=what, kernel=kernel) from e
    except (OSError, socket.gaierror) as e:
        raise describe_os_error(endpoint, e) from e
    finally:
        client.close()
    if not response.body:
        return None
    try:
        return json.loads(response.body)
    except ValueError as e:
        raise GatewayError(
            f"The gateway at {endpoint.url} answered with something that is not JSON "
            f"when asked to {what}.",
            response.code,
        ) from e


def _reason(error: HTTPClientError) -> str:
    """The gateway's own explanation: the JSON `reason`/`message` of its error body."""
    body = error.response.body if error.response is not None else b""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    parts = [str(data.get(k) or "").strip() for k in ("reason", "message")]
    text = " ".join(p for p in parts if p and p.lower() not in ("unknown server error",))
    return text.rstrip(". ")


def describe_http_error(
    endpoint: GatewayEndpoint, error: HTTPClientError, *, what: str, kernel: str | None = None
) -> GatewayError:
    """A sentence for an HTTP error answer of the gateway (or a tornado timeout, code 599)."""
    code, url = error.code, endpoint.url
    reason = _reason(error)
    detail = f": {reason}" if reason else ""
    if code == 599:
        text = str(error.message or "")
        if "timeout" in text.lower():
            return GatewayError(
                f"The gateway at {url} did not answer in time when asked to {what} ({text}).", None
            )
        return GatewayError(f"Cannot reach the gateway at {url}: {text}.", None)
    if code == 401:
        return GatewayError(
            f"The gateway at {url} asks for authentication (401); give its token with "
            "--gateway-token, JUPYTER_GATEWAY_AUTH_TOKEN or GatewayClient.auth_token.",
            code,
        )
    if code == 403:
        user = endpoint.user
        who = f"for user {user!r}" if user else "for this user (KERNEL_USERNAME is not set)"
        if what.startswith("start"):
            return GatewayError(
                f"The gateway at {url} refused to start a kernel {who} (403){detail}. "
                "Set KERNEL_USERNAME to a user the gateway accepts.",
                code,
            )
        return GatewayError(f"The gateway at {url} refused to {what} {who} (403){detail}.", code)
    body = error.response.body.decode("utf-8", "replace") if error.response is not None else ""
    if kernel is not None and (code == 404 or "NoSuchKernel" in body):
        return GatewayError(f"The gateway at {url} has no kernel named {kernel!r}.", code)
    if code == 404:
        return GatewayError(
            f"The gateway at {url} answered 404 (not found) when asked to {what}; "
            "check the gateway URL.",
            code,
        )
    return GatewayError(f"The gateway at {url} failed to {what} ({code}{detail}).", code)


def describe_os_error(endpoint: GatewayEndpoint, error: OSError) -> GatewayError:
    """A sentence for a gateway that cannot be reached at all."""
    url = endpoint.url
    if isinstance(error, socket.gaierror):
        return GatewayError(f"The gateway host in {url} cannot be found ({error.strerror}).")
    if isinstance(error, ConnectionRefusedError):
        return GatewayError(
            f"Cannot reach the gateway at {url}: the connection was refused; "
            "is the gateway running?"
        )
    if isinstance(error, TimeoutError):
        return GatewayError(f"The gateway at {url} did not answer in time.")
    return GatewayError(f"Cannot reach the gateway at {url}: {error.strerror or error}.")
