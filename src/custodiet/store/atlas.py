"""The atlas's queries over the stored records: the deployments a set of filters
chooses, their tallies per country or vendor, the sources they cite, what refers to an
entity. Each is one statement whatever the number of deployments: a filter is an index
lookup, and the others are checked on the chosen records' own values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select

from custodiet.model.filters import Filters
from custodiet.model.records import Record
from custodiet.model.schemata import schemata
from custodiet.store import tables
from custodiet.store.base import Reader, plain
from custodiet.store.records import ENTITY_PROPS

COUNTRY_PROPS = sorted(
    {p.name for s in schemata().values() for p in s.properties.values() if p.type == "country"}
)
SUPPLIER_ROLES = ("vendor", "integrator", "operator", "financier")

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
    if filters.vendor_country:
        tests.append(_vendor_from(filters.vendor_country))
    if filters.state_loans:
        tests.append(Test("_loan", lambda c: c == "true"))
    if filters.year_from is not None:
        tests.append(Test("year", lambda c: c >= f"{filters.year_from:04d}"))
    if filters.year_to is not None:
        tests.append(Test("year", lambda c: c <= f"{filters.year_to:04d}"))
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

    def cross_tally(self, first: str, second: str, filters: Filters) -> list[tuple[str, str, int]]:
        """(value of `first`, value of `second`, deployments) over the chosen deployments:
        deployments per year and technology, say."""
        rv = tables.record_values
        other = rv.alias("other")
        n = func.count(func.distinct(rv.c.record_id))
        query = _among(
            select(rv.c.value, other.c.value, n)
            .join(other, and_(other.c.record_id == rv.c.record_id, other.c.prop == second))
            .where(rv.c.schema == "Deployment", rv.c.prop == first),
            rv.c.record_id,
            filters,
        ).group_by(rv.c.value, other.c.value)
        return [(a, b, int(k)) for a, b, k in self.conn.execute(query).all()]

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

    def coverage(self, technologies: Sequence[str]) -> dict[str, list[Any]]:
        """What the deployments document per (buyer country, technology), for the given
        technologies, as three tallies:
        `vendors` (country, technology, vendor, its name, its earliest year there),
        `sources` (country, technology, distinct sources, deployments) and
        `datasets` (country, technology, dataset, deployments)."""
        rv, r = tables.record_values, tables.records
        c, t = rv.alias("c"), rv.alias("t")
        base = (
            select(c.c.value.label("country"), t.c.value.label("tech"))
            .select_from(c)
            .join(t, and_(t.c.record_id == c.c.record_id, t.c.prop == "technology"))
            .where(c.c.schema == "Deployment", c.c.prop == "buyer_country")
            .where(t.c.value.in_(list(technologies)))
        )

        def joined(prop: str) -> Any:
            other = rv.alias(prop.strip("_"))
            return other, and_(other.c.record_id == c.c.record_id, other.c.prop == prop)

        v, on_v = joined("vendor")
        y, on_y = joined("year")
        vendors = (
            base.add_columns(
                v.c.value.label("vendor"),
                r.c.name,
                func.min(y.c.value),
            )
            .join(v, on_v, isouter=True)
            .join(y, on_y, isouter=True)
            .join(r, r.c.id == v.c.value, isouter=True)
            .group_by(c.c.value, t.c.value, v.c.value, r.c.name)
        )
        s, on_s = joined("_source")
        sources = (
            base.add_columns(
                func.count(func.distinct(s.c.value)), func.count(func.distinct(c.c.record_id))
            )
            .join(s, on_s)
            .group_by(c.c.value, t.c.value)
        )
        d, on_d = joined("_dataset")
        datasets = (
            base.add_columns(d.c.value.label("dataset"), func.count(func.distinct(c.c.record_id)))
            .join(d, on_d)
            .group_by(c.c.value, t.c.value, d.c.value)
        )
        return {
            name: [tuple(row) for row in self.conn.execute(query).all()]
            for name, query in (("vendors", vendors), ("sources", sources), ("datasets", datasets))
        }

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
