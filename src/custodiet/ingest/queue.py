"""Candidates into the review queue: a Source and, per candidate, Deployment statements."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING

from custodiet.extract.candidate import NEW_ORGANISATION, Candidate
from custodiet.ingest.document import Document
from custodiet.model.schemata import schema
from custodiet.model.source import Source
from custodiet.model.statement import Statement, Status

if TYPE_CHECKING:
    from custodiet.extract.registry import Registry, Vendor
    from custodiet.store.writer import Writer

EXTRACTOR = "rule:extract-1"
# A candidate's fields become the Deployment properties of the same name, but for these.
RENAMED = {"vendor_id": "vendor", "vendor": None}  # the vendor's id, not its name as written
PROPS = {
    f.name: prop
    for f in fields(Candidate)
    if (prop := RENAMED.get(f.name, f.name)) in schema("Deployment").properties
}


def source_of(doc: Document) -> Source:
    return Source(
        id=doc.source_id,
        url=_web_address(doc.url),
        title=doc.title,
        published=_date(doc.published),
        text=doc.text,
    )


def scanned_source(meta: Mapping[str, str | None]) -> Source:
    """A scanned document as a source: its metadata, not its text (a scan part keeps the
    quotes; `custodiet attach-text` adds the text, checked against the id, where wanted)."""
    return Source(
        id=str(meta["source_id"]),
        url=_web_address(meta.get("url")),
        title=meta.get("title"),
        published=_date(meta.get("published")),
    )


def _web_address(raw: str | None) -> str | None:
    """The document's address if it is a web one (http, https); anything else (a
    `javascript:` address in a crawl, say) is not kept as the source's URL."""
    from custodiet.model.types import url

    try:
        return url(raw) if raw else None
    except ValueError:
        return None


def _date(raw: str | None) -> str | None:
    if not raw:
        return None
    from custodiet.model.types import date

    try:
        return date(raw[:10])
    except ValueError:
        return None


def deployment_id(source_id: str, c: Candidate) -> str:
    """One proposed Deployment per (source, vendor, buyer country, city)."""
    key = "|".join((source_id, c.vendor_id, c.buyer_country, c.buyer_city or ""))
    return "deployment:c-" + hashlib.sha1(key.encode()).hexdigest()[:16]


def candidate_statements(
    source_id: str, c: Candidate, *, held: bool = True, shipped: Vendor | None = None
) -> list[Statement]:
    """The candidate's values as `candidate` statements, each with the supporting quote.
    A vendor the database does not hold (`held`) is proposed too, as an organisation: by
    its name as written when the registry did not know it, else as the shipped registry
    describes it (`shipped`)."""
    values = {prop: getattr(c, field) for field, prop in PROPS.items()}
    out = _statements("Deployment", deployment_id(source_id, c), values, source_id, c)
    if c.vendor_id.startswith(NEW_ORGANISATION) or not held:
        named: dict[str, object] = {"name": c.vendor, "role": "vendor"}
        if shipped is not None:
            named |= {"name": shipped.name, "country": shipped.country or None}
        out.extend(_statements("Organization", c.vendor_id, named, source_id, c))
    return out


def queued_statements(
    tx: Writer, source_id: str, candidates: Iterable[Candidate], reg: Registry,
    held: dict[str, bool],
) -> list[Statement]:  # fmt: skip
    """The candidates' statements for the queue, with the vendors the database does not
    hold (no accepted statement) proposed too; `held` remembers the answers for a run."""
    out = []
    for c in candidates:
        if c.vendor_id not in held:
            held[c.vendor_id] = bool(tx.statements_of(c.vendor_id))
        shipped = reg.vendors.get(c.vendor_id)
        out.extend(candidate_statements(source_id, c, held=held[c.vendor_id], shipped=shipped))
    return out


def _statements(
    schema_name: str, entity_id: str, values: Mapping[str, object], source_id: str, c: Candidate
) -> list[Statement]:
    described = schema(schema_name)
    out = []
    for prop, raw in values.items():
        if raw is None:
            continue
        try:
            value = described.get(prop).normalise(raw)
        except ValueError:
            continue  # a value the schema refuses stays out of the queue, not the whole fact
        out.append(
            Statement.make(
                entity_id=entity_id,
                schema=schema_name,
                prop=prop,
                value=value,
                source_id=source_id,
                quote=c.quote,
                start=c.start,
                end=c.end,
                method=EXTRACTOR,
                confidence=c.confidence,
                status=Status.CANDIDATE,
            )
        )
    return out
