"""Helpers for the reproducibility tests: saved outputs, PNG bytes, kernel-process checks."""

from __future__ import annotations

import base64
import hashlib
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import psutil


def stream(text: str, name: str = "stdout") -> dict[str, Any]:
    return {"output_type": "stream", "name": name, "text": text}


def result(text: str, count: int = 1) -> dict[str, Any]:
    return {
        "output_type": "execute_result",
        "execution_count": count,
        "data": {"text/plain": text},
        "metadata": {},
    }


def display(data: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


def error(ename: str, evalue: str) -> dict[str, Any]:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": ["..."]}


def png(width: int, height: int, shade: int = 0) -> bytes:
    """A valid grey PNG of the given pixel size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([shade % 256]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def png_b64(width: int, height: int, shade: int = 0) -> str:
    return base64.b64encode(png(width, height, shade)).decode("ascii")


# The same PNG writer as source code, for cells that display an image in the kernel.
PNG_SOURCE = """
import struct, zlib
def png(width, height, shade=0):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\\x00" + bytes([shade % 256]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))
"""


def verdicts(out: dict[str, Any]) -> dict[int, str]:
    """Cell index -> verdict of a verify result."""
    return {c["index"]: c["verdict"] for c in out["cells"]}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def child_pids() -> set[int]:
    return {p.pid for p in psutil.Process().children(recursive=True)}


def living_children(exclude: set[int]) -> list[psutil.Process]:
    """Child processes started since `exclude` was taken that are still running."""
    left = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.pid not in exclude and proc.status() != psutil.STATUS_ZOMBIE:
                left.append(proc)
        except psutil.NoSuchProcess:
            continue
    return left


def assert_no_new_kernels(before: set[int], grace: float = 2.0) -> None:
    """No process started during the test outlives it (a grace for the OS to reap)."""
    deadline = time.monotonic() + grace
    while (left := living_children(before)) and time.monotonic() < deadline:
        time.sleep(0.05)
    described = []
    for proc in left:
        try:
            described.append(" ".join(proc.cmdline()))
        except psutil.Error:
            described.append(str(proc.pid))
    assert not left, f"processes left behind: {described}"
