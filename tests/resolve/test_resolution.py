"""Resolution is stored: canonical ids follow merges and splits at once, "not the same" is a
judgement that keeps a pair out of the suggestions, and suggestions come from blocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custodiet.resolve.suggest import _blocks, _keys
from tests.conftest import Cli

ORGS = """\
sources:
  note: {url: "https://example.org/registry-note", title: A note in our own words}
entities:
  - id: org:hikvision-digital
    properties: {name: Hikvision Digital Technology, role: vendor, country: CN}
  - id: org:hikvsion-digital
    properties: {name: Hikvsion Digital Technology, role: vendor, country: CN}
  - id: org:acme-a
    properties: {name: Acme Surveillance, role: vendor}
  - id: org:acme-b
    properties: {name: Acme Surveillance, role: vendor}
  - id: org:acme-c
    properties: {name: Acme Surveillance, role: vendor}
"""


@pytest.fixture
def orgs(cli: Cli, tmp_path: Path) -> Cli:
    cli("init")
    (tmp_path / "orgs.yaml").write_text(ORGS, encoding="utf-8")
    cli("load", str(tmp_path / "orgs.yaml"))
    return cli


def pairs(cli: Cli) -> set[frozenset[str]]:
    rows = [json.loads(x) for x in cli("resolve", "suggest", "--json").splitlines()]
    return {frozenset((r["a"], r["b"])) for r in rows}


def canonical(cli: Cli, entity_id: str) -> str:
    return str(json.loads(cli("show", entity_id, "--json"))["id"])


def test_a_misspelt_name_is_found_through_its_block(orgs: Cli) -> None:
    assert frozenset(("org:hikvision-digital", "org:hikvsion-digital")) in pairs(orgs)


def test_not_the_same_is_never_suggested_again_until_undone(orgs: Cli) -> None:
    pair = frozenset(("org:hikvision-digital", "org:hikvsion-digital"))
    out = orgs("resolve", "distinct", "org:hikvsion-digital", "org:hikvision-digital")
    assert "are not the same" in out
    assert pair not in pairs(orgs)
    refused = orgs("resolve", "merge", "org:hikvision-digital", "org:hikvsion-digital", code=1)
    assert "judged not the same" in refused and "--undo" in refused
    assert "already" in orgs("resolve", "distinct", "org:hikvision-digital",
                             "org:hikvsion-digital", code=1)  # fmt: skip
    orgs("resolve", "distinct", "org:hikvision-digital", "org:hikvsion-digital", "--undo")
    assert pair in pairs(orgs)
    actions = [r["action"] for r in map(json.loads, orgs("log", "org:hikvsion-digital",
                                                         "--json").splitlines())]  # fmt: skip
    assert actions[-2:] == ["resolve.distinct", "resolve.undistinct"]
    assert "verified" in orgs("verify")


def test_a_judgement_between_members_keeps_the_clusters_apart(orgs: Cli) -> None:
    orgs("resolve", "distinct", "org:acme-b", "org:acme-c")
    orgs("resolve", "merge", "org:acme-a", "org:acme-b")
    assert frozenset(("org:acme-a", "org:acme-c")) not in pairs(orgs)
    assert "judged not the same" in orgs("resolve", "merge", "org:acme-a", "org:acme-c", code=1)


def test_canonical_ids_follow_merges_and_splits_at_once(orgs: Cli) -> None:
    orgs("resolve", "merge", "org:acme-b", "org:acme-c")
    orgs("resolve", "merge", "org:acme-a", "org:acme-b")
    assert {canonical(orgs, i) for i in ("org:acme-a", "org:acme-b", "org:acme-c")} == {
        "org:acme-a"
    }
    assert json.loads(orgs("show", "org:acme-c", "--json"))["merged"] == [
        "org:acme-b",
        "org:acme-c",
    ]
    orgs("resolve", "split", "org:acme-b")  # c was merged into b: it goes with b
    assert canonical(orgs, "org:acme-b") == canonical(orgs, "org:acme-c") == "org:acme-b"
    assert canonical(orgs, "org:acme-a") == "org:acme-a"
    orgs("resolve", "split", "org:acme-c")
    assert canonical(orgs, "org:acme-c") == "org:acme-c"
    assert "verified" in orgs("verify")


def test_bad_judgements_are_refused_with_one_line(orgs: Cli) -> None:
    assert "itself" in orgs("resolve", "distinct", "org:acme-a", "org:acme-a", code=1)
    assert "no entity" in orgs("resolve", "distinct", "org:acme-a", "org:nobody", code=1)
    assert "not judged distinct" in orgs(
        "resolve", "distinct", "org:acme-a", "org:acme-b", "--undo", code=1
    )
    orgs("resolve", "merge", "org:acme-a", "org:acme-b")
    assert "split them first" in orgs("resolve", "distinct", "org:acme-a", "org:acme-b", code=1)


def test_blocks_skip_words_every_name_shares() -> None:
    names = {f"org:{i}": {f"police department {i}"} for i in range(500)}
    names |= {"org:x": {"zqx systems"}, "org:y": {"zqx system"}}
    found = set(_blocks({eid: _keys(n) for eid, n in names.items()}))
    assert ("org:x", "org:y") in found
    assert len(found) < 1000  # "police" and "department" name 500 each: no block of them
