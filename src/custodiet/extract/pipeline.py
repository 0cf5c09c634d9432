"""extract(): text in, candidates out. A cheap vendor pass decides whether a document
deserves reading at all; only then are mentions, sentences and rules computed, a
window of paragraphs at a time (with the paragraphs around it for context), so that
time grows with the length of a document and memory does not."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from custodiet.extract import fields, orgs, rules
from custodiet.extract.amounts import find_year
from custodiet.extract.candidate import Candidate
from custodiet.extract.context import PARAGRAPH_REACH, Document, Sentence, build, near
from custodiet.extract.features import Pair, features
from custodiet.extract.matcher import (
    Mention,
    find_mentions,
    has_vendor,
    lower_same_length,
    resolve_overlaps,
    vendor_positions,
)
from custodiet.extract.registry import Registry, Vendor, registry
from custodiet.extract.scorer import Scorer
from custodiet.extract.scorer import shipped as shipped_scorer
from custodiet.extract.sentences import paragraphs
from custodiet.model.text import normalise_text

if TYPE_CHECKING:
    from custodiet.ingest.document import Document as ReadDocument

CONTEXT_PARAGRAPHS = 3
WINDOW_CHARS = 250_000  # of paragraphs read at a time


@dataclass(frozen=True)
class Party:
    vendor: str
    how: str  # named in the sentence, or carried over from its paragraph
    mention: Mention | None = None  # where the sentence names it


Proposal = tuple[Candidate, tuple[float, ...]]  # a pair the rules found, and its features


def extract(
    text: str,
    *,
    url: str | None = None,
    doc_id: str | None = None,
    reg: Registry | None = None,
    scorer: Scorer | None = None,
) -> list[Candidate]:
    """Candidates stated in `text`; offsets refer to normalise_text(text). `reg` is the
    shipped registry unless given (one grown with a database's organisations); `scorer`
    the shipped one unless given. Each pair's confidence is the scorer's probability;
    pairs below its threshold are not proposed."""
    return decide(proposals(text, url=url, doc_id=doc_id, reg=reg), scorer or shipped_scorer())


def extract_document(doc: ReadDocument, reg: Registry, scorer: Scorer) -> list[Candidate]:
    """A read document's candidates, each naming where it came from: what `custodiet
    extract` prints and a scan's shard writes."""
    found = extract(doc.text, url=doc.url, doc_id=doc.doc_id, reg=reg, scorer=scorer)
    return [replace(c, source=doc.source) for c in found]


def decide(found_pairs: Iterable[Proposal], scorer: Scorer) -> list[Candidate]:
    """The pairs the scorer keeps, one per vendor, buyer country and city (the most
    confident quote, gaps filled from the others)."""
    found: dict[tuple[str, str, str | None], Candidate] = {}
    for candidate, x in found_pairs:
        p = scorer.probability(x)
        if p < scorer.threshold:
            continue
        candidate = replace(candidate, confidence=round(min(max(p, 0.01), 0.99), 2))
        key = (candidate.vendor_id, candidate.buyer_country, candidate.buyer_city)
        found[key] = _merge(found.get(key), candidate)
    return list(found.values())


def proposals(
    text: str, *, url: str | None = None, doc_id: str | None = None, reg: Registry | None = None
) -> Iterator[Proposal]:
    """Every pair the rules find, before the scorer decides: what training reads."""
    text = normalise_text(text)
    reg = reg or registry()
    if not has_vendor(text.encode(), reg):
        return
    low = lower_same_length(text)
    spans = list(paragraphs(text))
    for first, last in _windows(spans):
        yield from _window(text, low, spans, first, last, reg, url=url, doc_id=doc_id)


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
) -> Iterator[Proposal]:
    """The candidates stated in paragraphs first..last-1, read with their neighbours."""
    lo, hi = max(0, first - CONTEXT_PARAGRAPHS), min(len(spans), last + CONTEXT_PARAGRAPHS)
    a, b = spans[first][0], spans[last - 1][1]
    positions = vendor_positions(low, reg, a, b) + orgs.signal_positions(text, a, b)
    # Only paragraphs near a vendor's name (or a word that may introduce one) are read:
    # the buyer is stated close by.
    chosen = [
        (lo + i, s, e) for i, s, e in near(spans[lo:hi], sorted(positions), CONTEXT_PARAGRAPHS)
    ]
    mentions = find_mentions(text, low, reg, [(s, e) for _i, s, e in chosen])
    new = _new_organisations(text, chosen, mentions, reg)
    doc = build(text, low, resolve_overlaps(mentions + new) if new else mentions, chosen)
    doc.new_vendors = {m.ref: text[m.start : m.end] for m in new if m.ref not in reg.vendors}
    for s in doc.sentences:
        if first <= s.paragraph < last and rules.is_deal(doc, s, reg):
            yield from _candidates(doc, s, reg, url=url, doc_id=doc_id)


def _new_organisations(
    text: str, chosen: list[tuple[int, int, int]], mentions: list[Mention], reg: Registry
) -> list[Mention]:
    """Organisations the registry lacks, paragraph by paragraph (`orgs.recognise`)."""

    def registered(name: str) -> str | None:
        return next(iter(reg.named(name)), None)

    starts = [m.start for m in mentions]
    found = []
    for _i, s, e in chosen:
        inside = mentions[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
        found.extend(orgs.recognise(text, s, e, inside, registered))
    return found


def vendor_of(doc: Document, reg: Registry, ref: str) -> Vendor:
    """The registry's vendor, or one the text introduced (home country unknown)."""
    known = reg.vendors.get(ref)
    return known or Vendor(id=ref, name=doc.new_vendors.get(ref, ref), country="")


def worth_reading(raw: bytes, reg: Registry | None = None) -> bool:
    """The gate for readers: do the raw bytes (HTML included) name any vendor?"""
    return has_vendor(raw, reg or registry())


def _parties(doc: Document, s: Sentence) -> list[Party]:
    named: dict[str, Party] = {}
    for m in rules.parties(doc, s):
        named.setdefault(m.ref, Party(m.ref, "sentence", m))
    if named:
        return list(named.values())
    # "The company struck deals…": borrow the paragraph's only vendor, if it has one.
    paragraph = {m.ref for x in doc.paragraph_of(s) for m in rules.parties(doc, x)}
    if len(paragraph) == 1:
        return [Party(paragraph.pop(), "paragraph")]
    if paragraph or not rules.ANAPHOR.search(doc.text, s.start, s.end):
        return []
    # "The firm has deployed…" in a paragraph of its own: the vendor of the nearest
    # earlier sentence that names exactly one.
    for x in reversed(doc.sentences[max(0, s.index - PARAGRAPH_REACH) : s.index]):
        earlier = {m.ref for m in rules.parties(doc, x)}
        if earlier:
            return [Party(earlier.pop(), "paragraph")] if len(earlier) == 1 else []
    return []


def _buyers(doc: Document, s: Sentence, reg: Registry, vendor: Vendor) -> list[rules.Buyer]:
    """The buyers of a vendor's deal: the places the sentence names, else the nearest
    ones named around it. No fallback to the vendor's home country: a sentence that
    names no buyer, near a text that names none either, proposes nothing. And the home
    country is no buyer beside another one (`Chinese companies will supply Zimbabwe`),
    nor by an adjective alone (`the Chinese investors`)."""
    found = rules.buyers_in(doc, s, reg) or rules.buyers_nearby(doc, s, reg)
    home = vendor.country
    if not home:
        return found
    others = [b for b in found if b.country != home]
    return [
        b
        for b in found
        if b.country != home or not (others or (b.mention and b.mention.kind == "demonym"))
    ]


def _candidates(
    doc: Document, s: Sentence, reg: Registry, *, url: str | None, doc_id: str | None
) -> list[Proposal]:
    out = []
    parties = _parties(doc, s)
    money = fields.money(doc, s)
    for party in parties:
        vendor = vendor_of(doc, reg, party.vendor)
        buyers = _buyers(doc, s, reg, vendor)
        for buyer in buyers:
            candidate = Candidate(
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
                confidence=0.5,
            )
            pair = Pair(
                vendor, party.mention, buyer, len({b.country for b in buyers}), len(parties)
            )
            out.append((candidate, features(doc, s, pair, money is not None)))
    return out


def _merge(old: Candidate | None, new: Candidate) -> Candidate:
    """One candidate per key: the most confident quote, gaps filled from the others."""
    if old is None:
        return new
    best, other = (new, old) if new.confidence > old.confidence else (old, new)
    fill = {k: v for k, v in other.to_dict().items() if getattr(best, k) is None and v is not None}
    return replace(best, **fill) if fill else best
