from __future__ import annotations

import pytest
from pydantic import ValidationError

from custodiet.model.source import normalise_text, text_id, url_id
from custodiet.model.statement import Statement, Status, statement_id

SRC = "a" * 64


def make(**kw: object) -> Statement:
    args: dict[str, object] = {
        "entity_id": "org:x",
        "schema": "Organization",
        "prop": "name",
        "value": "X",
        "source_id": SRC,
        "method": "manual",
    }
    args.update(kw)
    return Statement.make(**args)  # type: ignore[arg-type]


def test_id_is_deterministic_from_key_fields() -> None:
    a, b = make(confidence=0.5), make(confidence=0.9, status=Status.ACCEPTED)
    assert a.id == b.id == statement_id("org:x", "name", "X", SRC)
    assert make(value="Y").id != a.id
    assert a.key_matches()


def test_offsets_must_match_quote_length() -> None:
    assert make(quote="abc", start=3, end=6).end == 6
    with pytest.raises(ValidationError):
        make(quote="abc", start=3, end=7)
    with pytest.raises(ValidationError):
        make(start=3, end=6)
    with pytest.raises(ValidationError):
        make(quote="abc", start=3)


def test_confidence_is_bounded() -> None:
    with pytest.raises(ValidationError):
        make(confidence=1.5)


def test_normalised_text_and_ids() -> None:
    raw = "\r\n  Caf\u0065\u0301 a\u00a0b\r\n"
    assert normalise_text(raw) == "Café a b"
    assert text_id(raw) == text_id("Café a b")
    assert url_id("https://x.org") != text_id("https://x.org")
