"""Data files: what loads, and the one-line errors that name file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custodiet.ingest.bundle import Compiler
from custodiet.ingest.datafile import load_file
from custodiet.model.errors import DataError
from custodiet.model.source import text_id

GOOD = """\
sources:
  memo:
    text: "The ministry bought 500 cameras from Acme Vision in 2021."
    title: A memo in our own words
defaults:
  status: accepted
entities:
  - id: org:acme-vision
    properties:
      name: Acme Vision
      country: FR
  - id: deployment:acme-xy
    quote: "bought 500 cameras from Acme Vision in 2021"
    properties:
      vendor: org:acme-vision
      buyer_country: Ecuador
      year: 2021
      value: {value: 12.50, quote: "500 cameras"}
"""


def compile_text(tmp_path: Path, content: str, name: str = "data.yaml") -> Compiler:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    compiler = Compiler()
    load_file(path, compiler)
    compiler.check_required()
    return compiler


def error_of(tmp_path: Path, content: str, name: str = "data.yaml") -> str:
    with pytest.raises(DataError) as info:
        compile_text(tmp_path, content, name)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_good_yaml_compiles_with_offsets_found_in_text(tmp_path: Path) -> None:
    compiler = compile_text(tmp_path, GOOD)
    (source,) = compiler.sources.values()
    assert source.id == text_id(source.text or "")
    by_prop = {s.prop: s for s in compiler.statements if s.entity_id == "deployment:acme-xy"}
    assert by_prop["buyer_country"].value == "EC"
    assert by_prop["value"].value == "12.5"
    year = by_prop["year"]
    assert source.text is not None and year.start is not None
    assert source.text[year.start : year.end] == year.quote
    assert by_prop["value"].quote == "500 cameras"


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "says"),
    [
        (
            "      buyer_country: Ecuador",
            "      buyer_country: Atlantis",
            16,
            "entities[1].properties.buyer_country",
            "not an ISO 3166-1 country code",
        ),
        (
            "      value: {value: 12.50",
            "      value: {value: -12.50",
            18,
            "entities[1].properties.value",
            "must not be negative",
        ),
        (
            "      year: 2021",
            "      colour: red",
            17,
            "entities[1].properties.colour",
            "no property 'colour'",
        ),
        (
            "      country: FR",
            "      country: FR\n      founded: 1990",
            12,
            "entities[0].properties.founded",
            "no property 'founded'",
        ),
        (
            "  - id: deployment:acme-xy",
            "  - id: person:someone",
            12,
            "entities[1].id",
            "no known prefix",
        ),
        (
            '    quote: "bought',
            '    quote: "sold',
            15,
            "entities[1].properties.vendor",
            "quote is not in the source",
        ),
    ],
)
def test_bad_values_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, says: str
) -> None:
    assert old in GOOD
    message = error_of(tmp_path, GOOD.replace(old, new, 1))
    assert message.startswith(f"{tmp_path / 'data.yaml'}:{line}: {field}: ")
    assert says in message


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD.replace("      name: Acme Vision", "      name: [Acme", 1))
    assert message.startswith(f"{tmp_path / 'data.yaml'}:")
    assert "YAML syntax" in message


def test_missing_required_property_names_entity(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD.replace("      buyer_country: Ecuador\n", "", 1))
    assert ":12: entities[1].id: deployment:acme-xy (Deployment) needs buyer_country" in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = error_of(tmp_path, GOOD + "extras: 1\n")
    assert "extras" in message


def jsonl(*records: object) -> str:
    return "\n".join(json.dumps(r) for r in records) + "\n"


SOURCE = {"source": {"key": "s", "url": "https://example.org/report", "title": "Report"}}


def test_jsonl_loads_and_applies_defaults(tmp_path: Path) -> None:
    compiler = compile_text(
        tmp_path,
        jsonl(
            SOURCE,
            {"defaults": {"status": "candidate", "method": "import:test"}},
            {"entity": {"id": "org:acme", "source": "s", "properties": {"name": "Acme"}}},
        ),
        "d.jsonl",
    )
    (s,) = compiler.statements
    assert (s.status.value, s.method, s.value) == ("candidate", "import:test", "Acme")


@pytest.mark.parametrize(
    ("line3", "says"),
    [
        ("{not json", "not JSON"),
        (
            json.dumps(
                {
                    "entity": {
                        "id": "org:acme",
                        "source": "s",
                        "properties": {"name": "Acme", "country": "ZZ"},
                    }
                }
            ),
            "entity.properties.country: 'ZZ' is not an ISO 3166-1 country code",
        ),
        (json.dumps({"thing": {}}), "unknown record kind"),
        (
            json.dumps({"entity": {"id": "org:acme", "properties": {"name": "A"}, "bogus": 1}}),
            "entity.bogus",
        ),
    ],
)
def test_jsonl_errors_name_the_line(tmp_path: Path, line3: str, says: str) -> None:
    content = (
        jsonl(SOURCE, {"entity": {"id": "org:b", "source": "s", "properties": {"name": "B"}}})
        + line3
        + "\n"
    )
    message = error_of(tmp_path, content, "d.jsonl")
    assert message.startswith(f"{tmp_path / 'd.jsonl'}:3: ")
    assert says in message


def test_unknown_file_type_and_bad_encoding(tmp_path: Path) -> None:
    assert "unknown data file type" in error_of(tmp_path, "x", "d.txt")
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(DataError, match="not UTF-8"):
        load_file(path, Compiler())


BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


def test_a_yaml_alias_bomb_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 700
    with pytest.raises(DataError, match="aliases expand to more than") as caught:
        load_file(path, Compiler())
    assert str(caught.value).startswith(str(path))


def test_yaml_nested_too_deep_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"nested too deep|YAML"):
        load_file(path, Compiler())


def test_aliases_that_stay_small_still_load(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(
        "defaults: &d {method: manual}\n"
        "sources:\n  s: {url: 'https://example.org/s', title: S}\n"
        "entities:\n  - id: org:aliased\n    properties: {name: Aliased}\n",
        encoding="utf-8",
    )
    compiler = Compiler()
    load_file(path, compiler)
    assert [s.value for s in compiler.statements] == ["Aliased"]
