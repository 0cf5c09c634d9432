"""An entity's current view: its accepted values, each with the quotes and sources behind it,
and the records that refer to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from custodiet.analyze.wording import value_label
from custodiet.model.schemata import Schema, schema, schema_for_id, schemata
from custodiet.store.view import View

EVERY_SCHEMA = tuple(schemata())


def entity_view(
    view: View, entity_id: str, referrers: Sequence[str] = EVERY_SCHEMA
) -> dict[str, Any] | None:
    """None when nothing accepted is known about the entity. A merged id answers with
    the view of the entity it was merged into, which gathers all their statements.
    `referrers` names the schemas whose records that refer to it are listed."""
    record = view.record(entity_id)
    members = record.members if record else view.members(entity_id)
    canonical = members[0]
    statements = view.evidence(canonical) if record else []
    codes = [m.split(":", 1)[1] for m in members if m.startswith("country:")]
    refs = view.referrers(members, codes, referrers) if referrers else []
    if not statements and not refs:
        return None
    sch = schema(record.schema) if record else schema_for_id(canonical)
    labels = record.labels if record else {}
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for s in statements:
        grouped.setdefault(s["prop"], {}).setdefault(s["resolved"], []).append(_evidence(s))
    return {
        "id": canonical,
        "requested": entity_id,
        "merged": members[1:],
        "schema": sch.name,
        "caption": record.name if record else canonical,
        "properties": {
            prop: [
                {
                    "value": value,
                    "label": value_label(sch, prop, value, labels),
                    "evidence": evidence,
                }
                for value, evidence in grouped[prop].items()
            ]
            for prop in _ordered(sch, grouped)
        },
        "property_labels": {
            prop: sch.get(prop).label if prop in sch.properties else prop.replace("_", " ")
            for prop in grouped
        },
        "disagreements": sorted(
            prop
            for prop, by_value in grouped.items()
            if len(by_value) > 1 and not _multi(sch, prop)
        ),
        "referenced_by": [
            {"id": r.id, "schema": r.schema, "via": via, "caption": r.name} for r, via in refs
        ],
        "datasets": sorted({s["dataset"] for s in statements}),
    }


def _ordered(sch: Schema, grouped: dict[str, Any]) -> list[str]:
    """Properties in the schema's order (any the schema no longer has, last)."""
    known = [p for p in sch.properties if p in grouped]
    return known + sorted(set(grouped) - set(known))


def _multi(sch: Schema, prop: str) -> bool:
    return prop in sch.properties and sch.get(prop).multi


def _evidence(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "statement_id": s["id"],
        "quote": s["quote"],
        "start": s["start"],
        "end": s["end"],
        "source_id": s["source_id"],
        "source_url": s["source_url"],
        "source_title": s["source_title"],
        "publisher": s["publisher"],
        "published": s["published"],
        "method": s["method"],
        "confidence": s["confidence"],
        "author": s["author"],
        "reviewer": s["reviewer"],
        "dataset": s["dataset"],
        "original_value": s["original_value"],
        "origin": s["origin"],
    }
