"""Every test here must leave no kernel process behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from repro.support import assert_no_new_kernels, child_pids


@pytest.fixture(autouse=True)
def no_kernel_left_behind() -> Iterator[None]:
    before = child_pids()
    yield
    assert_no_new_kernels(before)
