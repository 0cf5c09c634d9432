"""Reading the audit log: every record in order, and an entity's history."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import and_, or_, select

from custodiet.store import tables
from custodiet.store.audit import AuditRecord
from custodiet.store.base import Reader


class AuditReads(Reader):
    def audit_records(self) -> Iterator[AuditRecord]:
        query = select(tables.audit_log).order_by(tables.audit_log.c.seq)
        for row in self.conn.execute(query.execution_options(yield_per=1000)).mappings():
            yield AuditRecord.from_row(row)

    def history(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """Audit records about any of these ids, resolutions of them included (those are
        recorded against one entity, so they are found by the other id in their detail)."""
        log = tables.audit_log
        merged = or_(
            *(log.c.detail.contains(f'"{key}":"{i}"') for i in ids for key in ("merged", "other"))
        )
        about = or_(log.c.target.in_(list(ids)), and_(log.c.action.like("resolve.%"), merged))
        rows = self.conn.execute(select(log).where(about).order_by(log.c.seq))
        return [
            {
                "seq": r.seq,
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "target": r.target,
                "reason": r.reason,
                "detail": json.loads(r.detail),
            }
            for r in rows
        ]
