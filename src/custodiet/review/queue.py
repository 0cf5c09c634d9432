"""The review queue: entities with candidate statements, and one item in context."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from custodiet.model.errors import DataError
from custodiet.model.statement import Statement, Status
from custodiet.store import tables
from custodiet.store.sql import SqlStore, statement_from_row

CONTEXT_CHARS = 240


def _by_entity(store: SqlStore, status: str) -> dict[str, list[Statement]]:
    st = tables.statements
    found: dict[str, list[Statement]] = defaultdict(list)
    with store.engine.connect() as conn:
        for row in conn.execute(
            select(st).where(st.c.status == status).order_by(st.c.entity_id, st.c.prop)
        ).mappings():
            found[row["entity_id"]].append(statement_from_row(row))
    return found


def last_judgements(store: SqlStore, candidate: str | None = None) -> dict[str, dict[str, Any]]:
    """The latest judgement of each candidate (or of the one named)."""
    j = tables.judgements
    query = select(j).order_by(j.c.id)
    if candidate is not None:
        query = query.where(j.c.candidate == candidate)
    with store.engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return {r["candidate"]: dict(r) for r in rows}


def summary(
    entity_id: str, statements: list[Statement], judged: dict[str, Any] | None
) -> dict[str, Any]:
    values = {s.prop: s.value for s in statements}
    first = statements[0]
    return {
        "id": entity_id,
        "schema": first.schema_name,
        "vendor": values.get("vendor"),
        "buyer_country": values.get("buyer_country"),
        "technology": values.get("technology"),
        "confidence": max(s.confidence for s in statements),
        "source_id": first.source_id,
        "quote": first.quote,
        "statements": len(statements),
        "deferred": bool(judged and judged["outcome"] == "deferred"),
    }


def queue(
    store: SqlStore,
    *,
    status: str = "candidate",
    min_confidence: float | None = None,
    vendor: str | None = None,
    country: str | None = None,
    source: str | None = None,
) -> list[dict[str, Any]]:
    if status not in {s.value for s in Status}:
        raise DataError(f"--status must be one of {', '.join(s.value for s in Status)}")
    judged = last_judgements(store)
    items = [
        summary(eid, stmts, judged.get(eid)) for eid, stmts in _by_entity(store, status).items()
    ]
    keep = [
        i
        for i in items
        if (min_confidence is None or i["confidence"] >= min_confidence)
        and (vendor is None or i["vendor"] == vendor)
        and (country is None or i["buyer_country"] == country.upper())
        and (source is None or i["source_id"].startswith(source))
    ]
    return sorted(keep, key=lambda i: (i["deferred"], -i["confidence"], i["id"]))


def item(store: SqlStore, entity_id: str) -> dict[str, Any]:
    """One candidate: its proposed values, the quote in its text, similar accepted facts."""
    statements = store.statements_of(entity_id, list(Status))
    if not statements:
        raise DataError(f"no entity {entity_id}")
    first = next((s for s in statements if s.quote), statements[0])
    source = store.sources_by_id([first.source_id]).get(first.source_id)
    context = None
    if source and source.text and first.start is not None and first.end is not None:
        a, b = max(0, first.start - CONTEXT_CHARS), first.end + CONTEXT_CHARS
        context = {
            "before": source.text[a : first.start],
            "quote": first.quote,
            "after": source.text[first.end : b],
        }
    judged = last_judgements(store, entity_id).get(entity_id)
    return {
        "id": entity_id,
        "values": [
            {
                "prop": s.prop,
                "value": s.value,
                "status": s.status.value,
                "confidence": s.confidence,
                "method": s.method,
                "statement": s.id,
            }
            for s in statements
        ],
        "source": {
            "id": first.source_id,
            "url": source.url if source else None,
            "title": source.title if source else None,
        },
        "context": context,
        "similar": similar(store, statements, entity_id),
        "last_judgement": judged,
    }


def similar(store: SqlStore, statements: list[Statement], entity_id: str) -> list[str]:
    """Accepted entities with the same vendor and buyer country."""
    values = {s.prop: s.value for s in statements}
    if "vendor" not in values or "buyer_country" not in values:
        return []
    same_vendor = {s.entity_id for s in store.referring_to([values["vendor"]], ["vendor"])}
    same_buyer = {
        s.entity_id for s in store.referring_to([values["buyer_country"]], ["buyer_country"])
    }
    return sorted((same_vendor & same_buyer) - {entity_id})
