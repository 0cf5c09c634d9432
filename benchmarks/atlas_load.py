"""The atlas under load, side by side with Datasette on the same SQLite file.

    python benchmarks/atlas_load.py [--deployments 100000] [--clients 50]
                                    [--requests 2000] [--seconds 60] [--workdir DIR]

Generates (once per work folder) a seeded atlas of --deployments deployments and ten
statements each (atlas_data.py), serves it with `custodiet serve` and with `datasette`,
and drives both with the same mix of equivalent JSON queries - a country's
deployments, a vendor's deployments, a filtered list, a search - from --clients
concurrent clients on loopback, bounded by --requests per server and --seconds.
Prints requests/s, p50 and p99 latency for both, and the ratio (goal >= 1.0, and
p99 < 100 ms for ours).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas_data import TECH, generate

BIN = Path(sys.executable).parent
CUSTODIET = shutil.which("custodiet", path=str(BIN)) or "custodiet"
DATASETTE = shutil.which("datasette", path=str(BIN)) or "datasette"
SQL = {
    "country": "select entity_id, prop, value from statements where status = 'accepted' "
    "and entity_id in (select entity_id from statements where prop = 'buyer_country' "
    "and value = :cc and status = 'accepted')",
    "vendor": "select entity_id, prop, value from statements where status = 'accepted' "
    "and entity_id in (select entity_id from statements where prop = 'vendor' "
    "and value = :v and status = 'accepted')",
    "filtered": "select entity_id, prop, value from statements where entity_id in "
    "(select entity_id from statements where prop = 'technology' and value = :t "
    "intersect select entity_id from statements where prop = 'buyer_country' "
    "and value = :cc limit 50)",
    "search": "select s.id, s.entity_id, s.prop, s.value, s.quote from search_fts f "
    "join statements s on s.id = f.ref where search_fts match :q order by rank limit 50",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def queries(rng: random.Random, n: int) -> list[dict[str, str]]:
    """The same n query parameters for both servers."""
    import pycountry

    countries = [c.alpha_2 for c in pycountry.countries][:170]
    out = []
    for i in range(n):
        kind = ("country", "vendor", "filtered", "search")[i % 4]
        out.append(
            {
                "kind": kind,
                "cc": rng.choice(countries),
                "v": f"vendor-{rng.randrange(400):03d}",
                "t": rng.choice(TECH),
                "q": f"agency {rng.randrange(500)}",
            }
        )
    return out


def ours(base: str, q: dict[str, str]) -> str:
    return {
        "country": f"{base}/countries/{q['cc']}.json",
        "vendor": f"{base}/vendors/{q['v']}.json",
        "filtered": f"{base}/deployments.json?technology={q['t']}&country={q['cc']}&limit=50",
        "search": f"{base}/search.json?q={q['q'].replace(' ', '+')}",
    }[q["kind"]]


def datasette(base: str, db: str, q: dict[str, str]) -> str:
    sql = SQL[q["kind"]]
    params = {
        "sql": sql,
        "_shape": "array",
        "cc": q["cc"],
        "v": f"org:{q['v']}",
        "t": q["t"],
        "q": " ".join(f'"{w}"' for w in q["q"].split()),
    }
    used = {k: v for k, v in params.items() if k in ("sql", "_shape") or f":{k}" in sql}
    return str(httpx.URL(f"{base}/{db}.json", params=used))


async def drive(urls: list[str], clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    position = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal position, errors
            while position < len(urls) and time.monotonic() < deadline:
                url = urls[position]
                position += 1
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deployments", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="per server")
    ap.add_argument("--seconds", type=float, default=60, help="at most, per server")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the database here")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="custodiet-load-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"atlas-{args.deployments}.db"
    if not path.exists():
        print(f"generating {args.deployments} deployments in {path} …", file=sys.stderr)
        generate(path, args.deployments)
    plan = queries(random.Random(9), args.requests)
    p1, p2 = free_port(), free_port()
    servers = [
        subprocess.Popen(
            [CUSTODIET, "--db", str(path), "serve", "--port", str(p1)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                DATASETTE,
                "serve",
                str(path),
                "--port",
                str(p2),
                "--setting",
                "max_returned_rows",
                "100000",
                "--setting",
                "sql_time_limit_ms",
                "30000",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        wait_for(p1)
        wait_for(p2)
        base1, base2 = f"http://127.0.0.1:{p1}", f"http://127.0.0.1:{p2}"
        ours_urls = [ours(base1, q) for q in plan]
        theirs_urls = [datasette(base2, path.stem, q) for q in plan]
        for urls in (ours_urls[:40], theirs_urls[:40]):  # warm both caches alike
            asyncio.run(drive(urls, 4, 30))
        rows = {
            "custodiet": asyncio.run(drive(ours_urls, args.clients, args.seconds)),
            "datasette": asyncio.run(drive(theirs_urls, args.clients, args.seconds)),
        }
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    for name, row in rows.items():
        print(json.dumps({"server": name} | row))
    ratio = rows["custodiet"]["rps"] / max(rows["datasette"]["rps"], 1e-9)
    print(
        json.dumps(
            {
                "ratio_rps": round(ratio, 2),
                "goal": ">= 1.0",
                "met": ratio >= 1.0,
                "p99_goal_ms": 100,
                "p99_met": rows["custodiet"]["p99_ms"] < 100,
            }
        )
    )
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
