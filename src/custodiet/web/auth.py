"""Editors' sessions, CSRF tokens and a sign-in rate limit, with nothing kept per reader.

Sessions are signed cookies (HttpOnly, SameSite=Strict) that only editors get, after
signing in with an API token. CSRF tokens are signed too, so forms work without any
cookie for readers. The sign-in limit counts failures for everyone together: limiting
per address would mean keeping addresses, which Custodiet does not.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass

COOKIE = "custodiet_session"
SESSION_SECONDS = 8 * 3600
CSRF_SECONDS = 4 * 3600
FAILURES_PER_MINUTE = 10


@dataclass(frozen=True)
class Session:
    user: str
    role: str


class Signer:
    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or secrets.token_bytes(32)  # a restart signs everyone out

    def _mac(self, message: str) -> str:
        return hmac.new(self.key, message.encode(), hashlib.sha256).hexdigest()

    def session_cookie(self, user: str, role: str) -> str:
        body = f"{user}|{role}|{int(time.time())}"
        return f"{body}|{self._mac(body)}"

    def session(self, cookie: str | None) -> Session | None:
        if not cookie or cookie.count("|") != 3:
            return None
        user, role, issued, mac = cookie.split("|")
        if not hmac.compare_digest(mac, self._mac(f"{user}|{role}|{issued}")):
            return None
        if not issued.isdigit() or time.time() - int(issued) > SESSION_SECONDS:
            return None
        return Session(user, role)

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

    def _trim(self) -> None:
        while self.failures and time.monotonic() - self.failures[0] > 60:
            self.failures.popleft()

    def blocked(self) -> bool:
        self._trim()
        return len(self.failures) >= self.per_minute

    def fail(self) -> None:
        self.failures.append(time.monotonic())
