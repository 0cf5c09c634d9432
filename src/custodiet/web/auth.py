"""Editors' sessions, CSRF tokens and rate limits, with nothing kept per reader.

A session is a random id in a signed cookie (HttpOnly, SameSite=Strict, Secure over
HTTPS) that only editors get, after signing in with an API token; the server keeps what
the id stands for (user, token, time), so signing out ends it at once, and the editor
pages check on every request that its token is still active, so revoking the token ends
it too. CSRF tokens are signed, so forms work without any cookie for readers. The
limits count for everyone together: limiting per address would mean keeping addresses,
which Custodiet does not.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

COOKIE = "custodiet_session"
SESSION_SECONDS = 8 * 3600
CSRF_SECONDS = 4 * 3600
FAILURES_PER_MINUTE = 10
REPORTS_PER_MINUTE = 20  # readers' corrections, from everyone together


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    token: str  # the id of the API token it was opened with
    issued: float


class Signer:
    """Signs cookies and CSRF tokens, and keeps the sessions in force (in memory: a
    restart signs everyone out, as its new key would anyway)."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or secrets.token_bytes(32)
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def _mac(self, message: str) -> str:
        return hmac.new(self.key, message.encode(), hashlib.sha256).hexdigest()

    def open(self, user: str, role: str, token: str) -> str:
        """A new session; returns its cookie."""
        sid = secrets.token_urlsafe(24)
        with self._lock:
            self._forget_expired()
            self._sessions[sid] = Session(user, role, token, time.time())
        return f"{sid}|{self._mac(sid)}"

    def session(self, cookie: str | None) -> Session | None:
        sid = self._sid(cookie)
        with self._lock:
            found = self._sessions.get(sid) if sid else None
            if found is not None and time.time() - found.issued > SESSION_SECONDS:
                del self._sessions[sid]  # type: ignore[arg-type]
                return None
            return found

    def close(self, cookie: str | None) -> None:
        """Sign out: the session ends now, whoever still holds its cookie."""
        sid = self._sid(cookie)
        with self._lock:
            self._sessions.pop(sid or "", None)

    def close_token(self, token: str) -> None:
        """Every session opened with a token that no longer works ends."""
        with self._lock:
            for sid in [s for s, v in self._sessions.items() if v.token == token]:
                del self._sessions[sid]

    def _sid(self, cookie: str | None) -> str | None:
        if not cookie or cookie.count("|") != 1:
            return None
        sid, mac = cookie.split("|")
        return sid if hmac.compare_digest(mac, self._mac(sid)) else None

    def _forget_expired(self) -> None:
        now = time.time()
        for sid in [s for s, v in self._sessions.items() if now - v.issued > SESSION_SECONDS]:
            del self._sessions[sid]

    def csrf(self, scope: str) -> str:
        issued = str(int(time.time()))
        return f"{issued}.{self._mac(f'csrf|{scope}|{issued}')}"

    def csrf_ok(self, scope: str, token: str | None) -> bool:
        if not token or "." not in token:
            return False
        issued, mac = token.split(".", 1)
        if not issued.isdigit() or time.time() - int(issued) > CSRF_SECONDS:
            return False
        return hmac.compare_digest(mac, self._mac(f"csrf|{scope}|{issued}"))


class FailureLimit:
    """At most N failed sign-ins a minute, for all comers together."""

    def __init__(self, per_minute: int = FAILURES_PER_MINUTE) -> None:
        self.per_minute = per_minute
        self.failures: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self) -> None:
        while self.failures and time.monotonic() - self.failures[0] > 60:
            self.failures.popleft()

    def blocked(self) -> bool:
        with self._lock:
            self._trim()
            return len(self.failures) > self.per_minute

    def fail(self) -> None:
        with self._lock:
            self.failures.append(time.monotonic())


class RateLimit(FailureLimit):
    """At most N events a minute, for all comers together (readers' corrections)."""

    def __init__(self, per_minute: int = REPORTS_PER_MINUTE) -> None:
        super().__init__(per_minute)

    def allow(self) -> bool:
        """True, and counted, while fewer than N came in the last minute."""
        with self._lock:
            self._trim()
            if len(self.failures) >= self.per_minute:
                return False
            self.failures.append(time.monotonic())
            return True
