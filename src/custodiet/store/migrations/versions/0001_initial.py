"""Sources, entities, statements, the hash-chained audit log, and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_FTS = [
    # One FTS5 table for quotes, values and source texts; `ref` says which row a hit is.
    "CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, ref UNINDEXED, body,"
    " tokenize = 'unicode61 remove_diacritics 2')",
    """CREATE TRIGGER statements_fts_ins AFTER INSERT ON statements BEGIN
         INSERT INTO search_fts(kind, ref, body)
         VALUES ('statement', new.id, coalesce(new.quote, '') || ' ' || new.value);
       END""",
    """CREATE TRIGGER sources_fts_ins AFTER INSERT ON sources BEGIN
         INSERT INTO search_fts(kind, ref, body)
         VALUES ('source', new.id, coalesce(new.title, '') || ' ' || coalesce(new.text, ''));
       END""",
    """CREATE TRIGGER sources_fts_upd AFTER UPDATE OF title, text ON sources BEGIN
         DELETE FROM search_fts WHERE kind = 'source' AND ref = old.id;
         INSERT INTO search_fts(kind, ref, body)
         VALUES ('source', new.id, coalesce(new.title, '') || ' ' || coalesce(new.text, ''));
       END""",
]
SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
         SELECT RAISE(ABORT, 'audit_log is append-only');
       END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
         SELECT RAISE(ABORT, 'audit_log is append-only');
       END""",
]
POSTGRES = [
    "CREATE INDEX ix_statements_fts ON statements USING gin"
    " (to_tsvector('simple', coalesce(quote, '') || ' ' || value))",
    "CREATE INDEX ix_sources_fts ON sources USING gin"
    " (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, '')))",
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$""",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log"
    " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("retrieved", sa.String(10)),
        sa.Column("language", sa.String(16)),
        sa.Column("licence", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_entities_schema", "entities", ["schema"])
    op.create_table(
        "statements",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("prop", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("quote", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("method", sa.String(64), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("author", sa.String(200)),
        sa.Column("reviewer", sa.String(200)),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("reviewed_at", sa.String(32)),
        sa.Column("superseded_by", sa.String(40)),
    )
    op.create_index("ix_statements_source_id", "statements", ["source_id"])
    op.create_index("ix_statements_status", "statements", ["status"])
    op.create_index("ix_statements_entity_status", "statements", ["entity_id", "status"])
    op.create_index("ix_statements_prop_value", "statements", ["prop", "value"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    dialect = op.get_bind().dialect.name
    extra = SQLITE_FTS + SQLITE_APPEND_ONLY if dialect == "sqlite" else POSTGRES
    for sql in extra:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP FUNCTION audit_log_append_only CASCADE")
    for table in ("audit_log", "statements", "entities", "sources"):
        op.drop_table(table)
