"""Merging two entities, splitting them again, and judging two not to be the same; each
is a recorded event.

A merge touches no statement: it says that one id answers for another. Splitting
records that the merge no longer holds, which restores both entities exactly. A
"distinct" judgement keeps a pair out of the suggestions (and refuses their merge)
until it is undone, itself a recorded judgement.
"""

from __future__ import annotations

from custodiet.model.errors import DataError
from custodiet.store.writer import Writer


def _schema(tx: Writer, entity_id: str) -> str:
    found = tx.entity_schema(entity_id)
    if found is None:
        raise DataError(f"no entity {entity_id}")
    return found


def _same_schema(tx: Writer, a: str, b: str, what: str) -> None:
    if a == b:
        raise DataError(f"cannot {what} {a} with itself")
    x, y = _schema(tx, a), _schema(tx, b)
    if x != y:
        raise DataError(f"cannot {what} a {x} ({a}) with a {y} ({b})")


def merge(tx: Writer, keep: str, merged: str, reason: str | None) -> int:
    """`merged` answers to `keep` from now on; returns the merge's id."""
    _same_schema(tx, keep, merged, "merge")
    if tx.canonical(merged) != merged:
        raise DataError(f"{merged} is merged into {tx.canonical(merged)} already")
    if tx.canonical(keep) == merged:
        raise DataError(f"{keep} is merged into {merged}: merge the other way round")
    judged = tx.judged_distinct(keep, merged)
    if judged:
        raise DataError(
            f"{judged[0]} and {judged[1]} were judged not the same; "
            f"undo that first (custodiet resolve distinct {judged[0]} {judged[1]} --undo)"
        )
    number = tx.record_merge(keep, merged, reason)
    tx.audit("resolve.merge", keep, {"merged": merged, "merge": number})
    return number


def split(tx: Writer, merged: str, reason: str | None) -> str:
    """Undo the merge that made `merged` answer to another id; returns that id."""
    held = tx.merge_in_force(merged)
    if held is None:
        raise DataError(f"{merged} is not merged into anything")
    number, keep = held
    tx.record_split(merged, number, keep, reason)
    tx.audit("resolve.split", keep, {"merged": merged, "merge": number})
    return keep


def distinct(tx: Writer, a: str, b: str, reason: str | None) -> int:
    """Record that a and b are not the same entity; returns the judgement's id."""
    _same_schema(tx, a, b, "judge")
    if tx.canonical(a) == tx.canonical(b):
        raise DataError(f"{a} and {b} are merged: split them first")
    if tx.distinct_event(a, b) is not None:
        raise DataError(f"{a} and {b} are judged not the same already")
    number = tx.record_distinct(a, b, reason)
    tx.audit("resolve.distinct", a, {"other": b, "judgement": number})
    return number


def undo_distinct(tx: Writer, a: str, b: str, reason: str | None) -> int:
    """Withdraw the judgement that a and b are not the same (itself a judgement)."""
    event = tx.distinct_event(a, b)
    if event is None:
        raise DataError(f"{a} and {b} are not judged distinct")
    number = tx.record_undistinct(a, b, event, reason)
    tx.audit("resolve.undistinct", a, {"other": b, "judgement": number, "undoes": event})
    return number
