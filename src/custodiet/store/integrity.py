"""`custodiet verify`: the checks that prove the store says what its sources say."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from custodiet.model.statement import Status
from custodiet.store import tables
from custodiet.store.audit import chain_problems
from custodiet.store.sql import SqlStore

ALL = list(Status)


def missing_sources(store: SqlStore) -> Iterator[str]:
    st, so = tables.statements, tables.sources
    query = (
        select(st.c.id, st.c.source_id)
        .join(so, so.c.id == st.c.source_id, isouter=True)
        .where(so.c.id.is_(None))
    )
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            yield f"statement {row.id}: its source {row.source_id} does not exist"


def misplaced_quotes(store: SqlStore) -> Iterator[str]:
    """Where a source's text is stored, each quote must stand at its offsets."""
    for source in store.iter_sources_with_text():
        assert source.text is not None
        for s in _statements_with_offsets(store, source.id):
            if source.text[s[1] : s[2]] != s[3]:
                yield f"statement {s[0]}: quote not found at {s[1]}:{s[2]} in source {source.id}"


def _statements_with_offsets(store: SqlStore, source_id: str) -> list[tuple[str, int, int, str]]:
    st = tables.statements
    query = select(st.c.id, st.c.start, st.c.end, st.c.quote).where(
        st.c.source_id == source_id, st.c.start.is_not(None)
    )
    with store.engine.connect() as conn:
        return [(r.id, r.start, r.end, r.quote) for r in conn.execute(query)]


def tampered_statements(store: SqlStore) -> Iterator[str]:
    """A statement id is the hash of its key fields; a mismatch means a hand edit."""
    for statement, _url in store.iter_statements(ALL):
        if not statement.key_matches():
            yield f"statement {statement.id}: its key fields were changed after it was written"


def problems(store: SqlStore) -> list[str]:
    found = list(missing_sources(store))
    found += misplaced_quotes(store)
    found += tampered_statements(store)
    found += chain_problems(store.audit_records())
    return found
