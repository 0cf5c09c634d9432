"""The editor's workflow: users and tokens, judgements, merges, corrections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("user_name", sa.String(100), sa.ForeignKey("users.name"), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32)),
    )
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("target", sa.String(200)),
        sa.Column("reason", sa.Text),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("undoes", sa.Integer),
        sa.Column("changes", sa.Text, nullable=False),
    )
    op.create_index("ix_judgements_candidate", "judgements", ["candidate"])
    op.create_table(
        "merge_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("canonical", sa.String(200), nullable=False),
        sa.Column("merged", sa.String(200), nullable=False),
        sa.Column("merge_id", sa.Integer),
        sa.Column("reason", sa.Text),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_merge_events_merged", "merge_events", ["merged"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.String(40), sa.ForeignKey("statements.id"), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("source_url", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("resolved_by", sa.String(200)),
        sa.Column("resolved_at", sa.String(32)),
        sa.Column("resolution", sa.Text),
    )


def downgrade() -> None:
    for table in ("corrections", "merge_events", "judgements", "tokens", "users"):
        op.drop_table(table)
