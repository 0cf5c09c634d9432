"""What every reader and writer of the store stands on: one connection, and for writers
the audit chain and the list of entities whose records a transaction must refresh."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, text

from custodiet.model.statement import now
from custodiet.store import tables
from custodiet.store.audit import GENESIS, record_hash

# Any constant works: it only has to be the same for every Custodiet writer.
AUDIT_LOCK_KEY = 0x637573746F6469
PUBLIC_VERSION = "public_version"


def insert_returning_id(conn: Connection, table: Table, **values: Any) -> int:
    """Insert one row into a table with an autoincrement id; return the id."""
    key = conn.execute(table.insert().values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


AUDIT_BATCH = 5000  # audit records held before they are written (still uncommitted)


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows at once. On SQLite, straight through the driver: building
    SQLAlchemy's parameters cost more than SQLite's own work (an import writes hundreds
    of thousands of rows); PostgreSQL's driver is given them in batches by SQLAlchemy."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    columns = [c.name for c in table.columns if c.name in rows[0]]  # others: defaults
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'
    conn.exec_driver_sql(sql, [tuple(r.get(c) for c in columns) for r in rows])


def plain(row: Any) -> dict[str, Any]:
    """A row as a dict with plain str keys (SQLAlchemy's may be a str subclass, which
    some JSON encoders refuse)."""
    return {str(k): v for k, v in row.items()}


class Reader:
    """Reads on one connection, inside one transaction: one consistent snapshot."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def data_version(self) -> int:
        """A number that every write changing what the public sees raises (a correction
        reported, a candidate rejected, a token issued do not), so a reader whose version
        still matches has seen every public change."""
        m = tables.meta
        found = self.conn.execute(
            select(m.c.value).where(m.c.key == PUBLIC_VERSION)
        ).scalar_one_or_none()
        return int(found or 0)


class WriteBase(Reader):
    """Handed out by SqlStore.writer(); not to be kept after the block ends."""

    def __init__(self, conn: Connection, *, actor: str, reason: str) -> None:
        super().__init__(conn)
        self.actor = actor
        self.reason = reason
        self.began = now()
        self.dirty: set[str] = set()  # entities whose accepted statements changed
        self.datasets_used: set[str] = set()  # datasets of the statements written
        self.public = False  # whether it changes what the public sees
        self._pending: list[dict[str, Any]] = []
        self._last: tuple[int, str] | None = None
        if conn.dialect.name == "postgresql":
            # One writer at a time, from the start: the audit chain grows from one tail and
            # a review reads the status it changes. (SQLite's BEGIN IMMEDIATE does the same.)
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})

    def touch(self, entity_ids: Iterable[str]) -> None:
        """These entities' records must be folded again before the transaction ends."""
        before = len(self.dirty)
        self.dirty.update(entity_ids)
        self.public = self.public or len(self.dirty) > before

    def publish(self) -> None:
        """If it changed what the public sees, every reader's version is now stale."""
        if not self.public:
            return
        m = tables.meta
        version = self.data_version() + 1
        self.conn.execute(delete(m).where(m.c.key == PUBLIC_VERSION))
        self.conn.execute(insert(m).values(key=PUBLIC_VERSION, value=str(version)))

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
        if len(self._pending) >= AUDIT_BATCH:  # an import audits tens of thousands
            self.flush_audit()

    def _chain_tail(self) -> tuple[int, str]:
        if self._last is None:
            row = self.conn.execute(
                select(tables.audit_log.c.seq, tables.audit_log.c.hash)
                .order_by(tables.audit_log.c.seq.desc())
                .limit(1)
            ).first()
            self._last = (row.seq, row.hash) if row else (0, GENESIS)
        return self._last

    def flush_audit(self) -> None:
        if self._pending:
            insert_many(self.conn, tables.audit_log, self._pending)
            self._pending = []
