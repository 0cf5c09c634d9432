"""Documents as readers produce them: normalised text and what little metadata we keep.

Only the text, title, address and publication date survive reading; authors,
producers, devices, GPS positions and edit histories in the files are never kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from custodiet.model.text import normalise_text, text_id

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Looks at a document's raw UTF-8 (HTML included) and says whether to parse it at all.
Gate = Callable[[bytes], bool]


@dataclass(frozen=True)
class Document:
    doc_id: str  # the JSONL id, else the path or URL
    source: str  # where it came from: path, path#record or URL
    text: str  # normalised; every offset refers to it
    url: str | None = None
    title: str | None = None
    published: str | None = None

    @classmethod
    def make(cls, *, doc_id: str, source: str, text: str, **meta: str | None) -> Document:
        """Text normalised, and NUL characters dropped from what else is kept (no
        database stores them alike)."""
        kept = {k: v.replace("\x00", "") if v else v for k, v in meta.items()}
        return cls(
            doc_id=doc_id.replace("\x00", ""), source=source, text=normalise_text(text), **kept
        )

    @property
    def source_id(self) -> str:
        return text_id(self.text)


class StreamError(ValueError):
    """A stream that cannot be read on (truncated, or beyond a bound): its message says why."""


@dataclass(frozen=True)
class Skipped:
    """A document passed over unparsed because the caller's gate found nothing in it."""

    where: str
    chars: int


@dataclass(frozen=True)
class ReadError:
    """A document that could not be read: where, and one line saying why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
