"""One Aho-Corasick pass over a text: every vendor, place and cue with its offsets."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from custodiet.extract.registry import Registry, Term

ENTITY_KINDS = (
    "vendor",
    "financier",
    "country",
    "demonym",
    "city",
    "region",
    "agency",
    "not_place",
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str
    ref: str

    @property
    def is_place(self) -> bool:
        return self.kind in ("country", "demonym", "city", "region", "agency")


def lower_same_length(text: str) -> str:
    """Lower-case without changing offsets (a few characters grow when lower-cased)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _bounded(text: str, start: int, end: int) -> bool:
    """Word boundaries at both ends, except beside CJK characters (no spaces there)."""
    first, last = text[start], text[end - 1]
    if first.isalnum() and start > 0 and text[start - 1].isalnum() and ord(first) < 0x2E80:
        return False
    return not (last.isalnum() and end < len(text) and text[end].isalnum() and ord(last) < 0x2E80)


def _accept(text: str, start: int, end: int, term: Term) -> bool:
    return term.exact is None or text[start:end] in term.exact


def find_mentions(
    text: str, low: str, reg: Registry, spans: list[tuple[int, int]] | None = None
) -> list[Mention]:
    """Mentions in the whole text, or only inside the given spans (paragraphs)."""
    found: list[Mention] = []
    for span_start, span_end in spans if spans is not None else [(0, len(text))]:
        # A slice, not iter(low, start, end): pyahocorasick converts the whole string on
        # every call, which made a document of many paragraphs quadratic.
        piece = low[span_start:span_end]
        for found_end, (key, terms) in reg.automaton.iter(piece):
            end_index = span_start + found_end
            start, end = end_index - len(key) + 1, end_index + 1
            if not _bounded(text, start, end):
                continue
            found.extend(
                Mention(start, end, t.kind, t.ref) for t in terms if _accept(text, start, end, t)
            )
    return resolve_overlaps(found)


def vendor_positions(low: str, reg: Registry, start: int = 0, end: int | None = None) -> list[int]:
    """Where vendor names end in low[start:end] (a substring pass; mentions check more)."""
    return [start + found for found, _ in reg.vendor_automaton.iter(low[start:end])]


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Among names, the longest wins (Democratic Republic of Congo over Congo); cues
    inside a vendor's name are dropped (Security in Security Tracking Devices)."""
    names = sorted(
        (m for m in mentions if m.kind in ENTITY_KINDS), key=lambda m: (-(m.end - m.start), m.start)
    )
    taken: list[Mention] = []
    spans: set[tuple[int, int]] = set()
    covered: set[int] = set()
    for m in names:
        span = range(m.start, m.end)
        if any(i in covered for i in span):
            if (m.start, m.end) in spans:
                taken.append(m)  # same span, another meaning: keep both
            continue
        covered.update(span)
        spans.add((m.start, m.end))
        taken.append(m)
    # Taken spans never overlap, so a position is inside a vendor's name when it falls
    # before the end of the last vendor span that starts at or before it.
    vendor_spans = sorted((m.start, m.end) for m in taken if m.kind in ("vendor", "financier"))
    starts = [a for a, _b in vendor_spans]

    def in_vendor(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < vendor_spans[i][1]

    cues = [
        m
        for m in mentions
        if m.kind not in ENTITY_KINDS and not (in_vendor(m.start) or in_vendor(m.end - 1))
    ]
    # A technology phrase inside a longer one means what the longer one says: the
    # `cameras` of `body cameras` are no street cameras.
    inside, reach = set(), -1
    for a, b in sorted({(m.start, m.end) for m in cues if m.kind == "tech"}, key=_longest_first):
        if b <= reach:
            inside.add((a, b))
        reach = max(reach, b)
    cues = [m for m in cues if m.kind != "tech" or (m.start, m.end) not in inside]
    # A span that names a vendor is the vendor, not a place of the same name (Orange).
    names_kept = [
        m for m in taken if m.kind != "not_place" and not (m.is_place and in_vendor(m.start))
    ]
    return sorted(names_kept + cues, key=lambda m: (m.start, m.end))


def _longest_first(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], -span[1]


def has_vendor(raw: bytes, reg: Registry) -> bool:
    """The cheap first pass over raw UTF-8: does any vendor name occur at all (as a
    substring; the full pass checks word boundaries and case)?"""
    return bool(reg.vendor_gate(raw))
