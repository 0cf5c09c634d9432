"""Database URLs and engines: SQLite tuned for one writer at a time, PostgreSQL via psycopg."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from custodiet.model.errors import StoreError

ENV_VAR = "CUSTODIET_DB"
WRITE_OPTION = "custodiet_write"


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("custodiet", appauthor=False)) / "custodiet.db"


def database_url(given: str | None = None) -> str:
    """--db wins, then $CUSTODIET_DB, then a SQLite file in the user-data directory.

    A bare path means a SQLite file; postgresql:// URLs use the psycopg 3 driver.
    """
    raw = given or os.environ.get(ENV_VAR) or str(default_sqlite_path())
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    if raw.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN IMMEDIATE below is ours.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        # 64 MB of page cache (the default is 2 MB): an import of a dataset writes
        # tens of thousands of rows into indexes keyed by hashes, all over the file.
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock at the start, so they queue instead of failing on a lock
        # upgrade mid-transaction; readers stay deferred and never block one another.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, *, create: bool) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise StoreError(f"no Custodiet database at {path}; run `custodiet init` first")
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    return engine
