"""Likely duplicates, each with a score and the reason for it.

Candidates are found by blocking, never by comparing every pair: deployments by their
party (vendor, else buyer) and buyer country, organisations by the words of their
names, the first four letters of those words (so "Hikvsion" meets "Hikvision") and their
letters in order (so "Locrocor" meets "Locorcor"). Words that say nothing of which
company it is (Ltd, Group, Technologies…) make no block. Pairs an editor judged not to
be the same are never suggested again, nor are agencies of different jurisdictions or
two rows of one imported dataset.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import combinations
from typing import Any

from custodiet.model.records import Record
from custodiet.store.view import View

NAME_THRESHOLD = 88.0
MAX_BLOCK = 400  # a name word shared by more organisations than this says nothing
# Words of company names that say nothing about which company it is.
FILLER = frozenset(
    [
        "the",
        "of",
        "and",
        "de",
        "la",
        "le",
        "co",
        "corp",
        "corporation",
        "company",
        "companies",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "plc",
        "sa",
        "sas",
        "srl",
        "gmbh",
        "ag",
        "bv",
        "nv",
        "group",
        "holding",
        "holdings",
        "technology",
        "technologies",
        "tech",
        "international",
        "systems",
        "solutions",
    ]
)
WORD = re.compile(r"\w+")


def _keys(names: Iterable[str]) -> set[str]:
    keys = set()
    for name in names:
        for word in WORD.findall(name.lower()):
            if word in FILLER or len(word) < 3:
                continue
            keys.add(word)
            keys.add(word[:4] + "…")
            keys.add("".join(sorted(word)) + "~")
    return keys


def _blocks(keys: dict[str, set[str]]) -> Iterator[tuple[str, str]]:
    """Each pair of ids sharing a key, once."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for eid, found in keys.items():
        for key in found:
            by_key[key].append(eid)
    seen: set[tuple[str, str]] = set()
    for ids in by_key.values():
        if len(ids) > MAX_BLOCK:
            continue
        for a, b in combinations(sorted(ids), 2):
            if (a, b) not in seen:
                seen.add((a, b))
                yield a, b


def _years(values: list[str]) -> set[int]:
    return {int(v) for v in values if v.isdigit()}


def _deployment_pair(a: Record, b: Record, party: str, country: str) -> dict[str, Any] | None:
    ta, tb = set(a.all("technology")), set(b.all("technology"))
    if ta and tb and not ta & tb:
        return None
    reasons, score = [f"same {party} and buyer {country}"], 0.5
    if ta & tb:
        reasons.append("same technology")
        score += 0.1
    ya, yb = _years(a.all("year")), _years(b.all("year"))
    if ya and yb and min(abs(x - y) for x in ya for y in yb) <= 1:
        reasons.append("years within one")
        score += 0.15
    if set(a.all("buyer_city")) & set(b.all("buyer_city")):
        reasons.append("same city")
        score += 0.15
    if set(a.all("project")) & set(b.all("project")):
        reasons.append("same project")
        score += 0.2
    if len(reasons) > 2 or (len(reasons) == 2 and "same technology" not in reasons):
        return {
            "a": a.id,
            "b": b.id,
            "schema": "Deployment",
            "score": round(min(score, 0.99), 2),
            "reason": "; ".join(reasons),
        }
    return None


def _one_dataset(a: Record, b: Record) -> bool:
    """Two rows of one imported dataset: it keeps them apart itself (two rows of the
    Atlas of Surveillance are two deployments by its own account)."""
    return len(a.datasets) == 1 and a.datasets == b.datasets and a.datasets[0] != "custodiet"


def deployment_pairs(view: View) -> list[dict[str, Any]]:
    """Same vendor (or, without one, the same buyer) and buyer country, and then the same
    technology and close years, city or project."""
    records = {r.id: r for r in view.records_of("Deployment")}
    buckets: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in records.values():
        parties = [f"vendor {v}" for v in r.all("vendor")] or [f"buyer {b}" for b in r.all("buyer")]
        for party in parties:
            for country in r.all("buyer_country"):
                buckets[(party, country)].add(r.id)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for (party, country), ids in buckets.items():
        for a, b in combinations(sorted(ids), 2):
            if _one_dataset(records[a], records[b]):
                continue
            pair = _deployment_pair(records[a], records[b], party, country)
            if pair and (a, b) not in found:
                found[(a, b)] = pair
    return list(found.values())


def _jurisdiction(r: Record) -> set[str]:
    if "agency" not in r.all("role") and "government" not in r.all("role"):
        return set()
    return set(r.all("jurisdiction")) or set(r.all("country"))


def organization_pairs(view: View) -> list[dict[str, Any]]:
    from rapidfuzz import fuzz

    records = list(view.records_of("Organization"))
    names = {r.id: {n.lower() for n in [r.name, *r.all("name"), *r.all("alias")]} for r in records}
    # Agencies of different places (two Jefferson County Sheriff's Offices, two
    # countries' ministries of defence) are not one.
    where = {r.id: _jurisdiction(r) for r in records}
    found = []
    for a, b in _blocks({eid: _keys(n) for eid, n in names.items()}):
        if where[a] and where[b] and not where[a] & where[b]:
            continue
        best = max(
            ((fuzz.token_sort_ratio(x, y), x, y) for x in names[a] for y in names[b]),
            default=None,
        )
        if best and best[0] >= NAME_THRESHOLD:
            found.append(
                {
                    "a": a,
                    "b": b,
                    "schema": "Organization",
                    "score": round(best[0] / 100, 2),
                    "reason": f"similar names: {best[1]!r} ~ {best[2]!r}",
                }
            )
    return found


def suggestions(view: View) -> list[dict[str, Any]]:
    """Likely duplicates, best first, less the pairs judged not to be the same."""
    apart = {frozenset((view.canonical(x), view.canonical(y))) for x, y in view.distinct_pairs()}
    pairs = [
        p
        for p in deployment_pairs(view) + organization_pairs(view)
        if frozenset((p["a"], p["b"])) not in apart
    ]
    return sorted(pairs, key=lambda p: (-p["score"], p["a"], p["b"]))
