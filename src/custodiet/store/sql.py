"""SqlStore: the one store, on SQLite or PostgreSQL, chosen by the database URL.

Everything else reads through `view()` (one connection, one snapshot) and writes
through `writer()` (one transaction, audited); no other module writes SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, inspect

from custodiet.model.datasets import catalogue
from custodiet.model.errors import StoreError
from custodiet.store import migrate, records
from custodiet.store.engine import WRITE_OPTION, make_engine
from custodiet.store.view import View
from custodiet.store.writer import Writer

MAINTAINER = "custodiet"  # who the audit log names for what `init` does by itself


class SqlStore:
    def __init__(self, url: str, *, create: bool = False) -> None:
        self.url = url
        self.engine: Engine = make_engine(url, create=create)
        if not create:
            self._check_schema()

    def close(self) -> None:
        if self.engine.dialect.name == "sqlite":
            self._optimize()
        self.engine.dispose()

    def _optimize(self) -> None:
        """SQLite's advice before closing: refresh the planner's statistics where they are
        stale (without them it may prefer the status index to (prop, value)). It is a
        courtesy, after the work is committed: another writer holding the lock, or any
        other failure, skips it rather than report the committed work as failed."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA busy_timeout=200")
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")  # sample large tables
                conn.exec_driver_sql("PRAGMA optimize")
        except SQLAlchemyError:
            pass

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- schema ------------------------------------------------------------------
    def initialise(self, progress: Callable[[int], None] | None = None) -> None:
        """Create or upgrade the tables, store the shipped datasets' metadata and, where
        they are missing or stale, build the records again (idempotent)."""
        with self._connection(write=True) as conn, conn.begin():
            migrate.upgrade(conn)
        with self.writer(actor=MAINTAINER, reason="init") as tx:
            for dataset in catalogue().values():
                tx.declare_dataset(dataset)
            if records.stored_version(tx.conn) != records.version():
                records.rebuild(tx.conn, progress=progress)
        with self.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")

    def rebuild_records(self) -> int:
        """Every record again from the statements (for data written around the Writer)."""
        with self._connection(write=True) as conn, conn.begin():
            return records.rebuild(conn)

    def _check_schema(self) -> None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                raise StoreError(
                    f"{self.engine.url!r} is not a Custodiet database; run `custodiet init` first"
                )
            current = migrate.current_revision(conn)
            fresh = current == migrate.head_revision() and (
                records.stored_version(conn) == records.version()
            )
        if current != migrate.head_revision():
            raise StoreError(
                f"database schema is at {current}, this Custodiet needs "
                f"{migrate.head_revision()}; run `custodiet init` to upgrade"
            )
        if not fresh:
            raise StoreError("the database's records predate this Custodiet; run `custodiet init`")

    # --- reads and writes -------------------------------------------------------------
    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if write:
                yield conn.execution_options(**{WRITE_OPTION: True})
            elif conn.dialect.name == "postgresql":
                # Every statement of the block sees the same snapshot (READ COMMITTED, the
                # default, would give each statement its own).
                yield conn.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            else:
                yield conn  # SQLite in WAL mode: a read transaction is one snapshot

    @contextmanager
    def view(self) -> Iterator[View]:
        """One consistent snapshot of the store, for as long as the block lasts."""
        with self._connection(write=False) as conn, conn.begin():
            yield View(conn)

    @contextmanager
    def writer(self, *, actor: str, reason: str) -> Iterator[Writer]:
        """One transaction: on any error nothing of it stays, audit records included."""
        with self._connection(write=True) as conn, conn.begin():
            tx = Writer(conn, actor=actor, reason=reason)
            yield tx
            tx.finish()
