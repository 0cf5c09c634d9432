"""Likely duplicates, each with a score and the reason for it."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from custodiet.model.statement import Statement
from custodiet.resolve.clusters import canonical_map
from custodiet.store import tables
from custodiet.store.sql import SqlStore, statement_from_row

NAME_THRESHOLD = 88.0


def _views(store: SqlStore, schema_name: str) -> dict[str, dict[str, set[str]]]:
    """Accepted values per canonical entity of one schema."""
    st = tables.statements
    query = st.select().where(st.c.schema == schema_name, st.c.status == "accepted")
    views: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with store.engine.connect() as conn:
        merged = canonical_map(conn)  # once, not a query per statement
        rows: list[Statement] = [statement_from_row(r) for r in conn.execute(query).mappings()]
    for s in rows:
        views[merged.get(s.entity_id, s.entity_id)][s.prop].add(s.value)
    return views


def _years(values: set[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


def deployment_pairs(store: SqlStore) -> list[dict[str, Any]]:
    """Same vendor, buyer and technology, and years within a year, or the same city or
    project."""
    views = _views(store, "Deployment")
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    for eid, v in views.items():
        for vendor in v["vendor"]:
            for country in v["buyer_country"]:
                buckets[(vendor, country)].append(eid)
    found = []
    for (vendor, country), ids in buckets.items():
        for a, b in combinations(sorted(set(ids)), 2):
            va, vb = views[a], views[b]
            if va["technology"] and vb["technology"] and not va["technology"] & vb["technology"]:
                continue
            reasons, score = [f"same vendor {vendor} and buyer {country}"], 0.5
            if va["technology"] & vb["technology"]:
                reasons.append("same technology")
                score += 0.1
            ya, yb = _years(va["year"]), _years(vb["year"])
            if ya and yb and min(abs(x - y) for x in ya for y in yb) <= 1:
                reasons.append("years within one")
                score += 0.15
            if va["buyer_city"] & vb["buyer_city"]:
                reasons.append("same city")
                score += 0.15
            if va["project"] & vb["project"]:
                reasons.append("same project")
                score += 0.2
            if len(reasons) > 2 or (len(reasons) == 2 and "same technology" not in reasons):
                found.append(
                    {
                        "a": a,
                        "b": b,
                        "schema": "Deployment",
                        "score": round(min(score, 0.99), 2),
                        "reason": "; ".join(reasons),
                    }
                )
    return found


def organization_pairs(store: SqlStore) -> list[dict[str, Any]]:
    from rapidfuzz import fuzz

    views = _views(store, "Organization")
    names = {eid: v["name"] | v["alias"] for eid, v in views.items()}
    found = []
    for a, b in combinations(sorted(names), 2):
        best = (
            max(
                (fuzz.token_sort_ratio(x.lower(), y.lower()), x, y)
                for x in names[a]
                for y in names[b]
            )
            if names[a] and names[b]
            else None
        )
        if best and best[0] >= NAME_THRESHOLD:
            found.append(
                {
                    "a": a,
                    "b": b,
                    "schema": "Organization",
                    "score": round(best[0] / 100, 2),
                    "reason": f"similar names: {best[1]!r} ~ {best[2]!r}",
                }
            )
    return found


def suggestions(store: SqlStore) -> list[dict[str, Any]]:
    pairs = deployment_pairs(store) + organization_pairs(store)
    return sorted(pairs, key=lambda p: (-p["score"], p["a"], p["b"]))
