"""Each page reads one snapshot (one connection, one transaction) in at most eight queries,
on the starter atlas and on a generated atlas with merges in force alike."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from custodiet.web.app import create_app
from custodiet.web.models import FOUNDING_ARTICLE
from tests.conftest import Cli
from tests.shared import REPO

MAX_QUERIES = 8
PAGES = [
    "/",
    "/index.json",
    "/index.json?technology=safe_city_cctv&vendor_country=CN&year_from=2010&state_loans=1",
    "/countries/EC",
    "/countries/EC.json",
    "/vendors/huawei",
    "/vendors/huawei.json",
    "/projects/ecu-911",
    "/projects/ecu-911.json",
    f"/sources/{FOUNDING_ARTICLE}",
    f"/sources/{FOUNDING_ARTICLE}.json",
    "/search?q=Kampala",
    "/search.json?q=cameras",
    "/about",
    "/about.json",
    "/datasets",
    "/datasets.json",
    "/datasets/aigs",
    "/datasets/aigs.json",
    "/deployments.json?limit=50",
    "/deployments.json?country=EC&technology=safe_city_cctv",
    "/deployments.csv",
    "/deployments.csv?vendor=org:huawei",
    "/countries.csv",
    "/vendors.csv?vendor_country=CN",
    "/search.csv?q=cameras",
    "/deployments/huawei-ec-ecu-911",
    "/surveillance-index",
    "/surveillance-index.csv",
    "/surveillance-index/aigs.json",
    "/charts/years.csv?country=EC",
    "/charts/market-share.svg",
    "/feed.atom",
    "/vendors/huawei/feed.atom",
]
# The same pages on the generated atlas (vendor-007 and so on).
GENERATED = [
    p.replace("EC", "FR").replace("huawei", "vendor-007").replace("ecu-911", "none")
    for p in PAGES
    if not any(k in p for k in ("projects", "sources", "Kampala", "aigs", "deployments/"))
]


class Counter:
    def __init__(self, app: FastAPI) -> None:
        self.queries = self.connections = 0
        engine = app.state.store.engine
        event.listen(engine, "before_cursor_execute", self._query)
        event.listen(engine, "checkout", self._checkout)

    def _query(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE"):
            self.queries += 1

    def _checkout(self, *_args: Any) -> None:
        self.connections += 1

    def reset(self) -> None:
        self.queries = self.connections = 0


def counted(url: str, paths: list[str], cache_bytes: int) -> Iterator[tuple[str, int, int]]:
    app = create_app(url, cache_bytes=cache_bytes)
    client = TestClient(app)
    counter = Counter(app)
    for path in paths:
        counter.reset()
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        yield path, counter.queries, counter.connections


@pytest.mark.parametrize("cache_bytes", [0, 2**20], ids=["no-cache", "cache"])
def test_every_page_is_one_snapshot_of_few_queries(starter: Cli, cache_bytes: int) -> None:
    for path, queries, connections in counted(starter.url, PAGES, cache_bytes):
        assert queries <= MAX_QUERIES, (path, queries)
        assert connections == 1, (path, connections)


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "atlas_data", REPO / "benchmarks" / "atlas_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.sqlite
def test_the_count_does_not_grow_with_the_data_or_the_merges(tmp_path: Path) -> None:
    generate = _generator().generate
    small = generate(tmp_path / "small.db", deployments=300, merges=20)
    large = generate(tmp_path / "large.db", deployments=3000, merges=600)
    few = {p: q for p, q, _c in counted(small, GENERATED, 0)}
    many = {p: q for p, q, _c in counted(large, GENERATED, 0)}
    assert few == many
    assert max(many.values()) <= MAX_QUERIES
