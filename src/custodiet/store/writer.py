"""Writes inside one transaction; every write appends to the audit chain."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, text, update

from custodiet.model.source import Source
from custodiet.model.statement import Statement, now
from custodiet.store import tables
from custodiet.store.audit import GENESIS, record_hash

# Any constant works: it only has to be the same for every Custodiet writer.
AUDIT_LOCK_KEY = 0x637573746F6469


class Writer:
    """Handed out by SqlStore.transaction(); not to be kept after the block ends."""

    def __init__(self, conn: Connection, *, actor: str, reason: str) -> None:
        self.conn = conn
        self.actor = actor
        self.reason = reason
        self._pending: list[dict[str, Any]] = []
        self._last: tuple[int, str] | None = None
        if conn.dialect.name == "postgresql":
            # One writer at a time, from the start: the audit chain grows from one tail and
            # a review reads the status it changes. (SQLite's BEGIN IMMEDIATE does the same.)
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})

    # --- audit -------------------------------------------------------------------
    def audit(self, action: str, target: str, detail: dict[str, Any]) -> None:
        seq, prev = self._chain_tail()
        at = now()
        body = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = record_hash(seq + 1, at, self.actor, action, target, self.reason, body, prev)
        self._pending.append(
            {
                "seq": seq + 1,
                "at": at,
                "actor": self.actor,
                "action": action,
                "target": target,
                "reason": self.reason,
                "detail": body,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        self._last = (seq + 1, digest)

    def _chain_tail(self) -> tuple[int, str]:
        if self._last is None:
            row = self.conn.execute(
                select(tables.audit_log.c.seq, tables.audit_log.c.hash)
                .order_by(tables.audit_log.c.seq.desc())
                .limit(1)
            ).first()
            self._last = (row.seq, row.hash) if row else (0, GENESIS)
        return self._last

    def flush(self) -> None:
        if self._pending:
            self.conn.execute(insert(tables.audit_log), self._pending)
            self._pending = []

    # --- sources -----------------------------------------------------------------
    def add_source(self, source: Source) -> bool:
        """Store a source once; True when it was new."""
        exists = self.conn.execute(
            select(tables.sources.c.id).where(tables.sources.c.id == source.id)
        ).first()
        if exists:
            return False
        self.conn.execute(insert(tables.sources).values(**source.model_dump(), created_at=now()))
        self.audit("source.add", source.id, {"url": source.url, "title": source.title})
        return True

    def attach_text(self, source_id: str, text_value: str) -> None:
        self.conn.execute(
            update(tables.sources).where(tables.sources.c.id == source_id).values(text=text_value)
        )
        self.audit("source.attach_text", source_id, {"chars": len(text_value)})

    # --- statements --------------------------------------------------------------
    def add_statements(self, statements: Sequence[Statement]) -> int:
        """Insert the statements not stored yet (ids are deterministic); returns how many."""
        return len(self.insert_new(statements))

    def insert_new(self, statements: Sequence[Statement]) -> list[Statement]:
        """Insert the statements not stored yet; returns those it inserted."""
        fresh = self._unseen(statements)
        if not fresh:
            return []
        self._ensure_entities((s.entity_id, s.schema_name) for s in fresh)
        self.conn.execute(insert(tables.statements), [_row(s) for s in fresh])
        for s in fresh:
            self.audit(
                "statement.add",
                s.entity_id,
                {
                    "statement": s.id,
                    "prop": s.prop,
                    "value": s.value,
                    "status": s.status.value,
                },
            )
        return fresh

    def _unseen(self, statements: Sequence[Statement]) -> list[Statement]:
        unique = {s.id: s for s in statements}
        seen: set[str] = set()
        ids = list(unique)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            seen.update(
                self.conn.execute(
                    select(tables.statements.c.id).where(tables.statements.c.id.in_(chunk))
                ).scalars()
            )
        return [s for sid, s in unique.items() if sid not in seen]

    def _ensure_entities(self, pairs: Iterable[tuple[str, str]]) -> None:
        wanted = dict(pairs)
        known = dict(
            self.conn.execute(
                select(tables.entities.c.id, tables.entities.c.schema).where(
                    tables.entities.c.id.in_(list(wanted))
                )
            ).all()
        )
        for entity_id, schema in wanted.items():
            if entity_id in known and known[entity_id] != schema:
                raise ValueError(f"{entity_id} is a {known[entity_id]}, not a {schema}")
        new = [
            {"id": e, "schema": s, "created_at": now()} for e, s in wanted.items() if e not in known
        ]
        if new:
            self.conn.execute(insert(tables.entities), new)


def _row(s: Statement) -> dict[str, Any]:
    row = s.model_dump()
    row["schema"] = row.pop("schema_name")
    row["status"] = s.status.value
    return row
