"""A verify run's kernel on a gateway: started, watched, interrupted and deleted over REST.

It has the kernel-manager methods the runner and nbclient call (``start_kernel``, ``client``,
``is_alive``, ``interrupt_kernel``, ``shutdown_kernel``). Unlike jupyter_server's
``GatewayKernelManager`` it answers ``is_alive`` truthfully (jupyter_client#1047): False once
the kernel that was started is gone, including when the gateway restarted it under the same id
(nbclient#319), which the websocket's iopub status tells at once and ``GET /api/kernels/{id}``
confirms (404, or ``dead``). The kernel is never registered with the server's kernel manager,
so it is not among the user's kernels.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping
from typing import Any

from ..repro import KernelManagerFactory
from .client import GatewayKernelClient
from .http import GatewayEndpoint, GatewayError, fetch_json

log = logging.getLogger(__name__)

STATUS_INTERVAL = 5.0  # seconds between two REST checks of a kernel that looks alive


class GatewayKernel:
    """One kernel of `kernel_name` on the gateway at `endpoint`."""

    def __init__(
        self, endpoint: GatewayEndpoint, kernel_name: str, *, start_timeout: float = 60.0
    ) -> None:
        self.endpoint = endpoint
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self.kernel_id: str | None = None
        self.gone: str | None = None
        self._client: GatewayKernelClient | None = None
        self._checked = 0.0

    @property
    def has_kernel(self) -> bool:
        """Whether a kernel was started and not deleted."""
        return self.kernel_id is not None

    def _url(self, *parts: str) -> str:
        assert self.kernel_id is not None
        return self.endpoint.kernels_url(self.kernel_id, *parts)

    async def start_kernel(
        self, *, cwd: str | None = None, env: Mapping[str, str] | None = None, **_: Any
    ) -> None:
        """POST a kernel start (the endpoint's ``KERNEL_*`` environment, plus
        KERNEL_WORKING_DIR = `cwd` as jupyter_server sends it; the gateway decides whether
        to honour it). Raises GatewayError with a sentence."""
        body_env = {**self.endpoint.env, **dict(env or {})}
        if cwd is not None:
            body_env.setdefault("KERNEL_WORKING_DIR", cwd)
        post = asyncio.ensure_future(
            fetch_json(
                self.endpoint,
                self.endpoint.kernels_url(),
                method="POST",
                body={"name": self.kernel_name, "env": body_env},
                what=f"start a kernel {self.kernel_name!r}",
                kernel=self.kernel_name,
                timeout=None,
            )
        )
        try:
            model = await asyncio.shield(post)
        except asyncio.CancelledError:
            # Cancelled (or timed out) while the gateway starts it: the kernel would outlive
            # the run. Wait for the answer, then delete it.
            await asyncio.wait({post})
            if not post.cancelled() and post.exception() is None:
                with contextlib.suppress(Exception):
                    self._adopt(post.result())
                    await self.shutdown_kernel(now=True)
            raise
        self._adopt(model)
        self._checked = time.monotonic()
        log.info("nbhygiene: verify kernel %s started on %s", self.kernel_id, self.endpoint.url)

    def _adopt(self, model: Any) -> None:
        if not isinstance(model, dict) or not isinstance(model.get("id"), str):
            raise GatewayError(
                f"The gateway at {self.endpoint.url} started a kernel but did not say its id."
            )
        self.kernel_id = model["id"]

    def client(self, **_: Any) -> GatewayKernelClient:
        """The client of the started kernel (one per kernel: the runner makes one)."""
        if self.kernel_id is None:
            raise GatewayError(f"No kernel was started on the gateway at {self.endpoint.url}.")
        self._client = GatewayKernelClient(
            self.endpoint, self.kernel_id, alive=self.is_alive, connect_timeout=self.start_timeout
        )
        return self._client

    async def is_alive(self) -> bool:
        """Whether the kernel that was started still runs: not deleted, no ``restarting`` or
        ``dead`` status, its connection open, and (every few seconds) the gateway still lists
        it and not as dead."""
        if self.kernel_id is None or self.gone is not None:
            return False
        client = self._client
        if client is not None and client.gone is not None:
            self.gone = client.gone
            return False
        if time.monotonic() - self._checked < STATUS_INTERVAL:
            return True
        self._checked = time.monotonic()
        try:
            model = await fetch_json(self.endpoint, self._url(), what="report the kernel's status")
        except GatewayError as e:
            if e.status == 404:
                self.gone = "the gateway no longer knows the kernel"
                return False
            # The gateway did not answer: the websocket's state is the best evidence.
            return client is None or not client.closed
        if isinstance(model, dict) and model.get("execution_state") == "dead":
            self.gone = "the gateway reports the kernel dead"
            return False
        return True

    async def interrupt_kernel(self) -> None:
        """POST an interrupt; a gateway error is logged (the runner then sees the kernel not
        answering and stops the run), never raised into nbclient."""
        if self.kernel_id is None:
            return
        try:
            await fetch_json(
                self.endpoint, self._url("interrupt"), method="POST", body={}, what="interrupt"
            )
        except GatewayError as e:
            log.warning("nbhygiene: interrupting verify kernel %s failed: %s", self.kernel_id, e)

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """DELETE the kernel on the gateway (a kernel it no longer knows is fine)."""
        if self.kernel_id is None:
            return
        kernel_id = self.kernel_id
        if self._client is not None:
            self._client.stop_channels()
        try:
            await fetch_json(
                self.endpoint, self._url(), method="DELETE", what="shut the kernel down"
            )
        except GatewayError as e:
            if e.status != 404:
                raise
        self.kernel_id = None
        log.info("nbhygiene: verify kernel %s deleted on %s", kernel_id, self.endpoint.url)

    async def kill_kernel(self) -> None:
        """The same as a shutdown: a gateway has no other way to stop a kernel."""
        await self.shutdown_kernel(now=True)

    def cleanup_resources(self, restart: bool = False) -> None:
        """Nothing is held locally for a gateway kernel."""


def gateway_kernel_factory(
    endpoint: GatewayEndpoint, *, start_timeout: float = 60.0
) -> KernelManagerFactory:
    """kernel name -> a GatewayKernel on `endpoint` (not started)."""

    def factory(name: str) -> GatewayKernel:
        return GatewayKernel(endpoint, name, start_timeout=start_timeout)

    return factory


async def gateway_kernelspec(endpoint: GatewayEndpoint, name: str) -> dict[str, Any]:
    """The gateway's model of kernelspec `name` (``{"name", "spec": {...}, "resources"}``);
    GatewayError with a sentence when it has none or cannot be asked."""
    model = await fetch_json(
        endpoint,
        endpoint.kernelspec_url(name),
        what=f"describe the kernel {name!r}",
        kernel=name,
    )
    if not isinstance(model, dict):
        raise GatewayError(f"The gateway at {endpoint.url} has no kernel named {name!r}.", 404)
    return model
