"""The starter atlas: the issue's figures, idempotence, and verbatim quotes."""

from __future__ import annotations

import json
import re

from custodiet.ingest.starter import starter_compiler
from custodiet.model.source import normalise_text, text_id
from tests.conftest import Cli
from tests.shared import ARTICLE, shared_file

ARTICLE_ID = "501c0322bf0ad093056d20485d49c960aa915e68011900417111304cb1e4b641"


def test_init_twice_changes_no_count(starter: Cli) -> None:
    first = starter("stats", "--json")
    assert "0 new statements" in starter("init", "--with-starter")
    assert starter("stats", "--json") == first
    stats = json.loads(first)
    assert stats["statements"]["accepted"] >= 60
    assert stats["countries_with_deployments"] >= 15


def test_article_statements_are_many_and_short() -> None:
    article = [s for s in starter_compiler().statements if s.source_id == ARTICLE_ID]
    assert len(article) >= 25
    for s in article:
        assert s.quote and s.start is not None
        # Evidence is a sentence or less, never the article itself.
        assert len(s.quote) <= 300 and len(re.findall(r"[.!?](\s|$)", s.quote)) <= 1


def test_article_quotes_stand_verbatim_at_their_offsets() -> None:
    text = normalise_text(shared_file(*ARTICLE).read_text("utf-8"))
    assert text_id(text) == ARTICLE_ID
    for s in starter_compiler().statements:
        if s.source_id == ARTICLE_ID:
            assert text[s.start : s.end] == s.quote, s.entity_id


def test_attached_article_verifies(starter: Cli) -> None:
    starter("attach-text", ARTICLE_ID, str(shared_file(*ARTICLE)))
    assert "quotes in place" in starter("verify")


def test_ecu_911_disagreement_is_kept() -> None:
    values = {
        s.value
        for s in starter_compiler().statements
        if s.entity_id == "project:ecu-911" and s.prop == "value"
    }
    assert {"200000000", "240000000"} <= values


def test_regimes_are_cited_to_owid() -> None:
    compiler = starter_compiler()
    regime = [s for s in compiler.statements if s.prop == "regime"]
    assert len(regime) > 150
    assert {compiler.sources[s.source_id].publisher for s in regime} == {
        "Our World in Data based on V-Dem"
    }
    assert {compiler.sources[s.source_id].licence for s in regime} == {"CC BY 4.0"}
