from __future__ import annotations

import pytest

from custodiet.extract.amounts import find_money, find_year


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("a $240 million loan", 240e6, "USD"),
        ("RMB 850 million", 850e6, "CNY"),
        ("worth €287,000", 287e3, "EUR"),
        ("for £18m.", 18e6, "GBP"),
        ("a P20-billion network", 20e9, "PHP"),
        ("KES 14.9 billion", 14.9e9, "KES"),
        ("5.6 mil millones de pesos", 5.6e9, "PESO"),
        ("98 952 549,45 dollars américains", 98952549.45, "USD"),
        ("AU$39 million", 39e6, "AUD"),
        ("NOT TO EXCEED $789,722", 789722, "USD"),
    ],
)
def test_money(text: str, value: float, currency: str) -> None:
    (money,) = find_money(text, 0, len(text))[:1]
    assert money.value == pytest.approx(value)
    assert money.currency == currency


def test_currency_named_by_the_buyer() -> None:
    (money,) = find_money("Rs.12 billion", 0, 13)
    assert money.iso_currency("PK") == "PKR"
    assert money.iso_currency(None) == "INR"


def test_counts_are_not_money() -> None:
    assert find_money("1,800 cameras and 5 m of cable", 0, 30) == []


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("signed on December 30, 2021.", 2021),
        ("in July 2013", 2013),
        ("en 2016", 2016),
        ("between 2016 and 2017", None),
        ("$2019 million", None),
    ],
)
def test_years(text: str, year: int | None) -> None:
    assert find_year(text, 0, len(text)) == year
