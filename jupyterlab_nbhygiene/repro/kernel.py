"""Starting and stopping the fresh kernel of a run.

The kernel manager comes from a factory so that the server can hand in its own kernel manager
configuration (a gateway, remote provisioners), while the CLI uses a plain AsyncKernelManager.
Whatever happens to a run, :func:`stop_kernel` leaves no kernel process behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

KernelManagerFactory = Callable[[str], Any]
"""kernel name -> a kernel manager (not started) with the AsyncKernelManager interface."""


class ReproError(Exception):
    """A run could not be done; the message is a sentence for the user."""


class KernelStartError(ReproError):
    """The kernel did not start or did not answer within the startup timeout."""


class KernelDiedAtStart(KernelStartError):
    """The kernel process ended before it answered (e.g. its ports were taken meanwhile)."""


def local_kernel_manager_factory(name: str) -> Any:
    """A plain local AsyncKernelManager for `name` (what the CLI uses)."""
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name=name)


def kernelspec_language(spec: Any, name: str) -> str | None:
    """The language of a kernelspec in any of its shapes: a ``KernelSpec`` object (local), the
    gateway's model ``{"name", "spec": {"language"}}``, a bare spec dict, or the gateway's
    whole listing ``{"kernelspecs": {name: model}}`` (what jupyter_server's gateway kernelspec
    manager returns for one name when KERNEL_USERNAME is set). Lower-cased; None when the
    shape holds no spec for `name`."""
    if isinstance(spec, Mapping):
        listing = spec.get("kernelspecs")
        if isinstance(listing, Mapping):
            return kernelspec_language(listing[name], name) if name in listing else None
        inner = spec.get("spec")
        if isinstance(inner, Mapping):
            return kernelspec_language(inner, name)
        language = spec.get("language")
    else:
        language = getattr(spec, "language", None)
    return str(language or "python").lower()


async def _maybe_await(value: Any) -> Any:
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value


async def start_kernel(
    km: Any, *, cwd: str, startup_timeout: float, start_kwargs: Mapping[str, Any] | None = None
) -> Any:
    """Start `km`'s kernel in `cwd` and return a ready client (channels started, kernel_info
    answered). Raises KernelStartError with a sentence when that takes longer than
    `startup_timeout` seconds or the kernel dies while starting."""

    async def _start() -> Any:
        await _maybe_await(km.start_kernel(cwd=cwd, **dict(start_kwargs or {})))
        kc = km.client()
        await _maybe_await(kc.start_channels())
        try:
            await kc.wait_for_ready(timeout=startup_timeout)
        except BaseException:
            kc.stop_channels()
            raise
        kc.allow_stdin = False
        return kc

    try:
        return await asyncio.wait_for(_start(), timeout=startup_timeout)
    except asyncio.TimeoutError as e:
        raise KernelStartError(f"The kernel did not start within {startup_timeout:g} s.") from e
    except RuntimeError as e:  # jupyter_client: "Kernel died before replying to kernel_info"
        error = KernelDiedAtStart if "died" in str(e).lower() else KernelStartError
        raise error(f"The kernel did not start: {e}.") from e
    except (OSError, ValueError, LookupError) as e:  # missing executable, bad kernelspec
        raise KernelStartError(f"The kernel could not be started: {e}") from e


async def stop_kernel(km: Any, kc: Any | None) -> None:
    """Kill the kernel at once and release its resources; never raises, safe to call twice.

    Runs shielded: a second cancellation must not leave the kernel process running.
    """
    task = asyncio.ensure_future(_stop(km, kc))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait({task})
        raise


async def _stop(km: Any, kc: Any | None) -> None:
    if kc is not None:
        try:
            kc.stop_channels()
        except Exception:  # the channels may already be closed
            log.debug("stop_channels failed", exc_info=True)
    try:
        if km.has_kernel:
            # shutdown_kernel(now=True) kills the process, waits for it and cleans up.
            await _maybe_await(km.shutdown_kernel(now=True))
            return
    except Exception:
        log.warning("nbhygiene: shutting the verify kernel down failed", exc_info=True)
        try:
            await _maybe_await(km.kill_kernel())
        except Exception:
            log.warning("nbhygiene: killing the verify kernel failed", exc_info=True)
    try:  # connection file and sockets of a kernel that never (fully) started
        await _maybe_await(km.cleanup_resources())
    except Exception:
        log.debug("cleanup_resources failed", exc_info=True)
