"""extract(): text in, candidates out. A cheap vendor pass decides whether a document
deserves reading at all; only then are mentions, sentences and rules computed, a
window of paragraphs at a time (with the paragraphs around it for context), so that
time grows with the length of a document and memory does not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from custodiet.extract import fields, rules
from custodiet.extract.amounts import find_year
from custodiet.extract.candidate import Candidate
from custodiet.extract.context import Document, Sentence, build, near
from custodiet.extract.matcher import (
    find_mentions,
    has_vendor,
    lower_same_length,
    vendor_positions,
)
from custodiet.extract.registry import Registry, registry
from custodiet.extract.sentences import paragraphs
from custodiet.model.text import normalise_text

CONTEXT_PARAGRAPHS = 3
WINDOW_CHARS = 250_000  # of paragraphs read at a time


@dataclass(frozen=True)
class Party:
    vendor: str
    how: str  # named in the sentence, or carried over from its paragraph


def extract(
    text: str, *, url: str | None = None, doc_id: str | None = None, reg: Registry | None = None
) -> list[Candidate]:
    """Candidates stated in `text`; offsets refer to normalise_text(text). `reg` is the
    shipped registry unless given (one grown with a database's organisations)."""
    text = normalise_text(text)
    reg = reg or registry()
    if not has_vendor(text.encode(), reg):
        return []
    low = lower_same_length(text)
    spans = list(paragraphs(text))
    found: dict[tuple[str, str, str | None], Candidate] = {}
    for first, last in _windows(spans):
        for candidate in _window(text, low, spans, first, last, reg, url=url, doc_id=doc_id):
            key = (candidate.vendor_id, candidate.buyer_country, candidate.buyer_city)
            found[key] = _merge(found.get(key), candidate)
    return list(found.values())


def _windows(spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Runs of paragraphs (first, last + 1) of about WINDOW_CHARS characters."""
    first = 0
    for i, (_start, end) in enumerate(spans):
        if end - spans[first][0] >= WINDOW_CHARS:
            yield first, i + 1
            first = i + 1
    if first < len(spans):
        yield first, len(spans)


def _window(
    text: str,
    low: str,
    spans: list[tuple[int, int]],
    first: int,
    last: int,
    reg: Registry,
    *,
    url: str | None,
    doc_id: str | None,
) -> Iterator[Candidate]:
    """The candidates stated in paragraphs first..last-1, read with their neighbours."""
    lo, hi = max(0, first - CONTEXT_PARAGRAPHS), min(len(spans), last + CONTEXT_PARAGRAPHS)
    positions = vendor_positions(low, reg, spans[first][0], spans[last - 1][1])
    # Only paragraphs near a vendor's name are read: the buyer is stated close by.
    chosen = [(lo + i, s, e) for i, s, e in near(spans[lo:hi], positions, CONTEXT_PARAGRAPHS)]
    doc = build(text, low, find_mentions(text, low, reg, [(s, e) for _i, s, e in chosen]), chosen)
    for s in doc.sentences:
        if first <= s.paragraph < last and rules.is_deal(doc, s, reg):
            yield from _candidates(doc, s, reg, url=url, doc_id=doc_id)


def worth_reading(raw: bytes, reg: Registry | None = None) -> bool:
    """The gate for readers: do the raw bytes (HTML included) name any vendor?"""
    return has_vendor(raw, reg or registry())


def _parties(doc: Document, s: Sentence) -> list[Party]:
    named = {m.ref: Party(m.ref, "sentence") for m in rules.parties(doc, s)}
    if named:
        return list(named.values())
    # "The company struck deals…": borrow the paragraph's only vendor, if it has one.
    paragraph = {m.ref for x in doc.paragraph_of(s) for m in rules.parties(doc, x)}
    return [Party(paragraph.pop(), "paragraph")] if len(paragraph) == 1 else []


def _buyers(doc: Document, s: Sentence, reg: Registry, party: Party) -> list[rules.Buyer]:
    found = rules.buyers_in(doc, s, reg) or rules.buyers_nearby(doc, s, reg)
    home = reg.vendors[party.vendor].country
    if not found and party.how == "sentence" and home:
        # A purchase with no place named at all is most often a domestic one.
        found = [rules.Buyer(home, None, "home")]
    return found


def _candidates(
    doc: Document, s: Sentence, reg: Registry, *, url: str | None, doc_id: str | None
) -> list[Candidate]:
    out = []
    parties = _parties(doc, s)
    for party in parties:
        vendor = reg.vendors[party.vendor]
        for buyer in _buyers(doc, s, reg, party):
            if buyer.country == vendor.country and buyer.how == "home" and len(parties) > 1:
                continue
            money = fields.money(doc, s)
            out.append(
                Candidate(
                    doc_id=doc_id,
                    source=url,
                    vendor=vendor.name,
                    vendor_id=vendor.id,
                    buyer_country=buyer.country,
                    buyer_city=fields.city(doc, s, buyer.country),
                    buyer_agency=fields.agency(doc, s, buyer.country),
                    technology=fields.technology(doc, s, vendor.tech),
                    year=find_year(doc.text, s.start, s.end),
                    value=money.value if money else None,
                    currency=money.iso_currency(buyer.country) if money else None,
                    financing=fields.financing(doc, s, reg),
                    status=fields.status(s),
                    quote=doc.text[s.start : s.end],
                    start=s.start,
                    end=s.end,
                    confidence=_confidence(s, party, buyer),
                )
            )
    return out


def _confidence(s: Sentence, party: Party, buyer: rules.Buyer) -> float:
    score = 0.55
    score += 0.2 if buyer.how == "sentence" else -0.15 if buyer.how == "context" else -0.3
    score -= 0.15 if party.how == "paragraph" else 0.0
    score += 0.1 if s.cues("tech") else 0.0
    score += 0.1 if s.cues("status") else 0.0
    return round(min(max(score, 0.05), 0.99), 2)


def _merge(old: Candidate | None, new: Candidate) -> Candidate:
    """One candidate per key: the most confident quote, gaps filled from the others."""
    if old is None:
        return new
    best, other = (new, old) if new.confidence > old.confidence else (old, new)
    fill = {k: v for k, v in other.to_dict().items() if getattr(best, k) is None and v is not None}
    return replace(best, **fill) if fill else best
