"""Accepted deployments as flat records, with the filters the atlas offers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import intersect, select

from custodiet.model.schemata import schema
from custodiet.resolve.clusters import canonical_map
from custodiet.store import tables
from custodiet.store.sql import SqlStore

MULTI = tuple(p.name for p in schema("Deployment").properties.values() if p.multi)
# Properties that keep every distinct value, and the record field holding them.
BUCKETS = {m: m for m in MULTI} | {"year": "years"}


@dataclass
class Filters:
    technology: str | None = None
    vendor: str | None = None
    vendor_country: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    state_loans: bool = False
    buyer_country: str | None = None
    project: str | None = None

    def exact(self) -> dict[str, str]:
        """The filters that are one property's value: found through the index."""
        pairs = {
            "technology": self.technology,
            "vendor": self.vendor,
            "buyer_country": self.buyer_country,
            "project": self.project,
        }
        return {k: v for k, v in pairs.items() if v}

    def admits(self, d: dict[str, Any], vendor_home: dict[str, str]) -> bool:
        years = [int(y) for y in d.get("years", [])]
        return (
            (self.technology is None or self.technology in d["technology"])
            and (self.vendor is None or d.get("vendor") == self.vendor)
            and (
                self.vendor_country is None
                or vendor_home.get(d.get("vendor") or "") == self.vendor_country
            )
            and (self.year_from is None or any(y >= self.year_from for y in years))
            and (self.year_to is None or any(y <= self.year_to for y in years))
            and (
                not self.state_loans
                or bool(d["financier"])
                or "loan" in (d.get("financing") or "").lower()
            )
            and (self.buyer_country is None or d.get("buyer_country") == self.buyer_country)
            and (self.project is None or self.project in d["project"])
        )


@dataclass
class Deployments:
    records: list[dict[str, Any]] = field(default_factory=list)
    vendor_home: dict[str, str] = field(default_factory=dict)  # org id -> HQ country
    names: dict[str, str] = field(default_factory=dict)  # entity id -> name


def load(
    store: SqlStore, match: dict[str, str] | None = None, ids: list[str] | None = None
) -> Deployments:
    """Accepted deployments: all of them, those with every `prop: value` in `match`
    (found through the (prop, value) index, so a country's page reads its own rows), or
    those with the given ids."""
    st = tables.statements
    with store.engine.connect() as conn:
        merged = canonical_map(conn)
        query = select(
            st.c.entity_id, st.c.prop, st.c.value, st.c.reviewed_at, st.c.source_id
        ).where(st.c.schema == "Deployment", st.c.status == "accepted")
        if ids is not None:
            rows: Any = _of_ids(conn, query, ids)
        elif match and merged:
            # Merged ids are gathered in Python, then read a chunk at a time.
            rows = _of_ids(conn, query, _matching(conn, match, merged))
        elif match:
            # No merges: one statement, so the ids never leave SQLite.
            rows = conn.execute(query.where(st.c.entity_id.in_(_matching_query(match)))).all()
        else:
            rows = conn.execute(query).all()
        by_entity = _group(rows, merged)
        vendors = sorted({d["vendor"] for d in by_entity.values() if "vendor" in d})
        home, names = organisations(conn, vendors)
    records = [d for d in by_entity.values() if "vendor" in d and "buyer_country" in d]
    for d in records:
        d["year"] = min((int(y) for y in d["years"]), default=None)
        d["vendor_name"] = names.get(d["vendor"], d["vendor"])
    records.sort(key=lambda d: (d["reviewed_at"], d["id"]), reverse=True)
    return Deployments(records, home, names)


def _group(rows: Any, merged: dict[str, str]) -> dict[str, dict[str, Any]]:
    """One record per deployment (merged ids under their canonical id): the first value of
    each single-valued property, every distinct value of the others, and the ids of the
    sources behind them."""
    by_entity: dict[str, dict[str, Any]] = {}
    for entity_id, prop, value, reviewed_at, source_id in rows:
        key = merged.get(entity_id, entity_id)
        d = by_entity.get(key)
        if d is None:
            d = by_entity[key] = {"id": key, "reviewed_at": "", "years": [], "sources": []} | {
                m: [] for m in MULTI
            }
        if source_id not in d["sources"]:
            d["sources"].append(source_id)
        if reviewed_at and reviewed_at > d["reviewed_at"]:
            d["reviewed_at"] = reviewed_at
        bucket = BUCKETS.get(prop)
        if bucket is None:
            if prop not in d:
                d[prop] = value
        elif value not in d[bucket]:
            d[bucket].append(value)
    return by_entity


def _of_ids(conn: Any, query: Any, ids: Iterable[str]) -> list[Any]:
    """The query's rows for the given entity ids, read 500 ids at a time (fetched whole:
    several times faster than row by row for thousands of rows)."""
    where = tables.statements.c.entity_id.in_
    return [
        r for chunk in _chunks(sorted(ids)) for r in conn.execute(query.where(where(chunk))).all()
    ]


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _matching(conn: Any, match: dict[str, str], merged: dict[str, str]) -> set[str]:
    """Ids of the deployments having every value, with the ids merged into them."""
    canonical = {merged.get(i, i) for i in conn.execute(_matching_query(match)).scalars().all()}
    return canonical | {m for m, c in merged.items() if c in canonical}


def _matching_query(match: dict[str, str]) -> Any:
    """Ids of the accepted deployments having every `prop: value`: an INTERSECT of index
    lookups, so SQL, not Python, meets the conditions."""
    st = tables.statements
    selects = [
        select(st.c.entity_id).where(
            st.c.prop == prop,
            st.c.value == value,
            st.c.schema == "Deployment",
            st.c.status == "accepted",
        )
        for prop, value in match.items()
    ]
    return selects[0] if len(selects) == 1 else intersect(*selects)


def organisations(conn: Any, ids: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Headquarters country and name of the given organisations."""
    st = tables.statements
    home: dict[str, str] = {}
    names: dict[str, str] = {}
    for chunk in _chunks(ids):
        rows = conn.execute(
            select(st.c.entity_id, st.c.prop, st.c.value).where(
                st.c.entity_id.in_(chunk),
                st.c.status == "accepted",
                st.c.prop.in_(["name", "country"]),
            )
        )
        for entity_id, prop, value in rows:
            (home if prop == "country" else names).setdefault(entity_id, value)
    return home, names
