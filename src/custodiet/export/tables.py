"""The record kinds as flat tables, which the Parquet, Datasette and CSV exports share:
a table's name per kind, and each record's typed fields as one row."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from custodiet.model.records import typed
from custodiet.store.view import View

TABLES = {
    "Deployment": "deployments",
    "Organization": "organizations",
    "Country": "countries",
    "Project": "projects",
    "Place": "places",
    "Restriction": "restrictions",
    "Figure": "figures",
}  # one per typed record (a test checks that none is missing)
T = TypeVar("T")


def rows(view: View, schema: str) -> Iterator[dict[str, Any]]:
    """Every record of a kind as its typed fields, streamed."""
    for r in view.records_of(schema):
        t = typed(r)
        yield {f.name: getattr(t, f.name) for f in dataclasses.fields(t)}  # type: ignore[arg-type]


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    found = iter(items)
    while batch := list(islice(found, size)):
        yield batch
