"""`custodiet resolve suggest` over many organisations, against comparing every pair.

    python benchmarks/resolve_speed.py [--organisations 20000] [--subset 2000] [--repeat 3]

Generates (seeded) --organisations organisations whose names are made of company-like
words, with one in twenty a near-duplicate of another (a typo, a legal suffix, another
word order), writes them into a fresh database and times `custodiet resolve suggest`
(median of --repeat; goal: under 60 s for 20,000). The baseline is what the suggestions
did before blocking: every pair compared, timed on a --subset of the same names in the
same run and scaled by the number of pairs. Both are scored on the planted duplicates of
the subset, so blocking is seen to lose none of them; the pairs only the baseline finds
are counted, with how many of them share a word of their names (the others resemble
each other only in words such as "Systems" or "Ltd", which make no block).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from custodiet.model.statement import statement_id
from custodiet.model.text import url_id
from custodiet.store import SqlStore, tables

SYLLABLES = [
    "ka", "lo", "mi", "zen", "tor", "vex", "qua", "ri", "sol", "nor",
    "dan", "hex", "pix", "tel", "vis", "ar", "on", "ul", "bra", "cor",
]  # fmt: skip
WORDS = [
    "Vision", "Secure", "Digital", "Systems", "Networks",
    "Optics", "Labs", "Analytics", "Sense", "Guard",
]  # fmt: skip
SUFFIXES = ["Ltd", "Co. Ltd.", "Inc", "GmbH", "S.A.", "Corporation", "Group", ""]
AT = "2026-01-01T00:00:00.000000+00:00"
THRESHOLD = 88.0


def names(n: int, seed: int = 11) -> tuple[list[str], set[tuple[int, int]]]:
    """n organisation names, and the (original, copy) pairs of planted near-duplicates."""
    rng = random.Random(seed)
    out: list[str] = []
    planted: set[tuple[int, int]] = set()
    while len(out) < n:
        if out and rng.random() < 0.05:
            i = rng.randrange(len(out))
            out.append(_variant(rng, out[i]))
            planted.add((i, len(out) - 1))
            continue
        stem = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize()
        out.append(" ".join(w for w in (stem, rng.choice(WORDS), rng.choice(SUFFIXES)) if w))
    return out, planted


def _variant(rng: random.Random, name: str) -> str:
    first, _, rest = name.partition(" ")
    how = rng.randrange(3)
    if how == 0 and len(first) > 4:  # a typo: two letters swapped
        k = rng.randrange(1, len(first) - 2)
        first = first[:k] + first[k + 1] + first[k] + first[k + 2 :]
        return f"{first} {rest}".strip()
    if how == 1:
        return f"{first} {rest.rsplit(' ', 1)[0]} {rng.choice(SUFFIXES)}".strip()
    return f"{rest.split(' ')[0]} {first}".strip()


def write(path: Path, all_names: list[str]) -> str:
    url = f"sqlite:///{path}"
    store = SqlStore(url, create=True)
    store.initialise()
    source = url_id("https://bench.example/registry")

    def row(entity: str, prop: str, value: str) -> dict[str, Any]:
        return {
            "id": statement_id(entity, prop, value, source),
            "entity_id": entity,
            "schema": "Organization",
            "prop": prop,
            "value": value,
            "source_id": source,
            "method": "import:bench",
            "confidence": 1.0,
            "status": "accepted",
            "created_at": AT,
            "reviewed_at": AT,
            "dataset": "custodiet",
            "first_seen": AT,
            "last_seen": AT,
        }

    with store.engine.begin() as conn:
        conn.execute(insert(tables.sources).values(id=source, title="Registry", created_at=AT))
        ids = [f"org:bench-{i:05d}" for i in range(len(all_names))]
        conn.execute(
            insert(tables.entities),
            [{"id": i, "schema": "Organization", "created_at": AT, "canonical_id": i} for i in ids],
        )
        conn.execute(
            insert(tables.statements),
            [row(i, "name", n) for i, n in zip(ids, all_names, strict=True)],
        )
    store.rebuild_records()
    store.close()
    return url


def all_pairs(subset: list[str]) -> tuple[float, set[tuple[int, int]]]:
    """The suggestions as they were: every pair of names compared."""
    from rapidfuzz import fuzz

    began = time.perf_counter()
    lowered = [n.lower() for n in subset]
    found = {
        (a, b)
        for a, b in combinations(range(len(subset)), 2)
        if fuzz.token_sort_ratio(lowered[a], lowered[b]) >= THRESHOLD
    }
    return time.perf_counter() - began, found


def _keys(names: set[str]) -> set[str]:
    from custodiet.resolve.suggest import _keys as keys

    return keys(names)


def blocked(url: str) -> set[tuple[int, int]]:
    from custodiet.resolve.suggest import organization_pairs

    with SqlStore(url) as store, store.view() as view:
        rows = organization_pairs(view)
    return {tuple(sorted(int(p[k].split("-")[1]) for k in ("a", "b"))) for p in rows}  # type: ignore[misc]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--organisations", type=int, default=20_000)
    ap.add_argument("--subset", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="custodiet-resolve-"))
    every, planted = names(args.organisations)
    url = write(work / "orgs.db", every)
    exe = Path(sys.executable).parent / "custodiet"
    runs = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        done = subprocess.run(
            [str(exe), "--db", url, "resolve", "suggest", "--json"],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(time.perf_counter() - began)
    suggested = len(done.stdout.splitlines())
    subset_url = write(work / "subset.db", every[: args.subset])
    baseline, exhaustive = all_pairs(every[: args.subset])
    found = blocked(subset_url)
    in_subset = {p for p in planted if p[1] < args.subset}
    pairs_full = args.organisations * (args.organisations - 1) / 2
    pairs_subset = args.subset * (args.subset - 1) / 2
    print(
        json.dumps(
            {
                "organisations": args.organisations,
                "suggest_s": round(statistics.median(runs), 2),
                "suggested_pairs": suggested,
                "goal_s": 60,
                "met": statistics.median(runs) < 60,
                "all_pairs_subset_s": round(baseline, 2),
                "all_pairs_full_estimate_s": round(baseline * pairs_full / pairs_subset, 1),
                "planted_in_subset": len(in_subset),
                "found_by_all_pairs": len(in_subset & exhaustive),
                "found_by_blocking": len(in_subset & found),
                "all_pairs_only": len(exhaustive - found),
                "all_pairs_only_sharing_a_name_word": sum(
                    bool(_keys({every[a].lower()}) & _keys({every[b].lower()}))
                    for a, b in exhaustive - found
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
