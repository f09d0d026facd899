"""Thin tornado handlers: authenticate, validate, call the core, map errors to HTTP."""

from __future__ import annotations

from typing import Any

from .analyze import AnalyzeHandler, AnalyzeSessionHandler
from .repair import ExportHandler, FixHandler
from .verify import VerifyHandler, VerifyRunHandler


def routes() -> list[tuple[str, Any]]:
    """URL patterns relative to the server's base_url (the ExtensionApp prepends it)."""
    return [
        (r"/nbhygiene/analyze", AnalyzeHandler),
        (r"/nbhygiene/analyze/(?P<client>[^/]+)", AnalyzeSessionHandler),
        (r"/nbhygiene/verify", VerifyHandler),
        (r"/nbhygiene/fix", FixHandler),
        (r"/nbhygiene/export", ExportHandler),
        (r"/nbhygiene/verify/(?P<run_id>[^/]+)", VerifyRunHandler),
    ]
