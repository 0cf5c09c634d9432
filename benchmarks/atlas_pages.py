"""Each page of the large atlas, one request at a time with the cache cold, and the home
page's first rendering after a write.

    python benchmarks/atlas_pages.py [--deployments 100000] [--merges 10000] [--repeat 5]
                                     [--workdir DIR]

Uses the atlas atlas_load.py generates (the same file, once per work folder). For each
page it reports the median time of --repeat cold renderings (the app's cache off) and
the number of SQL queries it ran, against the same page from the cache in the same run
(the floor: routing, headers and the response itself). Then, --repeat times: a write
(`custodiet load` of a one-fact file, as an editor's would be) followed by the home
page, whose first rendering must see it (goal: 200 ms or less).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas_data import atlas_arguments, atlas_file

PAGES = [
    "/",
    "/index.json",
    "/index.json?technology=spyware",
    "/index.json?vendor_country=CN&year_from=2015",
    "/countries/FR.json",
    "/countries/FR",
    "/vendors/vendor-007.json",
    "/vendors/vendor-007",
    "/deployments.json?technology=spyware&country=FR&limit=50",
    "/search.json?q=agency+17",
    "/countries.csv",
    "/vendors.csv",
    "/deployments.csv?country=FR",
    "/deployments.csv",
    "/surveillance-index",
    "/surveillance-index/aigs.json",
    "/charts/years.svg",
    "/charts/market-share.png",
    "/charts/regimes.csv?vendor=org:vendor-007",
    "/feed.atom",
    "/countries/FR/feed.atom",
    "/vendors/vendor-007/report.html",
]
FACT = """\
sources:
  s: {{url: "https://bench.example/write-{n}", title: "Write {n}"}}
entities:
  - id: deployment:bench-write-{n}
    quote: "A benchmark write, {n}"
    properties: {{vendor: org:vendor-001, buyer_country: FR, technology: spyware, year: 2024}}
"""


def timed(client: Any, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:200]}")
    return elapsed


def pages(url: str, repeat: int) -> list[dict[str, Any]]:
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from custodiet.web.app import create_app

    cold = create_app(url, cache_bytes=0)
    warm = TestClient(create_app(url))
    queries = 0

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal queries
        queries += not statement.startswith("BEGIN")

    event.listen(cold.state.store.engine, "before_cursor_execute", count)
    client = TestClient(cold)
    rows = []
    for path in PAGES:
        queries = 0
        runs = [timed(client, path) for _ in range(repeat)]
        per_request = queries // repeat
        timed(warm, path)
        cached = statistics.median(timed(warm, path) for _ in range(repeat))
        rows.append(
            {
                "page": path,
                "cold_ms": round(statistics.median(runs) * 1000, 1),
                "cached_ms": round(cached * 1000, 1),
                "queries": per_request,
            }
        )
    return rows


def after_writes(url: str, db: Path, repeat: int, work: Path) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from custodiet.web.app import create_app

    client = TestClient(create_app(url))
    exe = Path(sys.executable).parent / "custodiet"
    timed(client, "/")
    runs, totals = [], []
    for _ in range(repeat):
        path = work / f"write-{time.time_ns()}.yaml"
        path.write_text(FACT.format(n=time.time_ns()), encoding="utf-8")
        began = time.perf_counter()
        subprocess.run([str(exe), "--db", str(db), "load", str(path)], check=True,
                       capture_output=True)  # fmt: skip
        runs.append(timed(client, "/"))
        totals.append(time.perf_counter() - began)
    return {
        "home_after_write_ms": round(statistics.median(runs) * 1000, 1),
        "write_and_home_ms": round(statistics.median(totals) * 1000, 1),
        "goal_ms": 200,
        "met": statistics.median(runs) <= 0.2,
    }


def main() -> None:
    ap = atlas_arguments(__doc__.split("\n\n")[0], repeat=5)
    args = ap.parse_args()
    db = atlas_file(args.workdir, args.deployments, args.merges, "custodiet-pages-")
    work = db.parent
    url = f"sqlite:///{db}"
    for row in pages(url, args.repeat):
        print(json.dumps(row))
    print(json.dumps(after_writes(url, db, args.repeat, work)))


if __name__ == "__main__":
    main()
