"""Statements: one value of one property of one entity, with its provenance."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_DATASET = "custodiet"
# The two datasets that predate datasets: their statement ids hash the four key fields,
# as before, so every id already written (in the audit log, judgements, corrections) still
# names its row. Every other dataset's ids hash the dataset too, as FollowTheMoney's do.
UNKEYED_DATASETS = frozenset({DEFAULT_DATASET, "owid-vdem"})


class Status(StrEnum):
    CANDIDATE = "candidate"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    RETIRED = "retired"  # its dataset's latest release no longer holds it


def statement_id(
    entity_id: str, prop: str, value: str, source_id: str, dataset: str = DEFAULT_DATASET
) -> str:
    """Deterministic: the same fact from the same source in the same dataset is one row."""
    parts: tuple[str, ...] = (entity_id, prop, value, source_id)
    if dataset not in UNKEYED_DATASETS:
        parts = (dataset, *parts)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def now() -> str:
    """Timestamps are ISO 8601 UTC strings, identical on SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Statement(BaseModel):
    id: str
    entity_id: str
    schema_name: str = Field(alias="schema")
    prop: str
    value: str
    source_id: str
    quote: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    method: str
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    status: Status = Status.CANDIDATE
    author: str | None = None
    reviewer: str | None = None
    created_at: str
    reviewed_at: str | None = None
    superseded_by: str | None = None
    dataset: str = DEFAULT_DATASET
    original_value: str | None = None  # the value as the source wrote it, where it was cleaned
    origin: str | None = None  # where in its dataset it came from (a row's key, a line)
    first_seen: str | None = None  # when its dataset first and last contained it
    last_seen: str | None = None

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _offsets_need_a_quote(self) -> Statement:
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end go together")
        if self.start is not None and self.end is not None:
            if self.quote is None:
                raise ValueError("offsets need a quote")
            if self.end - self.start != len(self.quote):
                raise ValueError("end - start must equal the quote's length")
        return self

    @classmethod
    def make(
        cls, *, entity_id: str, schema: str, prop: str, value: str, source_id: str, **rest: object
    ) -> Statement:
        dataset = str(rest.get("dataset") or DEFAULT_DATASET)
        sid = statement_id(entity_id, prop, value, source_id, dataset)
        rest.setdefault("created_at", now())
        rest["dataset"] = dataset
        return cls.model_validate(
            {
                "id": sid,
                "entity_id": entity_id,
                "schema": schema,
                "prop": prop,
                "value": value,
                "source_id": source_id,
                **rest,
            }
        )

    def key_matches(self) -> bool:
        return self.id == statement_id(
            self.entity_id, self.prop, self.value, self.source_id, self.dataset
        )
