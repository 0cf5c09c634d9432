"""Write statements to a file atomically: a failed export leaves no half-written file."""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from custodiet.model.statement import Statement

FORMATS = ("statements-jsonl", "csv")
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


@contextmanager
def atomic_output(out: Path | None) -> Iterator[IO[str]]:
    """stdout when out is None; a device or pipe (/dev/null) is written in place; a file is
    written to a temporary neighbour and renamed into place only on success."""
    if out is None:
        yield sys.stdout
        return
    if out.exists() and not out.is_file():
        with out.open("w", encoding="utf-8", newline="") as f:
            yield f
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        Path(tmp).replace(out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
