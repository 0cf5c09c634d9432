"""FollowTheMoney entities, as JSON lines (the form OpenSanctions and Aleph publish):
companies, organisations and public bodies become organisations (resolved by their
names onto those the atlas knows), sanctions become restrictions on them, contracts
become deployments (the authority the buyer, the award's supplier the vendor).

Custodiet records organisations and governments, never private persons: a Person (and
a sanction of one) is not imported, and the summary says how many were left out. Every
other schema Custodiet has no place for is reported the same way, never dropped
silently.

The file is read twice, so that an organisation named after the sanction or contract
that refers to it is found: the first pass notes the organisations, the second makes
the facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from custodiet.ingest.cleaning import VendorResolver, country_code
from custodiet.ingest.importers.base import Facts, Importer, Release, json_lines
from custodiet.ingest.importers.mapped import load_dataset
from custodiet.model.datasets import Dataset
from custodiet.model.errors import DataError
from custodiet.model.text import slug

MADE = ("Organization", "Sanction", "Contract", "ContractAward")  # what is imported, by kind
DEFAULT = Dataset(
    name="ftm",
    title="FollowTheMoney entities",
    licence="as its publisher states (not declared: give --mapping with a dataset)",
    citation="FollowTheMoney entities imported from a file",
)


@dataclass
class _Known:
    """What the first pass noted: each organisation's id in the atlas and countries."""

    orgs: dict[str, str] = field(default_factory=dict)  # FtM id -> org id
    countries: dict[str, str] = field(default_factory=dict)  # FtM id -> ISO code
    contracts: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)  # schema -> entities left out


class FtmImporter(Importer):
    name = "ftm"
    summary = (
        "FollowTheMoney entities (JSON lines, as OpenSanctions and Aleph publish them): "
        "companies, public bodies, sanctions and contracts"
    )
    takes_mapping = True

    def __init__(self, mapping: Path | None = None) -> None:
        self.declared = load_dataset(mapping) if mapping else DEFAULT
        self.dataset = self.declared.name

    def read(self, path: Path, vendors: VendorResolver, facts: Facts) -> Release:
        known = _Known()
        count = 0
        for _line, entity in _entities(path):
            count += 1
            kind = entity["kind"]
            if kind == "Organization":
                _note(known, vendors, entity)
            elif kind == "Contract":
                props = entity["properties"]
                noted = (_first(props, "country"), _first(props, "authority"))
                known.contracts[entity["id"]] = noted
            elif kind not in MADE:
                known.skipped[entity["schema"]] += 1
        for line, entity in _entities(path):
            with facts.record():
                self._entity(facts, known, entity, line)
        for schema, n in sorted(known.skipped.items()):
            facts.problem(DataError(f"{n} {schema} entities not imported: {_why(schema)}",
                                    file=facts.file))  # fmt: skip
        return Release(self.declared, facts, count)

    def _entity(self, facts: Facts, known: _Known, entity: dict[str, Any], line: int) -> None:
        make = {"Organization": _organisation, "Sanction": _sanction, "Contract": _contract,
                "ContractAward": _award}.get(entity["kind"])  # fmt: skip
        if make is not None:
            make(facts, known, entity, self._source(facts, entity["properties"], line), line)

    def _source(self, facts: Facts, props: dict[str, list[Any]], line: int) -> str:
        urls = [u for u in props.get("sourceUrl", []) if str(u).startswith(("http://", "https://"))]
        url = urls[0] if urls else self.declared.url
        if not url:
            raise DataError(
                "no sourceUrl, and the dataset has no url to cite instead (give --mapping "
                "with a dataset url)",
                file=facts.file,
                line=line,
                field="sourceUrl",
            )
        publisher = (props.get("publisher") or [self.declared.publisher])[0]
        return facts.source(url, publisher=publisher)


def _kind(schema: str) -> str | None:
    """What an entity of the schema becomes here, by FollowTheMoney's own hierarchy (a
    Company is an Organization): one of MADE, "Person", or None."""
    from followthemoney import model

    found = model.get(schema)
    if found is None:
        return None
    return next((k for k in (*MADE, "Person") if found.is_a(k)), None)


def _why(schema: str) -> str:
    if _kind(schema) == "Person":
        return "Custodiet records organisations and governments, never persons"
    from followthemoney import model

    if model.get(schema) is None:
        return "not a FollowTheMoney schema"
    return "Custodiet has no schema for them"


def _entities(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, entity) for each line, its shape checked and its kind found; an unreadable
    line is an error."""
    with path.open(encoding="utf-8") as f:
        for line, entity in json_lines(f, str(path)):
            if (
                not isinstance(entity, dict)
                or not isinstance(entity.get("id"), str)
                or not isinstance(entity.get("schema"), str)
                or not isinstance(entity.get("properties", {}), dict)
            ):
                raise DataError(
                    'not a FollowTheMoney entity: expected {"id": …, "schema": …, '
                    '"properties": {…}}',
                    file=str(path),
                    line=line,
                )
            props = entity.setdefault("properties", {})
            for prop, values in list(props.items()):
                props[prop] = values if isinstance(values, list) else [values]
            entity["kind"] = _kind(entity["schema"])
            yield line, entity


def _first(props: dict[str, list[Any]], *names: str) -> str | None:
    for name in names:
        for value in props.get(name, []):
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def _country(raw: str | None) -> str | None:
    try:
        return country_code(raw) if raw else None
    except ValueError:
        return None


def _note(known: _Known, vendors: VendorResolver, entity: dict[str, Any]) -> None:
    props = entity["properties"]
    names = [str(n).strip() for n in props.get("name", []) if str(n).strip()]
    if not names:
        return
    matches = [vendors.resolve(n) for n in names]
    chosen = next((m for m in matches if m.how != "new"), matches[0])
    known.orgs[entity["id"]] = chosen.id
    code = _country(_first(props, "country", "jurisdiction", "mainCountry"))
    if code:
        known.countries[entity["id"]] = code


def _organisation(
    facts: Facts, known: _Known, entity: dict[str, Any], source: str, line: int
) -> None:
    props, org = entity["properties"], known.orgs.get(entity["id"])
    if org is None:
        raise DataError(f"{entity['schema']} {entity['id']} has no name", file=facts.file,
                        line=line, field="name")  # fmt: skip
    if entity["schema"] == "PublicBody":
        facts.add(org, "role", "agency", source, line=line, column="schema", origin=entity["id"])
    origin = entity["id"]
    names = [str(n).strip() for n in props.get("name", []) if str(n).strip()]
    facts.add(org, "name", names[0], source, line=line, column="name", origin=origin)
    for alias in [*names[1:], *props.get("alias", [])]:
        facts.add(org, "alias", alias, source, line=line, column="alias", origin=origin)
    country = _first(props, "country", "jurisdiction", "mainCountry")
    if country and entity["id"] in known.countries:
        facts.add(org, "country", known.countries[entity["id"]], source, line=line,
                  column="country", origin=origin, original=country)  # fmt: skip
    facts.add(org, "website", _first(props, "website"), source, line=line, origin=origin)
    facts.add(org, "description", _first(props, "description", "summary"), source, line=line,
              origin=origin)  # fmt: skip


def _target(facts: Facts, known: _Known, ref: str | None, what: str, line: int) -> str:
    if ref in known.orgs:
        return known.orgs[ref]
    raise DataError(
        f"{what} {ref!r} is not an organisation of this file (a person, or missing)",
        file=facts.file,
        line=line,
    )


def _sanction(facts: Facts, known: _Known, entity: dict[str, Any], source: str, line: int) -> None:
    props, origin = entity["properties"], entity["id"]
    target = _target(facts, known, _first(props, "entity"), "the sanctioned entity", line)
    raw = _first(props, "country")
    authority = _country(raw)
    if authority is None:
        raise DataError(f"sanction {origin}: no country that imposes it", file=facts.file,
                        line=line, field="country")  # fmt: skip
    restriction = f"restriction:{facts.dataset}-{slug(origin, 120)}"
    words = " ".join(props.get("program", []) + props.get("authority", [])).lower()

    def add(prop: str, value: Any, column: str, original: str | None = None) -> None:
        facts.add(restriction, prop, value, source, line=line, column=column, origin=origin,
                  original=original)  # fmt: skip

    add("target", target, "entity")
    add("authority", authority, "country", original=raw if raw != authority else None)
    add("kind", "entity_listing" if "entity list" in words else "sanction", "program")
    date = _first(props, "startDate", "listingDate", "date")
    add("date", date, "startDate")
    add("year", date[:4] if date else None, "startDate")
    reason = "; ".join(props.get("program", []) + props.get("reason", []))
    add("description", reason or None, "program")


def _contract(facts: Facts, known: _Known, entity: dict[str, Any], source: str, line: int) -> None:
    props, origin = entity["properties"], entity["id"]
    deployment = f"deployment:{facts.dataset}-{slug(origin, 120)}"
    authority = _first(props, "authority")
    buyer = known.orgs.get(authority or "")
    raw = _first(props, "country")
    country = _buyer_country(known, origin)
    if country is None:
        raise DataError(f"contract {origin}: no buyer country (neither its country nor its "
                        "authority's)", file=facts.file, line=line, field="country")  # fmt: skip

    def add(prop: str, value: Any, column: str, original: str | None = None) -> None:
        facts.add(deployment, prop, value, source, line=line, column=column, origin=origin,
                  original=original)  # fmt: skip

    add("buyer_country", country, "country", original=raw if raw and raw != country else None)
    add("buyer", buyer, "authority")
    add("description", _first(props, "title", "name", "description"), "title")
    add("value", _first(props, "amount"), "amount")
    add("currency", _first(props, "currency"), "currency")
    date = _first(props, "contractDate", "startDate", "date")
    add("year", date[:4] if date else None, "contractDate")


def _buyer_country(known: _Known, contract: str) -> str | None:
    """The contract's country, else its authority's."""
    raw, authority = known.contracts.get(contract, (None, None))
    return _country(raw) or known.countries.get(authority or "")


def _award(facts: Facts, known: _Known, entity: dict[str, Any], source: str, line: int) -> None:
    props, origin = entity["properties"], entity["id"]
    contract = _first(props, "contract")
    if not contract:
        raise DataError(f"award {origin} names no contract", file=facts.file, line=line,
                        field="contract")  # fmt: skip
    if _buyer_country(known, contract) is None:
        raise DataError(f"award {origin}: its contract {contract!r} is not imported (missing, or "
                        "without a buyer country)", file=facts.file, line=line,
                        field="contract")  # fmt: skip
    supplier = _target(facts, known, _first(props, "supplier"), "the award's supplier", line)
    deployment = f"deployment:{facts.dataset}-{slug(contract, 120)}"
    facts.add(deployment, "vendor", supplier, source, line=line, column="supplier", origin=origin)
