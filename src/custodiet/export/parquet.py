"""The atlas as Parquet (pyarrow): `statements.parquet`, every statement with its source's
URL and the id that answers for it, and one flat table per record kind
(`deployments.parquet`, `organizations.parquet`…) whose columns are the typed record's
fields: lists stay lists, years and counts are integers. DuckDB, pandas and Polars read
them as they are. Written a batch at a time, so memory stays flat whatever the size."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from custodiet.export.statements import COLUMNS, record
from custodiet.export.tables import TABLES, batches
from custodiet.export.tables import rows as table_rows
from custodiet.model.records import TYPED
from custodiet.model.statement import Status
from custodiet.store.view import View

BATCH = 5000
FILES = {schema: f"{table}.parquet" for schema, table in TABLES.items()}
INTEGER_COLUMNS = {"start", "end"}
FLOAT_COLUMNS = {"confidence"}


def _arrow_type(annotation: Any) -> Any:
    """The Arrow type of a typed record's field, from its annotation."""
    import pyarrow as pa

    base = annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        base = next(a for a in typing.get_args(annotation) if a is not type(None))
    origin = typing.get_origin(base)
    if origin is list:
        (inner,) = typing.get_args(base)
        return pa.list_(pa.int64() if inner is int else pa.string())
    if origin is dict:
        return pa.map_(pa.string(), pa.string())
    return {int: pa.int64(), bool: pa.bool_(), float: pa.float64()}.get(base, pa.string())


def record_schema(schema: str) -> Any:
    import pyarrow as pa

    cls = TYPED[schema]
    hints = typing.get_type_hints(cls)
    return pa.schema([(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(cls)])  # type: ignore[arg-type]


def statement_schema() -> Any:
    import pyarrow as pa

    def kind(column: str) -> Any:
        if column in INTEGER_COLUMNS:
            return pa.int64()
        return pa.float64() if column in FLOAT_COLUMNS else pa.string()

    return pa.schema([(c, kind(c)) for c in COLUMNS])


def write_table(path: Path, schema: Any, rows: Iterable[dict[str, Any]]) -> int:
    """Rows into one Parquet file, a batch at a time; how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in batches(rows, BATCH):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def export(
    view: View, folder: Path, statuses: Iterable[Status] = (Status.ACCEPTED,)
) -> dict[str, int]:
    """Every table into `folder`; the number of rows of each file."""
    counts = {}
    rows = (record(s, url, canonical) for s, url, canonical in view.iter_statements(list(statuses)))
    counts["statements.parquet"] = write_table(
        folder / "statements.parquet", statement_schema(), rows
    )
    for schema, name in FILES.items():
        counts[name] = write_table(folder / name, record_schema(schema), table_rows(view, schema))
    return counts
