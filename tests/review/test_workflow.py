"""The editor's workflow end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import alter_audit, snapshot
from tests.conftest import Cli

# Our own words: three deals in one document.
NEWS = (
    "The Kenyan police signed a contract with Hikvision for facial recognition cameras "
    "in Nairobi in 2019.\n\n"
    "Separately, the government of Ecuador bought CCTV cameras from Dahua for Quito.\n\n"
    "Zambia hired ZTE to build a safe city network in Lusaka in 2016.\n"
)
# A fact already in the atlas that the Zambian candidate duplicates.
PLANTED = """\
sources:
  memo: {url: "https://example.org/zambia-memo", title: A memo in our own words}
entities:
  - id: org:zte
    properties: {name: ZTE}
  - id: deployment:zte-zambia
    quote: "ZTE built the Lusaka safe city network"
    properties: {vendor: org:zte, buyer_country: ZM, buyer_city: Lusaka,
                 technology: safe_city_cctv, year: 2016}
"""


def queue(cli: Cli) -> dict[str, str]:
    """Deployment candidate ids by buyer country."""
    rows = [json.loads(x) for x in cli("review", "list", "--json").splitlines()]
    return {r["buyer_country"]: r["id"] for r in rows if r["schema"] == "Deployment"}


def proposed_organisations(cli: Cli) -> set[str]:
    rows = [json.loads(x) for x in cli("review", "list", "--json").splitlines()]
    return {r["id"] for r in rows if r["schema"] == "Organization"}


@pytest.fixture
def desk(cli: Cli, tmp_path: Path) -> tuple[Cli, dict[str, str]]:
    cli("init")
    (tmp_path / "planted.yaml").write_text(PLANTED, encoding="utf-8")
    cli("load", str(tmp_path / "planted.yaml"))
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    cli("ingest", str(tmp_path / "news.txt"))
    return cli, queue(cli)


def test_review_resolve_and_verify_end_to_end(desk: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = desk
    assert set(ids) == {"KE", "EC", "ZM"}
    cli("review", "accept", ids["KE"])
    cli("review", "edit", ids["ZM"], "--set", "year=2017", "--set", "status=contracted")
    cli("review", "reject", ids["EC"], "--reason", "not a deal we can confirm")
    assert queue(cli) == {}

    view = json.loads(cli("show", ids["ZM"], "--json"))
    year = view["properties"]["year"]
    assert [v["value"] for v in year] == ["2017"]
    evidence = year[0]["evidence"][0]
    assert evidence["quote"].startswith("Zambia hired ZTE") and evidence["reviewer"] == (
        "test:editor"
    )
    assert evidence["method"] == "manual"
    shown = json.loads(cli("review", "show", ids["ZM"], "--json"))
    statuses = {(v["prop"], v["value"]): v["status"] for v in shown["values"]}
    assert statuses[("year", "2016")] == "superseded"  # the machine's value is kept
    assert statuses[("year", "2017")] == "accepted"

    pairs = [json.loads(x) for x in cli("resolve", "suggest", "--json").splitlines()]
    planted = {"deployment:zte-zambia", ids["ZM"]}
    match = [p for p in pairs if {p["a"], p["b"]} == planted]
    assert match and "same city" in match[0]["reason"]

    before = {i: cli("show", i, "--json") for i in planted}
    cli("resolve", "merge", "deployment:zte-zambia", ids["ZM"])
    merged = json.loads(cli("show", ids["ZM"], "--json"))
    assert merged["id"] == "deployment:zte-zambia" and merged["merged"] == [ids["ZM"]]
    assert {"2016", "2017"} <= {v["value"] for v in merged["properties"]["year"]}
    assert "resolve.merge" in cli("log", ids["ZM"], "--json")
    cli("resolve", "split", ids["ZM"])
    assert {i: cli("show", i, "--json") for i in planted} == before

    assert "verified" in cli("verify")
    alter_audit(cli.url, "SET actor = 'someone else' WHERE seq = 3")
    assert "audit record 3: altered after it was written" in cli("verify", code=1)


def test_a_shipped_vendor_the_atlas_lacks_comes_with_its_accepted_fact(
    desk: tuple[Cli, dict[str, str]],
) -> None:
    cli, ids = desk
    # ZTE is in the atlas already; Hikvision and Dahua are only in the shipped registry.
    assert proposed_organisations(cli) == {"org:hikvision", "org:dahua"}
    output = cli("review", "accept", ids["KE"])
    assert proposed_organisations(cli) == {"org:dahua"}
    vendor = json.loads(cli("show", "org:hikvision", "--json"))
    assert [v["value"] for v in vendor["properties"]["name"]] == ["Hikvision"]
    assert [v["value"] for v in vendor["properties"]["country"]] == ["CN"]
    assert vendor["properties"]["name"][0]["evidence"][0]["quote"].startswith("The Kenyan police")
    # An editor who names another vendor leaves the proposal in the queue.
    cli("review", "edit", ids["EC"], "--set", "vendor=org:zte")
    assert proposed_organisations(cli) == {"org:dahua"}
    cli("review", "undo", output.split("judgement ")[1].rstrip(")\n"))
    assert proposed_organisations(cli) == {"org:hikvision", "org:dahua"}
    assert "verified" in cli("verify")


def test_undo_restores_the_candidate(desk: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = desk
    output = cli("review", "edit", ids["KE"], "--set", "year=2020")
    judgement = output.split("judgement ")[1].rstrip(")\n")
    cli("review", "undo", judgement)
    assert ids["KE"] in queue(cli).values()
    view = json.loads(cli("review", "show", ids["KE"], "--json"))
    statuses = {(v["prop"], v["value"]): v["status"] for v in view["values"]}
    assert statuses[("year", "2019")] == "candidate"
    assert statuses[("year", "2020")] == "superseded"
    assert "verified" in cli("verify")


def test_accept_onto_an_existing_entity(desk: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = desk
    cli("review", "accept", ids["ZM"], "--as", "deployment:zte-zambia")
    view = json.loads(cli("show", "deployment:zte-zambia", "--json"))
    quotes = {e["quote"] for v in view["properties"]["vendor"] for e in v["evidence"]}
    assert any(q.startswith("Zambia hired ZTE") for q in quotes)
    assert "nothing is known" in cli("show", ids["ZM"], code=1)


def test_defer_keeps_the_candidate_last(desk: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = desk
    cli("review", "defer", ids["KE"])
    rows = [json.loads(x) for x in cli("review", "list", "--json").splitlines()]
    assert rows[-1]["id"] == ids["KE"] and rows[-1]["deferred"] is True


def test_corrections_accepted_like_an_edit(desk: tuple[Cli, dict[str, str]]) -> None:
    cli, _ids = desk
    planted = json.loads(cli("show", "deployment:zte-zambia", "--json"))
    statement = planted["properties"]["year"][0]["evidence"][0]["statement_id"]
    cli(
        "corrections",
        "add",
        statement,
        "--message",
        "the network was built in 2015",
        "--source",
        "https://example.org/zambia-2015",
    )
    (row,) = [json.loads(x) for x in cli("corrections", "list", "--json").splitlines()]
    assert "--reason" in cli("corrections", "resolve", str(row["id"]), "--reject", code=1)
    cli("corrections", "resolve", str(row["id"]), "--accept", "--set", "year=2015")
    view = json.loads(cli("show", "deployment:zte-zambia", "--json"))
    assert [v["value"] for v in view["properties"]["year"]] == ["2015"]
    assert view["properties"]["year"][0]["evidence"][0]["source_url"] == (
        "https://example.org/zambia-2015"
    )
    assert cli("corrections", "list", "--json") == ""
    assert "already accepted" in cli(
        "corrections", "resolve", str(row["id"]), "--accept", "--set", "year=2014", code=1
    )


BAD = [
    (["review", "accept", "deployment:nothing"], "no candidate deployment:nothing"),
    (["review", "edit", "{KE}", "--set", "year=soon"], "--set year: 'soon' is not a year"),
    (["review", "edit", "{KE}", "--set", "colour=red"], "has no property 'colour'"),
    (["review", "edit", "{KE}", "--set", "year"], "expected prop=value"),
    (["review", "accept", "{KE}", "--as", "org:zte"], "is a Organization, not a Deployment"),
    (["resolve", "merge", "{KE}", "{KE}"], "with itself"),
    (["resolve", "merge", "org:zte", "{KE}"], "cannot merge a Organization"),
    (["resolve", "split", "{KE}"], "is not merged into anything"),
    (["review", "undo", "999"], "no judgement 999"),
]


@pytest.mark.parametrize(("args", "says"), BAD)
def test_bad_input_writes_nothing(
    desk: tuple[Cli, dict[str, str]], args: list[str], says: str
) -> None:
    cli, ids = desk
    before = snapshot(cli.url)
    output = cli(*(a.format(**ids) for a in args), code=1)
    assert output.startswith("error: ") and output.count("\n") == 1 and says in output
    assert snapshot(cli.url) == before


def test_a_second_judgement_says_who_was_first(desk: tuple[Cli, dict[str, str]]) -> None:
    cli, ids = desk
    cli("review", "accept", ids["EC"])
    assert "already reviewed by test:editor" in cli(
        "review", "reject", ids["EC"], "--reason", "x", code=1
    )
