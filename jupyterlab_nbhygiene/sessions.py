"""The server's analysis sessions, and the analyze request as the server reads it.

:class:`SessionStore` is created once by the server app and handed to the handlers
through the tornado settings (as jupyterlab-git hands its `Git` object): a bounded LRU of
:class:`~.analysis.session.AnalysisSession`, keyed by (user, client), whose entries
expire when unused. :class:`AnalyzeService` reads a request body (full or delta, README
"REST API") and answers it with a report. Neither imports tornado: the handlers only
translate HTTP.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from .analysis import analyze
from .analysis.delta import DeltaError
from .analysis.errors import AnalysisInputError
from .analysis.session import KEEP, AnalysisSession, SessionConflict

SessionKey = tuple[str, str]  # (user, client)
MAX_CLIENT_ID = 128


class SessionStore:
    """At most `max_sessions` sessions, least recently used out first; a session unused
    for `ttl` seconds expires. Every method acquires the store's lock (briefly: never
    while a session analyses)."""

    def __init__(
        self, max_sessions: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_sessions = max(1, max_sessions)
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: OrderedDict[SessionKey, tuple[AnalysisSession, float]] = OrderedDict()

    def open(self, key: SessionKey) -> AnalysisSession:
        """A new, empty session under `key`, replacing the one there was."""
        session = AnalysisSession()
        with self._lock:
            now = self._clock()
            self._expire(now)
            self._sessions.pop(key, None)
            self._sessions[key] = (session, now)
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)
        return session

    def get(self, key: SessionKey) -> AnalysisSession | None:
        """The session under `key` (now the most recently used), or None."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            found = self._sessions.get(key)
            if found is None:
                return None
            self._sessions[key] = (found[0], now)
            self._sessions.move_to_end(key)
            return found[0]

    def drop(self, key: SessionKey) -> None:
        """Forget the session under `key`, if there is one."""
        with self._lock:
            self._sessions.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._sessions)

    def _expire(self, now: float) -> None:
        # Oldest use first: stop at the first session still in time.
        while self._sessions:
            key, (_, used) = next(iter(self._sessions.items()))
            if now - used <= self.ttl:
                break
            del self._sessions[key]


def _optional_bool(body: Mapping[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise AnalysisInputError(f'"{key}" must be true or false.')
    return value


def _client(body: Mapping[str, Any]) -> str | None:
    client = body.get("client")
    if client is None:
        return None
    if not isinstance(client, str) or not 0 < len(client) <= MAX_CLIENT_ID:
        raise AnalysisInputError(
            f'"client" must be a non-empty string of at most {MAX_CLIENT_ID} characters.'
        )
    return client


class AnalyzeService:
    """Answers `POST /nbhygiene/analyze` bodies and `DELETE /nbhygiene/analyze/{client}`."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    def analyze(self, user: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """The report for a full or a delta body (with `revision` when it names a client).

        Raises :class:`AnalysisInputError` for a malformed body (the message is for the
        user) and :class:`SessionConflict` when a delta does not follow the session.
        """
        path = body.get("path")
        if path is not None and not isinstance(path, str):
            raise AnalysisInputError('"path" must be a string.')
        slices = _optional_bool(body, "slices")
        client = _client(body)
        if "delta" in body:
            return self._delta(user, client, body, slices)
        notebook = body.get("notebook")
        if notebook is None:
            raise AnalysisInputError(
                'The body needs a "notebook" (nbformat v4 JSON), or a "client" and a "delta".'
            )
        history, settings = body.get("history"), body.get("settings")
        if client is None:
            return analyze(notebook, history, settings, path=path, slices=slices)
        key = (user, client)
        try:
            return self.store.open(key).analyze_full(
                notebook, history, settings, path=path, slices=slices
            )
        except AnalysisInputError:
            self.store.drop(key)  # the new session never got a notebook
            raise

    def _delta(
        self, user: str, client: str | None, body: Mapping[str, Any], slices: bool
    ) -> dict[str, Any]:
        if client is None:
            raise DeltaError('A delta needs the "client" of the session it changes.')
        if "notebook" in body:
            raise DeltaError('Send either a "notebook" or a "delta", not both.')
        base = body.get("base_revision")
        if not isinstance(base, int) or isinstance(base, bool):
            raise DeltaError('A delta needs "base_revision", the revision it was made against.')
        session = self.store.get((user, client))
        if session is None:
            raise SessionConflict(
                "no-session",
                "There is no analysis session for this client (it expired or the server "
                "restarted): send the full notebook.",
            )
        return session.apply(
            base,
            body["delta"],
            body.get("settings", KEEP),
            path=body.get("path", KEEP),
            slices=slices,
        )

    def close(self, user: str, client: str) -> None:
        """Forget the session of a closed notebook (an unknown client is no error)."""
        self.store.drop((user, client))
