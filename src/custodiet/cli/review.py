"""`custodiet review …`: the queue and the judgements on it."""

from __future__ import annotations

import typer

from custodiet.cli.context import acting, one_line_errors, open_store, out, writing
from custodiet.cli.output import json_lines, json_object, table

app = typer.Typer(
    help="Review candidates: list, show, accept, edit, reject, defer, undo.", no_args_is_help=True
)
JSON = typer.Option(False, "--json", help="JSON (one object per line for lists).")
CANDIDATE = typer.Argument(..., help="A candidate's entity id (see `review list`).")


@app.command("list")
@one_line_errors
def list_(
    min_confidence: float | None = typer.Option(None, "--min-confidence", min=0, max=1),
    vendor: str | None = typer.Option(None, "--vendor", help="A vendor id, e.g. org:huawei."),
    country: str | None = typer.Option(None, "--country", help="A buyer country code."),
    source: str | None = typer.Option(None, "--source", help="A source id (or its start)."),
    status: str = typer.Option("candidate", "--status", help="Statement status to list."),
    as_json: bool = JSON,
) -> None:
    """Candidates waiting for review, most confident first (deferred ones last)."""
    from custodiet.review.queue import queue

    with open_store() as store:
        acting(store, "reader")
        with store.view() as view:
            rows = queue(
                view,
                status=status,
                min_confidence=min_confidence,
                vendor=vendor,
                country=country,
                source=source,
            )
    if as_json:
        json_lines(rows)
    else:
        table(
            rows,
            ["id", "vendor", "buyer_country", "technology", "confidence", "deferred", "quote"],
            empty="the queue is empty",
        )


@app.command()
@one_line_errors
def show(candidate: str = CANDIDATE, as_json: bool = JSON) -> None:
    """A candidate: the quote in its text, the proposed values, similar accepted facts."""
    from custodiet.review.queue import item

    with open_store() as store:
        acting(store, "reader")
        with store.view() as view:
            data = item(view, candidate)
    if as_json:
        json_object(data)
        return
    out.rule(f"[bold]{candidate}[/bold]")
    ctx = data["context"]
    if ctx:
        out.print(
            f"…{ctx['before']}[reverse]{ctx['quote']}[/reverse]{ctx['after']}…",
            markup=True,
            highlight=False,
        )
    table(data["values"], ["prop", "value", "status", "confidence", "method"], empty="")
    out.print(f"source: {data['source']['title'] or ''} {data['source']['url'] or ''}")
    if data["similar"]:
        out.print("similar accepted facts: " + ", ".join(data["similar"]))


def _judge(action: str, candidate: str, *, label: str | None = None, **kwargs: object) -> None:
    from custodiet.review import judge

    label = label or action
    with writing("editor", f"review {label} {candidate}") as (who, tx):
        judgement = getattr(judge, action)(tx, who.name, candidate, **kwargs)
    out.print(f"{candidate}: {label} (judgement {judgement})")


@app.command()
@one_line_errors
def accept(
    candidate: str = CANDIDATE,
    onto: str | None = typer.Option(None, "--as", help="Accept onto this existing entity."),
    reason: str | None = typer.Option(None, "--reason"),
) -> None:
    """Accept a candidate's values, onto a new entity (itself) or an existing one."""
    _judge("accept", candidate, target=onto, reason=reason)


@app.command()
@one_line_errors
def edit(
    candidate: str = CANDIDATE,
    sets: list[str] = typer.Option(..., "--set", help="prop=value; repeat for more."),
    onto: str | None = typer.Option(None, "--as", help="Accept onto this existing entity."),
    reason: str | None = typer.Option(None, "--reason"),
) -> None:
    """Accept with corrections: corrected values rest on the same quote; the machine's
    values are kept as superseded."""
    from custodiet.review.judge import parse_sets
    from custodiet.review.queue import item

    with open_store() as store, store.view() as view:
        schema_name = _schema_of(item(view, candidate))
    _judge(
        "accept",
        candidate,
        label="edit",
        target=onto,
        sets=parse_sets(schema_name, sets),
        reason=reason,
    )


def _schema_of(data: dict[str, object]) -> str:
    from custodiet.model.schemata import schema_for_id

    return schema_for_id(str(data["id"])).name


@app.command()
@one_line_errors
def reject(
    candidate: str = CANDIDATE, reason: str = typer.Option(..., "--reason", help="Why it is wrong.")
) -> None:
    """Reject a candidate, saying why."""
    _judge("reject", candidate, reason=reason)


@app.command()
@one_line_errors
def defer(candidate: str = CANDIDATE, reason: str | None = typer.Option(None, "--reason")) -> None:
    """Put a candidate aside for later (it stays in the queue, last)."""
    _judge("defer", candidate, reason=reason)


@app.command()
@one_line_errors
def undo(
    judgement: int = typer.Argument(..., help="A judgement number."),
    reason: str | None = typer.Option(None, "--reason"),
) -> None:
    """Undo a candidate's latest judgement (itself recorded as a judgement)."""
    from custodiet.review import judge

    with writing("editor", f"review undo {judgement}") as (who, tx):
        number = judge.undo(tx, who.name, judgement, reason)
    out.print(f"judgement {judgement} undone (judgement {number})")
