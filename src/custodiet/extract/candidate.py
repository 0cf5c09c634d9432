"""A candidate: one proposed supply relation, with the exact words that support it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Candidate(BaseModel):
    doc_id: str | None = None
    source: str | None = None  # path or URL of the document
    vendor: str
    vendor_id: str  # an entity id, org:…
    buyer_country: str  # ISO 3166-1 alpha-2
    buyer_city: str | None = None
    buyer_agency: str | None = None
    technology: str | None = None
    year: int | None = None
    value: float | None = None
    currency: str | None = None
    financing: str | None = None
    status: str = "unknown"
    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    confidence: float = Field(ge=0.0, le=1.0)
