"""export and verify."""

from __future__ import annotations

from pathlib import Path

import typer

from custodiet.cli.context import err, fail, one_line_errors, open_store, out
from custodiet.export import FORMATS


@one_line_errors
def export(
    fmt: str = typer.Option(..., "--format", help="statements-jsonl or csv."),
    output: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)."),
    all_statuses: bool = typer.Option(False, "--all", help="Include non-accepted statements."),
) -> None:
    """Export statements with their sources, written atomically."""
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}", code=2)
    from custodiet.export import statements as exporter
    from custodiet.model.statement import Status

    statuses = list(Status) if all_statuses else [Status.ACCEPTED]
    with open_store() as store, store.view() as view, exporter.atomic_output(output) as stream:
        count = exporter.write(view.iter_statements(statuses), fmt, stream)
    if output is not None:
        out.print(f"wrote {count} statements to {output}")


@one_line_errors
def verify() -> None:
    """Check sources exist, quotes stand at their offsets, and the audit chain is intact."""
    from custodiet.store.integrity import problems

    with open_store() as store, store.view() as view:
        found = problems(view)
    for problem in found:
        err.print(f"[red]problem:[/red] {problem}", soft_wrap=True)
    if found:
        raise typer.Exit(1)
    out.print("verified: sources present, quotes in place, audit chain intact")
