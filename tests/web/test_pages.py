"""The web atlas in-process: every page and its JSON twin, headers, escaping, privacy."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from custodiet.web.app import create_app
from tests.conftest import Cli

PAGES = [
    "/",
    "/countries/EC",
    "/vendors/huawei",
    "/projects/ecu-911",
    "/search?q=Kampala",
    "/about",
    "/sources/501c0322bf0ad093056d20485d49c960aa915e68011900417111304cb1e4b641",
]
# Anything a page would fetch by itself: scripts, styles, images, frames, fonts.
LOADS = re.compile(
    r'<(?:script|img|iframe|source|embed)[^>]+src="([^"]+)"|'
    r'<link[^>]+href="([^"]+)"',
    re.IGNORECASE,
)


@pytest.fixture
def client(starter: Cli) -> TestClient:
    return TestClient(create_app(starter.url))


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text  # no inline scripts at all
    for match in LOADS.finditer(response.text):
        url = match.group(1) or match.group(2)
        assert url.startswith("/"), url
    assert "set-cookie" not in response.headers
    if path != "/docs":
        assert "CC BY 4.0" in response.text


@pytest.mark.parametrize("path", [p for p in PAGES if p not in ("/about", "/signin", "/docs")])
def test_every_page_has_a_json_twin(client: TestClient, path: str) -> None:
    base, _, query = path.partition("?")
    twin = ("/index" if base == "/" else base) + ".json" + (f"?{query}" if query else "")
    response = client.get(twin)
    assert response.status_code == 200
    assert "CC BY 4.0" in response.json()["licence"]["data"].split("; ")


def test_country_page_shows_ecuador_and_ecu_911(client: TestClient) -> None:
    data = client.get("/countries/EC.json").json()
    assert data["regime"]["label"] == "electoral democracy"
    vendors = {d["vendor"] for d in data["deployments"]}
    assert {"org:huawei", "org:ceiec"} <= vendors
    assert any(p["id"] == "project:ecu-911" for p in data["projects"])
    assert "Huawei" in client.get("/countries/EC").text
    sources = data["sources"]
    assert sources and all(s["deployments"] >= 1 for s in sources)
    assert {s for d in data["deployments"] for s in d["sources"]} == {s["id"] for s in sources}
    assert data["sources_total"] == len(sources)


def test_vendor_and_project_lists_download_as_csv(client: TestClient) -> None:
    for page, column, value in (
        ("/vendors/huawei", "vendor", "org:huawei"),
        ("/projects/ecu-911", "project", "project:ecu-911"),
    ):
        link = re.search(r'href="(/deployments\.csv\?[^"]+)"', client.get(page).text)
        assert link, page
        rows = list(csv.DictReader(io.StringIO(client.get(link.group(1)).text)))
        assert rows and all(value in r[column] for r in rows)


def test_filters_drive_the_map_and_the_list(client: TestClient) -> None:
    every = client.get("/index.json").json()
    spyware = client.get("/index.json?technology=internet_monitoring&dataset=custodiet").json()
    assert 0 < spyware["deployments"] < every["deployments"]
    assert {c["code"] for c in spyware["countries"]} == {"DZ"}  # of the quoted sources
    indexed = client.get("/index.json?technology=internet_monitoring&dataset=aigs").json()
    assert len(indexed["countries"]) > 30 and indexed["filters"]["dataset"] == "aigs"
    chinese = client.get("/index.json?vendor_country=CN").json()
    assert chinese["deployments"] < every["deployments"]
    assert all(v["country"] == "CN" for v in chinese["top_vendors"])


def test_csv_download(client: TestClient) -> None:
    response = client.get("/deployments.csv?country=EC")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and {r["buyer_country"] for r in rows} == {"EC"}


def test_unknown_pages_are_404_in_both_forms(client: TestClient) -> None:
    assert client.get("/countries/XX").status_code == 404
    assert client.get("/vendors/nobody.json").json()["error"] == "no vendor nobody"


def test_quotes_are_escaped(starter: Cli, tmp_path: Path) -> None:
    bundle = tmp_path / "evil.yaml"
    bundle.write_text(
        'sources:\n  s: {url: "https://example.org/x", title: "<b>bold</b>"}\n'
        "entities:\n  - id: org:evil-corp\n"
        '    quote: "<script>alert(1)</script> sold cameras"\n'
        '    properties: {name: "Evil <img src=x onerror=alert(1)>"}\n',
        encoding="utf-8",
    )
    starter("load", str(bundle))
    page = TestClient(create_app(starter.url)).get("/vendors/evil-corp").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_openapi_document_is_served_and_valid(client: TestClient) -> None:
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/countries/{code}.json" in spec["paths"]
    validate(spec)  # raises on an invalid document


def test_csv_takes_the_forms_empty_fields(client: TestClient) -> None:
    response = client.get("/deployments.csv?technology=internet_monitoring&vendor=&year_from=")
    assert response.status_code == 200 and "Algeria" in response.text


def test_deployments_list_paginates_and_filters(client: TestClient) -> None:
    first = client.get("/deployments.json?limit=5").json()
    assert len(first["items"]) == 5 and first["total"] > 5 and first["licence"]
    second = client.get("/deployments.json?limit=5&offset=5").json()
    assert {d["id"] for d in first["items"]}.isdisjoint(d["id"] for d in second["items"])
    ecu = client.get("/deployments.json?project=project:ecu-911").json()
    assert ecu["total"] >= 2 and all(d["buyer_country"] == "EC" for d in ecu["items"])
    too_many = client.get("/deployments.json?limit=100000")
    assert too_many.status_code == 422 and too_many.json()["error"].startswith("limit:")


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/index.json?year_from=abc", "year_from"),
        ("/?year_to=20x", "year_to"),
        ("/index.json?technology=lasers", "technology"),
        ("/deployments.json?limit=-1", "limit"),
        ("/deployments.json?offset=-3", "offset"),
        ("/deployments.csv?vendor=not%20an%20id", "vendor"),
        ("/countries.csv?vendor_country=China", "vendor_country"),
        ("/index.json?year_from=1200", "year_from"),
        ("/index.json?year_from=²", "year_from"),
        ("/deployments.json?year_to=³", "year_to"),
    ],
)
def test_bad_parameters_are_a_clear_422(client: TestClient, path: str, named: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert named in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_the_forms_empty_fields_mean_any(client: TestClient) -> None:
    every = client.get("/index.json").json()["deployments"]
    blank = "technology=&vendor=&vendor_country=&year_from=&year_to="
    assert client.get(f"/index.json?{blank}").json()["deployments"] == every
    assert client.get(f"/?{blank}").status_code == 200
    lower = client.get("/index.json?vendor_country=cn").json()
    assert lower["filters"] == {"vendor_country": "CN"}


def test_api_page_is_served_from_here(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page
    spec = client.get("/openapi.json").json()
    country = spec["paths"]["/countries/{code}.json"]["get"]["responses"]["200"]
    assert "CountryPage" in str(country)
    assert "examples" in str(spec["components"]["schemas"]["CountryPage"])


def test_search_downloads_as_csv(client: TestClient) -> None:
    response = client.get("/search.csv?q=Kampala")
    assert response.text.startswith("kind,ref,entity_id") and "Kampala" in response.text


def test_search_facets_narrow_the_hits_and_hits_lead_to_their_source(
    client: TestClient,
) -> None:
    every = client.get("/search.json?q=Huawei").json()
    assert len(every["facets"]) > 1
    kind, count = next(iter(every["facets"].items()))
    narrowed = client.get(f"/search.json?q=Huawei&kind={kind}").json()
    assert len(narrowed["hits"]) == count < len(every["hits"])
    assert narrowed["facets"] == every["facets"]
    page = client.get("/search?q=Kampala").text
    source = next(h["source_id"] for h in every["hits"] if h["kind"] == "statement")
    assert re.search(r'href="/sources/[0-9a-f]{64}">in its source', page) and source
    assert "&amp;kind=" in client.get("/search?q=Huawei").text


def test_vendor_summary_names_home_parent_and_subsidiaries(client: TestClient) -> None:
    ceiec = client.get("/vendors/ceiec.json").json()["summary"]
    assert ceiec["headquarters"] == "China" and ceiec["parent"]
    cetc = client.get("/vendors/cetc.json").json()
    assert cetc["summary"]["state_owned"] == "yes"  # the label, not the stored "true"
    assert "state-owned" in cetc["answer"]["text"]
    assert [s["id"] for s in cetc["subsidiaries"]] == ["org:ceiec"]
    assert "Subsidiaries" in client.get("/vendors/cetc").text


def test_disagreeing_sources_are_marked_but_several_names_are_not(client: TestClient) -> None:
    ecu = client.get("/projects/ecu-911.json").json()["entity"]
    assert "value" in ecu["disagreements"] and len(ecu["properties"]["value"]) > 1
    huawei = client.get("/vendors/huawei.json").json()["entity"]
    assert len(huawei["properties"]["alias"]) > 1 and huawei["disagreements"] == []
    assert 'class="value disagree"' in client.get("/projects/ecu-911").text
    assert 'class="value disagree"' not in client.get("/vendors/huawei").text


def test_country_and_vendor_tallies_download_as_csv(client: TestClient) -> None:
    atlas = client.get("/index.json?vendor_country=CN").json()
    countries = list(
        csv.DictReader(io.StringIO(client.get("/countries.csv?vendor_country=CN").text))
    )
    vendors = list(csv.DictReader(io.StringIO(client.get("/vendors.csv?vendor_country=CN").text)))
    assert sum(int(c["deployments"]) for c in countries) == atlas["deployments"]
    assert sum(int(v["deployments"]) for v in vendors) == atlas["deployments"]
    assert {v["country"] for v in vendors} == {"CN"} and len(vendors) >= len(atlas["top_vendors"])
    home = client.get("/?vendor_country=CN").text
    assert "/countries.csv?vendor_country=CN" in home and "/vendors.csv?vendor_country=CN" in home


def test_head_is_answered_like_get_without_a_body(client: TestClient) -> None:
    for path in ("/", "/countries/EC.json", "/deployments.csv"):
        response = client.head(path)
        assert response.status_code == 200 and response.content == b""
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_country_codes_are_two_letters_before_they_are_upper_cased(client: TestClient) -> None:
    assert client.get("/countries/ß.json").status_code == 422  # "ß".upper() is "SS"
    assert client.get("/countries/ec.json").json()["code"] == "EC"


def test_even_a_server_error_carries_the_headers(starter: Cli) -> None:
    from custodiet.web import views

    app = create_app(starter.url)
    original = views.about
    views.about = lambda _view: 1 / 0  # type: ignore[assignment,return-value]
    try:
        response = TestClient(app, raise_server_exceptions=False).get("/about.json")
    finally:
        views.about = original
    assert response.status_code == 500
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_a_search_is_bounded_in_size_time_and_company(client: TestClient) -> None:
    from custodiet.web import views

    flood = client.get("/search.json", params={"q": "Kampala " * 3001})
    assert flood.status_code == 422 and "q:" in flood.json()["error"]
    repeated = client.get("/search.json", params={"q": "Kampala " * 20})
    assert repeated.status_code == 200 and repeated.json()["hits"]
    assert views.SEARCHING.acquire(timeout=1) and views.SEARCHING.acquire(timeout=1)
    try:
        busy = client.get("/search.json?q=cameras")
    finally:
        views.SEARCHING.release()
        views.SEARCHING.release()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert client.get("/countries/EC.json").status_code == 200


@pytest.mark.sqlite
def test_a_search_past_its_budget_stops_and_says_so(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from custodiet.store import search as store_search

    Cli(sqlite_url)("init", "--with-starter")
    monkeypatch.setattr(store_search, "BUDGET_MS", -1000)
    response = TestClient(create_app(sqlite_url)).get("/search.json?q=China")
    assert response.status_code == 200
    assert response.json()["hits"] == [] and "too long" in response.json()["notice"]
