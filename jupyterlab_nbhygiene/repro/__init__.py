"""Reproducibility runs: fresh-kernel execution, normalization, comparison, verdicts.

No tornado, no jupyter_server: the server and the CLI call in with their own kernel managers.
"""

from .kernel import (
    KernelManagerFactory,
    KernelStartError,
    ReproError,
    kernelspec_language,
    local_kernel_manager_factory,
)
from .registry import Run, RunRegistry
from .runner import CellRun, RunOptions, run_notebook
from .verify import Progress, verify_notebook

__all__ = [
    "CellRun",
    "KernelManagerFactory",
    "KernelStartError",
    "Progress",
    "ReproError",
    "Run",
    "RunOptions",
    "RunRegistry",
    "kernelspec_language",
    "local_kernel_manager_factory",
    "run_notebook",
    "verify_notebook",
]
