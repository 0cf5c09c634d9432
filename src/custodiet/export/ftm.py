"""The atlas as FollowTheMoney entities (JSON lines), the form Aleph, nomenklatura and
OpenSanctions read, made with the followthemoney library itself:

- an organisation is a Company when it sells, integrates or operates (its role, or a
  deployment naming it as vendor), a PublicBody when it is an agency, otherwise an
  Organization;
- a deployment is a Contract (its buyer the authority, its buyer country the country,
  its value the amount) and, when a vendor is named, a ContractAward to that vendor:
  FtM has no schema for "a supply of technology", and a contract with its award is
  what procurement data (and `custodiet import ftm`) already uses for one;
- a project is a Project; a restriction is a Sanction of its target.

Every entity carries the URLs and publishers of the sources its facts rest on, and the
date of its latest review. Countries, places and figures are properties of the entities
above, not entities: FtM has no schema for them that a re-user would expect.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

import orjson

from custodiet.model.records import Record
from custodiet.store.view import View

Cited = dict[str, tuple[str | None, str | None]]  # source id -> (url, publisher)
SCHEMAS = ("Organization", "Project", "Deployment", "Restriction")  # references first
BATCH = 1000

SUPPLIERS = {"vendor", "integrator", "operator"}
PREFIX = "custodiet-"


def ftm_id(entity_id: str) -> str:
    """org:huawei as custodiet-org-huawei: FtM ids are plain strings, and a prefix keeps
    them apart from other datasets' ids when files are merged."""
    return PREFIX + entity_id.replace(":", "-")


def entities(record: Record, sources: Cited, vendors: set[str]) -> Iterator[Any]:
    """The FtM entities (proxies) one record becomes; none for kinds FtM has no place
    for (countries, places, figures)."""
    from followthemoney import model

    def make(schema: str, entity_id: str) -> Any:
        proxy = model.make_entity(schema)
        proxy.id = ftm_id(entity_id)
        for source_id in record.sources:
            url, publisher = sources.get(source_id, (None, None))
            proxy.add("sourceUrl", url, quiet=True)
            proxy.add("publisher", publisher, quiet=True)
        if record.reviewed_at:
            proxy.add("modifiedAt", record.reviewed_at[:19], quiet=True)
        return proxy

    v = record.values
    if record.schema == "Organization":
        roles = set(v.get("role", []))
        kind = (
            "PublicBody"
            if "agency" in roles
            else "Company"
            if roles & SUPPLIERS or record.id in vendors
            else "Organization"
        )
        org = make(kind, record.id)
        org.add("name", record.name)
        org.add("alias", v.get("alias", []))
        org.add("country", v.get("country", []))
        org.add("jurisdiction", v.get("jurisdiction", []), quiet=True)
        org.add("website", v.get("website", []), quiet=True)
        org.add("description", v.get("description", []))
        for parent in v.get("parent", []):
            org.add("parent", ftm_id(parent), quiet=True)
        yield org
    elif record.schema == "Deployment":
        contract = make("Contract", record.id)
        contract.add("title", record.name)
        contract.add("country", v.get("buyer_country", []))
        contract.add("authority", [ftm_id(b) for b in v.get("buyer", [])])
        contract.add("amount", v.get("value", []))
        contract.add("currency", v.get("currency", []))
        contract.add("contractDate", v.get("year", [])[:1])
        contract.add("description", v.get("description", []))
        contract.add("status", v.get("status", []), quiet=True)
        contract.add("program", [ftm_id(p) for p in v.get("project", [])], quiet=True)
        yield contract
        for vendor in v.get("vendor", []):
            award = make("ContractAward", f"{record.id}:award:{vendor}")
            award.add("contract", contract.id)
            award.add("supplier", ftm_id(vendor))
            award.add("amount", v.get("value", []))
            award.add("currency", v.get("currency", []))
            award.add("date", v.get("year", [])[:1])
            yield award
    elif record.schema == "Project":
        project = make("Project", record.id)
        project.add("name", record.name)
        project.add("alias", v.get("alias", []))
        project.add("country", v.get("country", []))
        project.add("amount", v.get("value", []))
        project.add("currency", v.get("currency", []))
        project.add("startDate", v.get("start", []) or v.get("year", [])[:1])
        project.add("endDate", v.get("end", []), quiet=True)
        project.add("description", v.get("description", []))
        yield project
    elif record.schema == "Restriction":
        sanction = make("Sanction", record.id)
        sanction.add("entity", [ftm_id(t) for t in v.get("target", [])])
        sanction.add("country", v.get("authority", []))
        sanction.add("program", v.get("kind", []))
        sanction.add("startDate", v.get("date", []) or v.get("year", [])[:1])
        sanction.add("reason", v.get("description", []), quiet=True)
        yield sanction


class FtmExporter:
    """Writes the FtM entities of the records it is given, looking up their sources a
    batch at a time; `finalize` says how many entities of each schema it wrote."""

    def __init__(self, view: View, stream: IO[str]) -> None:
        self.view = view
        self.stream = stream
        self.vendors = {r.id for r in view.supplier_records()}
        self.counts: dict[str, int] = {}

    def write(self, records: Iterable[Record]) -> None:
        found = iter(records)
        while batch := list(islice(found, BATCH)):
            cited = self.view.citations([s for r in batch for s in r.sources])
            for record in batch:
                for proxy in entities(record, cited, self.vendors):
                    self._emit(proxy)

    def _emit(self, proxy: Any) -> None:
        if not all(proxy.has(p) for p in proxy.schema.required):
            return  # a sanction whose target is unknown, say: no valid entity to write
        self.stream.write(orjson.dumps(proxy.to_dict()).decode() + "\n")
        self.counts[proxy.schema.name] = self.counts.get(proxy.schema.name, 0) + 1

    def finalize(self) -> dict[str, int]:
        self.stream.flush()
        return dict(sorted(self.counts.items()))


def export(view: View, stream: IO[str]) -> dict[str, int]:
    """Every record FtM has a schema for, organisations first (what others refer to)."""
    exporter = FtmExporter(view, stream)
    for schema in SCHEMAS:
        exporter.write(view.records_of(schema))
    return exporter.finalize()
