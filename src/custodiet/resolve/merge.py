"""Merging two entities and splitting them again; both are recorded events.

A merge touches no statement: it says that one id answers for another. Splitting
records that the merge no longer holds, which restores both entities exactly.
"""

from __future__ import annotations

from sqlalchemy import select

from custodiet.model.errors import DataError
from custodiet.model.statement import now
from custodiet.resolve.clusters import canonical, merges_in_force
from custodiet.store import tables
from custodiet.store.writer import Writer


def _schema(tx: Writer, entity_id: str) -> str:
    found = tx.conn.execute(
        select(tables.entities.c.schema).where(tables.entities.c.id == entity_id)
    ).scalar_one_or_none()
    if found is None:
        raise DataError(f"no entity {entity_id}")
    return str(found)


def merge(tx: Writer, actor: str, keep: str, merged: str, reason: str | None) -> int:
    """`merged` answers to `keep` from now on; returns the merge's id."""
    if keep == merged:
        raise DataError(f"cannot merge {keep} with itself")
    a, b = _schema(tx, keep), _schema(tx, merged)
    if a != b:
        raise DataError(f"cannot merge a {a} ({keep}) with a {b} ({merged})")
    if merged in merges_in_force(tx.conn):
        raise DataError(f"{merged} is merged into {canonical(tx.conn, merged)} already")
    if canonical(tx.conn, keep) == merged:
        raise DataError(f"{keep} is merged into {merged}: merge the other way round")
    ev = tables.merge_events
    result = tx.conn.execute(
        ev.insert().values(
            kind="merge", canonical=keep, merged=merged, reason=reason, actor=actor, at=now()
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    merge_id = int(key[0])
    tx.audit("resolve.merge", keep, {"merged": merged, "merge": merge_id})
    return merge_id


def split(tx: Writer, actor: str, merged: str, reason: str | None) -> str:
    """Undo the merge that made `merged` answer to another id; returns that id."""
    merges = merges_in_force(tx.conn)
    if merged not in merges:
        raise DataError(f"{merged} is not merged into anything")
    merge_id, keep = merges[merged]
    tx.conn.execute(
        tables.merge_events.insert().values(
            kind="split",
            canonical=keep,
            merged=merged,
            merge_id=merge_id,
            reason=reason,
            actor=actor,
            at=now(),
        )
    )
    tx.audit("resolve.split", keep, {"merged": merged, "merge": merge_id})
    return keep
