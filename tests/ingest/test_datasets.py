"""Datasets as provenance: declared once, named by every statement, cited on every page
that shows their facts; cleaned values keep the words the source used."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from custodiet.web.app import create_app
from tests.cli.test_cli import snapshot
from tests.conftest import Cli

DATASET = """\
dataset:
  name: watchers-2025
  title: The Watchers' List
  publisher: An example NGO
  url: https://example.org/watchers
  licence: CC BY-SA 4.0
  citation: "Example NGO, The Watchers' List (2025)"
  version: "2025.1"
"""
FACTS = """\
sources:
  list: {url: "https://example.org/watchers/row-7", title: Row 7}
entities:
  - id: org:qqv-optics
    properties: {name: Qqv Optics, role: vendor}
  - id: deployment:qqv-ec
    quote: "Qqv Optics sold cameras to Ecuador"
    properties: {vendor: org:qqv-optics, buyer_country: " Ecuador ", technology: safe_city_cctv}
"""
DECLARED = DATASET + FACTS


@pytest.fixture
def loaded(starter: Cli, tmp_path: Path) -> Cli:
    (tmp_path / "watchers.yaml").write_text(DECLARED, encoding="utf-8")
    starter("load", str(tmp_path / "watchers.yaml"))
    return starter


def test_statements_name_their_dataset_and_keep_the_words_cleaned(loaded: Cli) -> None:
    rows = [json.loads(x) for x in loaded("export", "--format", "statements-jsonl").splitlines()]
    mine = [r for r in rows if r["entity_id"] == "deployment:qqv-ec"]
    assert {r["dataset"] for r in mine} == {"watchers-2025"}
    country = next(r for r in mine if r["prop"] == "buyer_country")
    assert (country["value"], country["original_value"]) == ("EC", "Ecuador")
    assert all(r["original_value"] is None for r in mine if r["prop"] != "buyer_country")
    regimes = {r["dataset"] for r in rows if r["method"] == "import:owid-vdem"}
    assert regimes == {"owid-vdem"}
    assert json.loads(loaded("stats", "--json"))["datasets"]["watchers-2025"] == 5


def test_pages_cite_the_datasets_of_the_facts_they_show(loaded: Cli) -> None:
    client = TestClient(create_app(loaded.url))
    ecuador = client.get("/countries/EC.json").json()["licence"]
    assert {d["name"] for d in ecuador["datasets"]} == {
        "custodiet", "owid-vdem", "watchers-2025", "aigs", "aiddata-gcdf",
    }  # fmt: skip
    assert ecuador["data"] == "CC BY 4.0; CC BY-SA 4.0; ODC-By 1.0"
    assert "The Watchers' List (2025)" in html.unescape(client.get("/countries/EC").text)
    kenya = client.get("/countries/KE.json").json()["licence"]
    assert "watchers-2025" not in {d["name"] for d in kenya["datasets"]}
    assert "watchers-2025" in {d["name"] for d in client.get("/about.json").json()["licence"]
                               ["datasets"]}  # fmt: skip
    only = client.get("/index.json?dataset=watchers-2025").json()
    assert only["deployments"] == 1 and only["countries"][0]["code"] == "EC"
    regime = client.get("/countries/EC.json").json()["regime"]["source"]
    assert regime.startswith("Our World in Data based on V-Dem")


@pytest.mark.parametrize(
    ("dataset", "complaint"),
    [
        ("dataset: nobody-knows\n", "watchers.yaml:1: dataset: unknown dataset 'nobody-knows'"),
        (
            "dataset: {name: x-1, title: T, citation: C}\n",
            "watchers.yaml:1: dataset: dataset x-1 needs",
        ),
        ("dataset: {name: Bad Name, title: T, licence: L, citation: C}\n", "is not a dataset name"),
    ],
)
def test_a_bad_dataset_is_one_line_and_writes_nothing(
    starter: Cli, tmp_path: Path, dataset: str, complaint: str
) -> None:
    path = tmp_path / "watchers.yaml"
    path.write_text(dataset + FACTS, encoding="utf-8")
    before = snapshot(starter.url)
    assert complaint in starter("load", str(path), code=1)
    assert snapshot(starter.url) == before
