"""The `custodiet` command."""

from __future__ import annotations

import typer

from custodiet import __version__
from custodiet.cli import (
    correcting,
    data,
    extracting,
    importing,
    maintain,
    read,
    releasing,
    reporting,
    resolving,
    review,
    scanning,
    serving,
    users,
)
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
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="CUSTODIET_TOKEN",
        help="Act as the user of this API token (default: the local user, as admin).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    settings.db = db
    settings.token = token


app.command()(data.init)
app.command()(data.load)
app.command("attach-text")(data.attach_text)
app.command()(extracting.text)
app.command()(extracting.extract)
app.command()(extracting.ingest)
app.command()(scanning.scan)
app.command("train-scorer")(extracting.train_scorer)
app.command("import")(importing.import_)
app.command()(importing.datasets)
app.command()(read.stats)
app.command()(read.show)
app.command()(read.search)
app.command()(maintain.export)
app.command()(reporting.report)
app.command()(read.log)
app.command()(serving.serve)
app.command()(serving.publish)
app.command()(maintain.verify)
app.add_typer(review.app, name="review")
app.add_typer(releasing.app, name="release")
app.add_typer(resolving.app, name="resolve")
app.add_typer(users.app, name="user")
app.add_typer(correcting.app, name="corrections")


def main() -> None:
    app()
