"""What each page shows, as plain data. The HTML page and its JSON twin both render
the dict a view returns, so the atlas and the API cannot drift apart. Each view reads
through one store View: one connection, one snapshot, a few queries whatever the size."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import pycountry

from custodiet.analyze.datasets import holdings
from custodiet.analyze.deployments import deployments
from custodiet.analyze.entity import entity_view
from custodiet.analyze.index import (
    CATEGORIES,
    COMPARISON_COLUMNS,
    comparison,
    comparison_totals,
    country_index,
    surveillance_index,
    table,
)
from custodiet.analyze.overview import overview, vendor_tally
from custodiet.analyze.summary import (
    corroboration,
    country_summary,
    deployment_sentence,
    deployment_summary,
    project_summary,
    vendor_summary,
)
from custodiet.analyze.wording import technology as technology_label
from custodiet.analyze.wording import value_label
from custodiet.model.datasets import Dataset, catalogue
from custodiet.model.errors import DataError
from custodiet.model.filters import Filters
from custodiet.model.policy import may_republish, windows
from custodiet.model.records import DEPLOYMENT_FIELDS, DeploymentRecord, Record
from custodiet.model.schemata import schema, schema_for_id
from custodiet.model.statement import DEFAULT_DATASET
from custodiet.model.taxonomy import technologies
from custodiet.model.types import country_name
from custodiet.store.search import SearchHit, SearchTooCostlyError
from custodiet.store.view import View

REGIMES = schema("Country").get("regime").value_labels
# A deployment's CSV columns: its JSON's fields but for the labels mapping.
CSV_FIELDS = tuple(f for f in DEPLOYMENT_FIELDS if f != "labels")
MAX_SOURCES = 50  # listed on a country page; each deployment carries all of its own


class NotFoundError(DataError):
    """No such country, vendor, project or source."""


def licence(view: View, names: Iterable[str], known: list[Dataset] | None = None) -> dict[str, Any]:
    """The licence and citation of the datasets whose facts a page shows (Custodiet's own
    always among them: the compilation is its editors'); from `known` (every dataset),
    when the page has read them already."""
    wanted = {*names, DEFAULT_DATASET}
    found = (
        [d for d in known if d.name in wanted]
        if known is not None
        else view.datasets(sorted(wanted))
    )
    own = catalogue()[DEFAULT_DATASET]
    return {
        "data": "; ".join(sorted({d.licence for d in found})),
        "cite": f"{own.citation}, with each fact's source as given in the data.",
        "datasets": [d.to_dict() for d in found],
    }


def public(d: DeploymentRecord) -> dict[str, Any]:
    """A deployment as pages and JSON show it: its fields, and the sentence that reads it."""
    return d.to_dict() | {
        "summary": deployment_sentence(d),
        "support_label": corroboration(d.support),
    }


def _datasets(rows: Iterable[DeploymentRecord]) -> set[str]:
    return {x for d in rows for x in d.datasets}


def home(view: View, filters: Filters) -> dict[str, Any]:
    data = overview(view, filters)
    every = view.datasets()
    return {
        "filters": filters.given(),
        "countries": [
            {"code": c, "name": country_name(c), "deployments": n, "numeric": _numeric(c)}
            for c, n in data.per_country
        ],
        "latest": [public(d) for d in data.latest],
        "top_vendors": data.per_vendor,
        "deployments": data.total,
        "technologies": {code: t.label for code, t in technologies().items()},
        "datasets": [_choice(d) for d in every],
        "licence": licence(view, data.datasets, every),
    }


def tallies(view: View, filters: Filters) -> dict[str, list[dict[str, Any]]]:
    """Every buyer country and every vendor with its count of the chosen deployments (the
    home page shows the countries and the top ten vendors)."""
    return {
        "countries": [
            {"code": c, "name": country_name(c), "deployments": int(n)}
            for c, n, _name, _data in view.tally("buyer_country", filters)
        ],
        "vendors": vendor_tally(view, filters, None),
    }


def _numeric(code: str) -> str | None:
    found = pycountry.countries.get(alpha_2=code)
    return found.numeric if found else None


def deployments_page(view: View, filters: Filters, limit: int, offset: int) -> dict[str, Any]:
    rows = deployments(view, filters, limit=limit, offset=offset)
    return {
        "items": [public(d) for d in rows],
        "total": view.count_deployments(filters),
        "limit": limit,
        "offset": offset,
        "licence": licence(view, _datasets(rows)),
    }


def deployments_stream(view: View, filters: Filters) -> Iterator[dict[str, Any]]:
    """Every chosen deployment, read as it is written out."""
    for r in view.iter_deployments(filters):
        yield public(DeploymentRecord.of(r))


def country(view: View, code: str) -> dict[str, Any]:
    code = code.upper()
    entity = entity_view(view, f"country:{code}", ("Project", "Figure", "Restriction"))
    chosen = Filters(buyer_country=code)
    rows = deployments(view, chosen)
    if entity is None and not rows:
        raise NotFoundError(f"no country {code}")
    entity = entity or {"properties": {}, "referenced_by": [], "datasets": []}
    props = entity["properties"]
    regime = (props.get("regime") or [{}])[0]
    cited = {s for d in rows for s in d.sources}
    regime_from = {e["dataset"] for e in regime.get("evidence", [])}
    about = licence(view, _datasets(rows) | set(entity["datasets"]))
    refs = entity["referenced_by"]
    shown_regime = (
        {"label": regime.get("label"), "year": (props.get("regime_year") or [{}])[0].get("value")}
        if regime
        else None
    )
    projects = [r for r in refs if r["schema"] == "Project"]
    restrictions = [r for r in refs if r["schema"] == "Restriction"]
    indexed = country_index(code, regime.get("value"), rows) if rows else None
    return {
        "code": code,
        "name": country_name(code),
        "summary": country_summary(code, shown_regime, rows, projects, restrictions).to_dict(),
        "index": indexed.to_dict() if indexed else None,
        "regime": {
            "value": regime.get("value"),
            "label": regime.get("label"),
            "year": (props.get("regime_year") or [{}])[0].get("value"),
            "source": "; ".join(
                f"{d['citation']}, {d['licence']}"
                for d in about["datasets"]
                if d["name"] in regime_from
            ),
        }
        if regime
        else None,
        "deployments": [public(d) for d in rows],
        "vendors": sorted(
            {(d.vendor, d.vendor_name or d.vendor) for d in rows if d.vendor}, key=lambda v: v[1]
        ),
        "projects": projects,
        "figures": [r for r in refs if r["schema"] == "Figure"],
        "restrictions": restrictions,
        "timeline": _timeline(rows),
        "sources": view.cited_sources(chosen, MAX_SOURCES) if rows else [],
        "sources_total": len(cited),
        "licence": about,
    }


def _timeline(rows: list[DeploymentRecord]) -> list[dict[str, int]]:
    years = Counter(d.year for d in rows if d.year)
    return [{"year": y, "deployments": years[y]} for y in sorted(years)]


def _first(entity: dict[str, Any], prop: str) -> str | None:
    values = entity["properties"].get(prop) or [{}]
    found = values[0].get("label") or values[0].get("value")
    return str(found) if found else None


def vendor(view: View, slug: str) -> dict[str, Any]:
    entity = entity_view(view, f"org:{slug}", ("Restriction", "Organization"))
    if entity is None:
        raise NotFoundError(f"no vendor {slug}")
    rows = deployments(view, Filters(vendor=entity["id"]))
    regime_of = view.values_of("Country", "regime")
    regimes: Counter[str] = Counter(
        REGIMES.get(regime_of.get(f"country:{d.buyer_country}", ""), "unknown") for d in rows
    )
    refs = entity["referenced_by"]
    headquarters = _first(entity, "country")
    restrictions = [r for r in refs if r["schema"] == "Restriction"]
    return {
        "entity": entity,
        "answer": vendor_summary(entity, rows, dict(regimes), restrictions).to_dict(),
        "summary": {
            "headquarters": country_name(headquarters) if headquarters else None,
            "parent": _first(entity, "parent"),
            "state_owned": _first(entity, "state_owned"),
            "role": _first(entity, "role"),
        },
        "deployments": [public(d) for d in rows],
        "footprint": [
            {"code": c, "name": country_name(c), "numeric": _numeric(c), "deployments": n}
            for c, n in Counter(d.buyer_country for d in rows if d.buyer_country).most_common()
        ],
        "by_regime": dict(regimes),
        "restrictions": restrictions,
        "subsidiaries": [r for r in refs if r["schema"] == "Organization" and r["via"] == "parent"],
        "licence": licence(view, _datasets(rows) | set(entity["datasets"])),
    }


def project(view: View, slug: str) -> dict[str, Any]:
    entity = entity_view(view, f"project:{slug}", ("Figure",))
    if entity is None:
        raise NotFoundError(f"no project {slug}")
    rows = deployments(view, Filters(project=entity["id"]))
    return {
        "entity": entity,
        "summary": project_summary(entity, rows).to_dict(),
        "deployments": [public(d) for d in rows],
        "licence": licence(view, _datasets(rows) | set(entity["datasets"])),
    }


def deployment(view: View, slug: str) -> dict[str, Any]:
    """One deployment: its sentence, its key facts, then every value with its sources."""
    entity = entity_view(view, f"deployment:{slug}", ())
    record = view.record(f"deployment:{slug}")
    if entity is None or record is None:
        raise NotFoundError(f"no deployment {slug}")
    d = DeploymentRecord.of(record)
    return {
        "entity": entity,
        "summary": deployment_summary(entity, d).to_dict(),
        "deployment": public(d),
        "licence": licence(view, set(entity["datasets"])),
    }


def surveillance_table(view: View, sort: str) -> dict[str, Any]:
    """The country surveillance index: every buyer country with the categories its
    accepted evidence documents."""
    index = surveillance_index(view)
    return {
        "sort": sort,
        "categories": {t: technology_label(t) for t in CATEGORIES},
        "countries": table(index, sort),
        "licence": licence(view, _index_datasets(index)),
    }


def aigs_comparison(view: View) -> dict[str, Any]:
    """Custodiet's evidence beside the Carnegie AIGS flags, per country and category."""
    index = surveillance_index(view)
    rows = comparison(index)
    return {
        "rows": rows,
        "totals": comparison_totals(rows),
        "columns": list(COMPARISON_COLUMNS),
        "licence": licence(view, _index_datasets(index)),
    }


def _index_datasets(index: dict[str, Any]) -> set[str]:
    return {d for c in index.values() for cat in c.categories.values() for d in cat.datasets}


def source(view: View, source_id: str) -> dict[str, Any]:
    """A source some accepted fact cites (one that only candidates rest on is for editors
    alone), and of its text what its licence allows: all of it, or the quotes in context."""
    found = view.sources_by_id([source_id]).get(source_id)
    if found is None or not view.cited(source_id):
        raise NotFoundError(f"no source {source_id}")
    quotes = view.quoted_spans(source_id)
    full = may_republish(found.licence)
    segments = None
    if found.text:
        spans = [(0, len(found.text))] if full else windows(len(found.text), quotes)
        segments = _segments(found.text, quotes, spans)
    return {
        "source": found.model_dump(exclude={"text"}),
        "shown": "full" if full else "excerpts",
        "segments": segments,
        "licence": licence(view, ()),
    }


def _segments(
    text: str, quotes: list[tuple[int, int]], spans: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """The shown spans of the text cut into plain and quoted runs, for highlighting
    (overlaps merged), with a gap between spans."""
    out: list[dict[str, Any]] = []
    for a, b in spans:
        if out or a > 0:
            out.append({"text": "…", "quoted": False, "gap": True})
        pos = a
        for start, end in quotes:
            start, end = max(start, pos), min(end, b)
            if start >= end:
                continue
            if start > pos:
                out.append({"text": text[pos:start], "quoted": False, "gap": False})
            out.append({"text": text[start:end], "quoted": True, "gap": False})
            pos = end
        if pos < b:
            out.append({"text": text[pos:b], "quoted": False, "gap": False})
    if spans and spans[-1][1] < len(text):
        out.append({"text": "…", "quoted": False, "gap": True})
    return out


def _facet(kind: str, entity_id: str | None) -> str:
    return entity_id.split(":")[0] if entity_id else kind


class SearchBusyError(RuntimeError):
    """Another search is running: this one is refused at once (503), never queued."""


# Two searches at a time: costly ones then hold two view threads, never all of them.
SEARCHING = threading.BoundedSemaphore(2)
SEARCH_WAIT = 1.0  # seconds a search waits for one before it to end


def search(
    view: View, q: str, kind: str | None = None, dataset: str | None = None
) -> dict[str, Any]:
    """The best 50 hits (of one dataset's facts when `dataset` is given), counted by kind
    (the facets); `kind` keeps one kind of them."""
    notice = None
    hits: list[SearchHit] = []
    if q.strip():
        if not SEARCHING.acquire(timeout=SEARCH_WAIT):
            raise SearchBusyError("another search is running; try again in a moment")
        try:
            hits = view.search(q, limit=50, dataset=dataset)
        except SearchTooCostlyError:
            notice = "This search took too long: try fewer or rarer words."
        finally:
            SEARCHING.release()
    facets = Counter(_facet(h.kind, h.entity_id) for h in hits)
    every = view.datasets()
    kept = [h for h in hits if not kind or _facet(h.kind, h.entity_id) == kind]
    return {
        "q": q,
        "kind": kind,
        "dataset": dataset,
        "datasets": [_choice(d) for d in every],
        "hits": [_hit(h) for h in kept],
        "facets": dict(facets),
        "notice": notice,
        "licence": licence(view, {h.dataset for h in hits if h.dataset}, every),
    }


PAGES = {
    "org": "vendors",
    "project": "projects",
    "country": "countries",
    "deployment": "deployments",
}


HIT_FIELDS = ("kind", "ref", "text", "entity_id", "prop", "value", "source_id", "dataset")


def _hit(hit: SearchHit) -> dict[str, Any]:
    """A hit as a reader reads it: what it is about, by name, its properties by their
    labels, the value by its label, and the page to open."""
    shown = {k: getattr(hit, k) for k in HIT_FIELDS}
    if hit.kind == "source" or not hit.entity_id:
        return shown | {"about": None, "reads": hit.text, "href": f"/sources/{hit.ref}"}
    prefix, slug = hit.entity_id.split(":", 1)
    sch = schema(hit.about_schema) if hit.about_schema else schema_for_id(hit.entity_id)
    about = hit.about_name or (country_name(slug) if prefix == "country" else slug)
    labels = Record.from_json("", "", "", hit.about_data).labels if hit.about_data else {}
    props = [p.strip() for p in (hit.prop or "").split(",") if p.strip()]
    named = ", ".join(sch.get(p).label if p in sch.properties else p for p in props)
    value = value_label(sch, props[0], hit.value, labels) if hit.value and props else None
    said = value or hit.value
    page = PAGES.get(prefix)
    return shown | {
        "about": f"{sch.label}: {about}",
        "reads": f"{named}: {said}" if said else named,
        "href": f"/{page}/{slug}" if page else None,
    }


def _choice(d: Dataset) -> dict[str, str]:
    return {"name": d.name, "title": d.title}


def datasets(view: View) -> dict[str, Any]:
    """Every dataset with what it holds and how much of it something else confirms."""
    held = holdings(view)
    return {
        "datasets": [h.summary() for h in held.values()],
        "licence": licence(view, list(held), [h.dataset for h in held.values()]),
    }


def dataset(view: View, name: str) -> dict[str, Any]:
    every = holdings(view)
    if name not in every:
        raise NotFoundError(f"no dataset {name}")
    known = [h.dataset for h in every.values()]
    return {"dataset": every[name].detail(), "licence": licence(view, [name], known)}


def about(view: View) -> dict[str, Any]:
    return {"licence": licence(view, [d.name for d in view.datasets()])}


FEED_ENTRIES = 50


def feed_items(view: View, filters: Filters) -> list[tuple[DeploymentRecord, str]]:
    """The most recently accepted deployments the filters choose, with when."""
    found = view.deployments(filters, limit=FEED_ENTRIES)
    return [(DeploymentRecord.of(r), r.reviewed_at) for r in found]


def vendor_named(view: View, slug: str) -> tuple[str, str]:
    """A vendor's name and the id that answers for it (itself, or the one it was merged
    into)."""
    record = view.record(f"org:{slug}")
    if record is None:
        raise NotFoundError(f"no vendor {slug}")
    return record.name, record.id


CHART_LIST = [
    ("years", "Deployments per year by technology"),
    ("market-share", "Market share per technology: each technology's deployments by vendor"),
    ("regimes", "Deployments by the buyer country's regime type"),
]


def charts_page(view: View) -> dict[str, Any]:
    return {
        "charts": [{"name": n, "title": t} for n, t in CHART_LIST],
        "licence": licence(view, view.deployment_datasets(Filters())),
    }


def country_geojson(view: View, code: str) -> dict[str, Any]:
    """A country's outline (from the vendored world atlas) with its counts, and its
    places with coordinates as points."""
    from custodiet.export.geojson import collection
    from custodiet.model.records import PlaceRecord

    rows = deployments(view, Filters(buyer_country=code))
    places = [
        PlaceRecord.of(r) for r in view.records([ref for d in rows for ref in d.place]).values()
    ]
    found = collection(rows, places)
    features = [
        f
        for f in found["features"]
        if f["properties"].get("code") == code or f["properties"]["kind"] == "place"
    ]
    if not rows and not features:
        raise NotFoundError(f"no country {code}")
    return {"type": "FeatureCollection", "features": features}
