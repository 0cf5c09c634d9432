"""Sources: documents whose id is the sha256 of their normalised text."""

from __future__ import annotations

import hashlib
import unicodedata

from pydantic import BaseModel, ConfigDict, Field

# No-break spaces look like spaces to every reader; folding them lets quotes match.
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})


def normalise_text(text: str) -> str:
    """The one text every offset refers to: NFC, plain spaces, Unix newlines, trimmed."""
    text = unicodedata.normalize("NFC", text).translate(_SPACES)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def text_id(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def url_id(url: str) -> str:
    """For a source known only by its address: the hash of that address, marked as such."""
    return hashlib.sha256(f"url:{url.strip()}".encode()).hexdigest()


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
