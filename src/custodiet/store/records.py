"""Records kept current as writes happen, and the atlas's queries over them.

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

from sqlalchemy import Select, and_, delete, exists, func, insert, literal, or_, select

from custodiet.model import records as rec
from custodiet.model.filters import Filters
from custodiet.model.records import Record
from custodiet.model.schemata import schemata
from custodiet.model.statement import Status
from custodiet.store import tables
from custodiet.store.base import Reader, WriteBase, plain
from custodiet.store.facts import chunks

FOLD_VERSION = "1"  # raise when the fold changes what a record holds
ENTITY_PROPS = sorted(
    {p.name for s in schemata().values() for p in s.properties.values() if p.type == "entity"}
)
COUNTRY_PROPS = sorted(
    {p.name for s in schemata().values() for p in s.properties.values() if p.type == "country"}
)
UNINDEXED = {  # long free text: kept in the record, not in record_values
    (s.name, p.name) for s in schemata().values() for p in s.properties.values() if p.type == "text"
}
VERSION_KEY = "records_version"
SUPPLIER_ROLES = ("vendor", "integrator", "operator", "financier")


def version() -> str:
    """Changes whenever a schema's properties or the fold do: the records are then stale."""
    digest = hashlib.sha256(FOLD_VERSION.encode())
    for s in schemata().values():
        digest.update(f"{s.name}:{s.caption}".encode())
        for p in s.properties.values():
            digest.update(f"{p.name}:{p.type}:{p.multi}:{p.range}".encode())
    return digest.hexdigest()[:16]


# --- folding -----------------------------------------------------------------------
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
        .where(st.c.status == Status.ACCEPTED.value, where)
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
    conn.execute(
        insert(tables.records),
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
        conn.execute(insert(tables.record_values), rows[i : i + 5000])


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
                select(rv.c.record_id).where(rv.c.prop.in_(ENTITY_PROPS), rv.c.value.in_(chunk))
            ).scalars()
        )
    return found


def refresh(conn: Any, touched: set[str]) -> None:
    """Fold again the records of the touched entities' clusters; then, while names change,
    those of the records that show them."""
    todo = _canonical_of(conn, touched)
    stale = set(touched) | todo  # ids merged away keep no record of their own
    done: set[str] = set()
    while todo:
        ordered = sorted(todo)
        folded: list[Record] = []
        members = _members(conn, ordered)
        for chunk in chunks(ordered):
            rows = conn.execute(_statement_rows(tables.entities.c.canonical_id.in_(chunk)))
            folded.extend(_fold_rows(rows, members))
        old = _stored_names(conn, ordered)
        own = {r.id: n for r in folded if (n := rec.own_name(r)) is not None}
        wanted = {x for r in folded for x in rec.references(r)} - own.keys()
        labels = _stored_names(conn, wanted) | own
        fresh = [rec.named(r, labels) for r in folded]
        _drop(conn, sorted(stale))
        _store(conn, fresh)
        renamed = {r.id for r in fresh if old.get(r.id) != r.name} | (old.keys() - own.keys())
        done |= todo
        todo = _referrers(conn, renamed) - done
        stale = set(todo)


def _fold_everything(conn: Any) -> Iterator[Record]:
    """Every record, folded from every accepted statement, in order of id."""
    st, e = tables.statements, tables.entities
    names: dict[str, str] = {}
    for canonical, value in conn.execute(
        select(e.c.canonical_id, st.c.value)
        .join(e, e.c.id == st.c.entity_id)
        .where(st.c.prop == "name", st.c.status == Status.ACCEPTED.value)
        .order_by(st.c.created_at, st.c.id)
    ):
        names.setdefault(canonical, value)
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


# --- the atlas's queries -------------------------------------------------------------
# Exact filters in the order they drive a query: the most selective first (one project
# or vendor has few deployments, one technology thousands).
DRIVERS = ("project", "vendor", "buyer_country", "technology", "_dataset")


def chosen(filters: Filters) -> Select[Any] | None:
    """A query of the ids of the deployments the filters choose, each once, or None for
    all of them. The most selective filter reads the index; each other one is checked on
    the chosen record's own values (a lookup: their key leads with the record's id)."""
    rv = tables.record_values
    exact = filters.exact()
    tests = [Test(prop, lambda c, v=exact[prop]: c == v) for prop in DRIVERS if prop in exact]
    if filters.year_from is not None:
        tests.append(Test("year", lambda c: c >= f"{filters.year_from:04d}"))
    if filters.year_to is not None:
        tests.append(Test("year", lambda c: c <= f"{filters.year_to:04d}"))
    if filters.state_loans:
        tests.append(Test("_loan", lambda c: c == "true"))
    if filters.vendor_country:
        tests.append(_vendor_from(filters.vendor_country))
    if not tests:
        return None
    first = tests[0]
    query = select(rv.c.record_id).where(
        rv.c.schema == "Deployment", rv.c.prop == first.prop, first.drive(rv.c.value)
    )
    if first.prop not in exact:
        query = query.distinct()  # several years of one deployment may meet a range
    for test in tests[1:]:
        other = tables.record_values.alias()
        query = query.where(
            exists(
                select(other.c.record_id).where(
                    other.c.record_id == rv.c.record_id,
                    other.c.prop == test.prop,
                    test.check(other.c.value),
                )
            )
        )
    return query


class Test:
    """A condition on the values of one property of a deployment: as it reads the index
    (`drive`), and as it is checked on one record's values (`check`), the same unless
    given apart."""

    def __init__(self, prop: str, drive: Any, check: Any = None) -> None:
        self.prop = prop
        self.drive = drive
        self.check = check or drive


def _vendor_from(country: str) -> Test:
    """Some vendor of the deployment has its headquarters in the country."""
    org = tables.record_values.alias("org")
    headquartered = select(org.c.record_id).where(
        org.c.schema == "Organization", org.c.prop == "country", org.c.value == country
    )

    def check(vendor: Any) -> Any:
        home = tables.record_values.alias("home")
        return exists(
            select(home.c.record_id).where(
                home.c.record_id == vendor, home.c.prop == "country", home.c.value == country
            )
        )

    return Test("vendor", lambda vendor: vendor.in_(headquartered), check)


def _among(query: Select[Any], record_id: Any, filters: Filters) -> Select[Any]:
    """The query, kept to the chosen deployments: joined to their ids (SQL reads the few
    chosen and looks each up, rather than testing every row for membership)."""
    ids = chosen(filters)
    if ids is None:
        return query
    # Materialised first, so the planner reads the few chosen and looks each up.
    found = ids.cte("chosen").prefix_with("MATERIALIZED")
    return query.join(found, found.c.record_id == record_id)


class RecordReads(Reader):
    def record(self, entity_id: str) -> Record | None:
        """The record of the entity that answers for this id."""
        r, e = tables.records, tables.entities
        answering = select(e.c.canonical_id).where(e.c.id == entity_id).scalar_subquery()
        row = self.conn.execute(select(r).where(r.c.id == answering)).mappings().first()
        return _record(row) if row else None

    def records(self, ids: Sequence[str]) -> dict[str, Record]:
        r = tables.records
        rows = self.conn.execute(select(r).where(r.c.id.in_(list(set(ids))))).mappings()
        return {row["id"]: _record(row) for row in rows}

    def records_of(self, schema: str) -> Iterator[Record]:
        """Every record of one schema, streamed."""
        r = tables.records
        query = select(r).where(r.c.schema == schema).order_by(r.c.id)
        for row in self.conn.execute(query.execution_options(yield_per=2000)).mappings():
            yield _record(row)

    def supplier_records(self) -> list[Record]:
        """Organisations that sell, integrate, operate or finance (by their role), or that
        some deployment names as its vendor or financier."""
        r, rv = tables.records, tables.record_values
        named = select(rv.c.value).where(
            rv.c.schema == "Deployment", rv.c.prop.in_(["vendor", "financier"])
        )
        by_role = select(rv.c.record_id).where(
            rv.c.schema == "Organization",
            rv.c.prop == "role",
            rv.c.value.in_(list(SUPPLIER_ROLES)),
        )
        query = (
            select(r)
            .where(r.c.schema == "Organization", or_(r.c.id.in_(named), r.c.id.in_(by_role)))
            .order_by(r.c.id)
        )
        return [_record(row) for row in self.conn.execute(query).mappings()]

    def deployments(
        self, filters: Filters, *, limit: int | None = None, offset: int = 0
    ) -> list[Record]:
        """The chosen deployments, the latest reviewed first."""
        r = tables.records
        query = _among(select(r).where(r.c.schema == "Deployment"), r.c.id, filters)
        query = query.order_by(r.c.reviewed_at.desc(), r.c.id.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [_record(row) for row in self.conn.execute(query).mappings()]

    def iter_deployments(self, filters: Filters) -> Iterator[Record]:
        """The chosen deployments, the latest reviewed first, streamed."""
        r = tables.records
        query = _among(select(r).where(r.c.schema == "Deployment"), r.c.id, filters)
        query = query.order_by(r.c.reviewed_at.desc(), r.c.id.desc())
        for row in self.conn.execute(query.execution_options(yield_per=1000)).mappings():
            yield _record(row)

    def count_deployments(self, filters: Filters) -> int:
        r = tables.records
        ids = chosen(filters)
        if ids is None:
            query = select(func.count()).select_from(r).where(r.c.schema == "Deployment")
        else:
            query = select(func.count()).select_from(ids.subquery())
        return int(self.conn.execute(query).scalar_one())

    def tally(self, prop: str, filters: Filters, limit: int | None = None) -> list[Any]:
        """(value, deployments, that entity's name, its record's data) for each value of a
        deployment property, most deployments first."""
        rv, r = tables.record_values, tables.records
        n = func.count().label("n")
        inner = _among(
            select(rv.c.value.label("value"), n).where(
                rv.c.schema == "Deployment", rv.c.prop == prop
            ),
            rv.c.record_id,
            filters,
        )
        inner = inner.group_by(rv.c.value).order_by(n.desc(), rv.c.value)
        if limit is not None:
            inner = inner.limit(limit)
        counted = inner.subquery()
        query = (
            select(counted.c.value, counted.c.n, r.c.name, r.c.data)
            .join(r, r.c.id == counted.c.value, isouter=True)
            .order_by(counted.c.n.desc(), counted.c.value)
        )
        return list(self.conn.execute(query).all())

    def deployment_datasets(self, filters: Filters) -> list[str]:
        """The datasets the chosen deployments come from."""
        rv = tables.record_values
        query = _among(
            select(rv.c.value).where(rv.c.schema == "Deployment", rv.c.prop == "_dataset"),
            rv.c.record_id,
            filters,
        )
        return sorted(set(self.conn.execute(query.distinct()).scalars()))

    def cited_sources(self, filters: Filters, limit: int) -> list[dict[str, Any]]:
        """The sources behind the most chosen deployments, with how many each supports."""
        rv, so = tables.record_values, tables.sources
        n = func.count().label("deployments")
        inner = _among(
            select(rv.c.value.label("id"), n).where(
                rv.c.schema == "Deployment", rv.c.prop == "_source"
            ),
            rv.c.record_id,
            filters,
        )
        counted = inner.group_by(rv.c.value).order_by(n.desc(), rv.c.value).limit(limit).subquery()
        query = (
            select(
                so.c.id, so.c.url, so.c.title, so.c.publisher, so.c.published, counted.c.deployments
            )
            .join(counted, counted.c.id == so.c.id)
            .order_by(counted.c.deployments.desc(), so.c.id)
        )
        return [plain(row) for row in self.conn.execute(query).mappings()]

    def referrers(
        self, entity_ids: Sequence[str], codes: Sequence[str], schemas: Sequence[str]
    ) -> list[tuple[Record, str]]:
        """Records of the given schemas whose values name these entities (or, through a
        country-typed property, these country codes), with the property that does."""
        rv, r = tables.record_values, tables.records
        names = or_(
            and_(rv.c.prop.in_(ENTITY_PROPS), rv.c.value.in_(list(entity_ids))),
            and_(rv.c.prop.in_(COUNTRY_PROPS), rv.c.value.in_(list(codes))),
        )
        query = (
            select(r, rv.c.prop.label("via"))
            .join(rv, rv.c.record_id == r.c.id)
            .where(rv.c.schema.in_(list(schemas)), names)
            .order_by(r.c.schema, r.c.name, r.c.id)
        )
        seen: dict[str, tuple[Record, str]] = {}
        for row in self.conn.execute(query).mappings():
            if row["id"] not in entity_ids:
                seen.setdefault(row["id"], (_record(row), row["via"]))
        return list(seen.values())

    def values_of(self, schema: str, prop: str) -> dict[str, str]:
        """record id -> value of one property, over every record of a schema (the regime
        type of every country, say)."""
        rv = tables.record_values
        rows = self.conn.execute(
            select(rv.c.record_id, rv.c.value).where(rv.c.schema == schema, rv.c.prop == prop)
        )
        return dict(rows.all())


def _record(row: Any) -> Record:
    return Record.from_json(row["id"], row["schema"], row["name"], row["data"])


class RecordWrites(WriteBase):
    def refresh_records(self) -> None:
        """Fold again what this transaction touched (the Writer calls it before commit)."""
        if self.dirty:
            refresh(self.conn, self.dirty)
            self.dirty = set()
