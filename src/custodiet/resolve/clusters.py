"""Which ids are one entity: the merges in force (merges not split since)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from custodiet.store import tables


def merges_in_force(conn: Connection) -> dict[str, tuple[int, str]]:
    """merged id -> (merge event id, the id it was merged into)."""
    ev = tables.merge_events
    rows = conn.execute(select(ev).order_by(ev.c.id)).mappings().all()
    split = {r["merge_id"] for r in rows if r["kind"] == "split"}
    return {
        r["merged"]: (r["id"], r["canonical"])
        for r in rows
        if r["kind"] == "merge" and r["id"] not in split
    }


def canonical(conn: Connection, entity_id: str) -> str:
    """Follows merges to the id that answers for this one (itself when not merged)."""
    merges = merges_in_force(conn)
    seen = {entity_id}
    while entity_id in merges:
        entity_id = merges[entity_id][1]
        if entity_id in seen:  # a cycle cannot be made through `merge`; stop all the same
            break
        seen.add(entity_id)
    return entity_id


def canonical_map(conn: Connection) -> dict[str, str]:
    """Every merged id and the id that answers for it now."""
    return {merged: canonical(conn, merged) for merged in merges_in_force(conn)}


def members(conn: Connection, entity_id: str) -> list[str]:
    """The canonical id first, then every id merged into it, directly or not."""
    merges = merges_in_force(conn)
    root = canonical(conn, entity_id)
    found, frontier = [root], [root]
    while frontier:
        current = frontier.pop()
        for merged, (_event, into) in merges.items():
            if into == current and merged not in found:
                found.append(merged)
                frontier.append(merged)
    return found
