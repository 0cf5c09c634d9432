"""What each page shows, as plain data. The HTML page and its JSON twin both render
the dict a view returns, so the atlas and the API cannot drift apart."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pycountry
from sqlalchemy import select

from custodiet.analyze import deployments as dep
from custodiet.analyze.overview import Overview, overview
from custodiet.analyze.view import entity_view
from custodiet.model.errors import DataError
from custodiet.model.schemata import schema
from custodiet.model.taxonomy import technologies
from custodiet.model.types import country_name
from custodiet.store import tables
from custodiet.store.sql import SqlStore

LICENCE = {
    "data": "CC BY 4.0",
    "regime_types": "Our World in Data based on V-Dem (Regimes of the World), CC BY 4.0",
    "cite": "Custodiet: an evidence-backed atlas of surveillance-technology exports.",
}
REGIMES = schema("Country").get("regime").value_labels


# A deployment as pages, JSON and CSV show it (plus buyer_country_name and labels).
RECORD_FIELDS = (
    "id",
    "vendor",
    "vendor_name",
    "buyer_country",
    "buyer_city",
    "buyer_agency",
    "technology",
    "year",
    "value",
    "currency",
    "financing",
    "financier",
    "project",
    "status",
    "sources",
)


MAX_SOURCES = 50  # listed on a country page; each deployment carries all of its own


class NotFoundError(DataError):
    """No such country, vendor, project or source."""


def _public(d: dict[str, Any]) -> dict[str, Any]:
    labels = technologies()
    return {k: d.get(k) for k in RECORD_FIELDS} | {
        "buyer_country_name": country_name(d["buyer_country"]),
        "technology_labels": [labels[t].label for t in d["technology"] if t in labels],
    }


def home(store: SqlStore, filters: dep.Filters) -> dict[str, Any]:
    data = overview(store, filters)
    return {
        "filters": {k: v for k, v in vars(filters).items() if v not in (None, False)},
        "countries": [
            {"code": c, "name": country_name(c), "deployments": n, "numeric": _numeric(c)}
            for c, n in data.per_country.most_common()
        ],
        "latest": [_public(d) for d in data.latest],
        "top_vendors": _vendors(data, 10),
        "deployments": data.total,
        "technologies": {code: t.label for code, t in technologies().items()},
        "licence": LICENCE,
    }


def tallies(store: SqlStore, filters: dep.Filters) -> dict[str, list[dict[str, Any]]]:
    """Every buyer country and every vendor with its count of the chosen deployments (the
    home page shows the countries and the top ten vendors)."""
    data = overview(store, filters, latest=0)
    return {
        "countries": [
            {"code": c, "name": country_name(c), "deployments": n}
            for c, n in data.per_country.most_common()
        ],
        "vendors": _vendors(data),
    }


def _vendors(data: Overview, limit: int | None = None) -> list[dict[str, Any]]:
    """Vendors by their number of chosen deployments, with name and home country."""
    return [
        {
            "id": v,
            "name": data.names.get(v, v),
            "deployments": n,
            "country": data.vendor_home.get(v),
        }
        for v, n in data.per_vendor.most_common(limit)
    ]


def _numeric(code: str) -> str | None:
    found = pycountry.countries.get(alpha_2=code)
    return found.numeric if found else None


def deployments_list(store: SqlStore, filters: dep.Filters) -> list[dict[str, Any]]:
    data = dep.load(store, filters.exact())
    return [_public(d) for d in data.records if filters.admits(d, data.vendor_home)]


def country(store: SqlStore, code: str) -> dict[str, Any]:
    code = code.upper()
    # Deployments come from dep.load, through the index: the view skips them.
    view = entity_view(store, f"country:{code}", skip=("Deployment",))
    rows = dep.load(store, {"buyer_country": code}).records
    cited = Counter(s for d in rows for s in d["sources"])
    if view is None and not rows:
        raise NotFoundError(f"no country {code}")
    view = view or {"properties": {}, "referenced_by": []}
    props = view["properties"]
    regime = props.get("regime", [{}])[0]
    refs = view["referenced_by"]
    return {
        "code": code,
        "name": country_name(code),
        "regime": {
            "value": regime.get("value"),
            "label": regime.get("label"),
            "year": (props.get("regime_year") or [{}])[0].get("value"),
            "source": LICENCE["regime_types"],
        }
        if regime
        else None,
        "deployments": [_public(d) for d in rows],
        "vendors": sorted({(d["vendor"], d["vendor_name"]) for d in rows}, key=lambda v: v[1]),
        "projects": [r for r in refs if r["schema"] == "Project"],
        "figures": [r for r in refs if r["schema"] == "Figure"],
        "restrictions": [r for r in refs if r["schema"] == "Restriction"],
        "timeline": _timeline(rows),
        "sources": _sources(store, cited),
        "sources_total": len(cited),
        "licence": LICENCE,
    }


def _sources(store: SqlStore, cited: Counter[str]) -> list[dict[str, Any]]:
    """The most cited sources behind the deployments (every deployment lists its own)."""
    found = store.source_summaries([s for s, _ in cited.most_common(MAX_SOURCES)])
    return [s | {"deployments": cited[str(s["id"])]} for s in found]


def _timeline(rows: list[dict[str, Any]]) -> list[dict[str, int]]:
    years = Counter(d["year"] for d in rows if d["year"])
    return [{"year": y, "deployments": years[y]} for y in sorted(years)]


def vendor(store: SqlStore, slug: str) -> dict[str, Any]:
    view = entity_view(store, f"org:{slug}", skip=("Deployment",))
    if view is None:
        raise NotFoundError(f"no vendor {slug}")
    rows = dep.load(store, {"vendor": view["id"]}).records
    regimes: dict[str, int] = defaultdict(int)
    regime_of = _regimes(store)
    for d in rows:
        regimes[REGIMES.get(regime_of.get(d["buyer_country"], ""), "unknown")] += 1
    refs = view["referenced_by"]
    props = view["properties"]

    def first(prop: str) -> str | None:
        values = props.get(prop) or [{}]
        found = values[0].get("label") or values[0].get("value")
        return str(found) if found else None

    return {
        "entity": view,
        "summary": {
            "headquarters": country_name(first("country") or "") if first("country") else None,
            "parent": first("parent"),
            "state_owned": first("state_owned"),
            "role": first("role"),
        },
        "deployments": [_public(d) for d in rows],
        "footprint": [
            {"code": c, "name": country_name(c), "numeric": _numeric(c), "deployments": n}
            for c, n in Counter(d["buyer_country"] for d in rows).most_common()
        ],
        "by_regime": dict(regimes),
        "restrictions": [r for r in refs if r["schema"] == "Restriction"],
        "subsidiaries": [r for r in refs if r["schema"] == "Organization" and r["via"] == "parent"],
        "licence": LICENCE,
    }


def _regimes(store: SqlStore) -> dict[str, str]:
    """Regime type per country code."""
    st = tables.statements
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(st.c.entity_id, st.c.value).where(
                st.c.prop == "regime", st.c.status == "accepted"
            )
        )
        return {eid.split(":", 1)[1]: value for eid, value in rows}


def project(store: SqlStore, slug: str) -> dict[str, Any]:
    view = entity_view(store, f"project:{slug}", skip=("Deployment",))
    if view is None:
        raise NotFoundError(f"no project {slug}")
    rows = dep.load(store, {"project": view["id"]}).records
    return {"entity": view, "deployments": [_public(d) for d in rows], "licence": LICENCE}


def source(store: SqlStore, source_id: str) -> dict[str, Any]:
    found = store.sources_by_id([source_id]).get(source_id)
    if found is None:
        raise NotFoundError(f"no source {source_id}")
    meta = found.model_dump(exclude={"text"})
    st = tables.statements
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(st.c.start, st.c.end).where(
                st.c.source_id == source_id, st.c.status == "accepted", st.c.start.is_not(None)
            )
        )
        quotes = sorted({(start, end) for start, end in rows})
    return {
        "source": meta,
        "segments": _segments(found.text, quotes) if found.text else None,
        "licence": LICENCE,
    }


def _segments(text: str, quotes: list[tuple[int | None, int | None]]) -> list[dict[str, Any]]:
    """The text cut into plain and quoted runs, for highlighting (overlaps merged)."""
    out, pos = [], 0
    for start, end in quotes:
        assert start is not None and end is not None
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            out.append({"text": text[pos:start], "quoted": False})
        out.append({"text": text[start:end], "quoted": True})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "quoted": False})
    return out


def _facet(kind: str, entity_id: str | None) -> str:
    return entity_id.split(":")[0] if entity_id else kind


def search(store: SqlStore, q: str, kind: str | None = None) -> dict[str, Any]:
    """The best 50 hits, counted by kind (the facets); `kind` keeps one kind of them."""
    hits = store.search(q, limit=50) if q.strip() else []
    facets = Counter(_facet(h.kind, h.entity_id) for h in hits)
    kept = [vars(h) for h in hits if not kind or _facet(h.kind, h.entity_id) == kind]
    return {"q": q, "kind": kind, "hits": kept, "facets": dict(facets), "licence": LICENCE}
