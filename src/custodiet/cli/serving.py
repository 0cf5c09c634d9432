"""`custodiet serve`: the web atlas on a local address."""

from __future__ import annotations

import typer

from custodiet.cli.context import one_line_errors, out, settings

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
