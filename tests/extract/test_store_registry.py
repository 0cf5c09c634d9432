"""One vendor registry: organisations a database holds (loaded, imported or accepted) are
recognised by the next extract and ingest on that database, under the ids that answer
for them, with their aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custodiet.extract.registry import Known, registry
from tests.conftest import Cli

# Our own words: a firm no shipped registry knows, and a deal it made.
ORG = """\
sources:
  note: {url: "https://example.org/zqx-note", title: A note in our own words}
entities:
  - id: org:zqx-systems
    properties: {name: Zqx Systems, alias: [Zqx Vision Ltd], role: vendor, country: EE}
  - id: org:zqx-holdings
    properties: {name: Zqx Holdings Group, role: integrator}
  - id: org:police-of-nowhere
    properties: {name: Nowhere Police Service, role: agency}
"""
NEWS = "The Kenyan police signed a contract with Zqx Vision Ltd for cameras in Nairobi in 2021.\n"
AGENCY = "The Kenyan police signed a contract with Nowhere Police Service for cameras in Nairobi.\n"


@pytest.fixture
def known(cli: Cli, tmp_path: Path) -> tuple[Cli, Path]:
    cli("init")
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    cli("load", str(tmp_path / "org.yaml"))
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    return cli, tmp_path / "news.txt"


def vendors(cli: Cli, path: Path) -> set[str]:
    return {json.loads(x)["vendor_id"] for x in cli("extract", str(path)).splitlines() if x}


def test_a_loaded_organisation_is_found_by_the_next_extract(known: tuple[Cli, Path]) -> None:
    cli, news = known
    assert vendors(cli, news) == {"org:zqx-systems"}


def test_without_a_database_only_the_shipped_registry_is_used(
    known: tuple[Cli, Path], tmp_path: Path
) -> None:
    _cli, news = known
    bare = Cli(f"sqlite:///{tmp_path / 'nothing-here.db'}")
    assert "no Custodiet database" in bare("extract", str(news), code=1)
    assert not registry().vendors.get("org:zqx-systems")


def test_ingest_queues_it_and_a_merge_moves_it(known: tuple[Cli, Path]) -> None:
    cli, news = known
    cli("resolve", "merge", "org:zqx-holdings", "org:zqx-systems")
    cli("ingest", str(news))
    rows = [json.loads(x) for x in cli("review", "list", "--json").splitlines()]
    assert [r["vendor"] for r in rows] == ["org:zqx-holdings"]


def test_agencies_are_not_vendors(known: tuple[Cli, Path], tmp_path: Path) -> None:
    cli, _news = known
    (tmp_path / "agency.txt").write_text(AGENCY, encoding="utf-8")
    assert vendors(cli, tmp_path / "agency.txt") == set()


def test_a_stored_name_never_takes_a_shipped_vendors_name() -> None:
    reg = registry([Known(id="org:not-huawei", names=("Huawei", "Qqv Labs"), role="vendor")])
    assert {t.ref for t in reg.terms["huawei"] if t.kind == "vendor"} == {"org:huawei"}
    assert {t.ref for t in reg.terms["qqv labs"]} == {"org:not-huawei"}
    merged = registry([Known(id="org:zte-group", names=("ZTE Group",), members=("org:zte",))])
    assert {t.ref for t in merged.terms["zte"] if t.kind == "vendor"} == {"org:zte-group"}
