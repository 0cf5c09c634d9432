"""Values as a reader reads them, and deployments in a sentence."""

from __future__ import annotations

import pytest

from custodiet.analyze.summary import corroboration, deployment_sentence, lower_first
from custodiet.analyze.wording import alternatives, country, listing, money, possessive
from custodiet.model.records import DeploymentRecord, Record


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        ("240000000", "USD", "$240 M"),
        ("1500000000", "EUR", "€1.5 bn"),
        ("126400000", "USD", "$126.4 M"),
        ("35000", "GBP", "£35,000"),
        ("97000000", "CNY", "CN¥97 M"),
        ("5000000", "XOF", "5 M XOF"),
        ("12", None, "12"),
        (None, "USD", None),
    ],
)
def test_money_reads_as_a_reader_writes_it(
    value: str | None, currency: str | None, shown: str | None
) -> None:
    assert money(value, currency) == shown


def test_lists_names_and_alternatives() -> None:
    assert listing(["A"]) == "A"
    assert listing(["A", "B", "A"]) == "A and B"
    assert listing(["A", "B", "C"], "or") == "A, B or C"
    assert country("PH", article=True) == "the Philippines" and country("EC") == "Ecuador"
    assert possessive("Ecuador") == "Ecuador's" and possessive("Philippines") == "Philippines'"
    assert lower_first("Safe city and CCTV") == "safe city and CCTV"
    assert lower_first("ID cards") == "ID cards"
    values = [
        {"value": "200000000", "evidence": [{"publisher": "Modern Diplomacy", "dataset": "x"}]},
        {
            "value": "240000000",
            "evidence": [
                {"publisher": "Foreign Policy", "dataset": "custodiet"},
                {"publisher": "AidData", "dataset": "custodiet"},
            ],
        },
    ]
    shown = alternatives(values, lambda v: money(v, "USD"))
    assert shown == "$200 M (Modern Diplomacy) or $240 M (Foreign Policy, AidData)"
    assert alternatives(values[:1], lambda v: money(v, "USD")) == "$200 M"
    assert corroboration(1) == "one source" and corroboration(3) == "corroborated by 3 sources"


def test_a_deployment_in_a_sentence() -> None:
    record = Record(
        "deployment:x",
        "Deployment",
        "",
        {
            "vendor": ["org:huawei"],
            "buyer_country": ["UG"],
            "buyer_city": ["Kampala"],
            "buyer_agency": ["Uganda Police Force"],
            "technology": ["safe_city_cctv", "facial_recognition"],
            "year": ["2019"],
            "value": ["126000000"],
            "currency": ["USD"],
            "status": ["operational"],
        },
        labels={"org:huawei": "Huawei Technologies"},
        sources=["a", "b"],
    )
    sentence = deployment_sentence(DeploymentRecord.of(record))
    assert sentence == (
        "Huawei Technologies supplied, in operation, safe city and CCTV and facial recognition "
        "to Uganda Police Force in Kampala, Uganda, in 2019, valued at $126 M."
    )
    bare = Record("deployment:y", "Deployment", "", {"buyer_country": ["PH"]})
    assert deployment_sentence(DeploymentRecord.of(bare)) == (
        "A vendor not named supplied surveillance technology to the Philippines."
    )
