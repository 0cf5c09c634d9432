"""Users with roles, and API tokens that are shown once and stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from custodiet.model.errors import DataError
from custodiet.model.statement import now
from custodiet.store import tables
from custodiet.store.sql import SqlStore
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
    users = tables.users
    if tx.conn.execute(select(users.c.name).where(users.c.name == name)).first():
        raise DataError(f"user {name} exists already")
    tx.conn.execute(users.insert().values(name=name, role=role, created_at=now()))
    tx.audit("user.add", f"user:{name}", {"role": role})


def issue_token(tx: Writer, name: str, label: str | None) -> str:
    """A new token for the user; only its hash is kept, so this is the one time it is seen."""
    if not tx.conn.execute(select(tables.users.c.name).where(tables.users.c.name == name)).first():
        raise DataError(f"no user {name}")
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    tx.conn.execute(
        tables.tokens.insert().values(
            id=token_id, user_name=name, secret_hash=_hash(secret), label=label, created_at=now()
        )
    )
    tx.audit("token.issue", f"user:{name}", {"token": token_id, "label": label})
    return f"cst_{token_id}_{secret}"


def revoke_token(tx: Writer, token_id: str) -> None:
    tok = tables.tokens
    done = tx.conn.execute(
        update(tok).where(tok.c.id == token_id, tok.c.revoked_at.is_(None)).values(revoked_at=now())
    )
    if done.rowcount != 1:
        raise DataError(f"no active token {token_id}")
    tx.audit("token.revoke", f"token:{token_id}", {})


def authenticate(store: SqlStore, token: str) -> Actor:
    match = TOKEN.match(token.strip())
    if not match:
        raise AccessDeniedError("not a Custodiet token")
    tok, users = tables.tokens, tables.users
    with store.engine.connect() as conn:
        row = conn.execute(
            select(tok.c.secret_hash, tok.c.revoked_at, users.c.name, users.c.role)
            .join(users, users.c.name == tok.c.user_name)
            .where(tok.c.id == match[1])
        ).first()
    if row is None or not hmac.compare_digest(row.secret_hash, _hash(match[2])):
        raise AccessDeniedError("unknown token")
    if row.revoked_at is not None:
        raise AccessDeniedError(f"token {match[1]} was revoked")
    return Actor(row.name, row.role)


def list_users(store: SqlStore) -> list[dict[str, object]]:
    users, tok = tables.users, tables.tokens
    with store.engine.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.name)).mappings().all()
        active = conn.execute(
            select(tok.c.user_name, tok.c.id).where(tok.c.revoked_at.is_(None))
        ).all()
    tokens: dict[str, list[str]] = {}
    for user_name, token_id in active:
        tokens.setdefault(user_name, []).append(token_id)
    return [
        {
            "name": r["name"],
            "role": r["role"],
            "created_at": r["created_at"],
            "active_tokens": sorted(tokens.get(r["name"], [])),
        }
        for r in rows
    ]
