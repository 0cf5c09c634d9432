"""The tables. Timestamps are ISO 8601 UTC strings so both databases round-trip them alike."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("url", Text),
    Column("title", Text),
    Column("publisher", Text),
    Column("author", Text),
    Column("published", String(10)),
    Column("retrieved", String(10)),
    Column("language", String(16)),
    Column("licence", Text),
    Column("text", Text),
    Column("created_at", String(32), nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("schema", String(40), nullable=False, index=True),
    Column("created_at", String(32), nullable=False),
    # The id that answers for this one: itself, or the one it was merged into (kept
    # current by every merge and split). The default exists only for the migration.
    Column("canonical_id", String(200), nullable=False, server_default="", index=True),
)

statements = Table(
    "statements",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("entity_id", String(200), ForeignKey("entities.id"), nullable=False),
    Column("schema", String(40), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("value", Text, nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=False, index=True),
    Column("quote", Text),
    Column("start", Integer),
    Column("end", Integer),
    Column("method", String(64), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("author", String(200)),
    Column("reviewer", String(200)),
    Column("created_at", String(32), nullable=False),
    Column("reviewed_at", String(32)),
    Column("superseded_by", String(40)),
    Column("dataset", String(64), nullable=False, server_default="custodiet", index=True),
    Column("original_value", Text),
    Column("origin", Text),  # where in its dataset: a row's key, or file and line
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Index("ix_statements_entity_status", "entity_id", "status"),
    Index("ix_statements_prop_value", "prop", "value"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("user_name", String(100), ForeignKey("users.name"), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("label", Text),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)

# Review decisions are records: a status change is always explained by one of these.
judgements = Table(
    "judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate", String(200), nullable=False, index=True),
    Column("outcome", String(16), nullable=False),
    Column("target", String(200)),
    Column("reason", Text),
    Column("actor", String(200), nullable=False),
    Column("at", String(32), nullable=False),
    Column("undoes", Integer),
    Column("changes", Text, nullable=False),
)

# Merges and splits are events; the clusters in force are the merges not split since.
merge_events = Table(
    "merge_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # merge, split, distinct, undistinct
    Column("canonical", String(200), nullable=False),
    Column("merged", String(200), nullable=False, index=True),
    Column("merge_id", Integer),
    Column("reason", Text),
    Column("actor", String(200), nullable=False),
    Column("at", String(32), nullable=False),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("statement_id", String(40), ForeignKey("statements.id"), nullable=False),
    Column("message", Text, nullable=False),
    Column("source_url", Text),
    Column("status", String(16), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("resolved_by", String(200)),
    Column("resolved_at", String(32)),
    Column("resolution", Text),
)


datasets = Table(
    "datasets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text),
    Column("url", Text),
    Column("licence", Text, nullable=False),
    Column("citation", Text, nullable=False),
    Column("version", String(64)),
    Column("released", String(10)),
    Column("description", Text),
    Column("updated_at", String(32), nullable=False),
)

# Derived data, rebuilt from the statements whenever it falls behind (see records.py):
# one row per entity that answers for itself, with its folded view as JSON, and every
# (property, value) of it for the atlas's counts and filters.
records = Table(
    "records",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("schema", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("reviewed_at", String(32), nullable=False),
    Index("ix_records_schema_reviewed", "schema", "reviewed_at", "id"),
)

record_values = Table(
    "record_values",
    metadata,
    Column("record_id", String(200), primary_key=True),
    Column("prop", String(64), primary_key=True),
    Column("value", Text, primary_key=True),
    Column("schema", String(40), nullable=False),
    Index("ix_record_values_lookup", "schema", "prop", "value", "record_id"),
    # Clustered on its key in SQLite: a record's values are found in one lookup.
    sqlite_with_rowid=False,
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
