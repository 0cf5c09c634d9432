"""The normalised text every offset refers to, and the ids derived from text or URL.

Kept apart from the pydantic models so that reading and extracting load quickly.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# No-break spaces look like spaces to every reader; folding them lets quotes match.
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})


def normalise_text(text: str) -> str:
    """The one text every offset refers to: NFC, plain spaces, Unix newlines, no NUL
    characters, trimmed."""
    # The checks first: most text is already NFC and has no no-break spaces or CRs.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\u00a0" in text or "\u2007" in text or "\u202f" in text:
        text = text.translate(_SPACES)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:  # no database stores it alike (PostgreSQL refuses it)
        text = text.replace("\x00", "")
    return text.strip()


def text_id(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def url_id(url: str) -> str:
    """For a source known only by its address: the hash of that address, marked as such."""
    return hashlib.sha256(f"url:{url.strip()}".encode()).hexdigest()


def slug(text: str, limit: int = 60) -> str:
    """Lower-case letters and digits joined by hyphens: the tail of an id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit] or "x"
