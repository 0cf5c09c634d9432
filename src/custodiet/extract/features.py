"""What the rules saw of a proposed pair, as numbers for the learned scorer.

Each feature is a fact about the sentence and the two mentions, not about a passage:
where the buyer and the vendor were found, how far apart, what kind of place, which
cues stand beside them. `NAMES` fixes their order in the scorer's weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from custodiet.extract import rules
from custodiet.extract.candidate import NEW_ORGANISATION
from custodiet.extract.context import Document, Sentence
from custodiet.extract.matcher import Mention
from custodiet.extract.registry import Vendor

NAMES = (
    "buyer_in_sentence",
    "vendor_in_sentence",
    "vendor_new",
    "buyer_city_or_region",
    "buyer_demonym",
    "buyer_agency",
    "buyer_is_home",
    "buyers_in_sentence",
    "vendors_in_sentence",
    "distance",
    "same_clause",
    "vendor_first",
    "tech_cue",
    "status_cue",
    "strong_deal_cue",
    "negative_context",
    "money",
)


@dataclass(frozen=True)
class Pair:
    """A vendor and a buyer the rules paired in a sentence."""

    vendor: Vendor
    vendor_mention: Mention | None  # None: borrowed from the paragraph
    buyer: rules.Buyer
    buyers: int  # distinct buyer countries proposed for the sentence
    vendors: int  # parties named in the sentence


def features(doc: Document, s: Sentence, pair: Pair, has_money: bool) -> tuple[float, ...]:
    vm, bm = pair.vendor_mention, pair.buyer.mention
    here = pair.buyer.how == "sentence"
    # Distance, clause and order only mean something when both stand in the sentence.
    distance, clause, vendor_first = 3.0, False, False
    if vm is not None and bm is not None and here:
        distance = abs(vm.start - bm.start) / 100
        clause = _same_clause(doc, s, vm, bm)
        vendor_first = vm.start < bm.start
    kind = bm.kind if bm else "country"
    values = {
        "buyer_in_sentence": here,
        "vendor_in_sentence": vm is not None,
        "vendor_new": pair.vendor.id.startswith(NEW_ORGANISATION),
        "buyer_city_or_region": kind in ("city", "region"),
        "buyer_demonym": kind == "demonym",
        "buyer_agency": kind == "agency",
        "buyer_is_home": pair.vendor.country == pair.buyer.country,
        "buyers_in_sentence": math.log1p(pair.buyers),
        "vendors_in_sentence": math.log1p(pair.vendors),
        "distance": min(distance, 3.0),
        "same_clause": clause,
        "vendor_first": vendor_first,
        "tech_cue": bool(s.cues("tech")),
        "status_cue": bool(s.cues("status")),
        "strong_deal_cue": bool(s.cues("deal:strong")),
        "negative_context": bool(s.cues("cue:country_context_negative")),
        "money": has_money,
    }
    return tuple(float(values[name]) for name in NAMES)


def _same_clause(doc: Document, s: Sentence, a: Mention, b: Mention) -> bool:
    start, end = rules.clause(doc, s, a)
    return start <= b.start < end
