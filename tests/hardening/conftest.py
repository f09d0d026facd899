"""Fixtures for the hardening tests."""

from __future__ import annotations

from typing import Any

import pytest
from hardening.support import Live


@pytest.fixture
def live(jp_serverapp: Any, http_server_client: Any, jp_http_port: int, jp_base_url: str) -> Live:
    """The test server, listening (http_server_client starts the listener) for raw requests."""
    return Live(jp_serverapp, jp_http_port, jp_base_url)
