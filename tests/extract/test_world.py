"""Extraction beyond the registry, on passages written in our own words: companies the
registry does not know, lists of buyers, deals known by their city or province, no
home-country fallback, rivals that are no party, Russian and Dutch."""

from __future__ import annotations

import pytest

import custodiet
from custodiet.extract.matcher import Mention, resolve_overlaps
from custodiet.extract.orgs import new_id, recognise
from custodiet.extract.places import russian_forms


def pairs(text: str) -> set[tuple[str, str]]:
    return {(c.vendor, c.buyer_country) for c in custodiet.extract(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A corporate form.
        (
            "The city of Nairobi signed a contract with Kinetix Vision Ltd for street cameras.",
            {("Kinetix Vision Ltd", "KE")},
        ),
        # A noun for a company, with a list of two.
        (
            "Lima's council bought Hikvision cameras from the local firms Andiscan and Puma Redes.",
            {("Hikvision", "PE"), ("Andiscan", "PE"), ("Puma Redes", "PE")},
        ),
        # An appositive.
        (
            "Bolivia's police installed Dahua cameras supplied by Altiplano Secure, a Bolivian "
            "integrator, in La Paz.",
            {("Dahua Technology", "BO"), ("Altiplano Secure", "BO")},
        ),
        # A consortium.
        (
            "Le marché de vidéosurveillance de Dakar a été attribué au Consortium Teranga Vision.",
            {("Consortium Teranga Vision", "SN")},
        ),
    ],
)
def test_organisations_the_registry_lacks(text: str, expected: set[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_a_text_with_no_vendor_and_no_corporate_form_is_not_read() -> None:
    # The first pass: nouns such as "firm" are in most news, so they let no text through.
    assert pairs("Lima's council bought cameras from the local firm Andiscan.") == set()


def test_new_organisations_carry_a_new_id_and_the_quote() -> None:
    text = "Ghana awarded a contract for CCTV cameras to Volta Sentinel Ltd in 2021."
    (c,) = custodiet.extract(text)
    assert c.vendor_id == new_id("Volta Sentinel Ltd") == "org:new-volta-sentinel-ltd"
    assert (c.quote, c.year) == (text, 2021)


def test_public_bodies_and_bare_forms_are_no_companies() -> None:
    text = "The Ministry of Digital Technologies signed a contract with the Company."
    assert recognise(text, 0, len(text), []) == []


def test_several_buyers_in_one_sentence() -> None:
    text = "Dahua has supplied cameras to Bahrain, Kuwait, Qatar and Oman."
    assert pairs(text) == {("Dahua Technology", c) for c in ("BH", "KW", "QA", "OM")}


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Hikvision installed 800 cameras in Bishkek last year.", "KG"),
        ("Axon sold body cameras to the police of Nashville.", "US"),
        ("Huawei signed a safe city contract with the province of Mendoza.", "AR"),
    ],
)
def test_a_city_or_a_province_names_the_country(text: str, country: str) -> None:
    assert {b for _v, b in pairs(text)} == {country}


def test_no_home_country_when_no_buyer_is_named() -> None:
    assert pairs("Hikvision signed a large contract for cameras.") == set()


def test_the_home_country_is_no_buyer_beside_another() -> None:
    text = "Chinese companies Huawei and ZTE will supply surveillance cameras to Zimbabwe."
    assert pairs(text) == {("Huawei", "ZW"), ("ZTE", "ZW")}


def test_a_rival_is_no_party() -> None:
    text = "Huawei won the contract for Abidjan's cameras, ahead of rival ZTE."
    assert pairs(text) == {("Huawei", "CI")}


def test_the_firm_refers_to_the_vendor_named_before() -> None:
    text = (
        "ZTE is a large maker of telecoms equipment.\n\n"
        "Reporters found that the firm has deployed its trunking system in Ghana and Senegal."
    )
    assert pairs(text) == {("ZTE", "GH"), ("ZTE", "SN")}


def test_russian() -> None:
    text = "Компания Huawei поставила камеры видеонаблюдения в Киргизию."
    (c,) = custodiet.extract(text)
    assert (c.vendor, c.buyer_country, c.technology) == ("Huawei", "KG", "safe_city_cctv")


def test_dutch() -> None:
    text = "De politie van Suriname heeft camera's gekocht bij Hikvision."
    assert pairs(text) == {("Hikvision", "SR")}


def test_russian_case_forms() -> None:
    assert {"Киргизии", "Киргизию"} <= russian_forms("Киргизия")
    assert {"Казахстана", "Казахстану"} <= russian_forms("Казахстан")


def test_a_span_that_names_a_vendor_is_no_place() -> None:
    vendor = Mention(0, 6, "vendor", "org:new-orange")
    city = Mention(0, 6, "city", "US")
    assert resolve_overlaps([city, vendor]) == [vendor]


def test_a_technology_phrase_inside_a_longer_one_means_the_longer() -> None:
    (c,) = custodiet.extract("Axon sold body cameras to the police of Nashville.")
    assert c.technology == "other"
