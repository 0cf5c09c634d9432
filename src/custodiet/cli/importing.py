"""`custodiet import` and `custodiet datasets`: the field's datasets, brought in."""

from __future__ import annotations

from pathlib import Path

import typer

from custodiet.cli.context import acting, err, one_line_errors, open_store, out
from custodiet.cli.data import plural
from custodiet.cli.output import json_lines, table


@one_line_errors
def import_(
    name: str = typer.Argument(..., help="The importer: see `custodiet datasets`."),
    path: Path = typer.Argument(..., help="The dataset's file."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what it would change; write nothing."
    ),
    mapping: Path | None = typer.Option(
        None, "--mapping", help="The mapping file (YAML) of the csv importer, or ftm's dataset."
    ),
    version: str | None = typer.Option(
        None, "--release", help="The release (its version), for a file that does not say it."
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Refuse the whole file at its first unreadable value or row."
    ),
) -> None:
    """Import a dataset's file (all of it in one transaction): its rows as facts with
    their provenance; a newer release retires what it no longer holds."""
    from custodiet.ingest.importing import run

    with open_store() as store:
        who = acting(store, "editor")
        summary = run(
            store,
            name,
            path,
            actor=who.name,
            dry_run=dry_run,
            strict=strict,
            version=version,
            mapping=mapping,
            progress=lambda message: err.print(f"[dim]{message}…[/dim]"),
        )
    out.print(
        f"{summary.dataset}{f' {summary.version}' if summary.version else ''}: "
        f"{summary.rows:,} rows, {summary.facts:,} facts; "
        f"{summary.added:,} added, {summary.changed:,} changed, {summary.no_longer_present:,} "
        f"no longer present, {summary.unchanged:,} unchanged"
        + (" (nothing new)" if summary.nothing_new else "")
        + (" — dry run: nothing written" if dry_run else "")
    )
    for fix in summary.fixed:
        err.print(f"fixed: {fix}", soft_wrap=True, markup=False)
    for problem in summary.problems[:20]:
        err.print(f"left out: {problem}", soft_wrap=True, markup=False)
    if len(summary.problems) > 20:
        err.print(f"left out: {len(summary.problems) - 20} more (see --strict)")
    if summary.new_organisations:
        shown = ", ".join(summary.new_organisations[:12])
        more = len(summary.new_organisations) - 12
        out.print(
            f"{plural(len(summary.new_organisations), 'organisation')} new to the atlas: {shown}"
            + (f" and {more} more" if more > 0 else "")
            + " (see `custodiet resolve suggest`)"
        )


@one_line_errors
def datasets(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """The importers and the datasets in the database, with their licences and counts."""
    from custodiet.ingest.importers import importers

    with open_store() as store, store.view() as view:
        counts = view.stats()["datasets"]
        stored = {d.name: d for d in view.datasets()}
    rows = [
        {"importer": i.name, "dataset": i.name, "holds": i.summary} for i in importers().values()
    ]
    listed = [
        {
            "dataset": d.name,
            "title": d.title,
            "version": d.version,
            "licence": d.licence,
            "statements": counts.get(d.name, 0),
            "citation": d.citation,
        }
        for d in stored.values()
    ]
    if as_json:
        json_lines(
            [{"kind": "importer", **r} for r in rows] + [{"kind": "dataset", **r} for r in listed]
        )
        return
    table(rows, ["importer", "holds"], empty="no importers")
    table(listed, ["dataset", "title", "version", "licence", "statements"], empty="no datasets")
