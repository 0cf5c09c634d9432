"""Write statements to a file atomically: a failed export leaves no half-written file."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from custodiet.export import FORMATS
from custodiet.export.files import atomic_output
from custodiet.model.statement import Statement

__all__ = ["COLUMNS", "FORMATS", "atomic_output", "record", "write"]

COLUMNS = [
    "id",
    "entity_id",
    "canonical_id",
    "schema",
    "prop",
    "value",
    "source_id",
    "source_url",
    "quote",
    "start",
    "end",
    "status",
    "method",
    "confidence",
    "author",
    "reviewer",
    "created_at",
    "reviewed_at",
    "dataset",
    "original_value",
    "origin",
    "first_seen",
    "last_seen",
]


def record(statement: Statement, source_url: str | None, canonical: str) -> dict[str, Any]:
    data = statement.model_dump(by_alias=True, mode="json")
    data["source_url"] = source_url
    data["canonical_id"] = canonical
    return {c: data.get(c) for c in COLUMNS}


def write(rows: Iterable[tuple[Statement, str | None, str]], fmt: str, stream: IO[str]) -> int:
    """Write statements, each with its source's URL and the id that answers for it."""
    records = (record(s, url, canonical) for s, url, canonical in rows)
    count = 0
    if fmt == "statements-csv":
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        for row in records:
            writer.writerow(row)
            count += 1
    else:
        for row in records:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
