"""Paragraphs and sentences as (start, end) spans of the normalised text."""

from __future__ import annotations

import re
from collections.abc import Iterator

PARAGRAPH = re.compile(r"\n\s*\n")
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
    start = 0
    for m in PARAGRAPH.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


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
    if end > start:
        yield start, end
