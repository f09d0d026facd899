"""Kernels of the galata server (IPYTHONDIR points here): errors only on the shared console.

ipykernel warns on every start that it runs over TCP; that line would sit between the tests.
"""

c.IPKernelApp.log_level = "ERROR"  # noqa: F821
