"""Public responses are cached until the next write, and never served stale."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from custodiet.web.app import create_app
from custodiet.web.cache import Rendered, ResponseCache
from tests.conftest import Cli

BUNDLE = (
    'sources:\n  s: {url: "https://example.org/zq", title: "A new report"}\n'
    "entities:\n  - id: org:zqx-systems\n"
    '    quote: "Zqx Systems sold cameras"\n'
    '    properties: {name: "Zqx Systems"}\n'
)


def test_a_repeated_page_is_served_from_the_cache(starter: Cli) -> None:
    app = create_app(starter.url)
    client = TestClient(app)
    first = client.get("/countries/EC.json")
    hits = app.state.cache.hits
    second = client.get("/countries/EC.json")
    assert second.content == first.content and app.state.cache.hits == hits + 1
    assert second.headers["content-type"] == "application/json"
    assert "script-src 'self'" in second.headers["content-security-policy"]


def test_a_write_from_another_process_shows_at_once(starter: Cli, tmp_path: Path) -> None:
    client = TestClient(create_app(starter.url))
    assert client.get("/search.json?q=Zqx").json()["hits"] == []
    assert client.get("/vendors/zqx-systems").status_code == 404
    (tmp_path / "zqx.yaml").write_text(BUNDLE, encoding="utf-8")
    starter("load", str(tmp_path / "zqx.yaml"))
    assert client.get("/search.json?q=Zqx").json()["hits"]
    assert "Zqx Systems" in client.get("/vendors/zqx-systems").text


def test_pages_with_a_query_are_cached_apart(starter: Cli) -> None:
    client = TestClient(create_app(starter.url))
    every = client.get("/index.json").json()["deployments"]
    some = client.get("/index.json?technology=internet_monitoring").json()["deployments"]
    assert some < every == client.get("/index.json").json()["deployments"]


class OneVersion:
    """A view of data that never changes."""

    def data_version(self) -> int:
        return 7


def test_the_cache_keeps_to_its_size_dropping_the_least_recently_used() -> None:
    cache = ResponseCache(max_bytes=10)
    view = OneVersion()
    for key in ("a", "b", "a", "c"):
        cache.get(key, view, lambda _v: Rendered(b"12345", "text/plain"))  # type: ignore[arg-type]
    assert (cache.hits, cache.misses) == (1, 3)
    cache.get("a", view, lambda _v: Rendered(b"12345", "text/plain"))  # type: ignore[arg-type]
    assert cache.hits == 2  # "a" was used last, so "b" made room for "c"


def test_a_cache_of_no_bytes_renders_every_time() -> None:
    cache = ResponseCache(max_bytes=0)
    calls: list[str] = []

    def render(_view: object) -> Rendered:
        calls.append("a")
        return Rendered(b"x", "text/plain")

    for _ in range(3):
        cache.get("a", OneVersion(), render)  # type: ignore[arg-type]
    assert len(calls) == 3


def test_writes_the_public_does_not_see_keep_the_cache(starter: Cli) -> None:
    app = create_app(starter.url)
    client = TestClient(app)
    client.get("/countries/EC.json")
    statement = client.get("/projects/ecu-911.json").json()["entity"]["properties"]["value"][0][
        "evidence"
    ][0]["statement_id"]
    starter("corrections", "add", statement, "--message", "The value is disputed")
    starter("user", "add", "someone", "--role", "editor")
    hits = app.state.cache.hits
    client.get("/countries/EC.json")
    assert app.state.cache.hits == hits + 1
