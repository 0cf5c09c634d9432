"""A seeded generator of a large atlas for the load benchmark: by default 100,000
deployments and about a million statements, written straight into a Custodiet database
(the same tables, the same ids; benchmark data, so no audit records).

    python benchmarks/atlas_data.py /tmp/atlas.db [DEPLOYMENTS]

`atlas_load.py` serves it with `custodiet serve` and Datasette side by side.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from sqlalchemy import insert

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


def generate(path: Path, deployments: int = 100_000, seed: int = 5) -> str:
    import pycountry

    rng = random.Random(seed)
    url = f"sqlite:///{path}"
    store = SqlStore(url, create=True)
    store.initialise()
    countries = [c.alpha_2 for c in pycountry.countries][:170]
    vendors = [f"org:vendor-{i:03d}" for i in range(400)]
    sources = [url_id(f"https://news.example/{i}") for i in range(2000)]
    rows: list[dict[str, object]] = []
    entities: list[dict[str, object]] = []

    def add(entity: str, schema: str, prop: str, value: str, source: str, quote: str) -> None:
        rows.append(
            {
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
            }
        )

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
            entities.append({"id": v, "schema": "Organization", "created_at": AT})
            add(v, "Organization", "name", f"Vendor {i:03d}", sources[0], f"Vendor {i:03d}")
            add(
                v,
                "Organization",
                "country",
                rng.choice(["CN", "US", "IL", "FR", "DE"]),
                sources[0],
                f"Vendor {i:03d}",
            )
        for i in range(deployments):
            d = f"deployment:bench-{i:06d}"
            entities.append({"id": d, "schema": "Deployment", "created_at": AT})
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
            if len(rows) >= 50_000:
                _flush(conn, entities, rows)
        _flush(conn, entities, rows)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()
    return url


def _flush(conn: object, entities: list[dict[str, object]], rows: list[dict[str, object]]) -> None:
    if entities:
        conn.execute(insert(tables.entities), entities)  # type: ignore[attr-defined]
    conn.execute(insert(tables.statements), rows)  # type: ignore[attr-defined]
    entities.clear()
    rows.clear()


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000))
