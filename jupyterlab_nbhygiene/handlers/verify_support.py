"""What the verify routes need from the server: request validation, the notebook to run, the
kernelspec check and the kernel manager factory. The handlers only translate HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from tornado import web

from ..analysis.notebook import NotebookError, read_notebook
from ..repro import (
    KernelManagerFactory,
    Run,
    RunOptions,
    RunRegistry,
    kernelspec_language,
    verify_notebook,
)

MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024
MAX_TIMEOUT = 24 * 3600.0
_DRIVE = re.compile(r"^[A-Za-z]:")


def _quoted(text: str, limit: int = 80) -> str:
    """`text` quoted for a message, its middle cut out when long: a sentence, not the input."""
    shown = repr(text)
    if len(shown) <= limit:
        return shown
    half = (limit - 3) // 2
    return shown[:half] + "..." + shown[-half:]


class VerifyInputError(Exception):
    """A request the verify route refuses: `status` is the HTTP status, the message a sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def resolve_notebook_path(path: Any, *, root_dir: str, allow_hidden: bool) -> tuple[str, str]:
    """(api path, os path) for a notebook path relative to the server root.

    Refuses absolute paths and `..` (400), hidden files when they are not allowed and paths that
    leave the root through a symbolic link (403), and missing files (404).
    """
    if not isinstance(path, str) or not path.strip():
        raise VerifyInputError(
            400, 'The body needs a "path": the notebook\'s path relative to the server root.'
        )
    if "\x00" in path:
        raise VerifyInputError(400, "The path contains a NUL character.")
    if path.startswith(("/", "\\")) or _DRIVE.match(path) or os.path.isabs(path):
        raise VerifyInputError(
            400, f"{_quoted(path)} is an absolute path; give the path relative to the server root."
        )
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise VerifyInputError(
            400, f"{_quoted(path)} contains '..'; paths must stay inside the root."
        )
    if not parts or not parts[-1].endswith(".ipynb"):
        raise VerifyInputError(400, f"{_quoted(path)} is not a notebook (.ipynb) path.")
    if not allow_hidden and any(p.startswith(".") for p in parts):
        raise VerifyInputError(
            403, f"{_quoted(path)} is hidden, and this server does not serve hidden files."
        )
    api_path = "/".join(parts)
    os_path = os.path.join(root_dir, *parts)
    real_root = os.path.realpath(root_dir)
    real = os.path.realpath(os_path)
    if os.path.commonpath([real_root, real]) != real_root:
        raise VerifyInputError(403, f"{_quoted(api_path)} leads outside the server root.")
    if not os.path.isfile(real):
        raise VerifyInputError(404, f"There is no notebook at {_quoted(api_path)}.")
    return api_path, os_path


def read_saved_notebook(os_path: str, api_path: str) -> dict[str, Any]:
    """The saved file as JSON, read only (never written), or a 400 that says what is wrong."""
    try:
        if os.path.getsize(os_path) > MAX_NOTEBOOK_BYTES:
            raise VerifyInputError(413, f"{_quoted(api_path)} is larger than 100 MB.")
        with open(os_path, "rb") as handle:
            data: Any = json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise VerifyInputError(
            400, f"{_quoted(api_path)} is not a valid notebook file: {e}."
        ) from e
    except OSError as e:
        raise VerifyInputError(404, f"{_quoted(api_path)} cannot be read: {e.strerror}.") from e
    if not isinstance(data, dict):
        raise VerifyInputError(400, f"{_quoted(api_path)} is not a notebook: not a JSON object.")
    return data


def parse_options(body: Mapping[str, Any], base: RunOptions) -> tuple[RunOptions, int]:
    """`timeout` (seconds per cell) and `runs` (1 or 2) from a request body, checked."""
    timeout = body.get("timeout")
    if timeout is not None:
        if (
            isinstance(timeout, bool)
            or not isinstance(timeout, (int, float))
            or not (0 < timeout <= MAX_TIMEOUT)
        ):
            raise VerifyInputError(
                400, '"timeout" must be a number of seconds above 0 (at most a day).'
            )
        base = replace(base, timeout=float(timeout))
    runs = body.get("runs", 1)
    if runs not in (1, 2) or isinstance(runs, bool):
        raise VerifyInputError(400, '"runs" must be 1 or 2.')
    return base, int(runs)


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _http_error_text(error: web.HTTPError) -> str:
    """The sentence a tornado HTTPError carries (its log message with its arguments)."""
    text = error.log_message or error.reason or f"HTTP {error.status_code}"
    if error.args and error.log_message:
        with contextlib.suppress(TypeError, ValueError):
            text = error.log_message % error.args
    return str(text)


async def check_kernel(notebook: Mapping[str, Any], kernel_spec_manager: Any, default: str) -> str:
    """The kernelspec name to run the notebook with; 422 when it is not installed or not Python."""
    try:
        parsed = read_notebook(notebook)
    except NotebookError as e:
        raise VerifyInputError(400, str(e)) from e
    name = parsed.kernel_name or default
    if parsed.language != "python":
        raise VerifyInputError(
            422, f"Verify runs Python notebooks; this one is written in {_quoted(parsed.language)}."
        )
    try:
        spec = await _maybe_await(kernel_spec_manager.get_kernel_spec(name))
    except web.HTTPError as e:  # the gateway answered with an error or could not be reached
        if e.status_code == 404:
            raise VerifyInputError(
                422, f"The notebook's kernel {_quoted(name)} is not installed on the gateway."
            ) from e
        raise VerifyInputError(
            502, f"The gateway could not tell which kernels it has: {_http_error_text(e)}"
        ) from e
    except Exception as e:  # NoSuchKernel (a KeyError), or a gateway that does not know it
        raise VerifyInputError(
            422, f"The notebook's kernel {_quoted(name)} is not installed on this server."
        ) from e
    language = kernelspec_language(spec, name)
    if language is None:
        raise VerifyInputError(
            422, f"The notebook's kernel {_quoted(name)} is not installed on this server."
        )
    if language != "python":
        raise VerifyInputError(
            422, f"Verify runs Python notebooks; the kernel {_quoted(name)} runs {language}."
        )
    return name


def is_gateway(kernel_manager: Any) -> bool:
    """Whether the server's kernels run on a gateway (``--GatewayClient.url``)."""
    from jupyter_server.gateway.managers import GatewayMappingKernelManager

    return isinstance(kernel_manager, GatewayMappingKernelManager)


def gateway_config() -> Any:
    """The server's ``GatewayClient`` configuration (jupyter_server keeps it as a singleton)."""
    from jupyter_server.gateway.gateway_client import GatewayClient

    return GatewayClient.instance()


def server_kernel_manager_factory(kernel_manager: Any) -> KernelManagerFactory:
    """Kernel managers built from the server's own configuration (its kernel manager class,
    provisioners, gateway) but not registered with it: the run's kernel is not listed among the
    user's kernels and sessions, and never is the user's kernel. On a gateway the run's kernel
    is a ``GatewayKernel`` on the server's gateway (its URL, auth and ``KERNEL_*`` environment):
    jupyter_server's gateway kernel client busy-waits and cannot tell a restarted kernel."""

    if is_gateway(kernel_manager):
        from ..gateway import endpoint_from_config, gateway_kernel_factory

        return gateway_kernel_factory(endpoint_from_config(gateway_config()))

    def factory(name: str) -> Any:
        kwargs: dict[str, Any] = {}
        if getattr(kernel_manager, "kernel_spec_manager", None) is not None:
            kwargs["kernel_spec_manager"] = kernel_manager.kernel_spec_manager
        connection_dir = getattr(kernel_manager, "connection_dir", None) or ""
        return kernel_manager.kernel_manager_factory(
            connection_file=os.path.join(
                connection_dir, f"nbhygiene-verify-{uuid.uuid4().hex}.json"
            ),
            parent=kernel_manager,
            log=kernel_manager.log,
            kernel_name=name,
            # A death is the run's verdict: a restart under the same manager would race
            # nbclient's liveness check and leave the cell waiting out its timeout.
            autorestart=False,
            **kwargs,
        )

    return factory


@dataclass
class VerifyService:
    """Validates a verify request and starts the run in the registry."""

    registry: RunRegistry
    km_factory: KernelManagerFactory
    options: RunOptions
    root_dir: str
    allow_hidden: bool
    kernel_spec_manager: Any
    default_kernel: str = "python3"
    pass_kernel_name: bool = False  # kernels run on a gateway (its managers take the name)

    async def start(self, body: Mapping[str, Any]) -> Run:
        """Start a run for a request body (`path`, `notebook`?, `timeout`?, `runs`?) or raise
        VerifyInputError."""
        options, runs = parse_options(body, self.options)
        api_path, os_path = resolve_notebook_path(
            body.get("path"), root_dir=self.root_dir, allow_hidden=self.allow_hidden
        )
        given = body.get("notebook")
        if given is not None and not isinstance(given, dict):
            raise VerifyInputError(400, '"notebook" must be a notebook (nbformat v4 JSON object).')
        notebook: dict[str, Any] = (
            given
            if given is not None
            else await asyncio.to_thread(read_saved_notebook, os_path, api_path)
        )
        kernel = await check_kernel(notebook, self.kernel_spec_manager, self.default_kernel)
        options = replace(options, kernel_name=kernel)
        if self.pass_kernel_name:
            # On a gateway the kernel's working directory is the gateway's, not the folder.
            options = replace(
                options,
                start_kwargs={**options.start_kwargs, "kernel_name": kernel},
                remote_cwd=True,
            )
        folder = os.path.dirname(os.path.abspath(os_path))
        cells = notebook.get("cells") or []
        total = runs * sum(1 for c in cells if isinstance(c, dict) and c.get("cell_type") == "code")

        async def job(run: Run) -> dict[str, Any]:
            result = await verify_notebook(
                notebook,
                folder=folder,
                options=options,
                runs=runs,
                km_factory=self.km_factory,
                on_progress=run.update,
            )
            return {"path": api_path, **result}

        return self.registry.start(job, path=api_path, total=total)
