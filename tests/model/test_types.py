from __future__ import annotations

import pytest

from custodiet.model import types


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("EC", "EC"),
        ("ec", "EC"),
        ("ECU", "EC"),
        ("Ecuador", "EC"),
        ("Bolivia", "BO"),
        ("EU", "EU"),
        ("XK", "XK"),
        ("GBR", "GB"),
    ],
)
def test_country_accepts_codes_and_names(raw: str, code: str) -> None:
    assert types.country(raw) == code


@pytest.mark.parametrize("raw", ["XX", "Atlantis", "", "E"])
def test_country_rejects_unknown(raw: str) -> None:
    with pytest.raises(ValueError):
        types.country(raw)


def test_currency() -> None:
    assert types.currency("usd") == "USD"
    with pytest.raises(ValueError, match="ISO 4217"):
        types.currency("XYZ")


@pytest.mark.parametrize(
    ("raw", "out"),
    [
        (240000000, "240000000"),
        ("97000000.00", "97000000"),
        (98952549.45, "98952549.45"),
        ("0", "0"),
        ("1e3", "1000"),
    ],
)
def test_amount_canonical(raw: object, out: str) -> None:
    assert types.amount(raw) == out


@pytest.mark.parametrize("raw", [-1, "-0.5", "abc", "NaN", "inf", True])
def test_amount_rejects(raw: object) -> None:
    with pytest.raises(ValueError):
        types.amount(raw)


def test_year_bounds() -> None:
    assert types.year("2012") == "2012"
    for bad in ("12", "3000", "twenty", True):
        with pytest.raises(ValueError):
            types.year(bad)


@pytest.mark.parametrize("raw", ["2020", "2020-01", "2020-01-07"])
def test_partial_dates(raw: str) -> None:
    assert types.date(raw) == raw


def test_date_rejects_impossible_day() -> None:
    with pytest.raises(ValueError):
        types.date("2020-02-30")


def test_url_needs_http_and_host() -> None:
    assert types.url("https://example.org/a") == "https://example.org/a"
    for bad in ("ftp://example.org", "example.org", "https://", "https://a b"):
        with pytest.raises(ValueError):
            types.url(bad)


def test_entity_and_technology() -> None:
    assert types.entity("org:huawei") == "org:huawei"
    with pytest.raises(ValueError):
        types.entity("huawei")
    assert types.technology("spyware") == "spyware"
    with pytest.raises(ValueError, match="technology code"):
        types.technology("mind_reading")


def test_string_folds_whitespace_and_text_keeps_lines() -> None:
    assert types.string("  a \n b ") == "a b"
    assert types.text("a\nb") == "a\nb"
    with pytest.raises(ValueError):
        types.string("   ")
