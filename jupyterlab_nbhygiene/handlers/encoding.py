"""A JSON answer as the bytes to send: gzip-compressed when it is large and the client
takes gzip (every browser does). Plain functions, for every route's answer
(`BaseHandler.write_json`); the analyze route runs them in its worker thread, so a large
report is neither serialised nor compressed on the event loop."""

from __future__ import annotations

import gzip
import json
from typing import Any, NamedTuple

GZIP_ABOVE = 16 * 1024  # bytes of JSON; below it compressing saves less than it costs
GZIP_LEVEL = 5  # about as small as level 9 on report JSON, several times faster


class Encoded(NamedTuple):
    """The body to send, and its Content-Encoding (None: identity)."""

    body: bytes
    encoding: str | None


def takes_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header value accepts gzip: `gzip` (or, without it, `*`)
    with a weight above 0 (RFC 9110, 12.5.3)."""
    weights: dict[str, float] = {}
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        coding = coding.strip().lower()
        if coding in ("gzip", "*"):
            weights[coding] = _weight(params)
    return weights.get("gzip", weights.get("*", 0.0)) > 0


def _weight(params: str) -> float:
    """The `q` of a coding's parameters (1 without one; 0 when it does not read)."""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def encode_json(payload: Any, accept_encoding: str | None) -> Encoded:
    """`payload` as compact JSON bytes (no spaces), compressed with gzip when they are at
    least `GZIP_ABOVE` bytes and `accept_encoding` takes gzip."""
    data = json.dumps(payload, separators=(",", ":")).encode()
    if len(data) >= GZIP_ABOVE and takes_gzip(accept_encoding):
        return Encoded(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0), "gzip")
    return Encoded(data, None)
