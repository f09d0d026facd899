"""The analyzer's input errors: one base class, so that a caller maps them in one place."""

from __future__ import annotations


class AnalysisInputError(ValueError):
    """The input cannot be analysed as given; the message is a sentence for the user.

    The server answers these with 400; any other exception is a bug.
    """
