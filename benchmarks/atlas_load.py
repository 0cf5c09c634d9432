"""The atlas under load, side by side with Datasette on the same SQLite file.

    python benchmarks/atlas_load.py [--deployments 100000] [--merges 10000] [--clients 50]
                                    [--requests 2000] [--seconds 60] [--rate 20] [--repeat 3]
                                    [--workdir DIR]

Generates (once per work folder) a seeded atlas of --deployments deployments, ten
statements each, with --merges merges in force (atlas_data.py), serves it with
`custodiet serve` (as shipped, and with --no-cache) and with `datasette`, and drives
each with the same mix of equivalent JSON queries - a country's deployments, a
vendor's deployments, a filtered list, a search.

Two phases per server, both on loopback and bounded by requests and seconds:
- saturation: --clients concurrent clients, each sending its next request as soon as
  the last one is answered (requests/s, and p50/p99 latency, which at saturation is
  mostly queueing: clients / throughput);
- paced: requests started at a steady --rate per second whatever the answers do, so
  latency is measured below saturation, from each request's planned start.
A request that fails, or takes longer than the client's 30 s timeout, is counted
(`errors`, `timeouts`) and the run goes on; latencies are those of the answered ones.
Prints one JSON line per server and phase, then the ratio (goal >= 1.0) and whether
our p99 is under 100 ms.

With --pages, the reader's pages instead: the home page, country pages and vendor pages
as HTML (summary, index row, charts' tables and all), paced at --rate per second against
`custodiet serve --no-cache` alone (every request rendered afresh), --repeat rounds of
PACED_SECONDS each; prints p50/p99 per page kind and overall (goal: p99 < 100 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas_data import TECH, atlas_file

PACED_SECONDS = 15
CLIENT_TIMEOUT = 30
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


class Tally:
    """Latencies of the answered requests; failures and timeouts counted, never raised."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.timeouts = 0

    async def get(self, client: httpx.AsyncClient, url: str, since: float) -> None:
        try:
            response = await client.get(url)
        except httpx.TimeoutException:
            self.timeouts += 1
            return
        except httpx.HTTPError:
            self.errors += 1
            return
        self.latencies.append(time.perf_counter() - since)
        self.errors += response.status_code != 200

    def row(self) -> dict[str, Any]:
        found = self.latencies or [float("nan")]
        quantiles = statistics.quantiles(found, n=100) if len(found) > 1 else found * 99
        return {
            "requests": len(self.latencies) + self.timeouts,
            "errors": self.errors,
            "timeouts": self.timeouts,
            "p50_ms": round(statistics.median(found) * 1000, 1),
            "p99_ms": round(quantiles[98] * 1000, 1),
        }


async def drive(urls: list[str], clients: int, seconds: float) -> dict[str, float]:
    tally = Tally()
    position = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=CLIENT_TIMEOUT) as client:

        async def worker() -> None:
            nonlocal position
            while position < len(urls) and time.monotonic() < deadline:
                url = urls[position]
                position += 1
                await tally.get(client, url, time.perf_counter())

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return tally.row() | {"rps": round(len(tally.latencies) / elapsed, 1)}


async def paced(urls: list[str], rate: float, seconds: float) -> dict[str, float]:
    """Start request i at i / rate seconds, whatever earlier answers do: the latency of a
    late answer counts from its planned start, so queueing is not hidden."""
    tally = Tally()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=CLIENT_TIMEOUT) as client:
        began = time.perf_counter()

        async def one(i: int, url: str) -> None:
            planned = began + i / rate
            await asyncio.sleep(max(0.0, planned - time.perf_counter()))
            await tally.get(client, url, planned)

        count = min(len(urls), int(rate * seconds))
        await asyncio.gather(*(one(i, url) for i, url in enumerate(urls[:count])))
    return tally.row() | {"rate": rate}


def reader_pages(base: str, rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(kind, url): the home page, a country's page and a vendor's page, in turn."""
    import pycountry

    countries = [c.alpha_2 for c in pycountry.countries][:170]
    kinds = ("home", "country", "vendor")
    out = []
    for i in range(n):
        kind = kinds[i % 3]
        path = {
            "home": "/",
            "country": f"/countries/{rng.choice(countries)}",
            "vendor": f"/vendors/vendor-{rng.randrange(400):03d}",
        }[kind]
        out.append((kind, base + path))
    return out


async def paced_kinds(urls: list[tuple[str, str]], rate: float, seconds: float) -> dict[str, Any]:
    """`paced`, with each page kind's latencies kept apart as well."""
    tallies: dict[str, Tally] = {kind: Tally() for kind, _url in urls}
    overall = Tally()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=CLIENT_TIMEOUT) as client:
        began = time.perf_counter()

        async def one(i: int, kind: str, url: str) -> None:
            planned = began + i / rate
            await asyncio.sleep(max(0.0, planned - time.perf_counter()))
            before = len(tallies[kind].latencies)
            await tallies[kind].get(client, url, planned)
            if len(tallies[kind].latencies) > before:
                overall.latencies.append(tallies[kind].latencies[-1])
            overall.errors = sum(t.errors for t in tallies.values())
            overall.timeouts = sum(t.timeouts for t in tallies.values())

        count = min(len(urls), int(rate * seconds))
        await asyncio.gather(*(one(i, k, u) for i, (k, u) in enumerate(urls[:count])))
    return {"all": overall.row()} | {kind: t.row() for kind, t in tallies.items()}


def pages_main(args: argparse.Namespace, path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [CUSTODIET, "--db", str(path), "serve", "--port", str(port), "--no-cache"]
    rounds = []
    for i in range(args.repeat):
        print(f"round {i + 1}/{args.repeat}: reader pages, no cache …", file=sys.stderr)
        urls = reader_pages(base, random.Random(20 + i), int(args.rate * PACED_SECONDS))
        server = start(command, port)
        try:
            asyncio.run(drive([u for _k, u in urls[:30]], 4, 30))  # the same short warm-up
            rounds.append(asyncio.run(paced_kinds(urls, args.rate, PACED_SECONDS)))
        finally:
            stop(server)
    for kind in rounds[0]:
        row = median_row([r[kind] for r in rounds])
        print(json.dumps({"server": "custodiet --no-cache", "pages": kind, "rate": args.rate,
                          "rounds": args.repeat} | row))  # fmt: skip
    p99 = median_row([r["all"] for r in rounds])["p99_ms"]
    print(json.dumps({"p99_goal_ms": 100, "p99_paced_ms": p99, "met": p99 < 100}))


def median_row(rows: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the rounds."""
    return {key: statistics.median(row[key] for row in rows) for key in rows[0]}


def start(command: list[str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    wait_for(port)
    return server


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop; after 10 s, stop it and everything it started."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def measure(
    command: list[str], port: int, urls: dict[str, list[str]], args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    """Each phase against a freshly started server (so no phase inherits another's cache),
    after the same short warm-up."""
    phases = {
        "saturated": lambda: drive(urls["saturated"], args.clients, args.seconds),
        "paced": lambda: paced(urls["paced"], args.rate, PACED_SECONDS),
    }
    results = {}
    for phase, run in phases.items():
        server = start(command, port)
        try:
            asyncio.run(drive(urls[phase][:40], 4, 30))
            results[phase] = asyncio.run(run())
        finally:
            stop(server)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deployments", type=int, default=100_000)
    ap.add_argument("--merges", type=int, default=10_000, help="merges in force")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="per server")
    ap.add_argument("--seconds", type=float, default=60, help="at most, per server")
    ap.add_argument("--rate", type=float, default=20, help="requests/s in the paced phase")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the database here")
    ap.add_argument("--pages", action="store_true", help="the reader's HTML pages, no cache")
    args = ap.parse_args()
    path = atlas_file(args.workdir, args.deployments, args.merges, "custodiet-load-")
    work = path.parent
    if args.pages:
        pages_main(args, path)
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
        return
    plans = {
        "saturated": queries(random.Random(9), args.requests),
        "paced": queries(random.Random(10), int(args.rate * PACED_SECONDS)),
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ours_urls = {k: [ours(base, q) for q in plan] for k, plan in plans.items()}
    theirs_urls = {k: [datasette(base, path.stem, q) for q in plan] for k, plan in plans.items()}
    custodiet = [CUSTODIET, "--db", str(path), "serve", "--port", str(port)]
    datasette_command = [
        DATASETTE, "serve", str(path), "--port", str(port),
        "--setting", "max_returned_rows", "100000",
        "--setting", "sql_time_limit_ms", "30000",
    ]  # fmt: skip
    servers = {
        "custodiet": (custodiet, ours_urls),
        "custodiet --no-cache": ([*custodiet, "--no-cache"], ours_urls),
        "datasette": (datasette_command, theirs_urls),
    }
    # Rounds interleave the servers, so a noisy minute on this machine hits all alike.
    rounds: list[dict[str, dict[str, dict[str, float]]]] = []
    for i in range(args.repeat):
        rounds.append({})
        for name, (command, urls) in servers.items():
            print(f"round {i + 1}/{args.repeat}: {name} …", file=sys.stderr)
            rounds[-1][name] = measure(command, port, urls, args)
    rows = {
        name: {
            phase: median_row([r[name][phase] for r in rounds]) for phase in ("saturated", "paced")
        }
        for name in servers
    }
    for name, phases in rows.items():
        for phase, row in phases.items():
            print(json.dumps({"server": name, "phase": phase, "rounds": args.repeat} | row))
    ours_rps = rows["custodiet"]["saturated"]["rps"]
    ratio = ours_rps / max(rows["datasette"]["saturated"]["rps"], 1e-9)
    uncached = rows["custodiet --no-cache"]["saturated"]["rps"]
    print(
        json.dumps(
            {
                "ratio_rps": round(ratio, 2),
                "ratio_rps_no_cache": round(uncached / rows["datasette"]["saturated"]["rps"], 2),
                "goal": ">= 1.0",
                "met": ratio >= 1.0,
                "p99_goal_ms": 100,
                "p99_saturated_ms": rows["custodiet"]["saturated"]["p99_ms"],
                "p99_paced_ms": rows["custodiet"]["paced"]["p99_ms"],
                "timeouts": sum(p["timeouts"] for r in rows.values() for p in r.values()),
                "errors": sum(p["errors"] for r in rows.values() for p in r.values()),
            }
        )
    )
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
