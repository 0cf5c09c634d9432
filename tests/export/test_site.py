"""`custodiet publish`: the atlas as static files, its links, its incremental rewrite, and
a real browser walking it as served by a plain static file server under a base address."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from custodiet.export.links import broken_links, local_file, relative, rewrite
from tests.conftest import Cli
from tests.e2e.test_browser import CHROMIUM, SHOTS, watched
from tests.postgres import free_port
from tests.review.test_workflow import NEWS, queue


@pytest.mark.parametrize(
    ("address", "file"),
    [
        ("/", "index.html"),
        ("/index.json", "index.json"),
        ("/countries/EC", "countries/EC.html"),
        ("/countries/EC.geojson", "countries/EC.geojson"),
        ("/countries/EC/report.html", "countries/EC/report.html"),
        ("/charts/years.svg?country=EC", "charts/years--country-EC.svg"),
        ("/charts/regimes.csv?vendor=org%3Ahuawei", "charts/regimes--vendor-org-huawei.csv"),
        ("/surveillance-index?sort=vendors", "surveillance-index--sort-vendors.html"),
        ("/deployments.csv?", "deployments.csv"),
        ("/countries/", "countries/"),
    ],
)
def test_every_address_has_one_file(address: str, file: str) -> None:
    assert local_file(address) == file


def test_links_are_made_relative_to_their_page() -> None:
    assert relative("index.html", "countries/EC.html") == "../index.html"
    assert relative("countries/EC/report.html", "countries/EC.html") == "EC/report.html"
    followed: list[str] = []
    page = (
        '<a href="/vendors/huawei#evidence">x</a> <img src="/charts/years.svg?country=EC&amp;x=1">'
    )
    out = rewrite(page, "countries/EC.html", followed.append)
    assert out == (
        '<a href="../vendors/huawei.html#evidence">x</a> '
        '<img src="../charts/years--country-EC_x-1.svg">'
    )
    assert followed == ["/vendors/huawei", "/charts/years.svg?country=EC&x=1"]


def test_the_link_checker_finds_what_is_broken(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b.html").write_text("", encoding="utf-8")
    (tmp_path / "a" / "p.html").write_text(
        '<a href="../b.html">ok</a> <a href="#x">ok</a> <a href="https://example.org/">ok</a>'
        '<a href="c.html">missing</a> <a href="/b.html">rooted</a> <a href="../../etc">out</a>',
        encoding="utf-8",
    )
    found = sorted(b.link for b in broken_links(tmp_path))
    assert found == ["../../etc", "/b.html", "c.html"]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, Path, str]:
    """The starter atlas published once, with the output of the command."""
    home = tmp_path_factory.mktemp("published")
    cli = Cli(f"sqlite:///{home / 'atlas.db'}")
    cli("init", "--with-starter")
    site = home / "serve" / "atlas"
    said = cli("publish", "--out", str(site), "--base-url", "https://example.org/atlas/")
    return cli, site, said


def test_publish_writes_every_page_with_its_twins(published: tuple[Cli, Path, str]) -> None:
    _cli, site, said = published
    assert re.search(r"published [\d,]+ pages in [\d,]+ files", said)
    for name in ("index.html", "index.json", "countries/EC.html", "countries/EC.json",
                 "countries/EC.csv", "countries/EC.geojson", "countries/EC/report.html",
                 "vendors/huawei.html", "vendors/huawei.json", "vendors/huawei.csv",
                 "projects/ecu-911.html", "surveillance-index.html", "surveillance-index.csv",
                 "charts.html", "charts/years.svg", "search.html", "search-documents.js",
                 "feed.atom", "datasets.html", "about.html", "openapi.json",
                 "static/atlas.js", "static/vendor/minisearch/minisearch.js"):  # fmt: skip
        assert (site / name).is_file(), name
    assert list(broken_links(site)) == []
    assert not list(site.rglob("*.pdf")), "PDF reports are published only with --pdf"
    page = (site / "countries/EC.html").read_text(encoding="utf-8")
    assert 'href="../vendors/huawei.html"' in page
    assert "/review" not in page and "report a correction" not in page
    feed = (site / "feed.atom").read_text(encoding="utf-8")
    assert "https://example.org/atlas/deployments/" in feed and "testserver" not in feed
    text = (site / "search-documents.js").read_text(encoding="utf-8")
    documents = json.loads(text.removeprefix("window.custodietDocuments = ").rstrip(";\n"))
    huawei = next(d for d in documents if d["href"] == "vendors/huawei.html")
    assert huawei["title"] == "Huawei Technologies" and huawei["kind"] == "vendors"
    assert all((site / d["href"]).is_file() for d in documents)


def test_publish_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'atlas.db'}")
    cli("init")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "mine.txt").write_text("keep", encoding="utf-8")
    said = cli("publish", "--out", str(tmp_path / "site"), code=1)
    assert "did not write" in said
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["mine.txt"]


def test_a_second_publish_rewrites_only_what_changed(
    published: tuple[Cli, Path, str], tmp_path: Path
) -> None:
    cli, site, _said = published
    again = cli("publish", "--out", str(site), "--base-url", "https://example.org/atlas/")
    assert " 0 written" in again and " 0 removed" in again, again
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    cli("ingest", str(tmp_path / "news.txt"))
    cli("review", "accept", queue(cli)["KE"])
    after = cli("publish", "--out", str(site), "--base-url", "https://example.org/atlas/")
    files = int(re.search(r"in ([\d,]+) files", after)[1].replace(",", ""))  # type: ignore[index]
    written = int(re.search(r"([\d,]+) written", after)[1].replace(",", ""))  # type: ignore[index]
    assert 0 < written < files / 10, after
    assert "Hikvision" in (site / "countries/KE.html").read_text(encoding="utf-8")
    assert list(broken_links(site)) == []


@pytest.fixture
def static_server(published: tuple[Cli, Path, str]) -> Iterator[tuple[str, Path]]:
    """A plain static file server (Python's http.server) over the folder that holds the
    site, so that the site lives under the base address /atlas/."""
    _cli, site, _said = published
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(site.parent)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}/atlas/", site
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.browser
def test_a_reader_walks_the_static_copy(static_server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, site = static_server
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs it as root)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser, page = watched(pw, requested, problems)
        page.goto(base)
        page.wait_for_selector("#map path.leaflet-interactive")
        page.screenshot(path=SHOTS / "static-home.png", full_page=True)

        page.click("ul.countries >> text=Ecuador")
        page.wait_for_url("**/atlas/countries/EC.html")
        assert "ECU-911" in page.content()
        page.wait_for_selector("figure.chart.drawn canvas")

        page.click("table.facts >> text=Huawei Technologies")
        page.wait_for_url("**/atlas/vendors/huawei.html")
        page.wait_for_selector("#map path.leaflet-interactive")  # the footprint
        with page.expect_download() as download:
            page.click("text=Download as CSV")
        saved = tmp_path / "huawei.csv"
        download.value.save_as(saved)
        assert "Huawei" in saved.read_text(encoding="utf-8")

        page.click("nav >> text=Search")
        page.wait_for_url("**/atlas/search.html")
        page.fill("input[name=q]", "Huawei")
        page.press("input[name=q]", "Enter")
        page.wait_for_selector("ul.hits li a")
        assert "Huawei Technologies" in page.locator("ul.hits").inner_text()
        page.screenshot(path=SHOTS / "static-search.png", full_page=True)
        page.click("ul.hits li a >> text=Huawei Technologies")
        page.wait_for_url("**/atlas/vendors/huawei.html")

        assert problems == [], problems
        assert all(u.startswith("http://127.0.0.1:") for u in requested), [
            u for u in requested if not u.startswith("http://127.0.0.1:")
        ]

        # From file:// the links, the maps (their data loaded as scripts) and search work too.
        problems.clear()
        page.goto((site / "index.html").as_uri())
        page.wait_for_selector("#map path.leaflet-interactive")
        page.click("ul.countries >> text=Ecuador")
        page.wait_for_url("file://**/countries/EC.html")
        page.click("table.facts >> text=Huawei Technologies")
        page.wait_for_url("file://**/vendors/huawei.html")
        page.wait_for_selector("#map path.leaflet-interactive")
        page.click("nav >> text=Search")
        page.fill("input[name=q]", "Ecuador")
        page.press("input[name=q]", "Enter")
        page.wait_for_selector("ul.hits li a")
        assert "Ecuador" in page.locator("ul.hits").inner_text()
        page.click("nav >> text=Datasets")
        page.wait_for_url("file://**/datasets.html")
        assert "AI & Big Data Global Surveillance Index" in page.inner_text("main")
        assert problems == [], problems
        browser.close()
