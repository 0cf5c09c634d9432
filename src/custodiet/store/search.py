"""Full-text search over accepted quotes and values, and over source titles and texts.

SQLite uses the FTS5 table the migration creates (ordered by its built-in `rank`,
bm25, which FTS5 sorts far faster than an explicit bm25() call); PostgreSQL uses GIN-indexed
tsvectors with the language-neutral 'simple' configuration (sources are multilingual).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlalchemy import Connection, text


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


SQLITE = {
    "statement": """
        SELECT s.id AS ref, coalesce(s.quote, s.value) AS text, s.entity_id, s.prop, s.value,
               s.source_id, s.dataset
        FROM search_fts f JOIN statements s ON f.kind = 'statement' AND s.id = f.ref
        WHERE search_fts MATCH :q AND s.status = 'accepted'
        ORDER BY rank LIMIT :n""",
    "source": """
        SELECT s.id AS ref, coalesce(s.title, s.url, s.id) AS text
        FROM search_fts f JOIN sources s ON f.kind = 'source' AND s.id = f.ref
        WHERE search_fts MATCH :q
        ORDER BY rank LIMIT :n""",
}
_ST_VEC = "to_tsvector('simple', coalesce(quote, '') || ' ' || value)"
_SO_VEC = "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, ''))"
POSTGRES = {
    "statement": f"""
        SELECT id AS ref, coalesce(quote, value) AS text, entity_id, prop, value, source_id,
               dataset
        FROM statements, plainto_tsquery('simple', :q) query
        WHERE {_ST_VEC} @@ query AND status = 'accepted'
        ORDER BY ts_rank({_ST_VEC}, query) DESC, id LIMIT :n""",
    "source": f"""
        SELECT id AS ref, coalesce(title, url, id) AS text
        FROM sources, plainto_tsquery('simple', :q) query
        WHERE {_SO_VEC} @@ query
        ORDER BY ts_rank({_SO_VEC}, query) DESC, id LIMIT :n""",
}


def fts5_query(user_text: str) -> str:
    """Every word must match; each is quoted so FTS5 syntax in user input is inert."""
    return " ".join(f'"{w}"' for w in re.findall(r"\w+", user_text))


def search(conn: Connection, user_text: str, *, limit: int) -> list[SearchHit]:
    if conn.dialect.name == "sqlite":
        sql, query = SQLITE, fts5_query(user_text)
    else:
        sql, query = POSTGRES, user_text
    if not query.strip():
        return []
    # Many statements share one quote (a sentence supports several values): fetch more,
    # then keep one hit per entity and quote, listing the properties it supports.
    rows = conn.execute(text(sql["statement"]), {"q": query, "n": limit * 10}).mappings()
    grouped: dict[tuple[str, str], SearchHit] = {}
    for row in rows:
        key = (row["entity_id"], row["text"])
        if key in grouped:
            hit = grouped[key]
            grouped[key] = replace(hit, prop=f"{hit.prop}, {row['prop']}", value=None)
        elif len(grouped) < limit:
            grouped[key] = SearchHit(kind="statement", **row)
    sources = conn.execute(text(sql["source"]), {"q": query, "n": limit}).mappings()
    return [*grouped.values(), *(SearchHit(kind="source", **row) for row in sources)]
