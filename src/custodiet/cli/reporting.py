"""report: a due-diligence report on a vendor, a country or a project, as HTML or PDF."""

from __future__ import annotations

from pathlib import Path

import typer

from custodiet.cli.context import err, fail, one_line_errors, open_store, out

FORMATS = ("html", "pdf")
KINDS = ("vendor", "country", "project")


@one_line_errors
def report(
    kind: str = typer.Argument(..., help="vendor, country or project."),
    subject: str = typer.Argument(
        ..., metavar="ID", help="A vendor or project id (org:huawei, or huawei); a country code."
    ),
    fmt: str = typer.Option("pdf", "--format", help="html (one self-contained file) or pdf."),
    output: Path | None = typer.Option(
        None, "--out", help="File to write (default: custodiet-KIND-ID.FORMAT here)."
    ),
) -> None:
    """Write a due-diligence report: summary, deployments by country and regime type,
    restrictions, financing, corroboration, charts and a numbered note for every claim."""
    if kind not in KINDS:
        raise fail(f"KIND must be one of {', '.join(KINDS)} (got {kind!r})", code=2)
    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})", code=2)
    from custodiet.analyze.dossier import dossier
    from custodiet.export.files import atomic_bytes
    from custodiet.render.report import render

    name = subject.split(":", 1)[-1].lower()
    target = output or Path(f"custodiet-{kind}-{name}.{fmt}")
    with open_store() as store, store.view() as view:
        found = dossier(view, kind, subject)  # type: ignore[arg-type]
        with err.status(f"rendering the {kind} report as {fmt.upper()} …"):
            data = render(view, found, fmt)  # type: ignore[arg-type]
    atomic_bytes(target, data)
    out.print(
        f"wrote {target}: {len(found.groups)} groups of deployments, {len(found.notes)} notes"
    )
