"""`custodiet resolve …`: duplicates, merges, splits and "not the same" judgements."""

from __future__ import annotations

import typer

from custodiet.cli.context import acting, one_line_errors, open_store, out, writing
from custodiet.cli.output import json_lines, table

app = typer.Typer(
    help="One id per entity: suggest duplicates, merge, split, judge distinct.",
    no_args_is_help=True,
)


@app.command()
@one_line_errors
def suggest(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Likely duplicates (deployments, organisations) with a score and the reason."""
    from custodiet.resolve.suggest import suggestions

    with open_store() as store:
        acting(store, "reader")
        with store.view() as view:
            rows = suggestions(view)
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

    with writing("editor", f"resolve merge {keep} {merged}") as (_who, tx):
        number = do_merge(tx, keep, merged, reason)
    out.print(f"{merged} now answers to {keep} (merge {number})")


@app.command()
@one_line_errors
def split(
    merged: str = typer.Argument(..., help="An id that was merged into another."),
    reason: str | None = typer.Option(None, "--reason"),
) -> None:
    """Reverse the merge of MERGED exactly: both entities stand apart again."""
    from custodiet.resolve.merge import split as do_split

    with writing("editor", f"resolve split {merged}") as (_who, tx):
        keep = do_split(tx, merged, reason)
    out.print(f"{merged} stands apart from {keep} again")


@app.command()
@one_line_errors
def distinct(
    a: str = typer.Argument(..., help="An entity id."),
    b: str = typer.Argument(..., help="Another entity id of the same schema."),
    reason: str | None = typer.Option(None, "--reason"),
    undo: bool = typer.Option(False, "--undo", help="Withdraw the judgement."),
) -> None:
    """Record that A and B are not the same: the pair is never suggested again (and not
    merged) until the judgement is undone with --undo, itself a recorded judgement."""
    from custodiet.resolve import merge as resolution

    if undo:
        with writing("editor", f"resolve distinct --undo {a} {b}") as (_who, tx):
            number = resolution.undo_distinct(tx, a, b, reason)
        out.print(f"{a} and {b} may be suggested as duplicates again (judgement {number})")
        return
    with writing("editor", f"resolve distinct {a} {b}") as (_who, tx):
        number = resolution.distinct(tx, a, b, reason)
    out.print(f"{a} and {b} are not the same (judgement {number})")
