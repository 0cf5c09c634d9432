"""export and verify."""

from __future__ import annotations

from pathlib import Path

import typer

from custodiet.cli.context import err, fail, one_line_errors, open_store, out
from custodiet.export import FOLDER_FORMATS, FORMATS


@one_line_errors
def export(
    fmt: str = typer.Option(
        ...,
        "--format",
        help="statements-jsonl, statements-csv, ftm, geojson; folders: csv, parquet, datasette.",
    ),
    output: Path | None = typer.Option(
        None, "--out", help="File to write (default: stdout); a new folder for parquet."
    ),
    all_statuses: bool = typer.Option(
        False, "--all", help="Include non-accepted statements (statement formats)."
    ),
) -> None:
    """Export the atlas, written atomically: statements, FollowTheMoney entities or
    Parquet tables."""
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}", code=2)
    if fmt in FOLDER_FORMATS and output is None:
        raise fail(f"--format {fmt} writes a folder: give --out DIR", code=2)
    from custodiet.export import statements as exporter
    from custodiet.model.statement import Status

    statuses = list(Status) if all_statuses else [Status.ACCEPTED]
    with open_store() as store, store.view() as view:
        if fmt in FOLDER_FORMATS:
            from custodiet.export import csvtables, datasette, parquet
            from custodiet.export.files import atomic_folder

            assert output is not None
            try:
                with atomic_folder(output) as folder:
                    if fmt == "parquet":
                        counts = parquet.export(view, folder, statuses)
                    else:
                        counts = (csvtables if fmt == "csv" else datasette).export(view, folder)
            except FileExistsError as exc:
                raise fail(str(exc)) from None
            made = ", ".join(f"{n} {k}" for k, n in counts.items())
            out.print(f"wrote {output}: {made}", soft_wrap=True)
            return
        with exporter.atomic_output(output) as stream:
            if fmt in ("ftm", "geojson"):
                from custodiet.export import ftm, geojson

                made = (ftm if fmt == "ftm" else geojson).export(view, stream)
                summary = ", ".join(f"{n} {kind}" for kind, n in made.items())
            else:
                count = exporter.write(view.iter_statements(statuses), fmt, stream)
                summary = f"{count} statements"
    if output is not None:
        out.print(f"wrote {summary} to {output}", soft_wrap=True)


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
