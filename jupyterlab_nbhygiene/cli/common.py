"""What every command shares: its exit codes and its usage error.

Here, not in the package's ``__init__``, so that the commands never import the module that
imports them (``cli/__init__`` loads a command only when it runs).
"""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unreadable input: printed as one line, exit code 2."""
