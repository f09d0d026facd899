"""A kernel that dies before answering is started once more (ports taken meanwhile)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from nbfactory import make_notebook

from jupyterlab_nbhygiene.repro import KernelStartError, RunOptions, run_notebook

# Dies the first time (as a kernel whose port was taken does), runs ipykernel the next time.
FLAKY = """
import os, sys
marker, connection = sys.argv[1], sys.argv[2]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit(3)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection])
"""


def factory(tmp_path: Path, argv: list[str]) -> Any:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec_dir = tmp_path / "kernels" / "flaky"
    spec_dir.mkdir(parents=True)
    spec = {"argv": argv, "display_name": "flaky", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    return lambda name: AsyncKernelManager(kernel_name=name, kernel_spec_manager=specs)


@pytest.mark.kernel
async def test_a_kernel_that_dies_at_start_once_is_started_again(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", FLAKY, str(tmp_path / "died-once"), "{connection_file}"]
    [run] = await run_notebook(
        make_notebook("print(6 * 7)"),
        folder=str(tmp_path),
        options=RunOptions(kernel_name="flaky", startup_timeout=30),
        km_factory=factory(tmp_path, argv),
    )
    assert run.status == "ok"
    assert run.outputs[0]["text"] == "42\n"


async def test_a_kernel_that_always_dies_at_start_fails_with_a_message(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "raise SystemExit(3)", "{connection_file}"]
    with pytest.raises(KernelStartError, match="died before replying"):
        await run_notebook(
            make_notebook("1"),
            folder=str(tmp_path),
            options=RunOptions(kernel_name="flaky", startup_timeout=30),
            km_factory=factory(tmp_path, argv),
        )
