"""What of a source's text the public may see: one rule, from the source's licence.

The full text of every source is stored, so that `verify` can check each quote at its
offsets and editors can read a candidate in its context. Public pages show a source's
full text only where its licence allows republication (public domain, CC0, CC BY,
CC BY-SA, ODC-By, the Open Government Licence); otherwise they show the accepted quotes,
each with a short window of the text around it. A source on which only candidates
rest is not public at all.
"""

from __future__ import annotations

import re

CONTEXT_CHARS = 240  # of text either side of a quote, where the full text may not be shown
# Licences that let anyone republish the text as it stands (NC and ND ones do not count:
# we show text to everyone, and cut it into windows).
OPEN = re.compile(
    r"\b(public domain|cc0|cc[ -]by(?:[ -]sa)?(?![ -]n[cd])|odc[ -]by|odbl|"
    r"open government licen[cs]e|ogl)\b",
    re.IGNORECASE,
)


def may_republish(licence: str | None) -> bool:
    """True where the licence lets the full text be shown to everyone."""
    return bool(licence and OPEN.search(licence))


def windows(length: int, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of text shown around the quotes: each quote with CONTEXT_CHARS either
    side, overlapping ones joined, in order."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted(quotes):
        a, b = max(0, start - CONTEXT_CHARS), min(length, end + CONTEXT_CHARS)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return spans
