"""Pages that read like answers, the surveillance index and its AIGS comparison, charts,
Atom feeds and due-diligence reports, on the starter atlas."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter

import feedparser
import pytest
from fastapi.testclient import TestClient

from custodiet.web.app import create_app
from tests.conftest import Cli
from tests.web.test_pages import LOADS

NEW_PAGES = [
    "/deployments/huawei-ec-ecu-911",
    "/surveillance-index",
    "/surveillance-index?sort=since",
    "/surveillance-index/aigs",
    "/charts",
    "/projects/ecu-911/report.html",
    "/vendors/huawei/report.html",
    "/countries/EC/report.html",
]
TAGS = re.compile(r"<[^>]+>")


@pytest.fixture
def client(starter: Cli) -> TestClient:
    return TestClient(create_app(starter.url))


def visible(html: str) -> str:
    """The page's text, without its tags, addresses and attributes."""
    body = html.split("<main>", 1)[-1]
    return re.sub(r"\s+", " ", TAGS.sub(" ", body))


@pytest.mark.parametrize("path", NEW_PAGES)
def test_new_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "<script>" not in response.text and "<style>" not in response.text
    for match in LOADS.finditer(response.text):
        url = match.group(1) or match.group(2)
        assert url.startswith(("/", "data:image/svg+xml;base64,")), url


def test_the_project_page_opens_with_its_answer(client: TestClient) -> None:
    page = client.get("/projects/ecu-911").text
    summary = client.get("/projects/ecu-911.json").json()["summary"]
    assert summary["text"].startswith("Ecuador's ECU-911: a safe city and CCTV system in Quito")
    assert "$200 M (Modern Diplomacy) or $240 M (Foreign Policy, AidData)" in summary["text"]
    assert "China Development Bank loan (AidData)" in summary["text"]
    assert "Huawei Technologies" in summary["text"] and "from 2011" in summary["text"]
    answers = {f["question"]: f["answer"] for f in summary["facts"]}
    assert answers["Financed by"] == "China Development Bank"
    # The answer first, then the evidence; labels, never codes.
    assert page.index('class="answer"') < page.index('id="evidence"')
    text = visible(page)
    for code in ("safe_city_cctv", "200000000", "240000000", " EC ", "org:huawei"):
        assert code not in text, code
    assert "Safe city and CCTV" in text and "Other names" in text and "sources disagree" in text


def test_deployment_vendor_and_country_pages_open_with_answers(client: TestClient) -> None:
    d = client.get("/deployments/huawei-ec-ecu-911.json").json()
    assert d["summary"]["text"].startswith(
        "Huawei Technologies was contracted to supply safe city and CCTV to Quito, Ecuador"
    )
    assert {"question": "Support", "answer": "corroborated by 2 sources"} in d["summary"]["facts"]
    assert "Evidence" in client.get("/deployments/huawei-ec-ecu-911").text
    assert client.get("/deployments/no-such-thing").status_code == 404
    vendor = client.get("/vendors/huawei.json").json()
    every = client.get("/deployments.json?vendor=org:huawei&limit=500").json()["total"]
    assert vendor["answer"]["text"].startswith(
        f"Huawei Technologies (headquartered in China) has {every} documented deployments"
    )
    autocratic = vendor["by_regime"].get("closed autocracy", 0) + vendor["by_regime"].get(
        "electoral autocracy", 0
    )
    assert f"{autocratic} of them ({round(100 * autocratic / every)}%)" in vendor["answer"]["text"]
    country = client.get("/countries/EC.json").json()
    assert country["summary"]["text"].startswith("Ecuador, an electoral democracy (")
    assert (
        f"{len(country['deployments'])} documented deployments since 2011"
        in (country["summary"]["text"])
    )
    assert country["index"]["documented"][0] == "safe_city_cctv"
    html = client.get("/countries/EC").text
    assert (
        html.index('class="answer"')
        < html.index("Surveillance index")
        < html.index('id="deployments"')
    )


def test_search_hits_read_as_words(client: TestClient) -> None:
    hits = client.get("/search.json?q=Kampala").json()["hits"]
    statement = next(h for h in hits if h["kind"] == "statement")
    assert statement["about"] == "Deployment: Huawei Technologies · Uganda · Safe city and CCTV"
    assert statement["reads"].startswith("Buyer city: Kampala")
    assert statement["href"] == "/" + "/".join(
        ["deployments", statement["entity_id"].split(":")[1]]
    )
    text = visible(client.get("/search?q=Huawei").text)
    assert "deployment:" not in text and "safe_city_cctv" not in text and "org:" not in text


def test_the_surveillance_index_table_sorts_and_has_twins(client: TestClient) -> None:
    data = client.get("/surveillance-index.json").json()
    rows = data["countries"]
    sizes = [len(r["documented"]) for r in rows]
    assert sizes == sorted(sizes, reverse=True) and len(rows) > 50
    by_name = client.get("/surveillance-index.json?sort=country").json()["countries"]
    assert [r["name"] for r in by_name] == sorted(r["name"] for r in rows)
    assert client.get("/surveillance-index.json?sort=nonsense").status_code == 422
    table = list(csv.DictReader(io.StringIO(client.get("/surveillance-index.csv").text)))
    assert [r["code"] for r in table] == [r["code"] for r in rows]
    ecuador = next(r for r in table if r["code"] == "EC")
    assert ecuador["safe_city_cctv"] == "2011" and ecuador["name"] == "Ecuador"
    page = visible(client.get("/surveillance-index").text)
    assert "Ecuador" in page and "Biometric ID" in page and "Spyware and intrusion" in page
    # The country page shows the same row as the table.
    assert client.get("/countries/EC.json").json()["index"] == next(
        r for r in rows if r["code"] == "EC"
    )


def test_the_aigs_comparison_is_a_page_and_a_csv(client: TestClient) -> None:
    data = client.get("/surveillance-index/aigs.json").json()
    counted = Counter(r["status"] for r in data["rows"])
    assert dict(counted) == {k: v for k, v in data["totals"].items() if v}
    assert set(counted) == {"both", "Custodiet only", "AIGS only"}
    table = list(csv.DictReader(io.StringIO(client.get("/surveillance-index/aigs.csv").text)))
    assert len(table) == len(data["rows"]) and list(table[0]) == data["columns"]
    page = visible(client.get("/surveillance-index/aigs").text)
    assert f"{data['totals']['both']} agree" in page


@pytest.mark.parametrize("name", ["years", "regimes", "market-share"])
def test_each_chart_comes_as_svg_png_and_its_data(client: TestClient, name: str) -> None:
    svg = client.get(f"/charts/{name}.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert ET.fromstring(svg.content).tag.endswith("svg")
    png = client.get(f"/charts/{name}.png?vendor=org:huawei")
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    rows = list(csv.reader(io.StringIO(client.get(f"/charts/{name}.csv").text)))
    assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows)
    assert client.get(f"/charts/{name}.gif").status_code == 422


def test_chart_data_counts_the_deployments(client: TestClient) -> None:
    rows = list(
        csv.DictReader(io.StringIO(client.get("/charts/regimes.csv?vendor=org:huawei").text))
    )
    by_regime = client.get("/vendors/huawei.json").json()["by_regime"]
    assert {r["regime type"]: int(r["deployments"]) for r in rows} == by_regime
    years = list(csv.reader(io.StringIO(client.get("/charts/years.csv?country=EC").text)))
    dated = [d for d in client.get("/countries/EC.json").json()["deployments"] if d["years"]]
    assert sum(int(v) for r in years[1:] for v in r[1:]) == sum(
        len(d["years"]) * len(d["technology"]) for d in dated
    )
    shares = list(csv.reader(io.StringIO(client.get("/charts/market-share.csv").text)))
    for row in shares[1:]:
        assert abs(sum(float(v) for v in row[1:]) - 100) < 0.5


@pytest.mark.parametrize(
    ("path", "about"),
    [
        ("/feed.atom", None),
        ("/countries/EC/feed.atom", "Ecuador"),
        ("/vendors/huawei/feed.atom", "Huawei"),
    ],
)
def test_feeds_are_valid_atom(client: TestClient, path: str, about: str | None) -> None:
    response = client.get(path)
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and 0 < len(feed.entries) <= 50
    for entry in feed.entries:
        assert entry.link.startswith("http://testserver/deployments/")
        assert entry.updated_parsed is not None
        if about:
            assert about in entry.title
    stamps = [e.updated_parsed for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)
    assert client.get("/vendors/nobody/feed.atom").status_code == 404


def test_reports_on_the_web(client: TestClient) -> None:
    pdf = client.get("/vendors/huawei/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    html = client.get("/projects/ecu-911/report.html").text
    assert 'href="/report.css"' in html and "Notes" in html
    assert 'href="http://testserver/deployments/huawei-ec-ecu-911"' in html
    assert client.get("/report.css").headers["content-type"].startswith("text/css")
    assert client.get("/vendors/nobody/report.pdf").status_code == 404
    assert client.get("/vendors/nobody/report.html").status_code == 404
    assert client.get("/countries/ZZ/report.html").status_code == 404
    assert client.get("/vendors/huawei/report.doc").status_code == 422


def test_a_merged_vendors_feed_follows_the_id_that_answers(starter: Cli) -> None:
    starter("resolve", "merge", "org:huawei", "org:zte", "--reason", "test")
    client = TestClient(create_app(starter.url))
    feed = feedparser.parse(client.get("/vendors/zte/feed.atom").content)
    assert feed.feed.title == "Custodiet: Huawei Technologies" and feed.entries


def test_country_pages_have_csv_and_geojson_twins(client: TestClient) -> None:
    import geojson

    page = client.get("/countries/EC.json").json()
    shape = client.get("/countries/EC.geojson")
    assert shape.headers["content-type"].startswith("application/geo+json")
    found = geojson.loads(shape.text)
    assert found.is_valid, found.errors()
    (ecuador,) = [f for f in found["features"] if f["properties"]["kind"] == "country"]
    assert ecuador["properties"]["deployments"] == len(page["deployments"])
    table = list(csv.DictReader(io.StringIO(client.get("/countries/EC.csv").text)))
    assert sorted(r["id"] for r in table) == sorted(d["id"] for d in page["deployments"])
    vendor = list(csv.DictReader(io.StringIO(client.get("/vendors/huawei.csv").text)))
    assert len(vendor) == len(client.get("/vendors/huawei.json").json()["deployments"])
    project = list(csv.DictReader(io.StringIO(client.get("/projects/ecu-911.csv").text)))
    assert {r["project"] for r in project} == {"project:ecu-911"}
    assert client.get("/countries/ZZ.geojson").status_code == 404
    assert client.get("/countries/EC").status_code == 200  # the page itself still answers
