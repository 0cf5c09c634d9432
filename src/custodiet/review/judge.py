"""Judgements: accept, edit, reject, defer, undo. The only code that changes a status.

Each judgement is a record (who, when, outcome, reason, and every status it changed),
so undoing one is another record that changes them back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from custodiet.model.errors import DataError
from custodiet.model.schemata import schema
from custodiet.model.statement import DEFAULT_DATASET, Statement, Status, now
from custodiet.store.writer import Writer


class AlreadyReviewedError(DataError):
    """Someone judged the candidate first."""


def pending(tx: Writer, candidate: str) -> list[Statement]:
    """The candidate statements still waiting, or a clear error saying why there are none."""
    statements = tx.statements_of(candidate, list(Status))
    if not statements:
        raise DataError(f"no candidate {candidate}")
    waiting = [s for s in statements if s.status == Status.CANDIDATE]
    if waiting:
        return waiting
    last = tx.last_judgement(candidate)
    who = f" by {last['actor']} at {last['at'][:19]}" if last else ""
    raise AlreadyReviewedError(f"{candidate} was already reviewed{who}")


def _set(
    tx: Writer,
    changes: dict[str, list[str]],
    ids: list[str],
    old: str,
    new: str,
    actor: str,
    superseded_by: dict[str, str] | None = None,
) -> None:
    """Move statements from one status to another, all of them or none."""
    for sid in ids:
        by = (superseded_by or {}).get(sid)
        if not tx.set_status(sid, old, new, actor, superseded_by=by):
            raise AlreadyReviewedError(f"statement {sid} is no longer {old}")
        changes[sid] = [old, new]


def _record(
    tx: Writer,
    actor: str,
    candidate: str,
    outcome: str,
    changes: dict[str, list[str]],
    *,
    created: Sequence[str] = (),
    target: str | None = None,
    reason: str | None = None,
    undoes: int | None = None,
) -> int:
    body = json.dumps({"status": changes, "created": list(created)}, sort_keys=True)
    number = tx.add_judgement(
        candidate=candidate,
        outcome=outcome,
        target=target,
        reason=reason,
        undoes=undoes,
        changes=body,
    )
    tx.audit(
        f"review.{outcome}",
        candidate,
        {"judgement": number, "target": target, "statements": sorted(changes)},
    )
    return number


def _copy(
    s: Statement,
    *,
    entity_id: str,
    actor: str,
    prop: str | None = None,
    value: str | None = None,
    method: str | None = None,
) -> Statement:
    """The same evidence (source, quote, offsets) for another entity or another value; an
    editor's own value belongs to the editors' dataset."""
    return Statement.make(
        entity_id=entity_id,
        schema=s.schema_name,
        prop=prop or s.prop,
        value=s.value if value is None else value,
        source_id=s.source_id,
        quote=s.quote,
        start=s.start,
        end=s.end,
        method=method or s.method,
        confidence=s.confidence if method is None else 1.0,
        status=Status.ACCEPTED,
        author=s.author if method is None else actor,
        reviewer=actor,
        reviewed_at=now(),
        dataset=s.dataset if method is None else DEFAULT_DATASET,
        original_value=s.original_value if value is None else None,
    )


def _target(tx: Writer, candidate: str, target: str | None, schema_name: str) -> str:
    if target is None or target == candidate:
        return candidate
    found = tx.entity_schema(target)
    if found is None:
        raise DataError(f"no entity {target} to accept onto")
    if found != schema_name:
        raise DataError(f"{target} is a {found}, not a {schema_name}")
    return target


def parse_sets(schema_name: str, sets: list[str]) -> dict[str, str]:
    """`prop=value` pairs, each value checked by its property's type."""
    sch = schema(schema_name)
    out: dict[str, str] = {}
    for item in sets:
        prop, eq, raw = item.partition("=")
        if not eq:
            raise DataError(f"--set {item!r}: expected prop=value")
        try:
            out[prop.strip()] = sch.get(prop.strip()).normalise(raw)
        except ValueError as exc:
            raise DataError(f"--set {prop.strip()}: {exc}") from None
    return out


def accept(
    tx: Writer,
    actor: str,
    candidate: str,
    *,
    target: str | None = None,
    sets: dict[str, str] | None = None,
    reason: str | None = None,
) -> int:
    """Accept a candidate, onto itself or an existing entity, with optional corrections.

    Corrected values become accepted statements resting on the same quote; the
    machine's values for those properties are kept, superseded."""
    waiting = pending(tx, candidate)
    onto = _target(tx, candidate, target, waiting[0].schema_name)
    sets = sets or {}
    changes: dict[str, list[str]] = {}
    fresh: list[Statement] = []
    superseded: dict[str, str] = {}
    for s in waiting:
        if s.prop in sets and sets[s.prop] != s.value:
            new = _copy(s, entity_id=onto, actor=actor, value=sets[s.prop], method="manual")
        elif onto != candidate:
            new = _copy(s, entity_id=onto, actor=actor)
        else:
            continue
        fresh.append(new)
        superseded[s.id] = new.id
    evidence = waiting[0]
    for prop in set(sets) - {s.prop for s in waiting}:
        fresh.append(
            _copy(
                evidence, entity_id=onto, actor=actor, prop=prop, value=sets[prop], method="manual"
            )
        )
    fresh = tx.insert_new(fresh)
    _set(tx, changes, list(superseded), "candidate", "superseded", actor, superseded)
    _set(
        tx,
        changes,
        [s.id for s in waiting if s.id not in superseded]
        + [s.id for s in _proposed_vendor(tx, waiting, sets)],
        "candidate",
        "accepted",
        actor,
    )
    outcome = "edited" if sets else "accepted"
    return _record(
        tx,
        actor,
        candidate,
        outcome,
        changes,
        created=[s.id for s in fresh],
        target=onto,
        reason=reason,
    )


def _proposed_vendor(
    tx: Writer, waiting: Sequence[Statement], sets: dict[str, str]
) -> list[Statement]:
    """The organisation a deployment's source proposed as its vendor, still waiting: it is
    accepted with the deployment, so that no accepted fact names a vendor the atlas lacks.
    An editor who sets another vendor leaves it in the queue."""
    proposed = {s.value for s in waiting if s.prop == "vendor" and s.schema_name == "Deployment"}
    vendor = sets.get("vendor") or next(iter(proposed), None)
    if vendor is None or vendor not in proposed:
        return []
    sources = {s.source_id for s in waiting}
    return [s for s in tx.statements_of(vendor, [Status.CANDIDATE]) if s.source_id in sources]


def reject(tx: Writer, actor: str, candidate: str, reason: str) -> int:
    if not reason.strip():
        raise DataError("a rejection needs a --reason")
    waiting = pending(tx, candidate)
    changes: dict[str, list[str]] = {}
    _set(tx, changes, [s.id for s in waiting], "candidate", "rejected", actor)
    return _record(tx, actor, candidate, "rejected", changes, reason=reason)


def defer(tx: Writer, actor: str, candidate: str, reason: str | None = None) -> int:
    pending(tx, candidate)
    return _record(tx, actor, candidate, "deferred", {}, reason=reason)


def undo(tx: Writer, actor: str, judgement_id: int, reason: str | None = None) -> int:
    """Reverse a judgement: the statuses it changed go back; what it created is superseded."""
    row = tx.judgement(judgement_id)
    if row is None:
        raise DataError(f"no judgement {judgement_id}")
    last = tx.last_judgement(row["candidate"])
    if last is None or last["id"] != judgement_id or row["outcome"] == "undone":
        raise DataError(
            f"judgement {judgement_id} is not the latest of {row['candidate']}; "
            "undo the later ones first"
        )
    body = json.loads(row["changes"])
    changes: dict[str, list[str]] = {}
    for sid, (old, new) in body["status"].items():
        _set(tx, changes, [sid], new, old, actor)
    _set(tx, changes, body["created"], "accepted", "superseded", actor)
    return _record(
        tx, actor, row["candidate"], "undone", changes, reason=reason, undoes=judgement_id
    )
