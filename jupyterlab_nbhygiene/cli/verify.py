"""`nbhygiene verify PATH`: re-run a notebook in a fresh kernel and compare with its outputs.

The kernel is local, or on a kernel gateway with --gateway-url (or $JUPYTER_GATEWAY_URL).

Exit 0 reproducible, 1 not reproducible, 2 bad input or a kernel that cannot start.
nbclient and jupyter_client are imported only here, and only once the input is known good.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
from typing import Any

from ..analysis.model import cell_label
from .common import EXIT_FINDINGS, EXIT_OK, UsageError

_DIFF_LINES = 12


def _load(path: str) -> dict[str, Any]:
    from ..analysis.notebook import read_notebook

    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such notebook file")
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
        read_notebook(data, path=path)
    except ValueError as e:  # bad UTF-8, bad JSON, or a NotebookError
        raise UsageError(f"{path}: not a readable notebook: {e}") from e
    except OSError as e:
        raise UsageError(f"{path}: {e.strerror}") from e
    if not isinstance(data, dict):
        raise UsageError(f"{path}: not a notebook")
    return data


def _check_language(name: str, language: str | None, path: str, where: str) -> None:
    if language is None:
        raise UsageError(f"{path}: the kernel {name!r} is not installed {where}")
    if language != "python":
        raise UsageError(f"{path}: verify runs Python kernels; {name!r} runs {language}")


def _requested_name(notebook: dict[str, Any], override: str | None, path: str) -> str:
    from ..analysis.notebook import read_notebook

    parsed = read_notebook(notebook, path=path)
    if override is None and parsed.language != "python":
        raise UsageError(f"{path}: verify runs Python notebooks; this one is {parsed.language}")
    return override or parsed.kernel_name or "python3"


def _kernel_name(notebook: dict[str, Any], override: str | None, path: str) -> str:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    from ..repro import kernelspec_language

    name = _requested_name(notebook, override, path)
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel as e:
        raise UsageError(
            f"{path}: the kernel {name!r} is not installed (see `jupyter kernelspec list`)"
        ) from e
    _check_language(name, kernelspec_language(spec, name), path, "here")
    return name


def gateway_endpoint(url: str | None, token: str | None) -> Any:
    """The gateway to run on: `url` (else $JUPYTER_GATEWAY_URL; an empty value means run
    locally) with `token` (else $JUPYTER_GATEWAY_AUTH_TOKEN), and the other JUPYTER_GATEWAY_*
    settings jupyter_server reads. None when no gateway is given."""
    url = os.environ.get("JUPYTER_GATEWAY_URL") if url is None else url
    if not url:
        return None
    from jupyter_server.gateway.gateway_client import GatewayClient
    from traitlets import TraitError

    from ..gateway import endpoint_from_config

    settings: dict[str, Any] = {"url": url}
    if token is not None:
        settings["auth_token"] = token
    try:
        config = GatewayClient(**settings)  # type: ignore[no-untyped-call]
    except TraitError as e:
        raise UsageError(f"--gateway-url: {e}") from e
    return endpoint_from_config(config)


async def _verify(
    notebook: dict[str, Any], args: argparse.Namespace, path: str, endpoint: Any
) -> dict[str, Any]:
    from ..repro import RunOptions, kernelspec_language, verify_notebook

    timeout = args.timeout if args.timeout is not None else 120.0
    startup = args.startup_timeout if args.startup_timeout is not None else 60.0
    folder = os.path.dirname(os.path.abspath(path))
    if endpoint is None:
        options = RunOptions(
            kernel_name=_kernel_name(notebook, args.kernel, path),
            timeout=timeout,
            startup_timeout=startup,
            # The kernel's own log lines (e.g. ipykernel warnings) are not this command's output.
            start_kwargs={"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL},
        )
        return await verify_notebook(notebook, folder=folder, options=options, runs=args.runs)

    from ..gateway import gateway_kernel_factory, gateway_kernelspec

    name = _requested_name(notebook, args.kernel, path)
    spec = await gateway_kernelspec(endpoint, name)
    _check_language(name, kernelspec_language(spec, name), path, f"on {endpoint.url}")
    options = RunOptions(
        kernel_name=name, timeout=timeout, startup_timeout=startup, remote_cwd=True
    )
    return await verify_notebook(
        notebook,
        folder=folder,
        options=options,
        runs=args.runs,
        km_factory=gateway_kernel_factory(endpoint, start_timeout=startup),
    )


def run_verify(args: argparse.Namespace) -> int:
    """Verify one notebook, locally or on a gateway (--gateway-url), and print the result
    (text or JSON); returns the exit code."""
    path: str = args.path
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError("--timeout must be above 0 seconds")
    if args.startup_timeout is not None and args.startup_timeout <= 0:
        raise UsageError("--startup-timeout must be above 0 seconds")
    notebook = _load(path)
    endpoint = gateway_endpoint(
        getattr(args, "gateway_url", None), getattr(args, "gateway_token", None)
    )
    if endpoint is None:  # a local kernel is checked before any event loop starts
        _kernel_name(notebook, args.kernel, path)

    from ..repro import KernelStartError

    try:
        result = asyncio.run(_verify(notebook, args, path, endpoint))
    except KernelStartError as e:
        raise UsageError(f"{path}: {e}") from e
    result = {"path": path, **result}
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(format_text(result))
    return EXIT_OK if result["reproducible"] else EXIT_FINDINGS


def format_text(result: dict[str, Any]) -> str:
    """A line per cell that is not `same`, its diff indented, then the verdict summary."""
    lines: list[str] = []
    for cell in result["cells"]:
        verdict = cell["verdict"]
        if verdict == "same":
            continue
        detail = ""
        if cell.get("error") and verdict in ("new-error", "changed"):
            detail = f"  {cell['error']['ename']}: {cell['error']['evalue']}"
        elif cell.get("reason"):
            detail = f"  {cell['reason']}"
        lines.append(f"{result['path']}: {cell_label(cell['index'])}: {verdict}{detail}")
        if verdict not in ("soft", "skipped", "unrun") and cell.get("diff"):
            diff = cell["diff"].splitlines()
            shown = diff[:_DIFF_LINES] + (
                [f"… {len(diff) - _DIFF_LINES} more"] if len(diff) > _DIFF_LINES else []
            )
            lines += [f"    {line}" for line in shown]
    counts = ", ".join(f"{n} {name}" for name, n in result["counts"].items())
    status = "reproducible" if result["reproducible"] else f"NOT reproducible ({result['cause']})"
    lines.append(f"{result['path']}: {status}; cells: {counts or 'none'}")
    lines.append(result["summary"])
    return "\n".join(lines)
