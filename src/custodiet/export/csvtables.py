"""The record kinds as CSV, one file per kind (`deployments.csv`…) with the typed
record's fields as columns: lists joined with "; ", mappings as JSON."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import orjson

from custodiet.export.tables import TABLES, rows
from custodiet.model.records import TYPED
from custodiet.store.view import View


def export(view: View, folder: Path) -> dict[str, int]:
    """A CSV per record kind into `folder`; the rows of each file."""
    counts = {}
    for schema, table in TABLES.items():
        columns = [f.name for f in dataclasses.fields(TYPED[schema])]  # type: ignore[arg-type]
        name = f"{table}.csv"
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            n = 0
            for row in rows(view, schema):
                writer.writerow({k: _cell(v) for k, v in row.items()})
                n += 1
        counts[name] = n
    return counts


def _cell(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    return value
