"""A real uvicorn server on loopback, driven by a real headless Chromium (Debian's).

Walks a reader's and an editor's path through the atlas, saves a screenshot of each
page under test-artifacts/screenshots/, and checks that no request leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.postgres import free_port
from tests.review.test_workflow import NEWS, queue
from tests.shared import REPO

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]
SHOTS = REPO / "test-artifacts" / "screenshots"
EXE = shutil.which("custodiet", path=str(Path(sys.executable).parent))


@pytest.fixture
def site(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Cli]]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs it as root)")
    cli = Cli(sqlite_url)
    cli("init", "--with-starter")
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    cli("ingest", str(tmp_path / "news.txt"))
    cli("user", "add", "browser-editor", "--role", "editor")
    token = cli("user", "token", "browser-editor").strip()
    port = free_port()
    assert EXE
    server = subprocess.Popen(
        [EXE, "--db", sqlite_url, "serve", "--port", str(port)],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", token, cli
    finally:
        server.terminate()
        server.wait(timeout=10)


def watched(pw: Any, requested: list[str], problems: list[str]) -> tuple[Any, Any]:
    """Debian's Chromium and a page in it that notes every address it requests and every
    error: a script refused by the Content-Security-Policy, or failing, shows up here."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.on("request", lambda r: requested.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(15_000)
    return browser, page


def test_reader_and_editor_paths(site: tuple[str, str, Cli], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, token, cli = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser, page = watched(pw, requested, problems)

        page.goto(base + "/")
        page.wait_for_selector("#map path.leaflet-interactive")
        assert page.locator("#map path.leaflet-interactive").count() > 100
        page.screenshot(path=SHOTS / "home.png", full_page=True)

        page.select_option("select[name=technology]", "internet_monitoring")
        page.select_option("select[name=dataset]", "custodiet")  # the quoted sources only
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**technology=internet_monitoring**dataset=custodiet**")
        assert page.locator("table.facts").inner_text().count("Algeria") == 1
        page.screenshot(path=SHOTS / "home-filtered.png", full_page=True)

        with page.expect_download() as download:
            page.click("text=Download these deployments as CSV")
        saved = tmp_path / "deployments.csv"
        download.value.save_as(saved)
        assert saved.read_text().startswith("id,name,vendor,vendor_name,buyer_country")

        page.goto(base + "/")
        page.click("ul.countries >> text=Ecuador")
        page.wait_for_url("**/countries/EC")
        assert "ECU-911" in page.content() and "electoral democracy" in page.content()
        page.wait_for_selector("figure.chart.drawn canvas")  # the timeline, by Chart.js
        page.screenshot(path=SHOTS / "country-EC.png", full_page=True)

        page.click("table.facts >> text=Huawei Technologies")
        page.wait_for_url("**/vendors/huawei")
        assert "Footprint" in page.content()
        page.wait_for_selector("#map path.leaflet-interactive")  # the footprint map
        page.wait_for_selector("figure.chart.drawn canvas")  # deployments by regime type
        page.screenshot(path=SHOTS / "vendor-huawei.png", full_page=True)

        page.goto(base + "/search")
        page.fill("input[name=q]", "Kampala")
        page.press("input[name=q]", "Enter")
        page.wait_for_selector("ul.hits li q")
        assert "Kampala" in page.locator("ul.hits").inner_text()
        page.screenshot(path=SHOTS / "search.png", full_page=True)

        page.click("nav >> text=Datasets")
        page.wait_for_url("**/datasets")
        page.click("table.facts >> text=AI & Big Data Global Surveillance Index")
        page.wait_for_url("**/datasets/aigs")
        assert "97 buyer countries" in page.locator("dl.props").inner_text()
        page.screenshot(path=SHOTS / "dataset-aigs.png", full_page=True)
        page.click("text=on the map")
        page.wait_for_url("**/?dataset=aigs")
        page.wait_for_selector("#map path.leaflet-interactive")
        assert "AI & Big Data" in page.locator("select[name=dataset] option:checked").inner_text()

        candidate = queue(cli)["ZM"]
        page.goto(base + "/signin")
        page.fill("input[name=token]", token)
        page.click("button[type=submit]")
        page.wait_for_url("**/review")
        page.screenshot(path=SHOTS / "review.png", full_page=True)
        page.locator(f'article[data-candidate="{candidate}"] button[data-key="a"]').click()
        page.wait_for_selector("p.message")
        assert "accept" in page.locator("p.message").inner_text()

        page.goto(base + "/countries/ZM")
        assert page.content().count("ZTE Corporation") >= 2  # the starter's and the new one
        page.screenshot(path=SHOTS / "country-ZM-after-review.png", full_page=True)
        assert candidate in page.request.get(base + "/countries/ZM.json").text()
        browser.close()

    foreign = [u for u in requested if not u.startswith((base, "data:", "blob:"))]
    assert requested and foreign == []
    assert problems == []


PDF_PAGES = REPO / "test-artifacts" / "report-pages"
WALKS = [
    # (start page, the evidence it opens, the report it links)
    ("/projects/ecu-911", "project-ecu-911", "/projects/ecu-911/report"),
    ("/vendors/huawei", "vendor-huawei", "/vendors/huawei/report"),
    ("/countries/EC", "country-EC", "/countries/EC/report"),
]


def test_summary_evidence_and_report_walks(site: tuple[str, str, Cli], tmp_path: Path) -> None:
    """For a project, a vendor and a country: the summary first, then its evidence, then
    the due-diligence report (HTML in the browser, PDF downloaded, its pages rendered to
    PNG with pdftoppm for a person to look at)."""
    from playwright.sync_api import sync_playwright

    base, _token, _cli = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    PDF_PAGES.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser, page = watched(pw, requested, problems)
        for start, name, report in WALKS:
            page.goto(base + start)
            summary = page.locator("section.answer p.summary-text")
            assert summary.is_visible() and len(summary.inner_text()) > 60
            page.screenshot(path=SHOTS / f"{name}-summary.png")
            if name.startswith("country"):
                page.click("p.links >> text=Evidence")
                page.wait_for_url("**#deployments")
                page.click("table.facts >> text=evidence >> nth=0")
                page.wait_for_url("**/deployments/**")
                assert page.locator("section.answer").is_visible()
            else:
                page.click("p.links >> text=Evidence")
                page.wait_for_url("**#evidence")
                assert page.locator("#evidence q").count() > 0  # quotes under each value
            page.screenshot(path=SHOTS / f"{name}-evidence.png", full_page=True)
            page.goto(base + start)
            page.click("a.report-link")
            page.wait_for_url(f"**{report}.html")
            assert page.locator("#notes li").count() > 0
            assert page.locator("#summary").inner_text().startswith("Summary")
            page.screenshot(path=SHOTS / f"{name}-report.png", full_page=True)
            pdf = page.request.get(base + report + ".pdf")
            assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
            saved = tmp_path / f"{name}.pdf"
            saved.write_bytes(pdf.body())
            if shutil.which("pdftoppm"):
                subprocess.run(
                    ["pdftoppm", "-r", "60", "-png", "-l", "3", str(saved), str(PDF_PAGES / name)],
                    check=True,
                )
            elif os.environ.get("CI"):
                pytest.fail("pdftoppm is missing: make provision installs it")
        browser.close()
    foreign = [u for u in requested if not u.startswith((base, "data:", "blob:"))]
    assert requested and foreign == []
    assert problems == []
    if shutil.which("pdftoppm"):
        assert len(list(PDF_PAGES.glob("*.png"))) >= len(WALKS)
