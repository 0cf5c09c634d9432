"""The learned scorer: trained on labelled passages (our own words), shipped as weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custodiet.extract import training
from custodiet.extract.features import NAMES
from custodiet.extract.pipeline import extract
from custodiet.extract.scorer import KEEP_ALL, from_json, load, shipped
from custodiet.model.errors import DataError

# Each passage names two places: the buyer, and one that is not (a headquarters, a
# nationality the rules cannot tell apart) so that the labels have something to teach.
PASSAGES = [
    ("p1", "Hikvision, based in Hangzhou, sold cameras to Kenya.", [("Hikvision", "KE")]),
    ("p2", "Dahua signed a contract with Ghana; Dahua is listed in Shenzhen.", [("Dahua", "GH")]),
    ("p3", "ZTE installed a network in Bolivia, its office in Lima said.", [("ZTE", "BO")]),
    (
        "p4",
        "Huawei supplied cameras to Serbia and to Hungary.",
        [("Huawei", "RS"), ("Huawei", "HU")],
    ),
    ("p5", "Idemia won a contract in Kenya, after one in Chad failed.", [("Idemia", "KE")]),
    ("p6", "Palantir sold software to Denmark's police.", [("Palantir", "DK")]),
]


def write_labelled(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for pid, text, pairs in PASSAGES:
            records = [{"vendor": v, "buyer_country": c} for v, c in pairs]
            out.write(json.dumps({"id": pid, "text": text, "records": records}) + "\n")
    return path


def test_training_gives_a_scorer_that_extract_uses(tmp_path: Path) -> None:
    scorer = training.train([write_labelled(tmp_path / "gold.jsonl")])
    assert len(scorer.weights) == len(NAMES) and 0 <= scorer.threshold < 1
    assert scorer.trained_on == ("gold.jsonl",)
    again = from_json(json.loads(json.dumps(scorer.to_json())), "round trip")
    assert again == scorer
    text = "Hikvision sold cameras to Kenya."
    (c,) = extract(text, scorer=KEEP_ALL)
    assert c.confidence == 0.5  # every weight zero: a probability of one half


def test_a_bad_labelled_line_is_named(tmp_path: Path) -> None:
    path = write_labelled(tmp_path / "gold.jsonl")
    with path.open("a", encoding="utf-8") as out:
        out.write('{"id": "x", "records": []}\n')
    with pytest.raises(DataError, match=r"gold\.jsonl:7: not a labelled passage"):
        training.train([path])


def test_labels_that_match_nothing_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    row = {"id": "a", "text": "Hikvision sold cameras to Kenya.", "records": []}
    path.write_text(json.dumps(row) + "\n", "utf-8")
    with pytest.raises(DataError, match="none of the rules' pairs"):
        training.train([path])


def test_a_scorer_file_must_name_every_feature(tmp_path: Path) -> None:
    bad = tmp_path / "scorer.json"
    bad.write_text(json.dumps({"weights": {"distance": 1.0}, "intercept": 0, "threshold": 0}))
    with pytest.raises(DataError, match="weights must name exactly"):
        load(bad)
    (tmp_path / "broken.json").write_text("{", "utf-8")
    with pytest.raises(DataError, match="cannot read the scorer"):
        load(tmp_path / "broken.json")


def test_the_shipped_scorer_is_trained_on_both_dev_sets() -> None:
    assert shipped().trained_on == ("extract-dev.jsonl", "extract-dev2.jsonl")


def test_vendor_keys_follow_the_registry_and_ignore_suffixes() -> None:
    from custodiet.extract.registry import registry

    reg = registry()
    assert training.vendor_key("Hangzhou Hikvision", reg) == "org:hikvision"
    assert training.vendor_key("Volta Sentinel Ltd.", reg) == training.vendor_key(
        "volta sentinel", reg
    )
