"""A bounded load test against a real server on loopback: 50 clients for 30 s on a mix of
pages, JSON, search, CSV and an editor's review actions; every answer is a success, no
connection is dropped, and the server stops by itself."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Cli
from tests.postgres import free_port
from tests.review.test_workflow import NEWS

CLIENTS = 50
SECONDS = 30
EXE = Path(sys.executable).parent / "custodiet"
READS = [
    "/",
    "/index.json?technology=safe_city_cctv",
    "/countries/EC",
    "/countries/KE.json",
    "/vendors/huawei.json",
    "/vendors/zte",
    "/projects/ecu-911.json",
    "/search.json?q=cameras",
    "/search?q=Huawei+safe+city",
    "/deployments.csv",
    "/countries.csv",
    "/deployments.json?limit=20&offset=5",
    "/about",
]


@pytest.fixture
def server(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    cli = Cli(sqlite_url)
    cli("init", "--with-starter")
    for i in range(6):  # candidates to review while the readers read
        (tmp_path / f"news-{i}.txt").write_text(NEWS.replace("2019", str(2010 + i)), "utf-8")
    cli("ingest", str(tmp_path))
    cli("user", "add", "load-editor", "--role", "editor")
    token = cli("user", "token", "load-editor").strip()
    port = free_port()
    proc = subprocess.Popen(
        [str(EXE), "--db", sqlite_url, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "server.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/about", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    try:
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("the server did not stop within 10 s")


async def load(base: str, token: str) -> tuple[Counter[str], int]:
    outcomes: Counter[str] = Counter()
    requests = 0
    stop = time.monotonic() + SECONDS
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as readers:

        async def reader(n: int) -> None:
            nonlocal requests
            i = n
            while time.monotonic() < stop:
                path = READS[i % len(READS)]
                i += 1
                requests += 1
                try:
                    response = await readers.get(path)
                    outcomes[str(response.status_code)] += 1
                except httpx.HTTPError as exc:
                    outcomes[f"{type(exc).__name__} {path}"] += 1

        async def editor() -> None:
            nonlocal requests
            async with httpx.AsyncClient(base_url=base, timeout=30) as me:
                page = await me.get("/signin")
                csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
                assert csrf
                signed = await me.post("/signin", data={"token": token, "csrf": csrf[1]})
                outcomes[f"signin {signed.status_code}"] += 1
                while time.monotonic() < stop:
                    queue = await me.get("/review")
                    ids = re.findall(r'data-candidate="([^"]+)"', queue.text)
                    form = re.search(r'name="csrf" value="([^"]+)"', queue.text)
                    outcomes[f"review {queue.status_code}"] += 1
                    if not ids or not form:
                        await asyncio.sleep(0.2)
                        continue
                    action = "accept" if requests % 7 == 0 else "defer"
                    done = await me.post(f"/review/{ids[0]}/{action}", data={"csrf": form[1]})
                    requests += 2
                    outcomes[f"{action} {done.status_code}"] += 1

        await asyncio.gather(editor(), *(reader(n) for n in range(CLIENTS - 1)))
    return outcomes, requests


def test_fifty_clients_for_thirty_seconds(server: tuple[str, str]) -> None:
    outcomes, requests = asyncio.run(load(*server))
    failures = {k: n for k, n in outcomes.items() if not k.split()[-1].startswith(("2", "3"))}
    assert failures == {}, outcomes
    assert requests > 200 and outcomes["accept 303"] + outcomes["defer 303"] > 0, outcomes
