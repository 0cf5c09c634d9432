"""Corrections from readers: a statement, what is wrong with it, and perhaps a source.

The web atlas's "report a correction" form fills this table; editors resolve each
one. Accepting a correction works like an edit: the corrected values become accepted
statements on the same entity, and the statement it corrects is superseded.
"""

from __future__ import annotations

from typing import Any

from custodiet.model.errors import DataError
from custodiet.model.source import Source, url_id
from custodiet.model.statement import Statement, Status, now
from custodiet.model.types import url as check_url
from custodiet.review.judge import parse_sets
from custodiet.store.view import View
from custodiet.store.writer import Writer

STATUSES = ("open", "accepted", "rejected")


def add(tx: Writer, statement_id: str, message: str, source_url: str | None) -> int:
    if not message.strip():
        raise DataError("a correction needs a message")
    if source_url is not None:
        try:
            source_url = check_url(source_url)
        except ValueError as exc:
            raise DataError(f"--source: {exc}") from None
    _statement(tx, statement_id)
    number = tx.add_correction(statement_id, message.strip(), source_url)
    tx.audit("correction.add", statement_id, {"correction": number})
    return number


def _statement(view: View, statement_id: str) -> Statement:
    found = view.statement(statement_id)
    if found is None:
        raise DataError(f"no statement {statement_id}")
    return found


def listing(view: View, status: str | None = "open") -> list[dict[str, Any]]:
    if status is not None and status not in STATUSES:
        raise DataError(f"--status must be one of {', '.join(STATUSES)}")
    return view.corrections(status)


def resolve(
    tx: Writer, actor: str, correction_id: int, *, accept: bool, sets: list[str], reason: str | None
) -> None:
    row = tx.correction(correction_id)
    if row is None:
        raise DataError(f"no correction {correction_id}")
    if row["status"] != "open":
        raise DataError(
            f"correction {correction_id} was already {row['status']} by {row['resolved_by']}"
        )
    if accept:
        _apply(tx, actor, _statement(tx, row["statement_id"]), sets, row["source_url"])
    elif not (reason or "").strip():
        raise DataError("rejecting a correction needs a --reason")
    tx.close_correction(correction_id, "accepted" if accept else "rejected", reason)
    tx.audit(
        "correction.accept" if accept else "correction.reject",
        row["statement_id"],
        {"correction": correction_id, "set": sets},
    )


def _apply(tx: Writer, actor: str, wrong: Statement, sets: list[str], url: str | None) -> None:
    values = parse_sets(wrong.schema_name, sets)
    if not values:
        raise DataError("accepting a correction needs at least one --set prop=value")
    source_id = wrong.source_id
    if url:
        source_id = url_id(url)
        tx.add_source(Source(id=source_id, url=url))
    fresh = [
        Statement.make(
            entity_id=wrong.entity_id,
            schema=wrong.schema_name,
            prop=prop,
            value=value,
            source_id=source_id,
            quote=None if url else wrong.quote,
            start=None if url else wrong.start,
            end=None if url else wrong.end,
            method="manual",
            status=Status.ACCEPTED,
            author=actor,
            reviewer=actor,
            reviewed_at=now(),
        )
        for prop, value in values.items()
    ]
    tx.insert_new(fresh)
    replacement = next((s.id for s in fresh if s.prop == wrong.prop), None)
    if replacement and wrong.status == Status.ACCEPTED and replacement != wrong.id:
        tx.set_status(wrong.id, Status.ACCEPTED.value, Status.SUPERSEDED.value, actor, replacement)
