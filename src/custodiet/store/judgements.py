"""Review decisions as records: who judged which candidate, when, how, and what changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from custodiet.store import tables
from custodiet.store.base import Reader, WriteBase, insert_returning_id, plain


class JudgementReads(Reader):
    def judgement(self, judgement_id: int) -> dict[str, Any] | None:
        j = tables.judgements
        row = self.conn.execute(select(j).where(j.c.id == judgement_id)).mappings().first()
        return plain(row) if row else None

    def last_judgement(self, candidate: str) -> dict[str, Any] | None:
        j = tables.judgements
        query = select(j).where(j.c.candidate == candidate).order_by(j.c.id.desc()).limit(1)
        row = self.conn.execute(query).mappings().first()
        return plain(row) if row else None

    def last_judgements(self) -> dict[str, dict[str, Any]]:
        """The latest judgement of every candidate."""
        j = tables.judgements
        rows = self.conn.execute(select(j).order_by(j.c.id)).mappings().all()
        return {r["candidate"]: plain(r) for r in rows}


class JudgementWrites(WriteBase):
    def add_judgement(
        self,
        *,
        candidate: str,
        outcome: str,
        target: str | None,
        reason: str | None,
        undoes: int | None,
        changes: str,
    ) -> int:
        return insert_returning_id(
            self.conn,
            tables.judgements,
            candidate=candidate,
            outcome=outcome,
            target=target,
            reason=reason,
            actor=self.actor,
            at=self.began,
            undoes=undoes,
            changes=changes,
        )
