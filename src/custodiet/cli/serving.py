"""`custodiet serve`: the web atlas on a local address; `custodiet publish`: the same atlas
as static files."""

from __future__ import annotations

from pathlib import Path

import typer

from custodiet.cli.context import err, fail, one_line_errors, out, settings

KEEP_ALIVE_SECONDS = 30


@one_line_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    cache: bool = typer.Option(
        True, "--cache/--no-cache", help="Keep rendered public pages until the next write."
    ),
) -> None:
    """Serve the web atlas and its JSON API (no access log: no IP addresses are kept)."""
    import uvicorn

    from custodiet.store import database_url
    from custodiet.web.app import CACHE_BYTES, create_app

    app = create_app(database_url(settings.db), cache_bytes=CACHE_BYTES if cache else 0)
    out.print(f"Custodiet atlas on http://{host}:{port}/")
    # An idle connection is kept longer than clients keep theirs (httpx 5 s, browsers
    # about as long): the client then closes first, and never sends a request on a
    # connection the server is closing at that instant (a dropped request under load).
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


@one_line_errors
def publish(
    output: Path = typer.Option(
        ...,
        "--out",
        help="The site's folder: new, empty, or an "
        "earlier publish's (only changed files are rewritten).",
    ),
    base_url: str = typer.Option(
        "/",
        "--base-url",
        help="Where the site will be served (https://example.org/atlas/), for the feeds' links.",
    ),
    pdf: bool = typer.Option(
        False, "--pdf/--no-pdf", help="Also publish the PDF reports (seconds each)."
    ),
    release: Path | None = typer.Option(
        None, "--release", help="A release folder (custodiet release) to copy into the site."
    ),
) -> None:
    """Publish the public atlas as static files: every page with its JSON, CSV and GeoJSON
    twins, the map, charts, feeds, downloads and search, with relative links that work
    under any base address and from file://. Exits 1 if a page fails or a link breaks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from custodiet.export.site import publish as publish_site
    from custodiet.store import database_url

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("publishing pages", total=None)
        done = publish_site(
            database_url(settings.db), output, base_url=base_url, pdf=pdf, release=release,
            progress=lambda n, known: bar.update(task, completed=n, total=known),
        )  # fmt: skip
    out.print(
        f"published {done.pages:,} pages in {done.files:,} files ({done.bytes / 2**20:.1f} MB) "
        f"to {output} in {done.seconds:.1f} s ({done.pages_per_second:.0f} pages/s): "
        f"{done.written:,} written, {done.unchanged:,} unchanged, {done.removed:,} removed",
        soft_wrap=True,
    )
    problems = done.failed + done.broken
    if problems:
        for problem in problems[:10]:
            err.print(problem, soft_wrap=True)
        raise fail(f"{len(done.failed)} pages failed and {len(done.broken)} links are broken")
