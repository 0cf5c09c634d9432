"""The FastAPI application: every page at /path and its JSON twin at /path.json."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from custodiet import __version__
from custodiet.analyze.deployments import Filters
from custodiet.store.sql import SqlStore
from custodiet.web import editor, views
from custodiet.web.security import SecurityHeaders

HERE = resources.files(__package__)
CSV_COLUMNS = [
    "id",
    "vendor",
    "vendor_name",
    "buyer_country",
    "buyer_country_name",
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
]


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


def create_app(url: str) -> FastAPI:
    store = SqlStore(url)
    # /docs would load Swagger UI from a CDN: the OpenAPI document is served as JSON only.
    app = FastAPI(
        title="Custodiet",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE.joinpath("static"))), name="static")
    templates = Jinja2Templates(directory=str(HERE.joinpath("templates")))

    def page(path: str, template: str, view: Callable[..., dict[str, Any]]) -> None:
        """Register /path.json and /path, both rendering what `view` returns."""

        async def as_json(request: Request) -> JSONResponse:
            return JSONResponse(view(request))

        async def as_html(request: Request) -> HTMLResponse:
            return templates.TemplateResponse(request, template, {"data": view(request)})

        app.add_api_route(
            f"{path}.json" if path != "/" else "/index.json",
            as_json,
            methods=["GET"],
            name=f"{template}.json",
        )
        app.add_api_route(
            path,
            as_html,
            methods=["GET"],
            name=template,
            response_class=HTMLResponse,
            include_in_schema=False,
        )

    page("/", "home.html", lambda r: views.home(store, filters(**_query(r))))
    page(
        "/countries/{code}",
        "country.html",
        lambda r: views.country(store, r.path_params["code"].removesuffix(".json")),
    )
    page(
        "/vendors/{slug}",
        "vendor.html",
        lambda r: views.vendor(store, r.path_params["slug"].removesuffix(".json")),
    )
    page(
        "/projects/{slug}",
        "project.html",
        lambda r: views.project(store, r.path_params["slug"].removesuffix(".json")),
    )
    page(
        "/sources/{sid}",
        "source.html",
        lambda r: views.source(store, r.path_params["sid"].removesuffix(".json")),
    )
    page("/search", "search.html", lambda r: views.search(store, r.query_params.get("q", "")))
    page("/about", "about.html", lambda r: {"licence": views.LICENCE})

    @app.get("/deployments.csv", response_class=Response)
    def deployments_csv(request: Request) -> Response:
        """The deployments the atlas's filters choose (and ?country=XX), as CSV."""
        chosen = filters(**_query(request))
        country = request.query_params.get("country")
        chosen.buyer_country = country.upper() if country else None
        return _csv(views.deployments_list(store, chosen), "deployments.csv")

    editor.install(app, store, templates)

    @app.exception_handler(views.NotFoundError)
    async def not_found(request: Request, exc: views.NotFoundError) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc), "licence": views.LICENCE}, status_code=404)
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc)}, status_code=404
        )

    return app


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


def _csv(rows: list[dict[str, Any]], name: str) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return Response(
        buffer.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
