"""An entity's history: the audit records about it and every id merged into it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, or_, select

from custodiet.resolve.clusters import members
from custodiet.store import tables
from custodiet.store.sql import SqlStore


def history(store: SqlStore, entity_id: str) -> list[dict[str, Any]]:
    log = tables.audit_log
    with store.engine.connect() as conn:
        ids = members(conn, entity_id)
        # Merges and splits are recorded against the entity kept; find them by the other id.
        merged = or_(*(log.c.detail.contains(f'"merged":"{i}"') for i in ids))
        about = or_(log.c.target.in_(ids), and_(log.c.action.like("resolve.%"), merged))
        rows = conn.execute(select(log).where(about).order_by(log.c.seq))
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
