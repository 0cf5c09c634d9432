"""Datasets as provenance, stored canonical ids, and records kept current.

Every statement gains its dataset (`owid-vdem` for the regime types imported before
datasets existed, `custodiet` for everything else), the value as its source wrote it,
where in its dataset it stands (a row's key or line), and when its dataset first and
last contained it (its creation, for what was already
stored). Merge events gain two kinds, "distinct" and "undistinct" (judgements that two
entities are not the same, and their withdrawal). Every entity gains the id that
answers for it, from the merges in force. The records tables start empty; `custodiet
init` builds them after the upgrade.

No statement id, value or status changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "statements",
        sa.Column("dataset", sa.String(64), nullable=False, server_default="custodiet"),
    )
    op.add_column("statements", sa.Column("original_value", sa.Text))
    op.add_column("statements", sa.Column("origin", sa.Text))
    op.add_column("statements", sa.Column("first_seen", sa.String(32)))
    op.add_column("statements", sa.Column("last_seen", sa.String(32)))
    op.create_index("ix_statements_dataset", "statements", ["dataset"])
    op.execute("UPDATE statements SET dataset = 'owid-vdem' WHERE method = 'import:owid-vdem'")
    op.execute("UPDATE statements SET first_seen = created_at, last_seen = created_at")

    op.add_column(
        "entities",
        sa.Column("canonical_id", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("ix_entities_canonical_id", "entities", ["canonical_id"])
    op.execute("UPDATE entities SET canonical_id = id")
    _canonical_ids_from_merges()
    with op.batch_alter_table("merge_events") as batch:  # room for "distinct", "undistinct"
        batch.alter_column("kind", type_=sa.String(16), existing_nullable=False)

    op.create_table(
        "datasets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("licence", sa.Text, nullable=False),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("version", sa.String(64)),
        sa.Column("released", sa.String(10)),
        sa.Column("description", sa.Text),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("schema", sa.String(40), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("reviewed_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_records_schema_reviewed", "records", ["schema", "reviewed_at", "id"])
    op.create_table(
        "record_values",
        sa.Column("record_id", sa.String(200), primary_key=True),
        sa.Column("prop", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, primary_key=True),
        sa.Column("schema", sa.String(40), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_record_values_lookup", "record_values", ["schema", "prop", "value", "record_id"]
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def _canonical_ids_from_merges() -> None:
    """Replay the merges not split since, as release 0.1.0 computed them at every read."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, kind, canonical, merged, merge_id FROM merge_events ORDER BY id")
    ).all()
    split = {r.merge_id for r in rows if r.kind == "split"}
    into = {r.merged: r.canonical for r in rows if r.kind == "merge" and r.id not in split}
    for merged in into:
        answer, seen = merged, {merged}
        while answer in into and into[answer] not in seen:
            answer = into[answer]
            seen.add(answer)
        conn.execute(
            sa.text("UPDATE entities SET canonical_id = :c WHERE id = :m"),
            {"c": answer, "m": merged},
        )


def downgrade() -> None:
    for table in ("meta", "record_values", "records", "datasets"):
        op.drop_table(table)
    op.drop_index("ix_entities_canonical_id", "entities")
    op.drop_index("ix_statements_dataset", "statements")
    with op.batch_alter_table("merge_events") as batch:
        batch.alter_column("kind", type_=sa.String(8), existing_nullable=False)
    with op.batch_alter_table("entities") as batch:
        batch.drop_column("canonical_id")
    with op.batch_alter_table("statements") as batch:
        for column in ("last_seen", "first_seen", "origin", "original_value", "dataset"):
            batch.drop_column(column)
