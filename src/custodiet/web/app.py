"""The FastAPI application: every page at /path and its JSON twin at /path.json."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import re
from collections.abc import AsyncIterator, Callable
from importlib import resources
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from custodiet import __version__
from custodiet.analyze.deployments import Filters
from custodiet.model.taxonomy import technologies
from custodiet.model.types import country_name
from custodiet.store.sql import SqlStore
from custodiet.web import editor, models, views
from custodiet.web.cache import Rendered, ResponseCache
from custodiet.web.security import SecurityHeaders

HERE = resources.files(__package__)
MAX_PAGE = 500
VIEW_THREADS = 4
CACHE_BYTES = 64 * 2**20  # of rendered responses, least recently used dropped first
API_DESCRIPTION = (
    "Every page of the atlas has a JSON twin at the same address plus `.json`. "
    "Data: CC BY 4.0; regime types: Our World in Data based on V-Dem, CC BY 4.0. "
    "Every response carries its licence."
)
JSON = "application/json"
HTML = "text/html; charset=utf-8"
CSV_COLUMNS = [*views.RECORD_FIELDS[:4], "buyer_country_name", *views.RECORD_FIELDS[4:]]


def filters(
    technology: str | None = None,
    vendor: str | None = None,
    vendor_country: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    state_loans: bool = False,
) -> Filters:
    return Filters(
        technology or None,
        vendor or None,
        (vendor_country or "").upper() or None,
        year_from,
        year_to,
        state_loans,
    )


def create_app(url: str, *, cache_bytes: int = CACHE_BYTES) -> FastAPI:
    store = SqlStore(url)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Views are plain functions run in worker threads. A few threads keep SQLite and
        # the CPU busy; forty (the default) only queue for the interpreter lock, which
        # multiplies every request's latency under load.
        anyio.to_thread.current_default_thread_limiter().total_tokens = VIEW_THREADS
        settle_heap(store)
        yield

    # FastAPI's own /docs loads Swagger UI from a CDN; ours serves a vendored copy.
    app = FastAPI(
        title="Custodiet",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE.joinpath("static"))), name="static")
    templates = Jinja2Templates(directory=str(HERE.joinpath("templates")))
    cache = ResponseCache(store, cache_bytes)
    app.state.cache = cache

    def cached(request: Request, render: Callable[[], Rendered]) -> Response:
        """A public response, from the cache while the data has not changed."""
        found = cache.get(f"{request.url.path}?{request.url.query}", render)
        return Response(found.body, media_type=found.media_type)

    def html_body(request: Request, template: str, data: dict[str, Any]) -> Rendered:
        response = templates.TemplateResponse(request, template, {"data": data})
        return Rendered(bytes(response.body), HTML)

    def page(
        path: str,
        template: str,
        view: Callable[..., dict[str, Any]],
        model: type[BaseModel] | None = None,
        query: tuple[str, ...] = (),
    ) -> None:
        """Register /path.json and /path, both rendering what `view` returns."""

        # Plain functions: FastAPI runs them in its thread pool, so a slow query does not
        # hold up the event loop.
        def as_json(request: Request) -> Response:
            return cached(request, lambda: json_body(view(request)))

        def as_html(request: Request) -> Response:
            return cached(request, lambda: html_body(request, template, view(request)))

        app.add_api_route(
            f"{path}.json" if path != "/" else "/index.json",
            as_json,
            methods=["GET"],
            name=f"{template}.json",
            response_model=model,
            summary=f"The JSON twin of {path}",
            # The handlers read the request itself, so FastAPI cannot see the parameters.
            openapi_extra={
                "parameters": [
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    for name in re.findall(r"{(\w+)}", path)
                ]
                + [
                    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                    for name in query
                ]
            },
        )
        app.add_api_route(
            path,
            as_html,
            methods=["GET"],
            name=template,
            response_class=HTMLResponse,
            include_in_schema=False,
        )

    page(
        "/",
        "home.html",
        lambda r: views.home(store, filters(**_query(r))),
        models.Atlas,
        ("technology", "vendor", "vendor_country", "year_from", "year_to", "state_loans"),
    )
    page(
        "/countries/{code}",
        "country.html",
        lambda r: views.country(store, r.path_params["code"]),
        models.CountryPage,
    )
    page(
        "/vendors/{slug}",
        "vendor.html",
        lambda r: views.vendor(store, r.path_params["slug"]),
        models.EntityPage,
    )
    page(
        "/projects/{slug}",
        "project.html",
        lambda r: views.project(store, r.path_params["slug"]),
        models.EntityPage,
    )
    page(
        "/sources/{sid}",
        "source.html",
        lambda r: views.source(store, r.path_params["sid"]),
        models.SourcePage,
    )
    page(
        "/search",
        "search.html",
        lambda r: views.search(store, r.query_params.get("q", ""), r.query_params.get("kind")),
        models.SearchPage,
        ("q", "kind"),
    )
    page("/about", "about.html", lambda r: {"licence": views.LICENCE})

    @app.get("/deployments.json", response_model=models.DeploymentPage)
    def deployments_json(request: Request, limit: int = 100, offset: int = 0) -> Response:
        """Deployments chosen by the atlas's filters (technology, vendor, vendor_country,
        year_from, year_to, state_loans, country, project), a page at a time."""
        limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)

        def render() -> Rendered:
            rows = views.deployments_list(store, _chosen(request))
            page = {
                "items": rows[offset : offset + limit],
                "total": len(rows),
                "limit": limit,
                "offset": offset,
                "licence": views.LICENCE,
            }
            return json_body(page)

        return cached(request, render)

    @app.get("/search.csv", response_class=Response)
    def search_csv(q: str = "", kind: str | None = None) -> Response:
        """Search hits as CSV."""
        hits = views.search(store, q, kind)["hits"]
        columns = ["kind", "ref", "entity_id", "prop", "value", "text", "source_id"]
        return _csv(hits, "search.csv", columns)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {})

    @app.get("/deployments.csv", response_class=Response)
    def deployments_csv(request: Request) -> Response:
        """The deployments the atlas's filters choose (and ?country=XX), as CSV."""
        return _csv(views.deployments_list(store, _chosen(request)), "deployments.csv")

    @app.get("/countries.csv", response_class=Response)
    def countries_csv(request: Request) -> Response:
        """Buyer countries with their number of deployments under the atlas's filters."""
        rows = views.tallies(store, filters(**_query(request)))["countries"]
        return _csv(rows, "countries.csv", ["code", "name", "deployments"])

    @app.get("/vendors.csv", response_class=Response)
    def vendors_csv(request: Request) -> Response:
        """Vendors with their number of deployments under the atlas's filters."""
        rows = views.tallies(store, filters(**_query(request)))["vendors"]
        return _csv(rows, "vendors.csv", ["id", "name", "country", "deployments"])

    editor.install(app, store, templates)

    @app.exception_handler(views.NotFoundError)
    async def not_found(request: Request, exc: views.NotFoundError) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc), "licence": views.LICENCE}, status_code=404)
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc)}, status_code=404
        )

    return app


def settle_heap(store: SqlStore) -> None:
    """Load what every page looks up, then hide everything alive from the garbage
    collector: its full passes then scan only what requests create, not the libraries'
    long-lived objects (each pass took up to 35 ms, the slowest one in a hundred pages)."""
    country_name("FR")
    technologies()
    store.data_version()
    gc.collect()
    gc.freeze()


def json_body(data: dict[str, Any]) -> Rendered:
    return Rendered(bytes(JSONResponse(data).body), JSON)


def _query(request: Request) -> dict[str, Any]:
    q = request.query_params

    def number(key: str) -> int | None:
        return int(q[key]) if q.get(key, "").isdigit() else None

    return {
        "technology": q.get("technology"),
        "vendor": q.get("vendor"),
        "vendor_country": q.get("vendor_country"),
        "year_from": number("year_from"),
        "year_to": number("year_to"),
        "state_loans": q.get("state_loans") in ("1", "on", "true"),
    }


def _chosen(request: Request) -> Filters:
    """The atlas's filters, plus a buyer country and a project, from the query string."""
    chosen = filters(**_query(request))
    country = request.query_params.get("country")
    chosen.buyer_country = country.upper() if country else None
    chosen.project = request.query_params.get("project") or None
    return chosen


def _csv(rows: list[dict[str, Any]], name: str, columns: list[str] | None = None) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns or CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return Response(
        buffer.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
