"""`custodiet corrections …`: readers' reports of wrong facts, and their resolution."""

from __future__ import annotations

import typer

from custodiet.cli.context import acting, one_line_errors, open_store, out, writing
from custodiet.cli.output import json_lines, table

app = typer.Typer(help="Corrections reported by readers: add, list, resolve.", no_args_is_help=True)


@app.command()
@one_line_errors
def add(
    statement: str = typer.Argument(..., help="The statement's id."),
    message: str = typer.Option(..., "--message", help="What is wrong."),
    source: str | None = typer.Option(None, "--source", help="A URL that shows it."),
) -> None:
    """Report a correction (what the atlas's form does)."""
    from custodiet.review.corrections import add as add_correction

    with writing("reader", f"correction {statement}") as (_who, tx):
        number = add_correction(tx, statement, message, source)
    out.print(f"correction {number} recorded")


@app.command("list")
@one_line_errors
def list_(
    status: str = typer.Option("open", "--status", help="open, accepted or rejected."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Corrections, oldest first."""
    from custodiet.review.corrections import listing

    with open_store() as store:
        acting(store, "editor")
        with store.view() as view:
            rows = listing(view, status)
    if as_json:
        json_lines(rows)
    else:
        table(
            rows, ["id", "statement_id", "message", "source_url", "status"], empty="no corrections"
        )


@app.command()
@one_line_errors
def resolve(
    correction: int = typer.Argument(...),
    accept: bool = typer.Option(False, "--accept", help="Accept it (with --set)."),
    reject: bool = typer.Option(False, "--reject", help="Reject it (with --reason)."),
    sets: list[str] = typer.Option([], "--set", help="prop=value: the corrected values."),
    reason: str | None = typer.Option(None, "--reason"),
) -> None:
    """Accept a correction (like an edit) or reject it."""
    from custodiet.model.errors import DataError
    from custodiet.review.corrections import resolve as do_resolve

    if accept == reject:
        raise DataError("say --accept or --reject")
    with writing("editor", f"correction {correction}") as (who, tx):
        do_resolve(tx, who.name, correction, accept=accept, sets=sets, reason=reason)
    out.print(f"correction {correction} {'accepted' if accept else 'rejected'}")
