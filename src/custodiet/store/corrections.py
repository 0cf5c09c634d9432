"""Readers' corrections: a statement, what is wrong with it, and how an editor resolved it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from custodiet.store import tables
from custodiet.store.base import Reader, WriteBase, insert_returning_id, plain


class CorrectionReads(Reader):
    def correction(self, number: int) -> dict[str, Any] | None:
        c = tables.corrections
        row = self.conn.execute(select(c).where(c.c.id == number)).mappings().first()
        return plain(row) if row else None

    def corrections(self, status: str | None) -> list[dict[str, Any]]:
        c = tables.corrections
        query = select(c).order_by(c.c.id)
        if status is not None:
            query = query.where(c.c.status == status)
        return [plain(r) for r in self.conn.execute(query).mappings()]


class CorrectionWrites(WriteBase):
    def add_correction(self, statement_id: str, message: str, source_url: str | None) -> int:
        return insert_returning_id(
            self.conn,
            tables.corrections,
            statement_id=statement_id,
            message=message,
            source_url=source_url,
            status="open",
            created_at=self.began,
        )

    def close_correction(self, number: int, status: str, reason: str | None) -> None:
        c = tables.corrections
        self.conn.execute(
            update(c)
            .where(c.c.id == number)
            .values(
                status=status, resolved_by=self.actor, resolved_at=self.began, resolution=reason
            )
        )
