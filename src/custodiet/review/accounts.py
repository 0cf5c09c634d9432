"""Users with roles, and API tokens that are shown once and stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from custodiet.model.errors import DataError
from custodiet.store.view import View
from custodiet.store.writer import Writer

ROLES = ("reader", "editor", "admin")
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
TOKEN = re.compile(r"^cst_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$")


class AccessDeniedError(PermissionError):
    """The acting user's role does not allow what was asked."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    token: str | None = None  # the id of the token it acts by, if any

    def require(self, role: str) -> None:
        if ROLES.index(self.role) < ROLES.index(role):
            raise AccessDeniedError(
                f"{self.name} is a {self.role}; this needs an {role}"
                if role == "admin"
                else f"{self.name} is a {self.role}; this needs an editor"
            )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_user(tx: Writer, name: str, role: str) -> None:
    if not NAME.match(name):
        raise DataError(f"{name!r} is not a user name (lower-case letters, digits, . _ -)")
    if role not in ROLES:
        raise DataError(f"{role!r} is not a role (one of {', '.join(ROLES)})")
    if tx.user_exists(name):
        raise DataError(f"user {name} exists already")
    tx.add_user(name, role)
    tx.audit("user.add", f"user:{name}", {"role": role})


def issue_token(tx: Writer, name: str, label: str | None) -> str:
    """A new token for the user; only its hash is kept, so this is the one time it is seen."""
    if not tx.user_exists(name):
        raise DataError(f"no user {name}")
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    tx.add_token(token_id, name, _hash(secret), label)
    tx.audit("token.issue", f"user:{name}", {"token": token_id, "label": label})
    return f"cst_{token_id}_{secret}"


def revoke_token(tx: Writer, token_id: str) -> None:
    if not tx.revoke(token_id):
        raise DataError(f"no active token {token_id}")
    tx.audit("token.revoke", f"token:{token_id}", {})


def authenticate(view: View, token: str) -> Actor:
    match = TOKEN.match(token.strip())
    if not match:
        raise AccessDeniedError("not a Custodiet token")
    row = view.token(match[1])
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(match[2])):
        raise AccessDeniedError("unknown token")
    if row.revoked_at is not None:
        raise AccessDeniedError(f"token {match[1]} was revoked")
    return Actor(row.name, row.role, match[1])


def list_users(view: View) -> list[dict[str, object]]:
    return [
        {k: u[k] for k in ("name", "role", "created_at", "active_tokens")} for u in view.users()
    ]
