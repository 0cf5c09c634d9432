"""The review queue: entities with candidate statements, and one item in context."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from custodiet.model.errors import DataError
from custodiet.model.filters import Filters
from custodiet.model.records import fold
from custodiet.model.statement import Statement, Status
from custodiet.store.view import View

CONTEXT_CHARS = 240


def _by_entity(view: View, status: str) -> dict[str, list[Statement]]:
    found: dict[str, list[Statement]] = defaultdict(list)
    for s in view.statements_by_status(status):
        found[s.entity_id].append(s)
    return found


def summary(
    entity_id: str, statements: list[Statement], judged: dict[str, Any] | None
) -> dict[str, Any]:
    """What the queue shows of a candidate: its values folded as a record would be."""
    first = statements[0]
    folded = fold(
        entity_id,
        first.schema_name,
        ((s.prop, s.value, s.source_id, s.dataset, s.reviewed_at) for s in statements),
    )
    return {
        "id": entity_id,
        "schema": first.schema_name,
        "vendor": folded.first("vendor"),
        "buyer_country": folded.first("buyer_country"),
        "technology": folded.first("technology"),
        "confidence": max(s.confidence for s in statements),
        "source_id": first.source_id,
        "dataset": first.dataset,
        "quote": first.quote,
        "statements": len(statements),
        "deferred": bool(judged and judged["outcome"] == "deferred"),
    }


def queue(
    view: View,
    *,
    status: str = "candidate",
    min_confidence: float | None = None,
    vendor: str | None = None,
    country: str | None = None,
    source: str | None = None,
) -> list[dict[str, Any]]:
    if status not in {s.value for s in Status}:
        raise DataError(f"--status must be one of {', '.join(s.value for s in Status)}")
    judged = view.last_judgements()
    items = [
        summary(eid, stmts, judged.get(eid)) for eid, stmts in _by_entity(view, status).items()
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


def item(view: View, entity_id: str) -> dict[str, Any]:
    """One candidate: its proposed values, the quote in its text, similar accepted facts."""
    statements = view.statements_of(entity_id, list(Status))
    if not statements:
        raise DataError(f"no entity {entity_id}")
    first = next((s for s in statements if s.quote), statements[0])
    source = view.sources_by_id([first.source_id]).get(first.source_id)
    context = None
    if source and source.text and first.start is not None and first.end is not None:
        a, b = max(0, first.start - CONTEXT_CHARS), first.end + CONTEXT_CHARS
        context = {
            "before": source.text[a : first.start],
            "quote": first.quote,
            "after": source.text[first.end : b],
        }
    return {
        "id": entity_id,
        "values": [
            {
                "prop": s.prop,
                "value": s.value,
                "status": s.status.value,
                "confidence": s.confidence,
                "method": s.method,
                "dataset": s.dataset,
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
        "similar": similar(view, statements, entity_id),
        "last_judgement": view.last_judgement(entity_id),
    }


def similar(view: View, statements: list[Statement], entity_id: str) -> list[str]:
    """Accepted deployments with the same vendor and buyer country."""
    values = {s.prop: s.value for s in statements}
    if "vendor" not in values or "buyer_country" not in values:
        return []
    chosen = Filters(vendor=view.canonical(values["vendor"]), buyer_country=values["buyer_country"])
    return sorted({r.id for r in view.deployments(chosen)} - {entity_id})
