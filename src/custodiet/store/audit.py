"""The audit log: append-only, each record hashed together with the one before it.

Altering, inserting or deleting any past record breaks every later link, so
`custodiet verify` can name the first record that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    reason: str
    detail: str
    prev_hash: str
    hash: str

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> AuditRecord:
        return cls(**{k: row[k] for k in cls.__dataclass_fields__})


def record_hash(
    seq: int,
    at: str,
    actor: str,
    action: str,
    target: str,
    reason: str,
    detail: str,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [seq, at, actor, action, target, reason, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def chain_problems(records: Iterable[AuditRecord]) -> list[str]:
    """Every broken link, in order; an empty list means the chain is intact."""
    problems: list[str] = []
    expected_prev, expected_seq = GENESIS, 1
    for r in records:
        if r.seq != expected_seq:
            problems.append(f"audit record {r.seq}: expected sequence number {expected_seq}")
        if r.prev_hash != expected_prev:
            problems.append(f"audit record {r.seq}: does not link to the record before it")
        recomputed = record_hash(
            r.seq, r.at, r.actor, r.action, r.target, r.reason, r.detail, r.prev_hash
        )
        if recomputed != r.hash:
            problems.append(f"audit record {r.seq}: altered after it was written")
        expected_prev, expected_seq = r.hash, r.seq + 1
    return problems
