"""Verify runs on a kernel gateway (Jupyter Kernel or Enterprise Gateway).

The transport lives here, outside ``repro/`` (which imports no tornado): REST calls and the
kernel's websocket with tornado's asynchronous clients, handed to the runner as a kernel manager
factory.
"""

from .client import GatewayKernelClient
from .http import GatewayEndpoint, GatewayError, endpoint_from_config, kernel_env
from .kernel import GatewayKernel, gateway_kernel_factory, gateway_kernelspec

__all__ = [
    "GatewayEndpoint",
    "GatewayError",
    "GatewayKernel",
    "GatewayKernelClient",
    "endpoint_from_config",
    "gateway_kernel_factory",
    "gateway_kernelspec",
    "kernel_env",
]
