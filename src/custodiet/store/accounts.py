"""Users and their API tokens (only a hash of each secret is stored)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from custodiet.store import tables
from custodiet.store.base import Reader, WriteBase, plain


class AccountReads(Reader):
    def user_exists(self, name: str) -> bool:
        users = tables.users
        return (
            self.conn.execute(select(users.c.name).where(users.c.name == name)).first() is not None
        )

    def token(self, token_id: str) -> Any:
        """(secret_hash, revoked_at, name, role) of a token and its user, or None."""
        tok, users = tables.tokens, tables.users
        return self.conn.execute(
            select(tok.c.secret_hash, tok.c.revoked_at, users.c.name, users.c.role)
            .join(users, users.c.name == tok.c.user_name)
            .where(tok.c.id == token_id)
        ).first()

    def users(self) -> list[dict[str, Any]]:
        """Every user with the ids of their active tokens."""
        users, tok = tables.users, tables.tokens
        rows = self.conn.execute(select(users).order_by(users.c.name)).mappings().all()
        active = self.conn.execute(
            select(tok.c.user_name, tok.c.id).where(tok.c.revoked_at.is_(None))
        ).all()
        tokens: dict[str, list[str]] = {}
        for user_name, token_id in active:
            tokens.setdefault(user_name, []).append(token_id)
        return [plain(r) | {"active_tokens": sorted(tokens.get(r["name"], []))} for r in rows]


class AccountWrites(WriteBase):
    def add_user(self, name: str, role: str) -> None:
        self.conn.execute(tables.users.insert().values(name=name, role=role, created_at=self.began))

    def add_token(self, token_id: str, user: str, secret_hash: str, label: str | None) -> None:
        self.conn.execute(
            tables.tokens.insert().values(
                id=token_id,
                user_name=user,
                secret_hash=secret_hash,
                label=label,
                created_at=self.began,
            )
        )

    def revoke(self, token_id: str) -> bool:
        tok = tables.tokens
        done = self.conn.execute(
            update(tok)
            .where(tok.c.id == token_id, tok.c.revoked_at.is_(None))
            .values(revoked_at=self.began)
        )
        return done.rowcount == 1
