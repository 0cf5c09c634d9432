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
from custodiet.analyze.overview import overview, vendor_tally
from custodiet.model.datasets import Dataset, catalogue
from custodiet.model.errors import DataError
from custodiet.model.filters import Filters
from custodiet.model.policy import may_republish, windows
from custodiet.model.records import DEPLOYMENT_FIELDS, DeploymentRecord
from custodiet.model.schemata import schema
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
    return d.to_dict()


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
    return {
        "code": code,
        "name": country_name(code),
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
        "projects": [r for r in refs if r["schema"] == "Project"],
        "figures": [r for r in refs if r["schema"] == "Figure"],
        "restrictions": [r for r in refs if r["schema"] == "Restriction"],
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
    return {
        "entity": entity,
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
        "restrictions": [r for r in refs if r["schema"] == "Restriction"],
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
        "deployments": [public(d) for d in rows],
        "licence": licence(view, _datasets(rows) | set(entity["datasets"])),
    }


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
    kept = [vars(h) for h in hits if not kind or _facet(h.kind, h.entity_id) == kind]
    return {
        "q": q,
        "kind": kind,
        "dataset": dataset,
        "datasets": [_choice(d) for d in every],
        "hits": kept,
        "facets": dict(facets),
        "notice": notice,
        "licence": licence(view, {h.dataset for h in hits if h.dataset}, every),
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
