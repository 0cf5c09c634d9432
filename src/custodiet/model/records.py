"""Records: what the atlas shows of one entity, folded from its accepted statements.

A `Record` holds every accepted value of an entity and of the ids merged into it
(references already resolved to the ids that answer for them), the names of the
entities it refers to, and its sources and datasets. The store keeps one per entity,
current as writes happen. The typed records below (`DeploymentRecord`…) are what
analysis, pages, JSON and exports use: their property fields come from the schema
(`schema_fields`), so a property added to a schema must be added to its record too,
or building the record fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Self, TypeVar

import orjson

from custodiet.model.schemata import Schema, schema
from custodiet.model.taxonomy import technologies
from custodiet.model.types import country_name

# What a folded statement needs: (prop, value with references resolved, source, dataset,
# reviewed_at), in the order the statements were first made.
Row = tuple[str, str, str, str, str | None]
T = TypeVar("T")


@dataclass(slots=True)
class Record:
    id: str
    schema: str
    name: str
    values: dict[str, list[str]]
    labels: dict[str, str] = field(default_factory=dict)  # entity id -> name
    members: list[str] = field(default_factory=list)  # itself first, then ids merged into it
    sources: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    reviewed_at: str = ""

    def first(self, prop: str) -> str | None:
        found = self.values.get(prop)
        return found[0] if found else None

    def all(self, prop: str) -> list[str]:
        return list(self.values.get(prop, ()))

    def to_json(self) -> str:
        body = {
            "values": self.values,
            "labels": self.labels,
            "members": self.members,
            "sources": self.sources,
            "datasets": self.datasets,
            "reviewed_at": self.reviewed_at,
        }
        return orjson.dumps(body).decode()

    @classmethod
    def from_json(cls, entity_id: str, schema_name: str, name: str, data: str) -> Record:
        return cls(id=entity_id, schema=schema_name, name=name, **orjson.loads(data))


def fold(
    entity_id: str, schema_name: str, rows: Iterable[Row], members: list[str] | None = None
) -> Record:
    """One record from an entity's accepted statements (those of merged ids included).
    Values keep the order in which they were first stated; the first one of a
    single-valued property is the one shown where only one can be."""
    values: dict[str, list[str]] = {}
    sources: dict[str, None] = {}
    datasets: dict[str, None] = {}
    reviewed = ""
    for prop, value, source_id, dataset, reviewed_at in rows:
        bucket = values.setdefault(prop, [])
        if value not in bucket:
            bucket.append(value)
        sources[source_id] = None
        datasets[dataset] = None
        if reviewed_at and reviewed_at > reviewed:
            reviewed = reviewed_at
    return Record(
        id=entity_id,
        schema=schema_name,
        name="",
        values=values,
        members=members or [entity_id],
        sources=list(sources),
        datasets=list(datasets),
        reviewed_at=reviewed,
    )


def references(record: Record) -> set[str]:
    """The entity ids its values name."""
    sch = schema(record.schema)
    return {
        v
        for prop, vs in record.values.items()
        if prop in sch.properties and sch.get(prop).type == "entity"
        for v in vs
    }


def own_name(record: Record) -> str | None:
    """The entity's own name, where its schema has one."""
    found = record.first("name")
    if found is None and record.schema == "Country":
        code = record.first("code") or record.id.split(":", 1)[1]
        return country_name(code)
    return found


def caption(record: Record, labels: dict[str, str]) -> str:
    """A human name from the schema's caption properties: countries and entities written out."""
    sch = schema(record.schema)
    parts = []
    for prop in sch.caption:
        value = record.first(prop)
        if value is None:
            continue
        kind = sch.get(prop).type
        if kind == "country":
            parts.append(country_name(value))
        elif kind == "entity":
            parts.append(labels.get(value, value))
        elif kind == "technology" and value in technologies():
            parts.append(technologies()[value].label)
        else:
            parts.append(value)
    return " · ".join(parts) or record.id


def named(record: Record, labels: dict[str, str]) -> Record:
    """The record with the names of what it refers to, and its own caption."""
    mine = {r: name for r in sorted(references(record)) if (name := _label(r, labels))}
    own = own_name(record)
    return Record(
        id=record.id,
        schema=record.schema,
        name=own if own is not None and record.schema != "Deployment" else caption(record, mine),
        values=record.values,
        labels=mine,
        members=record.members,
        sources=record.sources,
        datasets=record.datasets,
        reviewed_at=record.reviewed_at,
    )


def _label(entity_id: str, labels: dict[str, str]) -> str | None:
    if entity_id in labels:
        return labels[entity_id]
    if entity_id.startswith("country:"):  # a country needs no record to have a name
        return country_name(entity_id.split(":", 1)[1])
    return None


# --- typed records ----------------------------------------------------------------
CONVERT: dict[str, Callable[[str], Any]] = {"year": int, "boolean": lambda v: v == "true"}


@cache
def _plan(schema_name: str) -> tuple[tuple[str, Callable[[str], Any] | None, bool, bool], ...]:
    """(property, conversion, multi, is a year) for each property of a schema."""
    sch: Schema = schema(schema_name)
    return tuple(
        (name, CONVERT.get(p.type), p.multi, p.type == "year") for name, p in sch.properties.items()
    )


def schema_fields(record: Record) -> dict[str, Any]:
    """Each property of the record's schema: a list where several values are several facts
    (multi), otherwise its first value; years as numbers (the earliest), booleans as such."""
    values = record.values
    out: dict[str, Any] = {}
    for name, convert, multi, year in _plan(record.schema):
        found: list[Any] | None = values.get(name)
        if not found:
            out[name] = [] if multi else None
            continue
        if convert is not None:
            found = [convert(v) for v in found]
        out[name] = found if multi else min(found) if year else found[0]
    return out


def _common(record: Record) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "labels": record.labels,
        "members": record.members,
        "sources": record.sources,
        "datasets": record.datasets,
    }


def build(cls: type[T], record: Record, **extra: Any) -> T:
    """A typed record: the schema's properties, what every record has (its name is the
    record's own: the `name` property where the schema has one), and `extra`."""
    return cls(**(schema_fields(record) | _common(record)), **extra)


class Typed:
    """What every typed record can do: be built from a Record."""

    __slots__ = ()

    @classmethod
    def of(cls, record: Record) -> Self:
        return build(cls, record)


@dataclass(slots=True)
class DeploymentRecord(Typed):
    id: str
    name: str
    vendor: str | None
    vendor_name: str | None
    buyer_country: str | None
    buyer_country_name: str | None
    buyer: str | None
    buyer_name: str | None
    place: list[str]
    buyer_city: str | None
    buyer_region: str | None
    buyer_agency: str | None
    technology: list[str]
    technology_labels: list[str]
    year: int | None  # the earliest
    years: list[int]
    value: str | None  # a decimal string
    currency: str | None
    financing: str | None
    financier: list[str]
    project: list[str]
    status: str | None
    description: str | None
    support: int  # how many distinct sources it rests on
    labels: dict[str, str]
    members: list[str]  # itself, then the ids merged into it
    sources: list[str]
    datasets: list[str]

    @classmethod
    def of(cls, record: Record) -> Self:
        labels = technologies()
        vendor, buyer = record.first("vendor"), record.first("buyer")
        country = record.first("buyer_country")
        return build(
            cls,
            record,
            vendor_name=record.labels.get(vendor, vendor) if vendor else None,
            buyer_name=record.labels.get(buyer, buyer) if buyer else None,
            buyer_country_name=country_name(country) if country else None,
            technology_labels=[labels[t].label for t in record.all("technology") if t in labels],
            years=sorted({int(y) for y in record.all("year")}),
            support=len(record.sources),
        )

    @property
    def state_loan(self) -> bool:
        return bool(self.financier) or "loan" in (self.financing or "").lower()

    def to_dict(self) -> dict[str, Any]:
        """Its fields by name (shallow: dataclasses.asdict copies deeply, ten times slower)."""
        return {name: getattr(self, name) for name in DEPLOYMENT_FIELDS}


DEPLOYMENT_FIELDS = tuple(f.name for f in fields(DeploymentRecord))


@dataclass(slots=True)
class OrganizationRecord(Typed):
    id: str
    name: str
    alias: list[str]
    role: str | None
    country: str | None
    parent: str | None
    jurisdiction: str | None
    state_owned: bool | None
    description: str | None
    website: str | None
    labels: dict[str, str]
    members: list[str]  # itself, then the ids merged into it
    sources: list[str]
    datasets: list[str]

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.alias]))


@dataclass(slots=True)
class CountryRecord(Typed):
    id: str
    name: str
    code: str | None
    regime: str | None
    regime_year: int | None
    labels: dict[str, str]
    members: list[str]  # itself, then the ids merged into it
    sources: list[str]
    datasets: list[str]


@dataclass(slots=True)
class ProjectRecord(Typed):
    id: str
    name: str
    alias: list[str]
    country: str | None
    place: str | None
    technology: list[str]
    year: int | None
    value: str | None
    currency: str | None
    value_basis: str | None
    status: str | None
    start: str | None
    end: str | None
    financing: str | None
    financier: list[str]
    vendor: list[str]
    description: str | None
    labels: dict[str, str]
    members: list[str]  # itself, then the ids merged into it
    sources: list[str]
    datasets: list[str]


@dataclass(slots=True)
class PlaceRecord(Typed):
    id: str
    name: str
    alias: list[str]
    kind: str | None
    country: str | None
    parent: str | None
    latitude: str | None
    longitude: str | None
    labels: dict[str, str]
    members: list[str]  # itself, then the ids merged into it
    sources: list[str]
    datasets: list[str]


@dataclass(slots=True)
class RestrictionRecord(Typed):
    id: str
    name: str
    authority: str | None
    target: str | None
    kind: str | None
    year: int | None
    date: str | None
    description: str | None
    labels: dict[str, str]
    members: list[str]  # itself, then the ids merged into it
    sources: list[str]
    datasets: list[str]


@dataclass(slots=True)
class FigureRecord(Typed):
    id: str
    name: str
    subject: str | None
    measure: str | None
    value: str | None
    unit: str | None
    currency: str | None
    year: int | None
    place: str | None
    description: str | None
    labels: dict[str, str]
    members: list[str]  # itself, then the ids merged into it
    sources: list[str]
    datasets: list[str]


TYPED: dict[str, type[Typed]] = {
    "Deployment": DeploymentRecord,
    "Organization": OrganizationRecord,
    "Country": CountryRecord,
    "Project": ProjectRecord,
    "Place": PlaceRecord,
    "Restriction": RestrictionRecord,
    "Figure": FigureRecord,
}


def typed(record: Record) -> Typed:
    """The typed record of a record's schema."""
    return TYPED[record.schema].of(record)
