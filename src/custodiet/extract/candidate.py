"""A candidate: one proposed supply relation, with the exact words that support it.

A plain dataclass: the extractor's hot path does not need (or load) pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

# The ids of organisations the extractor found in the text, not in the registry: each is
# proposed for review with its name and the quote (`ingest.queue`).
NEW_ORGANISATION = "org:new-"


@dataclass(frozen=True)
class Candidate:
    vendor: str
    vendor_id: str  # an entity id, org:…
    buyer_country: str  # ISO 3166-1 alpha-2
    quote: str  # verbatim: text[start:end] of the normalised text
    start: int
    end: int
    confidence: float  # 0..1
    doc_id: str | None = None
    source: str | None = None  # path or URL of the document
    buyer_city: str | None = None
    buyer_agency: str | None = None
    technology: str | None = None
    year: int | None = None
    value: float | None = None
    currency: str | None = None
    financing: str | None = None
    status: str = "unknown"

    def to_dict(self) -> dict[str, Any]:
        """Its fields by name (all plain values: no deep copy needed)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
