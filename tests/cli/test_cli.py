"""The CLI end to end on both databases: commands, JSON output, bad input, tampering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from custodiet.store.tables import metadata
from tests.conftest import Cli


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: equal snapshots mean an unchanged database."""
    engine = create_engine(url)
    with engine.connect() as conn:
        dump = {
            name: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"'))), key=repr)
            for name in metadata.tables
        }
    engine.dispose()
    return dump


def alter_audit(url: str, change: str) -> None:
    """A hand edit of the audit log (`UPDATE audit_log <change>`), past its guard."""
    engine = create_engine(url)
    with engine.begin() as conn:
        # Whoever edits by hand must first disable the append-only guard.
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"))
        conn.execute(text(f"UPDATE audit_log {change}"))
    engine.dispose()


def test_commands_on_an_uninitialised_database_say_init(cli: Cli) -> None:
    assert "custodiet init" in cli("stats", code=1)


def test_stats_json_shape(starter: Cli) -> None:
    stats = json.loads(starter("stats", "--json"))
    assert set(stats) == {
        "sources",
        "statements",
        "entities",
        "datasets",
        "countries_with_deployments",
    }
    assert set(stats["datasets"]) == {"custodiet", "owid-vdem", "aigs", "aiddata-gcdf"}
    assert stats["statements"]["accepted"] >= 60
    assert stats["countries_with_deployments"] >= 90  # the starter ships AIGS 2022
    assert stats["entities"]["Deployment"] > 0


def test_show_country_lists_its_deployments_with_quotes(starter: Cli) -> None:
    view = json.loads(starter("show", "country:EC", "--json"))
    assert view["caption"] == "Ecuador"
    regime = view["properties"]["regime"][0]
    assert regime["label"] == "electoral democracy"
    assert regime["evidence"][0]["publisher"] == "Our World in Data based on V-Dem"
    refs = {r["id"] for r in view["referenced_by"]}
    assert {"deployment:huawei-ec-ecu-911", "project:ecu-911"} <= refs
    assert "Huawei" in starter("show", "country:EC")


def test_show_project_keeps_disagreeing_values_with_their_sources(starter: Cli) -> None:
    view = json.loads(starter("show", "project:ecu-911", "--json"))
    values = {
        v["value"]: {e["publisher"] for e in v["evidence"]} for v in view["properties"]["value"]
    }
    assert values["200000000"] == {"Modern Diplomacy"}
    assert {"Foreign Policy", "AidData"} <= values["240000000"]


def test_show_unknown_and_malformed_ids(starter: Cli) -> None:
    assert "nothing is known about org:nobody" in starter("show", "org:nobody", code=1)
    assert "not an entity id" in starter("show", "huawei", code=1)


def test_search_text_and_json(starter: Cli) -> None:
    lines = [json.loads(x) for x in starter("search", "Kampala", "--json").splitlines()]
    assert any(h["entity_id"] == "deployment:huawei-ug-kampala-cctv" for h in lines)
    assert "no matches" in starter("search", "zzzqqq")


@pytest.mark.parametrize("fmt", ["statements-jsonl", "statements-csv"])
def test_export_writes_every_accepted_statement(starter: Cli, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "export" / f"all.{fmt}"
    starter("export", "--format", fmt, "--out", str(out))
    accepted = json.loads(starter("stats", "--json"))["statements"]["accepted"]
    lines = out.read_text("utf-8").splitlines()
    if fmt == "statements-csv":
        assert lines[0].startswith(
            "id,entity_id,canonical_id,schema,prop,value,source_id,source_url"
        )
        assert len(lines) > accepted  # header plus rows; quotes may span lines
    else:
        rows = [json.loads(line) for line in lines]
        assert len(rows) == accepted
        need = {
            "id",
            "entity_id",
            "schema",
            "prop",
            "value",
            "source_id",
            "source_url",
            "quote",
            "status",
            "method",
        }
        assert need <= set(rows[0])
    assert list(out.parent.iterdir()) == [out]  # no temporary file left behind


def test_export_rejects_unknown_format(starter: Cli) -> None:
    assert "--format must be one of" in starter("export", "--format", "xml", code=2)


def test_verify_passes_then_names_an_altered_audit_row(starter: Cli) -> None:
    assert "verified" in starter("verify")
    alter_audit(starter.url, "SET reason = 'nothing happened' WHERE seq = 5")
    output = starter("verify", code=1)
    assert "audit record 5: altered after it was written" in output
    assert "audit record 4" not in output


def test_verify_names_a_tampered_statement(starter: Cli) -> None:
    engine = create_engine(starter.url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE statements SET value = '999' "
                "WHERE entity_id = 'project:ecu-911' AND prop = 'value' "
                "AND value = '200000000'"
            )
        )
    engine.dispose()
    assert "key fields were changed" in starter("verify", code=1)


GOOD = """\
sources:
  note: {url: "https://example.org/note", title: Note}
entities:
  - id: org:acme-vision
    properties: {name: Acme Vision, country: FR}
  - id: deployment:acme-vision-ec
    properties: {vendor: org:acme-vision, buyer_country: EC, value: 100, currency: USD}
"""
BAD = {
    "yaml syntax": ("entities:\n  - id: [org:x\n", "YAML syntax"),
    "unknown property": (GOOD.replace("country: FR", "colour: red"), "no property 'colour'"),
    "invalid country": (
        GOOD.replace("buyer_country: EC", "buyer_country: XX"),
        "'XX' is not an ISO 3166-1 country code",
    ),
    "negative amount": (GOOD.replace("value: 100", "value: -100"), "must not be negative"),
}


def test_load_good_file_then_again_changes_nothing(starter: Cli, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert "6 new statements" in starter("load", str(path))
    before = snapshot(starter.url)
    assert "0 new statements" in starter("load", str(path))
    assert snapshot(starter.url) == before


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_data_file_gives_one_line_and_leaves_the_database(
    starter: Cli, tmp_path: Path, case: str
) -> None:
    content, says = BAD[case]
    good = tmp_path / "a-good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(content, encoding="utf-8")
    before = snapshot(starter.url)
    output = starter("load", str(good), str(bad), code=1)
    assert output.count("\n") == 1 and output.startswith("error: ")
    assert f"{bad}:" in output and says in output
    assert snapshot(starter.url) == before


def test_bad_jsonl_line_is_named(starter: Cli, tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"source": {"url": "https://example.org/x"}}\n{oops\n', encoding="utf-8")
    before = snapshot(starter.url)
    assert f"{path}:2: not JSON" in starter("load", str(path), code=1)
    assert snapshot(starter.url) == before


def test_attach_text_refuses_a_text_that_does_not_hash_to_the_id(
    starter: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "fake.txt"
    path.write_text("not the article", encoding="utf-8")
    article = "501c0322bf0ad093056d20485d49c960aa915e68011900417111304cb1e4b641"
    before = snapshot(starter.url)
    assert "the text hashes to" in starter("attach-text", article, str(path), code=1)
    assert snapshot(starter.url) == before


def test_export_to_a_device_writes_in_place(starter: Cli) -> None:
    # Renaming a temporary file over /dev/null would replace the device itself.
    starter("export", "--format", "statements-csv", "--out", "/dev/null")
    assert Path("/dev/null").is_char_device()


def test_an_unknown_token_is_refused_by_reading_commands_too(starter: Cli) -> None:
    for command in (["stats"], ["show", "country:EC"], ["search", "Kampala"]):
        out = starter("--token", "cst_000000000000_unknownunknownunknownunknown", *command, code=1)
        assert "unknown token" in out
