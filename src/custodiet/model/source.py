"""Sources: documents whose id is the sha256 of their normalised text."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from custodiet.model.text import normalise_text, text_id, url_id

__all__ = ["Source", "normalise_text", "text_id", "url_id"]


class Source(BaseModel):
    """A document. `text` is stored only where its licence allows or an editor attached it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[0-9a-f]{64}$")
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    retrieved: str | None = None
    language: str | None = None
    licence: str | None = None
    text: str | None = None
