"""The atlas as a SQLite file shaped for Datasette, written with sqlite-utils (Datasette's
own library): one table per record kind with its typed fields (lists and mappings as
JSON arrays and objects, which Datasette shows and filters as such), the statements and
their sources, full-text search on the tables readers search, foreign keys from
deployments, restrictions and statements to what they name, and `metadata.json`: the
licence and sources of the whole and of each table, which `datasette -m` reads."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from custodiet.export.statements import COLUMNS, record
from custodiet.export.tables import TABLES, batches
from custodiet.export.tables import rows as table_rows
from custodiet.model.datasets import catalogue
from custodiet.model.records import TYPED
from custodiet.model.statement import Status
from custodiet.store.view import View

DATABASE = "atlas.db"
METADATA = "metadata.json"
SEARCHED = {
    "deployments": ["name", "vendor_name", "buyer_country_name", "buyer_city", "buyer_agency",
                    "description", "technology_labels"],
    "organizations": ["name", "alias", "description"],
    "projects": ["name", "alias", "description"],
    "statements": ["quote", "value"],
}  # fmt: skip
FOREIGN_KEYS = {
    "deployments": [("vendor", "organizations"), ("buyer", "organizations")],
    "restrictions": [("target", "organizations")],
    "statements": [("source_id", "sources")],
}
SOURCE_COLUMNS = ("id", "url", "title", "publisher", "author", "published", "licence")
BATCH = 2000
NUMBERS: dict[str, type] = {"start": int, "end": int, "confidence": float}


def _cell(value: Any) -> Any:
    """A list or a mapping as JSON text, which Datasette renders and filters as JSON."""
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return value


def _rows(view: View, schema: str) -> Iterator[dict[str, Any]]:
    for row in table_rows(view, schema):
        yield {k: _cell(v) for k, v in row.items()}


def export(view: View, folder: Path) -> dict[str, int]:
    """`atlas.db` and `metadata.json` into `folder`; the rows of each table."""
    import sqlite_utils

    db = sqlite_utils.Database(folder / DATABASE)
    # A new file in a folder renamed into place only when whole: no journal is needed.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    counts: dict[str, int] = {}
    for schema, table in TABLES.items():
        counts[table] = _insert(db, table, _rows(view, schema), columns=_columns(schema))
    statements = (
        record(s, url, canonical) for s, url, canonical in view.iter_statements([Status.ACCEPTED])
    )
    counts["statements"] = _insert(db, "statements", statements, columns=COLUMNS)
    cited = {row["source_id"] for row in db["statements"].rows_where(select="source_id")}
    sources = view.sources_by_id(sorted(cited))
    counts["sources"] = _insert(
        db,
        "sources",
        ({c: getattr(s, c) for c in SOURCE_COLUMNS} for s in sources.values()),
        columns=SOURCE_COLUMNS,
    )
    for table, keys in FOREIGN_KEYS.items():
        for column, other in keys:
            db[table].add_foreign_key(column, other, "id", ignore=True)  # type: ignore[union-attr]
    for table, columns in SEARCHED.items():
        db[table].enable_fts(columns, create_triggers=False, tokenize="unicode61")  # type: ignore[union-attr]
    db.index_foreign_keys()
    db.close()
    (folder / METADATA).write_bytes(
        orjson.dumps(metadata(view, counts), option=orjson.OPT_INDENT_2)
    )
    return counts


def _columns(schema: str) -> dict[str, type]:
    """A record table's columns: integers where the typed record has them (years,
    support), text otherwise (lists and mappings are JSON text)."""
    hints = typing.get_type_hints(TYPED[schema])
    return {
        f.name: int if hints[f.name] in (int, int | None, bool | None) else str
        for f in dataclasses.fields(TYPED[schema])  # type: ignore[arg-type]
    }


def _insert(
    db: Any, table: str, rows: Iterable[dict[str, Any]], columns: dict[str, type] | Iterable[str]
) -> int:
    """Rows into a table keyed by id, made with its columns first (so that an empty one
    has them too, and its foreign keys)."""
    kinds = columns if isinstance(columns, dict) else {c: NUMBERS.get(c, str) for c in columns}
    db[table].create(kinds, pk="id", if_not_exists=True)
    count = 0
    for batch in batches(rows, BATCH):
        db[table].insert_all(batch, pk="id", alter=False, batch_size=BATCH)
        count += len(batch)
    return count


def metadata(view: View, counts: dict[str, int]) -> dict[str, Any]:
    """Datasette's metadata: the licence and citation of the whole and, per table, the
    datasets its rows come from."""
    every = {d.name: d for d in view.datasets()}
    own = catalogue()["custodiet"]
    names = ", ".join(sorted(every))
    licences = "; ".join(sorted({d.licence for d in every.values()}))
    tables = {
        table: {
            "description": f"{n:,} rows. Facts from the datasets: {names}.",
            "license": licences,
            "source": own.citation,
        }
        for table, n in counts.items()
    }
    tables["sources"]["description"] = "The sources the statements cite (their text is not here)."
    return {
        "title": "Custodiet: an atlas of surveillance-technology exports",
        "description": "Every record kind as a table, every accepted statement with its source.",
        "license": licences,
        "source": own.citation,
        "source_url": own.url or "",
        "databases": {
            "atlas": {
                "tables": tables,
                "description": "; ".join(
                    f"{d.title}: {d.citation} ({d.licence})" for d in every.values()
                ),
            }
        },
    }
