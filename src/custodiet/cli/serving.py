"""`custodiet serve`: the web atlas on a local address."""

from __future__ import annotations

import typer

from custodiet.cli.context import one_line_errors, out, settings


@one_line_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
) -> None:
    """Serve the web atlas and its JSON API (no access log: no IP addresses are kept)."""
    import uvicorn

    from custodiet.store import database_url
    from custodiet.web.app import create_app

    app = create_app(database_url(settings.db))
    out.print(f"Custodiet atlas on http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
