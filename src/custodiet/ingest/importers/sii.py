"""The Surveillance Industry Index's transfers (Privacy International and Transparency
Toolkit, 2016), as the JSON of its published data: each reported export a deployment of
its supplier's goods to the recipient country and, where named, its end user (an
agency, an organisation of its own), each fact cited to the record's own links.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from custodiet.ingest.cleaning import VendorResolver
from custodiet.ingest.importers.base import Facts, Importer, Release, vendors_in
from custodiet.model.datasets import Dataset
from custodiet.model.errors import DataError
from custodiet.model.text import slug

URL = "https://sii.transparencytoolkit.org/"
# The index's kinds of goods onto the technology taxonomy (its words kept as the
# original value); spellings as found, typos included.
GOODS = {
    "off the air interception": "internet_monitoring",
    "intrusion software": "spyware",
    "deep packet inspection": "internet_monitoring",
    "deeo packet inspection": "internet_monitoring",
    "lawful interception": "internet_monitoring",
    "monitoring centre": "internet_monitoring",
    "monitoring centres": "internet_monitoring",
    "network infrastructure and services": "telecom_backbone",
    "network infrastructure": "telecom_backbone",
    "fibre taps / probes": "internet_monitoring",
    "fiber taps / probes": "internet_monitoring",
    "biometrics": "biometric_id",
    "location tracking": "internet_monitoring",
}
COMPLETE = {"yes": "operational", "no": "contracted", "unknown": "unknown"}
DATASET = Dataset(
    name="sii",
    title="Surveillance Industry Index",
    publisher="Privacy International and Transparency Toolkit",
    url=URL,
    licence="not verified (Privacy International and Transparency Toolkit)",
    citation="Privacy International and Transparency Toolkit, Surveillance Industry Index (2016)",
    version="2016",
    description="Reported exports of surveillance technology: supplier, recipient, end "
    "user, goods, year, and the sources that report them.",
)


class SiiImporter(Importer):
    name = "sii"
    dataset = "sii"
    summary = (
        "Surveillance Industry Index transfers (Privacy International): supplier and its "
        "headquarters, recipient, end user, goods, year, completion, source links"
    )

    def read(self, path: Path, vendors: VendorResolver, facts: Facts) -> Release:
        try:
            records = json.loads(path.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            raise DataError(f"not JSON: {exc.msg}", file=str(path), line=exc.lineno) from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise DataError(
                "not the Surveillance Industry Index transfers layout: expected a JSON list of "
                "records with supplier_company, recipient_country, goods, source_links…",
                file=str(path),
            )
        index = facts.source(URL, title=DATASET.title, publisher=DATASET.publisher)
        for number, record in enumerate(records, start=1):
            with facts.record():
                _transfer(facts, vendors, record, number, index)
        return Release(DATASET, facts, len(records))


def _field(record: dict[str, Any], name: str, number: int, file: str) -> Any:
    if name not in record:
        raise DataError(f"record {number} has no {name!r}", file=file, field=name)
    return record[name]


def _transfer(
    facts: Facts, vendors: VendorResolver, record: dict[str, Any], number: int, index: str
) -> None:
    where = f"record {number}"
    key = str(_field(record, "unique_id", number, facts.file) or f"record-{number}")
    deployment = f"deployment:sii-{slug(key, 120)}"
    links = [u for u in record.get("source_links") or [] if isinstance(u, str) and u.strip()]
    sources = [facts.source(u.strip(), title=record.get("title")) for u in links] or [index]

    def add(
        entity: str, prop: str, raw: Any, column: str | None = None, original: str | None = None
    ) -> None:
        """The fact, from each of the record's sources."""
        for source in sources:
            facts.add(entity, prop, raw, source, origin=key, column=column or prop,
                      original=original)  # fmt: skip

    country = _field(record, "recipient_country", number, facts.file)
    code = facts.country(country, column="recipient_country", where=where)
    add(
        deployment,
        "buyer_country",
        code,
        original=country.strip() if country.strip() != code else None,
    )
    supplier = _field(record, "supplier_company", number, facts.file)
    for source in sources:
        for org, name, _match in vendors_in(facts, vendors, supplier, source, line=None,
                                            column="supplier_company"):  # fmt: skip
            facts.add(deployment, "vendor", org, source, origin=key, original=name)
            _headquarters(facts, org, record.get("supplier_company_hq"), source, key)
    _end_user(facts, add, deployment, code, record.get("enduser"))
    for goods in record.get("goods") or []:
        tech = GOODS.get(" ".join(str(goods).lower().split()), "other")
        add(deployment, "technology", tech, original=str(goods).strip(), column="goods")
    year = record.get("order_year")
    if year not in (None, ""):
        add(deployment, "year", year, column="order_year")
    done = str(record.get("transfer_to_enduser_reported_as_complete") or "").strip().lower()
    if done in COMPLETE:
        add(deployment, "status", COMPLETE[done], column="transfer_to_enduser_reported_as_complete")


def _headquarters(facts: Facts, org: str, cell: Any, source: str, key: str) -> None:
    """The supplier's headquarters: the first country the cell names (some name two)."""
    names = [n.strip() for n in str(cell or "").split(",") if n.strip()]
    if not names:
        return
    code = facts.country(names[0], column="supplier_company_hq", where=key)
    facts.add(org, "country", code, source, origin=key, original=str(cell).strip())


def _end_user(facts: Facts, add: Any, deployment: str, code: str, enduser: Any) -> None:
    """A named end user is an agency: an organisation of its own, in the buyer country."""
    if not isinstance(enduser, str) or not enduser.strip():
        return
    agency = f"org:sii-{code.lower()}-{slug(enduser)}"
    add(agency, "name", enduser)
    add(agency, "role", "agency")
    add(agency, "country", code)
    add(deployment, "buyer", agency)
    add(deployment, "buyer_agency", enduser)
