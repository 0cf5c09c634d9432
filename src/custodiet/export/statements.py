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
]


def record(statement: Statement, source_url: str | None) -> dict[str, Any]:
    data = statement.model_dump(by_alias=True, mode="json")
    data["source_url"] = source_url
    return {c: data.get(c) for c in COLUMNS}


def write(rows: Iterable[tuple[Statement, str | None]], fmt: str, stream: IO[str]) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        for statement, url in rows:
            writer.writerow(record(statement, url))
            count += 1
    else:
        for statement, url in rows:
            stream.write(json.dumps(record(statement, url), ensure_ascii=False) + "\n")
            count += 1
    return count
