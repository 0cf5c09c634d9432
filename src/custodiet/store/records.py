"""Records kept current as writes happen (the atlas's queries over them: atlas.py).

A page must not fold statements at read time: on 100,000 deployments that took
seconds. Instead every transaction refolds the records of the entities it touched
(and of those whose names or merges they changed) before it commits, and pages read
one row per entity. `record_values` holds every (property, value) of every record,
references resolved, so counts and filters are index lookups in SQL.

Records are derived data: `rebuild` makes them all again from the statements, and
`custodiet init` does so when the schemas or the fold have changed since they were made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, literal, select

from custodiet.model import records as rec
from custodiet.model.records import Record
from custodiet.model.schemata import schemata
from custodiet.model.statement import Status
from custodiet.store import tables
from custodiet.store.base import WriteBase, insert_many
from custodiet.store.facts import chunks

FOLD_VERSION = "2"  # raise when the fold changes what a record holds
ENTITY_PROPS = sorted(
    {p.name for s in schemata().values() for p in s.properties.values() if p.type == "entity"}
)
SCHEMAS = sorted(schemata())
UNINDEXED = {  # long free text: kept in the record, not in record_values
    (s.name, p.name) for s in schemata().values() for p in s.properties.values() if p.type == "text"
}
VERSION_KEY = "records_version"
WINDOW = 5000  # records folded and stored at a time


def version() -> str:
    """Changes whenever a schema's properties or the fold do: the records are then stale."""
    digest = hashlib.sha256(FOLD_VERSION.encode())
    for s in schemata().values():
        digest.update(f"{s.name}:{s.caption}".encode())
        for p in s.properties.values():
            digest.update(f"{p.name}:{p.type}:{p.multi}:{p.range}".encode())
    return digest.hexdigest()[:16]


# --- folding -----------------------------------------------------------------------
def unindexed(column: Any) -> Any:
    """The column as an expression no index answers (`status || ''`). Without statistics
    (a fresh import has none) SQLite would drive a fold by the index on status or prop,
    reading every accepted statement once per chunk of ids; this leaves it the ids."""
    return column.concat("")


def _statement_rows(where: Any) -> Select[Any]:
    """Accepted statements with the id that answers for their entity and, for references,
    for the entity they name; in the order they were made."""
    st, e = tables.statements, tables.entities
    ev = e.alias("referred")
    return (
        select(
            e.c.canonical_id,
            st.c.schema,
            st.c.prop,
            func.coalesce(ev.c.canonical_id, st.c.value),
            st.c.source_id,
            st.c.dataset,
            st.c.reviewed_at,
        )
        .select_from(
            st.join(e, e.c.id == st.c.entity_id).join(
                ev, and_(st.c.prop.in_(ENTITY_PROPS), ev.c.id == st.c.value), isouter=True
            )
        )
        .where(unindexed(st.c.status) == Status.ACCEPTED.value, where)
        .order_by(e.c.canonical_id, st.c.created_at, st.c.id)
    )


def _fold_rows(rows: Iterable[Any], members: dict[str, list[str]]) -> Iterator[Record]:
    for canonical, group in groupby(rows, key=lambda r: r[0]):
        items = list(group)
        yield rec.fold(
            canonical,
            items[0][1],
            ((r[2], r[3], r[4], r[5], r[6]) for r in items),
            members.get(canonical, [canonical]),
        )


def _members(conn: Any, canonical_ids: Sequence[str] | None) -> dict[str, list[str]]:
    """Canonical id -> itself, then the ids merged into it (only clusters with merges)."""
    e = tables.entities
    query = select(e.c.canonical_id, e.c.id).where(e.c.canonical_id != e.c.id)
    if canonical_ids is not None:
        query = query.where(e.c.canonical_id.in_(canonical_ids))
    found: dict[str, list[str]] = {}
    for canonical, member in conn.execute(query.order_by(e.c.canonical_id, e.c.id)):
        found.setdefault(canonical, [canonical]).append(member)
    return found


def _value_rows(r: Record) -> list[dict[str, str]]:
    pairs = {
        (prop, value)
        for prop, values in r.values.items()
        if (r.schema, prop) not in UNINDEXED
        for value in values
    }
    pairs.update(("_source", s) for s in r.sources)
    pairs.update(("_dataset", d) for d in r.datasets)
    if r.schema == "Deployment" and rec.DeploymentRecord.of(r).state_loan:
        pairs.add(("_loan", "true"))
    return [{"record_id": r.id, "schema": r.schema, "prop": p, "value": v} for p, v in pairs]


def _store(conn: Any, records: list[Record]) -> None:
    if not records:
        return
    insert_many(
        conn,
        tables.records,
        [
            {
                "id": r.id,
                "schema": r.schema,
                "name": r.name,
                "data": r.to_json(),
                "reviewed_at": r.reviewed_at,
            }
            for r in records
        ],
    )
    rows = [row for r in records for row in _value_rows(r)]
    for i in range(0, len(rows), 5000):
        insert_many(conn, tables.record_values, rows[i : i + 5000])


def _drop(conn: Any, ids: Sequence[str]) -> None:
    for chunk in chunks(list(ids)):
        conn.execute(
            delete(tables.record_values).where(tables.record_values.c.record_id.in_(chunk))
        )
        conn.execute(delete(tables.records).where(tables.records.c.id.in_(chunk)))


def _stored_names(conn: Any, ids: Iterable[str]) -> dict[str, str]:
    r = tables.records
    found: dict[str, str] = {}
    for chunk in chunks(sorted(set(ids))):
        found.update(conn.execute(select(r.c.id, r.c.name).where(r.c.id.in_(chunk))).all())
    return found


def _canonical_of(conn: Any, ids: Iterable[str]) -> set[str]:
    e = tables.entities
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids))):
        found.update(conn.execute(select(e.c.canonical_id).where(e.c.id.in_(chunk))).scalars())
    return found


def _referrers(conn: Any, ids: Iterable[str]) -> set[str]:
    """Records whose values name one of these ids."""
    rv = tables.record_values
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids))):
        found.update(
            conn.execute(
                select(rv.c.record_id).where(
                    # every schema named, so that the (schema, prop, value) index answers
                    rv.c.schema.in_(SCHEMAS),
                    rv.c.prop.in_(ENTITY_PROPS),
                    rv.c.value.in_(chunk),
                )
            ).scalars()
        )
    return found


def _first_names(conn: Any, ids: Iterable[str] | None) -> dict[str, str]:
    """The name a fold gives each of these canonical ids (all of them when None): its
    first accepted name."""
    st, e = tables.statements, tables.entities
    query = (
        select(e.c.canonical_id, st.c.value)
        .join(e, e.c.id == st.c.entity_id)
        .order_by(st.c.created_at, st.c.id)
    )
    if ids is None:  # every name: the index on prop answers
        queries = [query.where(st.c.prop == "name", st.c.status == Status.ACCEPTED.value)]
    else:
        queries = [
            query.where(e.c.canonical_id.in_(chunk), unindexed(st.c.prop) == "name").where(
                unindexed(st.c.status) == Status.ACCEPTED.value
            )
            for chunk in chunks(sorted(set(ids)))
        ]
    found: dict[str, str] = {}
    for chunked in queries:
        for canonical, value in conn.execute(chunked):
            found.setdefault(canonical, value)
    return found


def _fold_window(conn: Any, ids: list[str], todo: set[str]) -> list[Record]:
    """The records of these canonical ids, folded and named. What they refer to is named
    by its stored record, or, where it is being folded again now, by its first name."""
    members = _members(conn, ids)
    folded: list[Record] = []
    for chunk in chunks(ids):
        rows = conn.execute(_statement_rows(tables.entities.c.canonical_id.in_(chunk)))
        folded.extend(_fold_rows(rows, members))
    own = {r.id: n for r in folded if (n := rec.own_name(r)) is not None}
    wanted = {x for r in folded for x in rec.references(r)} - own.keys()
    labels = _stored_names(conn, wanted - todo) | _first_names(conn, wanted & todo) | own
    return [rec.named(r, labels) for r in folded]


def refresh(conn: Any, touched: set[str]) -> None:
    """Fold again the records of the touched entities' clusters, a window at a time (an
    import touches tens of thousands); then, while names change, those of the records
    that show them."""
    todo = _canonical_of(conn, touched)
    stale = set(touched) | todo  # ids merged away keep no record of their own
    done: set[str] = set()
    while todo:
        ordered = sorted(todo)
        old = _stored_names(conn, ordered)
        _drop(conn, sorted(stale))
        renamed: set[str] = set()
        kept: set[str] = set()
        for i in range(0, len(ordered), WINDOW):
            fresh = _fold_window(conn, ordered[i : i + WINDOW], todo)
            _store(conn, fresh)
            renamed |= {r.id for r in fresh if old.get(r.id) != r.name}
            kept |= {r.id for r in fresh}
        renamed |= old.keys() - kept  # records that are gone
        done |= todo
        todo = _referrers(conn, renamed) - done
        stale = set(todo)


def _fold_everything(conn: Any) -> Iterator[Record]:
    """Every record, folded from every accepted statement, in order of id."""
    names = _first_names(conn, None)
    members = _members(conn, None)
    rows = conn.execute(_statement_rows(literal(True)).execution_options(yield_per=5000))
    for folded in _fold_rows(rows, members):
        yield rec.named(folded, names)


def rebuild(conn: Any, *, progress: Any = None) -> int:
    """Every record again, from every accepted statement; returns how many."""
    conn.execute(delete(tables.record_values))
    conn.execute(delete(tables.records))
    batch: list[Record] = []
    count = 0
    for record in _fold_everything(conn):
        batch.append(record)
        if len(batch) == 2000:
            _store(conn, batch)
            count += len(batch)
            batch = []
            if progress is not None:
                progress(count)
    _store(conn, batch)
    count += len(batch)
    _set_version(conn)
    return count


def differences(conn: Any) -> list[str]:
    """Ids whose stored record is not what folding their statements gives now."""
    r = tables.records
    stored = {
        row.id: _digest(row.name, row.data)
        for row in conn.execute(
            select(r.c.id, r.c.name, r.c.data).execution_options(yield_per=5000)
        )
    }
    wrong = []
    for record in _fold_everything(conn):
        if stored.pop(record.id, None) != _digest(record.name, record.to_json()):
            wrong.append(record.id)
    return sorted([*wrong, *stored])


def _digest(name: str, data: str) -> bytes:
    return hashlib.sha256(f"{name}\x1f{data}".encode()).digest()


def _set_version(conn: Any) -> None:
    m = tables.meta
    conn.execute(delete(m).where(m.c.key == VERSION_KEY))
    conn.execute(insert(m).values(key=VERSION_KEY, value=version()))


def stored_version(conn: Any) -> str | None:
    m = tables.meta
    found = conn.execute(select(m.c.value).where(m.c.key == VERSION_KEY)).scalar_one_or_none()
    return None if found is None else str(found)


class RecordWrites(WriteBase):
    def refresh_records(self) -> None:
        """Fold again what this transaction touched (the Writer calls it before commit)."""
        if self.dirty:
            refresh(self.conn, self.dirty)
            self.dirty = set()
