"""The fields of a candidate, read from its sentence (and paragraph): technology,
status, money, city, agency and financing."""

from __future__ import annotations

from custodiet.extract.amounts import Money, find_money
from custodiet.extract.context import PARAGRAPH_REACH, Document, Sentence
from custodiet.extract.matcher import Mention
from custodiet.extract.registry import Registry

# The most specific technology wins when a sentence names several.
TECH_ORDER = (
    "facial_recognition",
    "spyware",
    "internet_monitoring",
    "biometric_id",
    "social_credit",
    "smart_policing",
    "telecom_backbone",
    "safe_city_cctv",
    "other",
)
STATUS_ORDER = ("announced", "contracted", "operational", "cancelled")
MONEY_DISTRACTORS = (
    "bid",
    "initial",
    "estimate",
    "ballooned",
    "revenue",
    "raised",
    "total",
    "profit",
    "originally",
    "inicial",
)


def technology(doc: Document, s: Sentence, default: tuple[str, ...]) -> str | None:
    for pool in (s.cues("tech"), [m for x in doc.paragraph_of(s) for m in x.cues("tech")]):
        codes = {m.ref for m in pool}
        for code in TECH_ORDER:
            if code in codes:
                return code
    if default:
        return default[0]
    # A vendor the registry does not know has no usual technology: the nearest the text
    # names, around the sentence.
    for x in doc.window(s, PARAGRAPH_REACH):
        if cues := x.cues("tech"):
            return min((m.ref for m in cues), key=TECH_ORDER.index)
    return None


def status(s: Sentence) -> str:
    states = {m.ref for m in s.cues("status")}
    best = [st for st in STATUS_ORDER if st in states]
    return best[-1] if best else "unknown"


def money(doc: Document, s: Sentence) -> Money | None:
    for money in find_money(doc.text, s.start, s.end):
        before = doc.low[max(s.start, money.start - 25) : money.start]
        if not any(word in before for word in MONEY_DISTRACTORS):
            return money
    return None


def city(doc: Document, s: Sentence, country: str) -> str | None:
    cities = [m for m in s.of_kind("city") if m.ref == country]
    return doc.text[cities[0].start : cities[0].end] if cities else None


def agency(doc: Document, s: Sentence, country: str) -> str | None:
    named = [m for m in s.of_kind("agency") if m.ref == country]
    if named:
        return doc.text[named[0].start : named[0].end]
    cues = s.cues("cue:agencies")
    if not cues:
        return None
    cue = max(cues, key=lambda m: m.end - m.start)
    return _widen(doc, s, cue)


def _widen(doc: Document, s: Sentence, cue: Mention) -> str:
    """The agency's name around its head noun: `Danish police`, `Ministry of Interior`."""
    words = doc.text[s.start : cue.start].split()
    left: list[str] = []
    for w in reversed(words[-3:]):
        if not w[:1].isupper() or w.endswith((",", ".", ":")):
            break
        left.insert(0, w)
    right = doc.text[cue.end : s.end].split()[:3]
    tail = []
    for w in right:
        if not (w[:1].isupper() or w in ("of", "de", "for")):
            break
        tail.append(w.rstrip(",.;:)"))
    while tail and tail[-1] in ("of", "de", "for"):
        tail.pop()
    return " ".join([*left, doc.text[cue.start : cue.end], *tail])


def financing(doc: Document, s: Sentence, reg: Registry) -> str | None:
    financiers = s.of_kind("financier")
    if financiers:
        return reg.financiers[financiers[0].ref]
    money_words = s.cues("cue:financing_words")
    if not money_words:
        return None
    word = money_words[0]
    start = max(s.start, word.start - 30)
    return (
        doc.text[start : word.end].split(" ", 1)[-1]
        if start > s.start
        else doc.text[s.start : word.end]
    )
