"""Records: one typed record per kind, its fields the schema's properties; kept current by
every write exactly as a rebuild from the statements would make them."""

from __future__ import annotations

import json
import typing
from dataclasses import fields
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from custodiet.model.records import TYPED
from custodiet.model.schemata import schemata
from custodiet.store import SqlStore, records
from custodiet.web.app import create_app
from tests.conftest import Cli

# Our own words: an agency known to use a technology, the vendor unknown, in a place with
# coordinates (the shape of most rows of the EFF Atlas of Surveillance).
AGENCY = """\
sources:
  memo: {url: "https://example.org/springfield-memo", title: A memo in our own words}
entities:
  - id: place:us-springfield
    properties: {name: Springfield, kind: city, country: US, latitude: "39.7817",
                 longitude: "-89.6501", parent: place:us-illinois}
  - id: place:us-illinois
    properties: {name: Illinois, kind: state, country: US}
  - id: org:springfield-pd
    properties: {name: Springfield Police Department, role: agency, country: US}
  - id: deployment:springfield-alpr
    quote: "The Springfield Police Department uses automated licence plate readers"
    properties: {buyer: org:springfield-pd, buyer_country: US, place: place:us-springfield,
                 technology: safe_city_cctv}
"""


def test_every_schema_property_is_a_field_of_its_typed_record() -> None:
    for name, schema in schemata().items():
        cls = TYPED[name]
        hints = typing.get_type_hints(cls)
        names = {f.name for f in fields(cls)}
        for prop in schema.properties.values():
            assert prop.name in names, (name, prop.name)
            is_list = typing.get_origin(hints[prop.name]) is list
            assert is_list == prop.multi, (name, prop.name)


@pytest.fixture
def agency(starter: Cli, tmp_path: Path) -> Cli:
    (tmp_path / "agency.yaml").write_text(AGENCY, encoding="utf-8")
    starter("load", str(tmp_path / "agency.yaml"))
    return starter


def test_a_deployment_without_a_vendor_and_its_agency_and_place(agency: Cli) -> None:
    client = TestClient(create_app(agency.url))
    us = client.get("/countries/US.json").json()["deployments"]
    found = next(d for d in us if d["id"] == "deployment:springfield-alpr")
    assert found["vendor"] is None and found["buyer"] == "org:springfield-pd"
    assert found["buyer_name"] == "Springfield Police Department"
    assert found["labels"]["place:us-springfield"] == "Springfield"
    assert "vendor unknown" in client.get("/countries/US").text
    place = json.loads(agency("show", "place:us-springfield", "--json"))["properties"]
    assert place["latitude"][0]["value"] == "39.7817"
    assert place["parent"][0]["label"] == "Illinois"
    home = client.get("/index.json").json()
    assert "org:springfield-pd" not in {v["id"] for v in home["top_vendors"]}
    assert any(c["code"] == "US" for c in home["countries"])


def test_a_rename_reaches_the_records_that_show_the_name(agency: Cli, tmp_path: Path) -> None:
    (tmp_path / "rename.yaml").write_text(
        'sources:\n  s: {url: "https://example.org/rename", title: Renamed}\n'
        "entities:\n  - id: org:huawei\n    properties: {name: Huawei Renamed Ltd}\n",
        encoding="utf-8",
    )
    before = TestClient(create_app(agency.url)).get("/vendors/huawei.json").json()
    agency("load", str(tmp_path / "rename.yaml"))
    after = TestClient(create_app(agency.url)).get("/vendors/huawei.json").json()
    # Two names now stand side by side; the first stated stays the caption.
    assert after["entity"]["caption"] == before["entity"]["caption"]
    assert "name" in after["entity"]["disagreements"]
    with SqlStore(agency.url) as store, store.view() as view:
        assert records.differences(view.conn) == []


def test_kept_records_equal_a_rebuild_after_every_kind_of_write(agency: Cli) -> None:
    agency("resolve", "merge", "org:huawei", "org:zte")
    agency("resolve", "merge", "place:us-illinois", "place:us-springfield")
    agency("resolve", "split", "org:zte")
    with SqlStore(agency.url) as store:
        with store.view() as view:
            assert records.differences(view.conn) == []
            kept = {r.id: r for s in ("Deployment", "Place") for r in view.records_of(s)}
        assert store.rebuild_records() > 0
        with store.view() as view:
            rebuilt = {r.id: r for s in ("Deployment", "Place") for r in view.records_of(s)}
    assert kept == rebuilt
    assert rebuilt["place:us-illinois"].members == ["place:us-illinois", "place:us-springfield"]


def test_verify_names_a_record_that_no_longer_fits(agency: Cli) -> None:
    with SqlStore(agency.url) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE records SET name = 'tampered' WHERE id = 'org:springfield-pd'")
    assert "record org:springfield-pd: differs" in agency("verify", code=1)
