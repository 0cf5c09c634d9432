"""An entity's current view: its accepted values, each with the quotes and sources behind it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from custodiet.model.schemata import schema, schema_for_id, schemata
from custodiet.model.statement import Statement
from custodiet.model.types import ENTITY_ID, country_name
from custodiet.resolve.clusters import members
from custodiet.store.sql import SqlStore


def _reference_props(kind: str) -> list[str]:
    return sorted(
        {p.name for s in schemata().values() for p in s.properties.values() if p.type == kind}
    )


def values_by_prop(statements: list[Statement]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = defaultdict(list)
    for s in statements:
        if s.value not in values[s.prop]:
            values[s.prop].append(s.value)
    return values


def caption(schema_name: str, values: dict[str, list[str]], names: dict[str, str]) -> str:
    """A human name from the caption properties: countries and entities written out."""
    sch = schema(schema_name)
    parts = []
    for prop in sch.caption:
        for value in values.get(prop, [])[:1]:
            kind = sch.get(prop).type
            parts.append(
                country_name(value)
                if kind == "country"
                else names.get(value, value)
                if kind == "entity"
                else value
            )
    return " · ".join(parts)


def entity_refs(values: dict[str, list[str]]) -> set[str]:
    return {v for vs in values.values() for v in vs if ENTITY_ID.match(v)}


def names_of(store: SqlStore, ids: set[str]) -> dict[str, str]:
    """Display names for entity ids, from their accepted `name` statements."""
    found = store.statements_of_many(sorted(ids))
    return {
        eid: next((s.value for s in stmts if s.prop == "name"), eid) for eid, stmts in found.items()
    }


def entity_view(
    store: SqlStore, entity_id: str, skip: tuple[str, ...] = ()
) -> dict[str, Any] | None:
    """None when nothing accepted is known about the entity. A merged id answers with
    the view of the entity it was merged into, which gathers all their statements."""
    with store.engine.connect() as conn:
        ids = members(conn, entity_id)
    found = store.statements_of_many(ids)
    statements = [s for i in ids for s in found.get(i, [])]
    referrers = _referrers(store, ids, skip)
    if not statements and not referrers:
        return None
    sources = store.sources_by_id([s.source_id for s in statements])
    grouped: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for s in statements:
        grouped[s.prop][s.value].append(s)
    sch = schema(statements[0].schema_name) if statements else schema_for_id(ids[0])
    values = values_by_prop(statements)
    names = names_of(store, entity_refs(values))
    return {
        "id": ids[0],
        "requested": entity_id,
        "merged": ids[1:],
        "schema": sch.name,
        "caption": caption(sch.name, values, names) or ids[0],
        "properties": {
            prop: [
                {
                    "value": value,
                    "label": names.get(value) or sch.get(prop).label_of(value),
                    "evidence": [_evidence(s, sources) for s in group],
                }
                for value, group in by_value.items()
            ]
            for prop, by_value in grouped.items()
        },
        "disagreements": sorted(
            prop
            for prop, by_value in grouped.items()
            if len(by_value) > 1 and not _multi(sch, prop)
        ),
        "referenced_by": referrers,
    }


def _multi(sch: Any, prop: str) -> bool:
    return prop in sch.properties and sch.get(prop).multi


def _evidence(s: Statement, sources: dict[str, Any]) -> dict[str, Any]:
    src = sources.get(s.source_id)
    return {
        "statement_id": s.id,
        "quote": s.quote,
        "start": s.start,
        "end": s.end,
        "source_id": s.source_id,
        "source_url": src.url if src else None,
        "source_title": src.title if src else None,
        "publisher": src.publisher if src else None,
        "published": src.published if src else None,
        "method": s.method,
        "confidence": s.confidence,
        "author": s.author,
        "reviewer": s.reviewer,
    }


def _referrers(store: SqlStore, ids: list[str], skip: tuple[str, ...]) -> list[dict[str, str]]:
    """Entities that point here (less those of the schemas in `skip`): by entity id, or by
    country code for a country."""
    refs = store.referring_to(ids, _reference_props("entity"), skip)
    codes = [i.split(":", 1)[1] for i in ids if i.startswith("country:")]
    if codes:
        refs += store.referring_to(codes, _reference_props("country"), skip)
    found: dict[str, dict[str, str]] = {}
    for s in refs:
        if s.entity_id in ids:
            continue
        found.setdefault(s.entity_id, {"id": s.entity_id, "schema": s.schema_name, "via": s.prop})
    statements = store.statements_of_many(list(found))
    values = {eid: values_by_prop(stmts) for eid, stmts in statements.items()}
    names = names_of(store, set().union(*(entity_refs(v) for v in values.values())))
    for ref in found.values():
        ref["caption"] = caption(ref["schema"], values.get(ref["id"], {}), names) or ref["id"]
    return sorted(found.values(), key=lambda r: (r["schema"], r["caption"]))
