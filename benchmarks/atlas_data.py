"""A seeded generator of a large atlas for the load benchmark: by default 100,000
deployments and about a million statements, with 10,000 merges in force, written
straight into a Custodiet database (the same tables, the same ids; benchmark data, so
no audit records), then its records built as `custodiet init` builds them.

    python benchmarks/atlas_data.py /tmp/atlas.db [DEPLOYMENTS] [MERGES]

Every merge joins a deployment to another of the same vendor and buyer country, as an
editor resolving duplicates would; `atlas_load.py` serves the result with `custodiet
serve` and Datasette side by side.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from custodiet.model.statement import statement_id
from custodiet.model.text import url_id
from custodiet.store import SqlStore, tables

TECH = [
    "facial_recognition",
    "safe_city_cctv",
    "smart_policing",
    "internet_monitoring",
    "spyware",
    "biometric_id",
    "telecom_backbone",
]
WORDS = [
    "city",
    "police",
    "ministry",
    "cameras",
    "network",
    "system",
    "contract",
    "national",
    "security",
    "project",
    "surveillance",
    "centre",
    "command",
    "emergency",
    "border",
    "airport",
]
AT = "2026-01-01T00:00:00.000000+00:00"
VENDORS = 400


def _statement(entity: str, schema: str, prop: str, value: str, source: str, quote: str) -> Any:
    return {
        "id": statement_id(entity, prop, value, source),
        "entity_id": entity,
        "schema": schema,
        "prop": prop,
        "value": value,
        "source_id": source,
        "quote": quote,
        "start": None,
        "end": None,
        "method": "import:bench",
        "confidence": 1.0,
        "status": "accepted",
        "author": "bench",
        "reviewer": "bench",
        "created_at": AT,
        "reviewed_at": AT,
        "superseded_by": None,
        "dataset": "custodiet",
        "original_value": None,
        "first_seen": AT,
        "last_seen": AT,
    }


def generate(path: Path, deployments: int = 100_000, merges: int = 10_000, seed: int = 5) -> str:
    import pycountry

    rng = random.Random(seed)
    url = f"sqlite:///{path}"
    store = SqlStore(url, create=True)
    store.initialise()
    countries = [c.alpha_2 for c in pycountry.countries][:170]
    vendors = [f"org:vendor-{i:03d}" for i in range(VENDORS)]
    sources = [url_id(f"https://news.example/{i}") for i in range(2000)]
    rows: list[dict[str, object]] = []
    entities: list[dict[str, object]] = []
    pairs: dict[tuple[str, str], list[str]] = {}

    def add(entity: str, schema: str, prop: str, value: str, source: str, quote: str) -> None:
        rows.append(_statement(entity, schema, prop, value, source, quote))

    with store.engine.begin() as conn:
        conn.execute(
            insert(tables.sources),
            [
                {
                    "id": s,
                    "url": f"https://news.example/{i}",
                    "title": f"Report {i}",
                    "created_at": AT,
                }
                for i, s in enumerate(sources)
            ],
        )
        for i, v in enumerate(vendors):
            entities.append(
                {"id": v, "schema": "Organization", "created_at": AT, "canonical_id": v}
            )
            name = f"Vendor {i:03d}"
            add(v, "Organization", "name", name, sources[0], name)
            home = rng.choice(["CN", "US", "IL", "FR", "DE"])
            add(v, "Organization", "country", home, sources[0], name)
        for i in range(deployments):
            d = f"deployment:bench-{i:06d}"
            entities.append({"id": d, "schema": "Deployment", "created_at": AT, "canonical_id": d})
            source = rng.choice(sources)
            quote = " ".join(rng.choices(WORDS, k=12))
            values = {
                "vendor": rng.choice(vendors),
                "buyer_country": rng.choice(countries),
                "buyer_city": f"City {rng.randrange(2000)}",
                "technology": rng.choice(TECH),
                "year": str(rng.randint(2005, 2025)),
                "value": str(rng.randrange(10**5, 10**9)),
                "currency": "USD",
                "status": "contracted",
                "buyer_agency": f"Agency {rng.randrange(500)}",
                "financing": rng.choice(["state loan", "budget", "grant", "unknown"]),
            }
            for prop, value in values.items():
                add(d, "Deployment", prop, value, source, quote)
            pairs.setdefault((values["vendor"], values["buyer_country"]), []).append(d)
            if len(rows) >= 50_000:
                _flush(conn, entities, rows)
        _flush(conn, entities, rows)
        _merge(conn, rng, pairs, merges)
    store.rebuild_records()
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()
    return url


def _merge(conn: Any, rng: random.Random, pairs: dict[Any, list[str]], merges: int) -> None:
    """Merge deployments of the same vendor and country into the first of them, as many
    as asked; where there are too few such pairs, any two deployments."""
    candidates = [(ids[0], other) for ids in pairs.values() for other in ids[1:]]
    chosen = rng.sample(candidates, min(merges, len(candidates)))
    used = {i for pair in chosen for i in pair}
    rest = [d for ids in pairs.values() for d in ids if d not in used]
    rng.shuffle(rest)
    missing = merges - len(chosen)
    chosen += [(rest[2 * k], rest[2 * k + 1]) for k in range(min(missing, len(rest) // 2))]
    if not chosen:
        return
    conn.execute(
        insert(tables.merge_events),
        [
            {"kind": "merge", "canonical": keep, "merged": merged, "actor": "bench", "at": AT}
            for keep, merged in chosen
        ],
    )
    for keep, merged in chosen:
        e = tables.entities
        conn.execute(update(e).where(e.c.id == merged).values(canonical_id=keep))


def _flush(conn: Any, entities: list[dict[str, object]], rows: list[dict[str, object]]) -> None:
    if entities:
        conn.execute(insert(tables.entities), entities)
    conn.execute(insert(tables.statements), rows)
    entities.clear()
    rows.clear()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[2:4]]
    print(generate(Path(sys.argv[1]), *args))


def atlas_file(workdir: Path | None, deployments: int, merges: int, prefix: str) -> Path:
    """The generated atlas in the work folder (a new temporary one when None), made
    there the first time it is asked for."""
    import tempfile

    work = workdir or Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"atlas-{deployments}-{merges}.db"
    if not path.exists():
        print(f"generating {deployments} deployments in {path} …", file=sys.stderr)
        generate(path, deployments, merges)
    return path


def atlas_arguments(description: str, repeat: int) -> Any:
    """A parser with the options every benchmark over the generated atlas takes."""
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--deployments", type=int, default=100_000)
    ap.add_argument("--merges", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=repeat, help="rounds; medians are reported")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the database here")
    return ap
