"""The hand-written migration must build exactly the tables that tables.py declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from custodiet.store import SqlStore, migrate
from custodiet.store.tables import metadata

# Made by raw SQL in the migration, on purpose: FTS5 tables and expression indexes.
RAW_SQL_OBJECTS = ("search_fts", "ix_statements_fts", "ix_sources_fts")


def _declared(name: str | None, _type: str, _parent: object) -> bool:
    return not (name or "").startswith(RAW_SQL_OBJECTS)


def test_migration_matches_declared_tables(db_url: str) -> None:
    store = SqlStore(db_url, create=True)
    store.initialise()
    with store.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_name": _declared}), metadata
        )
        assert migrate.current_revision(conn) == migrate.head_revision()
    assert diff == []
