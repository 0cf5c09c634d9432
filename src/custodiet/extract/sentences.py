"""Paragraphs and sentences as (start, end) spans of the normalised text."""

from __future__ import annotations

import re
from collections.abc import Iterator

PARAGRAPH = re.compile(r"\n\s*\n")
# A run of text this long without a sentence break is no sentence (a list, a table, a
# page without punctuation): it is read in pieces of at most this many characters, cut
# at a space, so that what the rules do per sentence never grows with the document.
MAX_SENTENCE = 1000
MAX_PARAGRAPH = 20_000  # likewise: a longer paragraph is read as several
# A sentence ends at . ! ? (and closing quotes) before space and a capital, digit or quote.
BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-ZÀ-ÖØ-Þ0-9¿¡])|\n")
ABBREVIATIONS = {
    "u.s",
    "u.k",
    "co",
    "ltd",
    "inc",
    "corp",
    "no",
    "nos",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "vs",
    "approx",
    "est",
    "gen",
    "gov",
    "sen",
    "rep",
    "dept",
    "rs",
    "s.a",
    "a",
    "b",
    "c",
    "d",
    "j",
    "m",
    "p",
    "ca",
    "cf",
    "fig",
    "vol",
    "art",
    "sr",
    "sra",
}


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph spans; one longer than MAX_PARAGRAPH is cut at spaces into pieces."""
    start = 0
    for m in PARAGRAPH.finditer(text):
        if m.start() > start:
            yield from _pieces(text, start, m.start(), MAX_PARAGRAPH)
        start = m.end()
    if start < len(text):
        yield from _pieces(text, start, len(text), MAX_PARAGRAPH)


def _pieces(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """The span, or pieces of it of at most `limit` characters cut at a space."""
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        yield start, cut
        start = cut
    yield start, end


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of text[start:end], trimmed, skipping breaks after abbreviations."""
    begin = start
    for m in BOUNDARY.finditer(text, start, end):
        word = text[max(begin, m.start() - 12) : m.start()].rstrip("\"'”’)]").split()
        last = word[-1].rstrip(".").lower() if word else ""
        if m.group() != "\n" and (last in ABBREVIATIONS or len(last) == 1):
            continue
        yield from _trimmed(text, begin, m.start())
        begin = m.end()
    yield from _trimmed(text, begin, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    for a, b in _pieces(text, start, end, MAX_SENTENCE):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            yield a, b
