"""A document prepared for the rules: its text, mentions and sentences, indexed."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from custodiet.extract.matcher import Mention
from custodiet.extract.sentences import paragraphs, sentences


@dataclass
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    mentions: list[Mention] = field(default_factory=list)
    breaks: list[tuple[int, int]] | None = None  # clause breaks, found when first needed

    def of_kind(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    def cues(self, prefix: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind.startswith(prefix)]


# How far around a sentence its context reaches, in sentences: a paragraph of prose is
# within it, and a "paragraph" of thousands of sentences (a text without blank lines)
# costs the same per sentence as any other.
PARAGRAPH_REACH = 8
NEARBY_REACH = 24


@dataclass
class Document:
    text: str
    low: str
    sentences: list[Sentence]  # in order: sentences[i].index == i
    new_vendors: dict[str, str] = field(default_factory=dict)  # id -> name as written

    def window(self, s: Sentence, reach: int) -> list[Sentence]:
        """The sentences within `reach` of this one, nearest first (the earlier of two
        as near), itself excluded."""
        lo, hi = max(0, s.index - reach), min(len(self.sentences), s.index + reach + 1)
        around = self.sentences[lo:hi]
        return sorted(
            (x for x in around if x is not s),
            key=lambda x: (abs(x.index - s.index), x.index > s.index),
        )

    def paragraph_of(self, s: Sentence) -> list[Sentence]:
        """The sentences of its paragraph near it, itself included, in order."""
        lo, hi = max(0, s.index - PARAGRAPH_REACH), s.index + PARAGRAPH_REACH + 1
        return [x for x in self.sentences[lo:hi] if x.paragraph == s.paragraph]


def near(
    paragraph_spans: list[tuple[int, int]], positions: list[int], reach: int
) -> list[tuple[int, int, int]]:
    """The paragraphs holding a position, with `reach` paragraphs either side:
    (index, start, end). Only these are split into sentences and read."""
    starts = [s for s, _e in paragraph_spans]
    chosen: set[int] = set()
    for pos in positions:
        i = bisect.bisect_right(starts, pos) - 1
        chosen.update(range(max(0, i - reach), min(len(paragraph_spans), i + reach + 1)))
    return [(i, *paragraph_spans[i]) for i in sorted(chosen)]


def build(
    text: str, low: str, mentions: list[Mention], chosen: list[tuple[int, int, int]] | None = None
) -> Document:
    if chosen is None:
        chosen = [(i, s, e) for i, (s, e) in enumerate(paragraphs(text))]
    spans: list[tuple[int, int, int]] = []
    for p_index, p_start, p_end in chosen:
        spans.extend((p_index, s, e) for s, e in sentences(text, p_start, p_end))
    starts = [s for _p, s, _e in spans]
    result = [Sentence(i, p, s, e) for i, (p, s, e) in enumerate(spans)]
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and m.end <= result[i].end:
            result[i].mentions.append(m)
    return Document(text, low, result)
