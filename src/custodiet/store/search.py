"""Full-text search over accepted quotes and values, and over the titles and texts of
sources that some accepted statement cites (a source only candidates rest on is shown
to editors alone).

SQLite uses the FTS5 table the migration creates (ordered by its built-in `rank`,
bm25, which FTS5 sorts far faster than an explicit bm25() call); PostgreSQL uses GIN-indexed
tsvectors with the language-neutral 'simple' configuration (sources are multilingual).

A search is bounded: at most MAX_WORDS distinct words count, and each query stops after
BUDGET_MS (a query of 3,001 copies of one word took 10 s, and one of 42 KB minutes).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "statement" or "source"
    ref: str
    text: str
    entity_id: str | None = None
    prop: str | None = None
    value: str | None = None
    source_id: str | None = None  # a statement's source
    dataset: str | None = None  # a statement's dataset
    # The record of the entity that answers for it: how the hit reads.
    about_schema: str | None = None
    about_name: str | None = None
    about_data: str | None = None


SQLITE = {
    "statement": """
        SELECT s.id AS ref, coalesce(s.quote, s.value) AS text, s.entity_id, s.prop, s.value,
               s.source_id, s.dataset, r.schema AS about_schema, r.name AS about_name,
               r.data AS about_data
        FROM search_fts f JOIN statements s ON f.kind = 'statement' AND s.id = f.ref
        LEFT JOIN entities e ON e.id = s.entity_id LEFT JOIN records r ON r.id = e.canonical_id
        WHERE search_fts MATCH :q AND s.status = 'accepted'
          AND (:d IS NULL OR s.dataset = :d)
        ORDER BY rank LIMIT :n""",
    "source": """
        SELECT s.id AS ref, coalesce(s.title, s.url, s.id) AS text
        FROM search_fts f JOIN sources s ON f.kind = 'source' AND s.id = f.ref
        WHERE search_fts MATCH :q AND EXISTS (
            SELECT 1 FROM statements c WHERE c.source_id = s.id AND c.status = 'accepted'
              AND (:d IS NULL OR c.dataset = :d))
        ORDER BY rank LIMIT :n""",
}
_ST_VEC = "to_tsvector('simple', coalesce(quote, '') || ' ' || value)"
_SO_VEC = "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))"
POSTGRES = {
    "statement": f"""
        SELECT hit.*, r.schema AS about_schema, r.name AS about_name, r.data AS about_data
        FROM (
            SELECT id AS ref, coalesce(quote, value) AS text, entity_id, prop, value,
                   source_id, dataset, ts_rank({_ST_VEC}, query) AS score
            FROM statements, plainto_tsquery('simple', :q) query
            WHERE {_ST_VEC} @@ query AND status = 'accepted'
              AND (CAST(:d AS text) IS NULL OR dataset = :d)
            ORDER BY score DESC, id LIMIT :n
        ) hit
        LEFT JOIN entities e ON e.id = hit.entity_id LEFT JOIN records r ON r.id = e.canonical_id
        ORDER BY hit.score DESC, hit.ref""",
    "source": f"""
        SELECT id AS ref, coalesce(title, url, id) AS text
        FROM sources, plainto_tsquery('simple', :q) query
        WHERE {_SO_VEC} @@ query AND EXISTS (
            SELECT 1 FROM statements c WHERE c.source_id = sources.id AND c.status = 'accepted'
              AND (CAST(:d AS text) IS NULL OR c.dataset = :d))
        ORDER BY ts_rank({_SO_VEC}, query) DESC, id LIMIT :n""",
}


MAX_WORDS = 8
BUDGET_MS = 2000


class SearchTooCostlyError(RuntimeError):
    """A search that ran past its time budget."""


def words(user_text: str) -> list[str]:
    """The distinct words that count, in order, at most MAX_WORDS of them."""
    return list(dict.fromkeys(w.lower() for w in re.findall(r"\w+", user_text)))[:MAX_WORDS]


def fts5_query(user_text: str) -> str:
    """Every word must match; each is quoted so FTS5 syntax in user input is inert."""
    return " ".join(f'"{w}"' for w in words(user_text))


def search(
    conn: Connection, user_text: str, *, limit: int, dataset: str | None = None
) -> list[SearchHit]:
    """The best hits for the words, of one dataset's statements (and the sources they
    cite) when `dataset` is given."""
    if conn.dialect.name == "sqlite":
        sql, query = SQLITE, fts5_query(user_text)
    else:
        sql, query = POSTGRES, " ".join(words(user_text))
    if not query.strip():
        return []
    with _budget(conn):
        return _hits(conn, sql, {"q": query, "d": dataset}, limit)


@contextlib.contextmanager
def _budget(conn: Connection) -> Iterator[None]:
    """The queries inside stop after BUDGET_MS: SearchTooCostlyError, the snapshot intact."""
    if conn.dialect.name == "postgresql":
        # In a savepoint: a cancelled statement then spoils only it, not the view's
        # transaction, which the page goes on reading.
        nested = conn.begin_nested()
        conn.execute(text(f"SET LOCAL statement_timeout = {BUDGET_MS}"))
        try:
            yield
        except OperationalError as exc:
            nested.rollback()
            raise SearchTooCostlyError("the search took too long") from exc
        conn.execute(text("SET LOCAL statement_timeout = 0"))
        nested.commit()
        return
    raw = conn.connection.dbapi_connection
    deadline = time.monotonic() + BUDGET_MS / 1000
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)  # type: ignore[union-attr]
    try:
        yield
    except OperationalError as exc:
        if "interrupted" in str(exc):
            raise SearchTooCostlyError("the search took too long") from exc
        raise
    finally:
        raw.set_progress_handler(None, 0)  # type: ignore[union-attr]


def _hits(
    conn: Connection, sql: dict[str, str], given: dict[str, str | None], limit: int
) -> list[SearchHit]:
    # Many statements share one quote (a sentence supports several values): fetch more,
    # then keep one hit per entity and quote, listing the properties it supports.
    rows = conn.execute(text(sql["statement"]), {**given, "n": limit * 10}).mappings()
    grouped: dict[tuple[str, str], SearchHit] = {}
    for row in rows:
        key = (row["entity_id"], row["text"])
        if key in grouped:
            hit = grouped[key]
            grouped[key] = replace(hit, prop=f"{hit.prop}, {row['prop']}", value=None)
        elif len(grouped) < limit:
            grouped[key] = SearchHit(
                kind="statement", **{k: v for k, v in row.items() if k != "score"}
            )
    sources = conn.execute(text(sql["source"]), {**given, "n": limit}).mappings()
    return [*grouped.values(), *(SearchHit(kind="source", **row) for row in sources)]
