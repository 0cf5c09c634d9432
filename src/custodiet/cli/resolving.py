"""`custodiet resolve …`: duplicates, merges and splits."""

from __future__ import annotations

import typer

from custodiet.cli.context import acting, one_line_errors, open_store, out, writing
from custodiet.cli.output import json_lines, table

app = typer.Typer(help="One id per entity: suggest duplicates, merge, split.", no_args_is_help=True)


@app.command()
@one_line_errors
def suggest(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Likely duplicates (deployments, organisations) with a score and the reason."""
    from custodiet.resolve.suggest import suggestions

    with open_store() as store:
        acting(store, "reader")
        rows = suggestions(store)
    if as_json:
        json_lines(rows)
    else:
        table(rows, ["score", "a", "b", "reason"], empty="no likely duplicates")


@app.command()
@one_line_errors
def merge(
    keep: str = typer.Argument(..., help="The id that stays."),
    merged: str = typer.Argument(..., help="The id that will answer to it."),
    reason: str | None = typer.Option(None, "--reason"),
) -> None:
    """Merge MERGED into KEEP: MERGED keeps answering, redirected to KEEP."""
    from custodiet.resolve.merge import merge as do_merge

    with writing("editor", f"resolve merge {keep} {merged}") as (who, tx):
        number = do_merge(tx, who.name, keep, merged, reason)
    out.print(f"{merged} now answers to {keep} (merge {number})")


@app.command()
@one_line_errors
def split(
    merged: str = typer.Argument(..., help="An id that was merged into another."),
    reason: str | None = typer.Option(None, "--reason"),
) -> None:
    """Reverse the merge of MERGED exactly: both entities stand apart again."""
    from custodiet.resolve.merge import split as do_split

    with writing("editor", f"resolve split {merged}") as (who, tx):
        keep = do_split(tx, who.name, merged, reason)
    out.print(f"{merged} stands apart from {keep} again")
