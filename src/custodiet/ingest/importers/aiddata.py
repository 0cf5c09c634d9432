"""AidData's Global Chinese Development Finance records (GCDF 3.0), as JSON lines with
the project pages' own field labels: each a project with its recipient, lender (a
financier), amount and the basis it is stated in, status and dates; and where its
description names a vendor, a deployment of that vendor to the recipient, financed by
the lender. The description's sentences are the quote of the facts they support.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from custodiet.ingest.cleaning import VendorResolver, country_code, untruncated
from custodiet.ingest.importers.base import Facts, Importer, Release, json_lines, vendors_in
from custodiet.model.datasets import Dataset
from custodiet.model.errors import DataError
from custodiet.model.text import slug

URL = "https://www.aiddata.org/data/aiddatas-global-chinese-development-finance-dataset-version-3-0"
DATASET = Dataset(
    name="aiddata-gcdf",
    title="Global Chinese Development Finance Dataset, version 3.0",
    publisher="AidData (William & Mary)",
    url=URL,
    licence="ODC-By 1.0",
    citation="AidData, Global Chinese Development Finance Dataset, Version 3.0",
    version="3.0",
    description="Projects financed by Chinese state lenders; here those for safe-city, "
    "surveillance and public-security systems.",
)
GOVERNMENT = re.compile(r"\bGovernment of (?:the )?([A-Z][\w-]*(?: [A-Z][\w-]*)*)")
SURVEILLANCE = re.compile(r"safe city|cctv|surveillance|camera|ecu ?911|public security", re.I)
TRUNCATED = re.compile(r"\s*\[truncated[^\]]*\]\s*$")


class AidDataImporter(Importer):
    name = "aiddata"
    dataset = "aiddata-gcdf"
    summary = (
        "AidData GCDF 3.0 project records: recipient, lender, amount and its basis, status, "
        "dates, and the vendor a description names"
    )

    def read(self, path: Path, vendors: VendorResolver, facts: Facts) -> Release:
        count = 0
        with path.open(encoding="utf-8") as f:
            for line, record in json_lines(f, str(path)):
                if not isinstance(record, dict) or "Project ID" not in record:
                    raise DataError(
                        'not an AidData project record (expected "Project ID", "Title", '
                        '"Recipient", "Commitment amount", …)',
                        file=str(path),
                        line=line,
                    )
                count += 1
                with facts.record():
                    _project(facts, vendors, record, line)
        return Release(DATASET, facts, count)


def recipient(record: dict[str, Any], file: str, line: int) -> tuple[str, str]:
    """(code, as written): the Recipient field, else the "Government of X" the
    description names (a page whose copy shows no Recipient)."""
    written = (record.get("Recipient") or "").strip()
    candidates = [written] if written else []
    for found in GOVERNMENT.finditer(record.get("description_excerpt") or ""):
        words = found.group(1).split()
        candidates += [" ".join(words[:n]) for n in range(len(words), 0, -1)]
    for name in candidates:
        try:
            return country_code(name), name
        except ValueError:
            continue
    raise DataError(
        "no recipient: neither a Recipient field nor a government the description names",
        file=file,
        line=line,
        field="Recipient",
    )


def _amount(raw: Any) -> str | None:
    if not raw:
        return None
    return str(raw).replace("$", "").replace(",", "").strip() or None


def _project(facts: Facts, vendors: VendorResolver, record: dict[str, Any], line: int) -> None:
    key = str(record["Project ID"]).strip()
    project = f"project:aiddata-{slug(key)}"
    url = record.get("source_url") or f"https://china.aiddata.org/projects/{key}"
    quote = (record.get("description_excerpt") or "").strip() or None
    source = facts.source(url, title=record.get("Title") or f"AidData project {key}",
                          publisher="AidData", licence=DATASET.licence)  # fmt: skip
    code, written = recipient(record, facts.file, line)

    def add(entity: str, prop: str, raw: Any, column: str, original: str | None = None) -> None:
        facts.add(entity, prop, raw, source, line=line, column=column, quote=quote,
                  original=original, origin=f"project {key}")  # fmt: skip

    add(project, "name", record.get("Title") or f"AidData project {key}", "Title")
    add(project, "country", code, "Recipient", original=written if written != code else None)
    amount = _amount(record.get("Commitment amount"))
    add(project, "value", amount, "Commitment amount",
        original=str(record.get("Commitment amount")) if amount else None)  # fmt: skip
    if amount:
        add(project, "currency", "USD", "Commitment amount")
        add(project, "value_basis", record.get("Amount basis"), "Amount basis")
    add(project, "status", record.get("Status"), "Status")
    milestones = record.get("Milestones") or {}
    start = milestones.get("Actual start") or milestones.get("Commitment")
    add(project, "start", start, "Milestones")
    add(project, "end", milestones.get("Actual complete"), "Milestones")
    add(project, "year", (milestones.get("Commitment") or "")[:4] or None, "Milestones")
    add(project, "financing", record.get("Flow type"), "Flow type")
    lender = re.sub(r"\s*\[[^\]]*\]\s*$", "", record.get("Funding agency [Type]") or "")
    column = "Funding agency [Type]"
    found = vendors_in(facts, vendors, lender, source, line=line, column=column, quote=quote)
    lenders = [org for org, _name, _match in found]
    for org in lenders:
        add(project, "financier", org, "Funding agency [Type]", original=lender)
        add(org, "role", "financier", "Funding agency [Type]")
    cell = record.get("vendor_named_in_excerpt") or ""
    if TRUNCATED.search(cell):
        cell = untruncated(TRUNCATED.sub("", cell))
    for org, name, _m in vendors_in(facts, vendors, cell, source, line=line,
                                    column="vendor_named_in_excerpt", quote=quote):  # fmt: skip
        add(project, "vendor", org, "vendor_named_in_excerpt", original=name)
        deployment = f"deployment:aiddata-{slug(key)}-{org.split(':', 1)[1]}"
        add(deployment, "vendor", org, "vendor_named_in_excerpt", original=name)
        add(deployment, "buyer_country", code, "Recipient")
        add(deployment, "project", project, "Project ID")
        add(deployment, "year", (milestones.get("Commitment") or "")[:4] or None, "Milestones")
        for financier in lenders:
            add(deployment, "financier", financier, "Funding agency [Type]")
        text = f"{record.get('Title') or ''} {quote or ''}"
        tech = "safe_city_cctv" if SURVEILLANCE.search(text) else "other"
        add(deployment, "technology", tech, "Title")
