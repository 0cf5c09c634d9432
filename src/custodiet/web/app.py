"""The FastAPI application: every page at /path and its JSON twin at /path.json.

Each request reads through one store View (one connection, one snapshot); a page's
view function returns plain data, which the HTML template and the JSON twin both
render. Query parameters are declared (params.py), so they are validated and documented.
"""

import contextlib
import csv
import gc
import inspect
import io
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from importlib import resources
from typing import Annotated, Any

import anyio.to_thread
import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from custodiet import __version__
from custodiet.analyze.charts import CHARTS
from custodiet.analyze.dossier import Kind, NoSuchSubjectError, dossier
from custodiet.analyze.index import CSV_COLUMNS, csv_rows
from custodiet.analyze.wording import money, technology
from custodiet.model.filters import Filters
from custodiet.model.taxonomy import technologies
from custodiet.model.types import country_name
from custodiet.render.charts import MEDIA as CHART_MEDIA
from custodiet.render.charts import render as render_chart
from custodiet.render.feeds import atom
from custodiet.render.report import STYLE as REPORT_STYLE
from custodiet.render.report import Format as ReportFormat
from custodiet.render.report import html as report_html
from custodiet.render.report import render as render_report
from custodiet.store.sql import SqlStore
from custodiet.store.view import View
from custodiet.web import editor, models, params, views
from custodiet.web.cache import Rendered, ResponseCache
from custodiet.web.security import SecurityHeaders

HERE = resources.files(__package__)
WEB_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
VIEW_THREADS = 4
CACHE_BYTES = 64 * 2**20  # of rendered responses, least recently used dropped first
API_DESCRIPTION = (
    "Every page of the atlas has a JSON twin at the same address plus `.json`. "
    "Every response carries the licence and citation of the datasets whose facts it shows."
)
JSON = "application/json"
HTML = "text/html; charset=utf-8"
Build = Callable[[View], dict[str, Any]]
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"},
    422: models.ERRORS[422],
}
ATOM = "application/atom+xml"
GEOJSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/geo+json": {"schema": {"type": "object"}}},
          "description": "GeoJSON (RFC 7946)"},
    404: models.ERRORS[404],
    422: models.ERRORS[422],
}  # fmt: skip
FEED: dict[int | str, dict[str, Any]] = {
    200: {"content": {ATOM: {"schema": {"type": "string"}}}, "description": "Atom 1.0"},
    404: models.ERRORS[404],
    422: models.ERRORS[422],
}
CHART_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {media: {"schema": {"type": "string"}} for media in CHART_MEDIA.values()},
        "description": "SVG, PNG or CSV",
    },
    422: models.ERRORS[422],
}
REPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {m: {"schema": {"type": "string"}} for m in ("text/html", "application/pdf")},
        "description": "HTML or PDF",
    },
    404: models.ERRORS[404] | {"content": {"text/html": {"schema": {"type": "string"}}}},
    422: models.ERRORS[422],
}


class Atlas(FastAPI):
    """The app, its every response (server errors included) with the security headers,
    and HEAD answered as GET without a body."""

    def build_middleware_stack(self) -> Any:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(url: str, *, cache_bytes: int = CACHE_BYTES, published: bool = False) -> FastAPI:
    """The atlas over the database at `url`. `published` renders its pages for a static copy
    (custodiet publish): no editor links or forms that need the server, search in the browser."""
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
    app = Atlas(
        title="Custodiet",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.mount("/static", StaticFiles(directory=str(HERE.joinpath("static"))), name="static")
    templates = Jinja2Templates(directory=str(HERE.joinpath("templates")))
    templates.env.filters["web_url"] = web_url
    templates.env.filters["money"] = money
    templates.env.filters["technology"] = technology
    templates.env.globals["published"] = published
    cache = ResponseCache(cache_bytes)
    app.state.cache = cache
    app.state.store = store

    def respond(request: Request, render: Callable[[View], Rendered]) -> Response:
        """A public response rendered from one snapshot, or from the cache while the data
        has not changed since it was rendered."""
        with store.view() as view:
            found = cache.get(f"{request.url.path}?{request.url.query}", view, render)
        return Response(found.body, media_type=found.media_type)

    def html_body(request: Request, template: str, data: dict[str, Any]) -> Rendered:
        response = templates.TemplateResponse(request, template, {"data": data})
        return Rendered(bytes(response.body), HTML)

    def page(path: str, template: str, model: type[BaseModel]) -> Callable[[Any], Any]:
        """Register /path.json and /path for a function that takes the page's declared
        parameters and returns what renders it from a View."""

        def register(build: Callable[..., Build]) -> Callable[..., Build]:
            signature = inspect.signature(build)
            request = inspect.Parameter(
                "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request
            )
            with_request = signature.replace(
                parameters=[request, *signature.parameters.values()], return_annotation=Response
            )

            # Plain functions: FastAPI runs them in its thread pool, so a slow query does
            # not hold up the event loop.
            def as_json(request: Request, **given: Any) -> Response:
                return respond(request, lambda v: json_body(build(**given)(v)))

            def as_html(request: Request, **given: Any) -> Response:
                return respond(request, lambda v: html_body(request, template, build(**given)(v)))

            as_json.__signature__ = with_request  # type: ignore[attr-defined]
            as_html.__signature__ = with_request  # type: ignore[attr-defined]
            app.add_api_route(
                f"{path}.json" if path != "/" else "/index.json",
                as_json,
                methods=["GET"],
                name=f"{template}.json",
                response_model=model,
                responses=models.ERRORS,
                summary=f"The JSON twin of {path}",
                description=(build.__doc__ or "").strip(),
            )
            app.add_api_route(
                path,
                as_html,
                methods=["GET"],
                name=template,
                response_class=HTMLResponse,
                include_in_schema=False,
            )
            return build

        return register

    def deployments_download(chosen: Filters, name: str) -> Response:
        """The chosen deployments as CSV, streamed from one snapshot as it is read."""

        def rows() -> Iterator[dict[str, Any]]:
            with store.view() as view:
                yield from views.deployments_stream(view, chosen)

        return StreamingResponse(
            _csv_lines(rows(), views.CSV_FIELDS),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    # The CSV and GeoJSON twins of pages, registered before the pages themselves: a page's
    # /countries/{code} would otherwise take /countries/EC.csv for a code.
    @app.get("/countries/{code}.csv", response_class=Response, responses=CSV)
    def country_csv(code: params.CountryPath) -> Response:
        """The CSV twin of a country page: its deployments."""
        return deployments_download(Filters(buyer_country=code.upper()), f"{code.upper()}.csv")

    @app.get("/countries/{code}.geojson", response_class=Response, responses=GEOJSON)
    def country_geojson(request: Request, code: params.CountryPath) -> Response:
        """The GeoJSON twin of a country page: its outline with its counts, and its places
        with coordinates as points."""
        code = code.upper()

        def render(v: View) -> Rendered:
            found = views.country_geojson(v, code)
            return Rendered(orjson.dumps(found), "application/geo+json")

        return respond(request, render)

    @app.get("/vendors/{slug}.csv", response_class=Response, responses=CSV)
    def vendor_csv(slug: params.Slug) -> Response:
        """The CSV twin of a vendor page: its deployments."""
        return deployments_download(Filters(vendor=f"org:{slug}"), f"{slug}.csv")

    @app.get("/projects/{slug}.csv", response_class=Response, responses=CSV)
    def project_csv(slug: params.Slug) -> Response:
        """The CSV twin of a project page: its deployments."""
        return deployments_download(Filters(project=f"project:{slug}"), f"{slug}.csv")

    @page("/", "home.html", models.Atlas)
    def home(query: Annotated[params.AtlasQuery, Query()]) -> Build:
        """The atlas: deployments per buyer country and vendor under the filters."""
        return lambda v: views.home(v, query.filters())

    @page("/countries/{code}", "country.html", models.CountryPage)
    def country(code: params.CountryPath) -> Build:
        """A buyer country: its regime type, deployments, vendors, projects and sources."""
        return lambda v: views.country(v, code)

    @page("/vendors/{slug}", "vendor.html", models.VendorPage)
    def vendor(slug: params.Slug) -> Build:
        """A vendor (org:SLUG): what the sources say, its deployments and footprint."""
        return lambda v: views.vendor(v, slug)

    @page("/projects/{slug}", "project.html", models.ProjectPage)
    def project(slug: params.Slug) -> Build:
        """A project (project:SLUG): its values side by side with their sources."""
        return lambda v: views.project(v, slug)

    @page("/deployments/{slug}", "deployment.html", models.DeploymentView)
    def deployment(slug: params.Slug) -> Build:
        """A deployment (deployment:SLUG): its sentence, key facts and every value with its
        sources."""
        return lambda v: views.deployment(v, slug)

    @page("/surveillance-index", "surveillance_index.html", models.IndexPage)
    def surveillance_index(query: Annotated[params.IndexQuery, Query()]) -> Build:
        """The country surveillance index, from accepted evidence: per buyer country, the
        categories documented, by which vendors, since when, on how many sources."""
        return lambda v: views.surveillance_table(v, query.sort)

    @page("/surveillance-index/aigs", "aigs_comparison.html", models.ComparisonPage)
    def aigs_comparison() -> Build:
        """Custodiet's evidence beside the Carnegie AIGS flags: where they agree, where
        only Custodiet has evidence, where only AIGS has a flag."""
        return views.aigs_comparison

    @app.get("/surveillance-index.csv", response_class=Response, responses=CSV)
    def surveillance_index_csv(query: Annotated[params.IndexQuery, Query()]) -> Response:
        """The country surveillance index as CSV: per category its earliest year (or yes)."""
        with store.view() as view:
            rows = views.surveillance_table(view, query.sort)["countries"]
        return _csv(csv_rows(rows), "surveillance-index.csv", CSV_COLUMNS)

    @app.get("/surveillance-index/aigs.csv", response_class=Response, responses=CSV)
    def aigs_comparison_csv() -> Response:
        """The comparison with the Carnegie AIGS as CSV."""
        with store.view() as view:
            data = views.aigs_comparison(view)
        return _csv(data["rows"], "aigs-comparison.csv", data["columns"])

    @page("/sources/{sid}", "source.html", models.SourcePage)
    def source(sid: params.SourceId) -> Build:
        """A source: its citation and, where its text is stored, the accepted quotes."""
        return lambda v: views.source(v, sid)

    @page("/search", "search.html", models.SearchPage)
    def search(query: Annotated[params.SearchQuery, Query()]) -> Build:
        """Full-text search over accepted quotes, values and sources."""
        return lambda v: views.search(v, query.q, query.kind, query.dataset)

    @page("/datasets", "datasets.html", models.DatasetsPage)
    def datasets() -> Build:
        """Every dataset: its licence and citation, what it holds and how much of it other
        datasets or quoted sources also support."""
        return views.datasets

    @page("/datasets/{name}", "dataset.html", models.DatasetPage)
    def dataset(name: params.DatasetPath) -> Build:
        """A dataset: its citation, counts by status and schema, its buyer countries and
        technologies, and how many of its deployments something else corroborates."""
        return lambda v: views.dataset(v, name)

    @page("/about", "about.html", models.AboutPage)
    def about() -> Build:
        """The method, and the licence and citation of every dataset."""
        return views.about

    @app.get("/deployments.json", response_model=models.DeploymentPage, responses=models.ERRORS)
    def deployments_json(request: Request, query: Annotated[params.PageQuery, Query()]) -> Response:
        """Deployments chosen by the atlas's filters, a country and a project, a page at a
        time."""
        chosen = query.filters()
        return respond(
            request,
            lambda v: json_body(views.deployments_page(v, chosen, query.limit, query.offset)),
        )

    @app.get("/search.csv", response_class=Response, responses=CSV)
    def search_csv(query: Annotated[params.SearchQuery, Query()]) -> Response:
        """Search hits as CSV."""
        with store.view() as view:
            hits = views.search(view, query.q, query.kind, query.dataset)["hits"]
        columns = ["kind", "ref", "entity_id", "prop", "value", "text", "source_id", "dataset"]
        return _csv(hits, "search.csv", columns)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {})

    @app.get("/deployments.csv", response_class=Response, responses=CSV)
    def deployments_csv(query: Annotated[params.ListQuery, Query()]) -> Response:
        """The deployments the atlas's filters choose (and ?country=XX, ?project=ID), as CSV,
        streamed from one snapshot as it is read."""
        return deployments_download(query.filters(), "deployments.csv")

    @app.get("/countries.csv", response_class=Response, responses=CSV)
    def countries_csv(query: Annotated[params.AtlasQuery, Query()]) -> Response:
        """Buyer countries with their number of deployments under the atlas's filters."""
        with store.view() as view:
            rows = views.tallies(view, query.filters())["countries"]
        return _csv(rows, "countries.csv", ["code", "name", "deployments"])

    @app.get("/vendors.csv", response_class=Response, responses=CSV)
    def vendors_csv(query: Annotated[params.AtlasQuery, Query()]) -> Response:
        """Vendors with their number of deployments under the atlas's filters."""
        with store.view() as view:
            rows = views.tallies(view, query.filters())["vendors"]
        return _csv(rows, "vendors.csv", ["id", "name", "country", "deployments"])

    @app.get("/charts", response_class=HTMLResponse, include_in_schema=False)
    def charts_page(request: Request) -> Response:
        return respond(request, lambda v: html_body(request, "charts.html", views.charts_page(v)))

    @app.get("/charts/{name}.{fmt}", response_class=Response, responses=CHART_RESPONSES)
    def chart(
        request: Request,
        name: params.ChartName,
        fmt: params.ChartFormat,
        query: Annotated[params.ListQuery, Query()],
    ) -> Response:
        """A chart (years: deployments per year by technology; regimes: by the buyer
        country's regime type; market-share: each technology's deployments by vendor) of
        the deployments the filters choose, as SVG, PNG or its data as CSV; kept rendered
        until the next write, as pages are."""
        chosen = query.filters()
        found = respond(
            request,
            lambda v: Rendered(render_chart(CHARTS[name](v, chosen), fmt), CHART_MEDIA[fmt]),
        )
        found.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
        return found

    def feed(
        request: Request, page_path: str, subject: Callable[[View], tuple[str, Filters]]
    ) -> Response:
        """An Atom feed of what `subject` (the feed's title and its filters, read from the
        same snapshot) chooses."""
        base = str(request.base_url).rstrip("/")

        def render(v: View) -> Rendered:
            title, chosen = subject(v)
            items = views.feed_items(v, chosen)
            return Rendered(atom(title, base, request.url.path, page_path, items), ATOM)

        return respond(request, render)

    @app.get("/feed.atom", response_class=Response, responses=FEED)
    def feed_all(request: Request) -> Response:
        """An Atom feed of the most recently accepted deployments."""
        return feed(request, "/", lambda _v: ("Custodiet: newly accepted facts", Filters()))

    @app.get("/countries/{code}/feed.atom", response_class=Response, responses=FEED)
    def feed_country(request: Request, code: params.CountryPath) -> Response:
        """An Atom feed of a buyer country's most recently accepted deployments."""
        code = code.upper()
        chosen = Filters(buyer_country=code)
        return feed(
            request, f"/countries/{code}", lambda _v: (f"Custodiet: {country_name(code)}", chosen)
        )

    @app.get("/vendors/{slug}/feed.atom", response_class=Response, responses=FEED)
    def feed_vendor(request: Request, slug: params.Slug) -> Response:
        """An Atom feed of a vendor's most recently accepted deployments (under the id that
        answers for it, when it was merged into another)."""

        def subject(v: View) -> tuple[str, Filters]:
            name, vendor = views.vendor_named(v, slug)
            return f"Custodiet: {name}", Filters(vendor=vendor)

        return feed(request, f"/vendors/{slug}", subject)

    def report(kind: Kind, subject: str, fmt: ReportFormat, request: Request) -> Response:
        with store.view() as view:
            try:
                found = dossier(view, kind, subject)
            except NoSuchSubjectError as e:
                raise views.NotFoundError(str(e)) from e
            site = str(request.base_url).rstrip("/")
            if fmt == "pdf":
                body = render_report(view, found, "pdf", site=site)
            else:
                stamp = "%Y-%m-%d" if published else "%Y-%m-%d %H:%M UTC"
                page = report_html(view, found, stylesheet="/report.css", site=site, stamp=stamp)
                body = page.encode()
        name = f"custodiet-{kind}-{subject.lower()}.{fmt}"
        disposition = "inline" if fmt == "html" else "attachment"
        headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
        media = HTML if fmt == "html" else "application/pdf"
        return Response(body, media_type=media, headers=headers)

    @app.get("/vendors/{slug}/report.{fmt}", response_class=Response, responses=REPORT)
    def vendor_report(request: Request, slug: params.Slug, fmt: params.ReportFormat) -> Response:
        """A due-diligence report on a vendor, as HTML or PDF."""
        return report("vendor", slug, fmt, request)

    @app.get("/countries/{code}/report.{fmt}", response_class=Response, responses=REPORT)
    def country_report(
        request: Request, code: params.CountryPath, fmt: params.ReportFormat
    ) -> Response:
        """A due-diligence report on a buyer country, as HTML or PDF."""
        return report("country", code, fmt, request)

    @app.get("/projects/{slug}/report.{fmt}", response_class=Response, responses=REPORT)
    def project_report(request: Request, slug: params.Slug, fmt: params.ReportFormat) -> Response:
        """A due-diligence report on a project, as HTML or PDF."""
        return report("project", slug, fmt, request)

    @app.get("/report.css", include_in_schema=False)
    def report_css() -> Response:
        return Response(REPORT_STYLE.read_text(encoding="utf-8"), media_type="text/css")

    editor.install(app, store, templates)

    def wants_json(request: Request) -> bool:
        return request.url.path.endswith(
            (".json", ".csv", ".geojson", ".atom", ".svg", ".png", ".pdf")
        )

    @app.exception_handler(views.NotFoundError)
    async def not_found(request: Request, exc: views.NotFoundError) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return templates.TemplateResponse(
            request, "error.html", {"title": "Not found", "message": str(exc)}, status_code=404
        )

    @app.exception_handler(views.SearchBusyError)
    async def busy(request: Request, exc: views.SearchBusyError) -> Response:
        headers = {"Retry-After": "1"}
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=503, headers=headers)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"title": "Busy", "message": str(exc)},
            status_code=503,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        message = "; ".join(_complaint(e) for e in exc.errors())
        if wants_json(request):
            return JSONResponse({"error": message, "detail": exc.errors()}, status_code=422)
        return templates.TemplateResponse(
            request, "error.html", {"title": "Bad request", "message": message}, status_code=422
        )

    return app


def _complaint(error: Any) -> str:
    """One validation error in words: which parameter, what is wrong, what was given."""
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
    given = error.get("input")
    shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
    return f"{where}: {error.get('msg', 'invalid')}{shown}"


def web_url(value: object) -> str | None:
    """The address if it is one a link may lead to (http or https), else None: a
    `javascript:` address from an input file is never rendered as a link."""
    return value if isinstance(value, str) and WEB_URL.match(value) else None


def settle_heap(store: SqlStore) -> None:
    """Load what every page looks up, then hide everything alive from the garbage
    collector: its full passes then scan only what requests create, not the libraries'
    long-lived objects (each pass took up to 35 ms, the slowest one in a hundred pages)."""
    country_name("FR")
    technologies()
    with store.view() as view:
        view.data_version()
    gc.collect()
    gc.freeze()


def json_body(data: dict[str, Any]) -> Rendered:
    # orjson: a country page of 600 deployments encodes in under a millisecond, where
    # the json module took six.
    return Rendered(orjson.dumps(data), JSON)


def _csv(rows: list[dict[str, Any]], name: str, columns: Sequence[str]) -> Response:
    return Response(
        "".join(_csv_lines(iter(rows), columns)),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _csv_lines(rows: Iterator[dict[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    """CSV text a thousand rows at a time; lists joined with "; "."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for n, row in enumerate(rows, start=1):
        writer.writerow(
            {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
        )
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
