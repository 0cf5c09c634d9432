"""stats, show and search: read-only commands, each with a --json form for scripts."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from custodiet.cli.context import fail, one_line_errors, open_store, out
from custodiet.cli.output import json_object
from custodiet.model.types import ENTITY_ID


@one_line_errors
def stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts of sources, statements by status, entities by schema, buyer countries."""
    with open_store() as store, store.view() as view:
        data = view.stats()
    if as_json:
        json_object(data)
        return
    table = Table(title="Custodiet", show_header=False)
    table.add_row("sources", str(data["sources"]))
    for status, n in data["statements"].items():
        table.add_row(f"statements {status}", str(n))
    for schema_name, n in data["entities"].items():
        table.add_row(f"{schema_name} entities", str(n))
    for dataset, n in data["datasets"].items():
        table.add_row(f"statements from {dataset}", str(n))
    table.add_row("countries with deployments", str(data["countries_with_deployments"]))
    out.print(table)


@one_line_errors
def show(
    entity_id: str = typer.Argument(..., help="An entity id such as country:EC or org:huawei."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """An entity's current view: each accepted value with its quotes and sources."""
    if not ENTITY_ID.match(entity_id):
        raise fail(f"{entity_id!r} is not an entity id (e.g. country:EC, org:huawei)")
    from custodiet.analyze.entity import entity_view

    with open_store() as store, store.view() as snapshot:
        view = entity_view(snapshot, entity_id)
    if view is None:
        raise fail(f"nothing is known about {entity_id}")
    if as_json:
        json_object(view)
    else:
        render_view(view)


def render_view(view: dict[str, Any]) -> None:
    out.rule(f"[bold]{view['caption']}[/bold]  [dim]{view['schema']} {view['id']}[/dim]")
    if view["requested"] != view["id"]:
        out.print(f"[dim]{view['requested']} was merged into {view['id']}[/dim]")
    for prop, values in view["properties"].items():
        for item in values:
            label = f" ({item['label']})" if item.get("label") else ""
            out.print(f"[bold cyan]{prop}[/bold cyan]: {item['value']}{label}")
            for ev in item["evidence"]:
                if ev["quote"]:
                    out.print(f"    [italic]“{ev['quote']}”[/italic]")
                cite = ", ".join(p for p in (ev["publisher"], ev["published"]) if p)
                out.print(f"    [dim]— {cite or 'source'} {ev['source_url'] or ''}[/dim]")
    if view["referenced_by"]:
        out.print()
        table = Table(title="Referenced by", title_justify="left")
        table.add_column("schema")
        table.add_column("id", overflow="fold")
        table.add_column("caption")
        table.add_column("via")
        for ref in view["referenced_by"]:
            table.add_row(ref["schema"], ref["id"], ref["caption"], ref["via"])
        out.print(table)


@one_line_errors
def search(
    text: str = typer.Argument(..., help="Words to find in quotes, values and sources."),
    limit: int = typer.Option(20, min=1, max=1000, help="Hits per kind."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Full-text search over accepted statements and sources."""
    from custodiet.store.search import SearchTooCostlyError

    try:
        with open_store() as store, store.view() as view:
            hits = view.search(text, limit=limit)
    except SearchTooCostlyError:
        raise fail("the search took too long: try fewer or rarer words") from None
    if as_json:
        for hit in hits:
            print(json.dumps(hit.__dict__, ensure_ascii=False))
        return
    if not hits:
        out.print("no matches")
        return
    table = Table()
    for col in ("kind", "entity / source", "property", "text"):
        table.add_column(col)
    for hit in hits:
        table.add_row(hit.kind, hit.entity_id or hit.ref[:12] + "…", hit.prop or "", hit.text)
    out.print(table)


@one_line_errors
def log(
    entity_id: str = typer.Argument(..., help="An entity id; merged ids included."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """An entity's history: every audited write about it, oldest first."""
    from custodiet.analyze.history import history
    from custodiet.cli.output import json_lines, table

    with open_store() as store, store.view() as view:
        rows = history(view, entity_id)
    if not rows:
        raise fail(f"no history for {entity_id}")
    if as_json:
        json_lines(rows)
    else:
        table(rows, ["seq", "at", "actor", "action", "target", "reason"], empty="")
