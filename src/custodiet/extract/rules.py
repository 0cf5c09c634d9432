"""The rules that read a sentence: is it a supply deal, who sold, who bought.

A sentence states a deal when it has a deal phrase (signed, supplied, contratos con,
eingesetzt…) and none of the look-alikes (funding rounds, earnings, fines, bids,
plans, acquisitions of one company by another). Its buyers are the places it names,
less the vendors' nationalities (`Chinese company Huawei`), sources of money
(`Chinese loans`) and places named only in accusations or bans.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from custodiet.extract.context import NEARBY_REACH, Document, Sentence
from custodiet.extract.matcher import Mention
from custodiet.extract.registry import Registry

NATIONALITY_KINDS = ("country", "demonym")
RAISE = re.compile(
    r"\brais(?:ed|es|e|ing)\s+(?:about |over |more than |nearly |some |an? )?"
    r"(?:[$€£¥]|us\$|rmb|\d)",
    re.IGNORECASE,
)
ACQUIRE = re.compile(
    r"\b(?:purchased|acquired|bought|buys|acquires|compró|adquirió|"
    r"racheté|a acquis|comprou|übernahm|kaufte)\b",
    re.IGNORECASE,
)
OWNED = re.compile(
    r"(?:subsidiary of|owned by|parent(?: company)?|unit of|division of|"
    r"filial de|tochter(?:gesellschaft)? (?:von|der))\W*(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
# An appositive that describes a company: "—a major contractor to China's military—".
APPOSITIVE = re.compile(
    r"^\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:contractor|subsidiary|"
    r"supplier|company|firm|maker|unit|provider|vendor|manufacturer|giant|"
    r"group|startup|start-up)\b",
    re.IGNORECASE,
)
# A place that pays: "China had financed…", "the Chinese government provided a loan".
FINANCES = re.compile(
    r"^[\W]*(?:government\s+)?(?:\w+\s+){0,1}(?:had\s+|has\s+)?"
    r"(?:financed|funded|lent|loaned|provided\s+(?:a|an|the)\s+(?:\S+\s+){0,3}"
    r"(?:loan|credit|grant))",
    re.IGNORECASE,
)
FUNDED_FROM = re.compile(
    r"(?:loans?|credits?|financ\w*|funded|funding|grants?|préstamos?|"
    r"prêts?|empréstimos?)\s+(?:\w+\s+){0,2}(?:from|by|de|del|da|von)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# A company named as a rival, a loser or a replacement is no party to the deal.
RIVAL = re.compile(
    r"(?:ahead of|beating|beat out|outbid|rivals?|competitors?|instead of|replacing|"
    r"lost out to|devant|au lieu de|en lugar de|frente a|em vez de|"
    r"concurrent|concurrents|competidor(?:es)?)\W+(?:the\s+|le\s+|la\s+|el\s+|les\s+)?"
    r"(?:[\w’'-]+,?\s+){0,8}$",
    re.IGNORECASE,
)
# A company noun right after a nationality: the nationality is a company's.
COMPANY_NOUN = re.compile(
    r"\s+(?:state-owned\s+|private\s+|tech\s+|telecoms?\s+)?(?:compan(?:y|ies)|firms?|"
    r"vendors?|suppliers?|contractors?|giants?|makers?|manufacturers?|investors?|"
    r"conglomerates?|start-?ups?|corporations?)\b",
    re.IGNORECASE,
)
# Words that refer back to a company named earlier.
ANAPHOR = re.compile(
    r"\b(?:the (?:firm|company|vendor|group|supplier|contractor)|it|its|la (?:empresa|"
    r"compañía|firma|société|compagnie|entreprise)|l['’]entreprise|a empresa|"
    r"компания|фирма)\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s| but | while | where | which | although ", re.IGNORECASE
)
WORD = re.compile(r"[\w'’$-]+|[^\w\s]")


@dataclass(frozen=True)
class Buyer:
    country: str
    mention: Mention | None
    how: str  # sentence, context or home


def is_deal(doc: Document, s: Sentence, reg: Registry) -> bool:
    strong = s.cues("deal:strong")
    weak = s.cues("deal:weak") and s.cues("tech")
    if not (strong or weak) or s.cues("cue:negative"):
        return False
    text = doc.text[s.start : s.end]
    return not (RAISE.search(text) or is_acquisition(doc, s))


def is_acquisition(doc: Document, s: Sentence) -> bool:
    """One company buying another (Axon purchased VieVu) is no supply deal."""
    vendors = s.of_kind("vendor")
    if len({v.ref for v in vendors}) < 2:
        return False
    # "bought Hikvision cameras" buys products, not the company.
    products = {t.start for t in s.cues("tech")}
    for m in ACQUIRE.finditer(doc.text, s.start, s.end):
        for v in vendors:
            if 0 <= v.start - m.end() <= 4 and not any(0 < p - v.end <= 2 for p in products):
                return True
    return False


def parties(doc: Document, s: Sentence) -> list[Mention]:
    """Vendor mentions, less those named as owners anywhere in it (a subsidiary of CEC)."""
    vendors = s.of_kind("vendor")
    owners = {
        v.ref
        for v in vendors
        if OWNED.search(doc.text[max(s.start, v.start - 40) : v.start])
        or RIVAL.search(doc.text[max(s.start, v.start - 90) : v.start])
    }
    return [v for v in vendors if v.ref not in owners]


def _gap_words(doc: Document, a: int, b: int) -> list[str]:
    return [w.lower().strip("'’") for w in WORD.findall(doc.text[a:b])]


def attached(doc: Document, place: Mention, org: Mention, reg: Registry) -> bool:
    """True when a nationality qualifies the company: `Chinese firm Huawei`, `China's ZTE`,
    `NSO Group, an Israel-based contractor`, `la firma israelí NSO Group`."""
    a, b = (place.end, org.start) if place.end <= org.start else (org.end, place.start)
    if b - a > 45:
        return False
    words = [w for w in _gap_words(doc, a, b) if w not in (",", "(", ")", "s", "’s", "'s")]
    return all(w in reg.org_words or w.endswith("-based") or w == "-" for w in words)


def clause(doc: Document, s: Sentence, m: Mention) -> tuple[int, int]:
    """The clause of the sentence the mention stands in (breaks found once a sentence)."""
    if s.breaks is None:
        s.breaks = [(b.start(), b.end()) for b in CLAUSE_BREAK.finditer(doc.text, s.start, s.end)]
    ends = [b for _a, b in s.breaks]
    i = bisect.bisect_right(ends, m.start)  # breaks[:i] end at or before the mention
    start = s.breaks[i - 1][1] if i else s.start
    later = next((a for a, _b in s.breaks[i:] if a >= m.end), None)
    return start, s.end if later is None else later


def excluded(doc: Document, s: Sentence, m: Mention, orgs: list[Mention], reg: Registry) -> bool:
    """Is this place no buyer: a nationality, a source of money, or named in an accusation?"""
    if m.kind in NATIONALITY_KINDS:
        if any(attached(doc, m, o, reg) for o in orgs):
            return True
        if m.kind == "demonym" and COMPANY_NOUN.match(doc.text, m.end, s.end):
            return True  # "the Moldovan company", "Chinese firms": whose, not who bought
        if any(c.kind == "cue:financing_words" and 0 <= c.start - m.end <= 12 for c in s.mentions):
            return True
    if FUNDED_FROM.search(doc.text[max(s.start, m.start - 40) : m.start]):
        return True
    if FINANCES.search(doc.text[m.end : min(s.end, m.end + 60)]):
        return True
    c_start, c_end = clause(doc, s, m)
    if APPOSITIVE.search(doc.text[c_start:c_end]):
        return True
    return any(
        c.kind == "cue:country_context_negative" and c_start <= c.start < c_end for c in s.mentions
    )


def buyers_in(doc: Document, s: Sentence, reg: Registry) -> list[Buyer]:
    orgs = s.of_kind("vendor", "financier")
    found: dict[str, Buyer] = {}
    for m in s.mentions:
        if m.is_place and not excluded(doc, s, m, orgs, reg):
            found.setdefault(m.ref, Buyer(m.ref, m, "sentence"))
    return list(found.values())


def buyers_nearby(doc: Document, s: Sentence, reg: Registry) -> list[Buyer]:
    """No place in the sentence: the nearest one in its paragraph, then in the sentences
    around it (a bounded window, so a long document costs the same per sentence)."""
    around = doc.window(s, NEARBY_REACH)
    same = [x for x in around if x.paragraph == s.paragraph]
    others = [x for x in around if x.paragraph != s.paragraph]
    for pool in (same, others):
        for x in pool:
            found = [Buyer(b.country, b.mention, "context") for b in buyers_in(doc, x, reg)]
            if found:
                return found[:1]
    return []
