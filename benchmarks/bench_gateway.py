"""Benchmark verify on a kernel gateway against verify on a local kernel, in the same run.

    python benchmarks/bench_gateway.py [--repeat 3] [--gateway-url URL --gateway-token TOKEN]

Verifies demo/hidden_state.ipynb (a fresh top-down run, then the re-run in saved execution
order: two kernels per verify) `--repeat` times each way, alternating, in this process: with
local kernels (the baseline) and with kernels on a Jupyter Enterprise Gateway. Without
--gateway-url it starts one on loopback from `.venv-eg` (`scripts/dev.sh setup` makes it).
Prints the median wall time and this process's CPU time per verify for both, and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jupyter_server.gateway.gateway_client import GatewayClient

from jupyterlab_nbhygiene.gateway import endpoint_from_config, gateway_kernel_factory
from jupyterlab_nbhygiene.repro import KernelManagerFactory, RunOptions, verify_notebook

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "hidden_state.ipynb"


@contextmanager
def local_gateway() -> Iterator[tuple[str, str]]:
    """An Enterprise Gateway on a free loopback port, from the `.venv-eg` venv: (url, token)."""
    python = ROOT / ".venv-eg" / "bin" / "python"
    if not python.exists():
        sys.exit("no .venv-eg: run scripts/dev.sh setup, or give --gateway-url")
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        spec = Path(tmp, "jupyter", "kernels", "python3")
        spec.mkdir(parents=True)
        argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        spec.joinpath("kernel.json").write_text(
            json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
        )
        token = secrets.token_hex(16)
        env = {**os.environ, "JUPYTER_PATH": str(Path(tmp, "jupyter")), "PYTHONPATH": ""}
        env["JUPYTER_RUNTIME_DIR"] = str(Path(tmp, "runtime"))
        process = subprocess.Popen(
            [
                str(python),
                "-m",
                "enterprise_gateway",
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--EnterpriseGatewayApp.auth_token={token}",
            ],
            cwd=tmp,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tmp, "gateway.log"), "wb"),  # noqa: SIM115
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    probe = urllib.request.Request(
                        f"{url}/api/kernelspecs", headers={"Authorization": f"token {token}"}
                    )
                    urllib.request.urlopen(probe, timeout=5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        log = Path(tmp, "gateway.log").read_text()[-2000:]
                        sys.exit(f"the gateway did not start:\n{log}")
                    time.sleep(0.1)
            yield url, token
        finally:
            process.terminate()
            process.wait(timeout=15)


async def one_verify(
    nb: dict[str, Any], factory: KernelManagerFactory | None, remote: bool
) -> tuple[float, float, dict[str, Any]]:
    """Wall seconds, this process's CPU seconds, and the result of one verify."""
    quiet = {} if remote else {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    options = RunOptions(timeout=60, startup_timeout=60, remote_cwd=remote, start_kwargs=quiet)
    kwargs: dict[str, Any] = {} if factory is None else {"km_factory": factory}
    wall, cpu = time.perf_counter(), time.process_time()
    result = await verify_notebook(nb, folder=str(DEMO.parent), options=options, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu, result


async def measure(repeat: int, url: str, token: str) -> dict[str, list[tuple[float, float]]]:
    nb = json.loads(DEMO.read_text(encoding="utf-8"))
    config = GatewayClient(url=url, auth_token=token)  # type: ignore[no-untyped-call]
    factory = gateway_kernel_factory(endpoint_from_config(config))
    times: dict[str, list[tuple[float, float]]] = {"local": [], "gateway": []}
    causes = set()
    for _ in range(repeat):
        for name, fac in (("local", None), ("gateway", factory)):
            wall, cpu, result = await one_verify(nb, fac, fac is not None)
            times[name].append((wall, cpu))
            causes.add((name, result["cause"]))
    print("results:", sorted(causes))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gateway-url")
    parser.add_argument("--gateway-token", default="")
    args = parser.parse_args()
    os.environ.setdefault("KERNEL_USERNAME", "nbhygiene-bench")  # stock gateways refuse root
    if args.gateway_url:
        times = asyncio.run(measure(args.repeat, args.gateway_url, args.gateway_token))
    else:
        with local_gateway() as (url, token):
            times = asyncio.run(measure(args.repeat, url, token))
    wall = {k: statistics.median(w for w, _ in v) for k, v in times.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
    print(f"demo/hidden_state.ipynb, median of {args.repeat} verifies (2 kernels each):")
    print(f"{'':10}{'wall s':>10}{'CPU s (this process)':>24}")
    for name in ("local", "gateway"):
        print(f"{name:10}{wall[name]:10.2f}{cpu[name]:24.2f}")
    print(f"ratio gateway/local: wall {wall['gateway'] / wall['local']:.2f}x, ", end="")
    print(f"CPU {cpu['gateway'] / max(cpu['local'], 1e-9):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
