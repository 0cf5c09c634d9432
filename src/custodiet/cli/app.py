"""The `custodiet` command."""

from __future__ import annotations

import typer

from custodiet import __version__
from custodiet.cli import data, extracting, maintain, read
from custodiet.cli.context import settings

app = typer.Typer(
    name="custodiet",
    help="An open, evidence-backed atlas of surveillance-technology exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def main_options(
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="CUSTODIET_DB",
        help="Database URL (sqlite:///path, postgresql://…) or a SQLite file path.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    settings.db = db


app.command()(data.init)
app.command()(data.load)
app.command("attach-text")(data.attach_text)
app.command()(extracting.text)
app.command()(extracting.extract)
app.command()(extracting.ingest)
app.command()(read.stats)
app.command()(read.show)
app.command()(read.search)
app.command()(maintain.export)
app.command()(maintain.verify)


def main() -> None:
    app()
