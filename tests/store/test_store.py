"""The store on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from custodiet.model.source import Source, url_id
from custodiet.model.statement import Statement, Status
from custodiet.store import SqlStore, StoreError, tables
from custodiet.store.audit import chain_problems
from custodiet.store.integrity import problems

SOURCE = Source(id=url_id("https://example.org/r"), url="https://example.org/r", title="R")


def statement(value: str = "Acme", **kw: object) -> Statement:
    kw.setdefault("status", Status.ACCEPTED)
    return Statement.make(
        entity_id="org:acme",
        schema="Organization",
        prop="name",
        value=value,
        source_id=SOURCE.id,
        method="manual",
        **kw,
    )


@pytest.fixture
def store(db_url: str) -> SqlStore:
    s = SqlStore(db_url, create=True)
    s.initialise()
    return s


def counts(store: SqlStore) -> tuple[int, ...]:
    with store.engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (tables.sources, tables.entities, tables.statements, tables.audit_log)
        )


def test_uninitialised_database_is_refused(db_url: str) -> None:
    with pytest.raises(StoreError, match="custodiet init"):
        SqlStore(db_url)


def test_missing_sqlite_file_is_refused_without_creating_it(tmp_path: Path) -> None:
    path = tmp_path / "nothing.db"
    with pytest.raises(StoreError, match="no Custodiet database"):
        SqlStore(f"sqlite:///{path}")
    assert not path.exists()


def test_initialise_is_idempotent(store: SqlStore) -> None:
    store.initialise()
    SqlStore(store.url)  # schema check passes


def test_writes_are_idempotent_and_audited(store: SqlStore) -> None:
    before = counts(store)
    for _ in range(2):
        with store.writer(actor="test", reason="r") as tx:
            tx.add_source(SOURCE)
            tx.add_statements([statement(), statement("Acme Corp")])
    assert [a - b for a, b in zip(counts(store), before, strict=True)] == [1, 1, 2, 3]
    with store.view() as view:
        assert not chain_problems(view.audit_records())
        assert not problems(view)


def test_failed_transaction_leaves_nothing(store: SqlStore) -> None:
    before = counts(store)
    with pytest.raises(RuntimeError), store.writer(actor="test", reason="r") as tx:
        tx.add_source(SOURCE)
        tx.add_statements([statement()])
        raise RuntimeError("boom")
    assert counts(store) == before


def test_entity_schema_conflict_is_refused(store: SqlStore) -> None:
    with store.writer(actor="t", reason="r") as tx:
        tx.add_source(SOURCE)
        tx.add_statements([statement()])
    clash = Statement.make(
        entity_id="org:acme",
        schema="Project",
        prop="name",
        value="P",
        source_id=SOURCE.id,
        method="manual",
    )
    with (
        pytest.raises(ValueError, match="is a Organization"),
        store.writer(actor="t", reason="r") as tx,
    ):
        tx.add_statements([clash])


def test_audit_log_refuses_updates(store: SqlStore) -> None:
    with store.writer(actor="t", reason="r") as tx:
        tx.add_source(SOURCE)
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET reason = 'x'"))


def test_search_finds_quotes_and_sources(store: SqlStore) -> None:
    with store.writer(actor="t", reason="r") as tx:
        tx.add_source(SOURCE)
        tx.add_statements([statement(quote="Acme supplied thermal cameras")])
    with store.view() as view:
        hits = view.search("thermal cameras")
        assert [(h.kind, h.entity_id) for h in hits] == [("statement", "org:acme")]
        assert [h.kind for h in view.search("R")] == ["source"]
        assert view.search('"; DROP TABLE statements; --') == []


def test_stats_counts_by_status_and_schema(store: SqlStore) -> None:
    with store.writer(actor="t", reason="r") as tx:
        tx.add_source(SOURCE)
        tx.add_statements([statement(), statement("Other", status=Status.CANDIDATE)])
    with store.view() as view:
        stats = view.stats()
    assert stats["statements"]["accepted"] == 1
    assert stats["statements"]["candidate"] == 1
    assert stats["entities"] == {"Organization": 1}


@pytest.mark.sqlite
def test_closing_while_another_writer_holds_the_lock_reports_nothing(sqlite_url: str) -> None:
    import sqlite3
    import time

    from custodiet.store.engine import sqlite_path

    store = SqlStore(sqlite_url, create=True)
    store.initialise()
    with store.writer(actor="t", reason="r") as tx:
        tx.add_source(SOURCE)
    holder = sqlite3.connect(str(sqlite_path(sqlite_url)), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    began = time.monotonic()
    store.close()  # PRAGMA optimize cannot take the lock: skipped, not an error
    assert time.monotonic() - began < 5
    holder.execute("ROLLBACK")
    holder.close()
    with SqlStore(sqlite_url) as again, again.view() as view:
        assert view.sources_by_id([SOURCE.id])
