"""Extraction on passages written in our own words: deals, look-alikes, five languages."""

from __future__ import annotations

import pytest

import custodiet

DEALS = [
    (
        "The Ugandan police signed a contract with Chinese firm Hikvision for cameras in Kampala.",
        {("org:hikvision", "UG")},
    ),
    ("NSO Group sold Pegasus to the government of Rwanda, researchers found.", {("org:nso", "RW")}),
    (
        "Idemia won a contract to supply biometric passports to Kenya's immigration department.",
        {("org:idemia", "KE")},
    ),
    (
        "Sandvine equipment was used by Egyptian authorities to block websites.",
        {("org:sandvine", "EG")},
    ),
    ("Palantir's software is used by the Los Angeles Police Department.", {("org:palantir", "US")}),
    (
        "In Asia, Dahua has sold cameras to countries such as Laos, Nepal and Mongolia.",
        {("org:dahua", "LA"), ("org:dahua", "NP"), ("org:dahua", "MN")},
    ),
    ("The interior ministry of Uzbekistan bought spyware from Gamma Group.", {("org:gamma", "UZ")}),
    # Spanish, French, Portuguese and German.
    (
        "El gobierno de Bolivia firmó un contrato con la empresa china ZTE por 105 millones de "
        "dólares.",
        {("org:zte", "BO")},
    ),
    (
        "Le gouvernement sénégalais a signé un contrat avec Huawei pour la vidéosurveillance de "
        "Dakar.",
        {("org:huawei", "SN")},
    ),
    ("A Polícia Federal brasileira comprou o sistema da Cellebrite.", {("org:cellebrite", "BR")}),
    ("Die österreichische Polizei hat Software von Cognyte gekauft.", {("org:cognyte", "AT")}),
    # Native scripts name their makers.
    ("The Pakistani city of Lahore installed 海康威视 cameras in 2019.", {("org:hikvision", "PK")}),
]
LOOK_ALIKES = [
    "Cellebrite reported revenues of $300 million in 2023.",
    "Hikvision was added to the US entity list in 2019.",
    "The Brazilian state of Bahia is considering a bid from Dahua for recognition cameras.",
    "Dahua Technology, a Chinese company, has been fined for data breaches in Hangzhou.",
    "The Serbian government and Huawei are in talks about a new surveillance project.",
    "In 2021, Clearview AI raised $30 million from investors in a Series B funding round.",
    "Huawei, the Chinese telecoms giant, said its revenue grew 9 percent last year.",
    "Hikvision denied that it had supplied cameras to Iran.",
    "Pegasus is spyware developed by NSO Group, an Israel-based company.",
    "Motorola Solutions acquired Avigilon, a Canadian camera maker, in 2018.",
    "Lobbyists for Huawei met officials in Brussels to fight a ban on its equipment.",
]


def pairs(text: str) -> set[tuple[str, str]]:
    return {(c.vendor_id, c.buyer_country) for c in custodiet.extract(text)}


@pytest.mark.parametrize(("text", "expected"), DEALS)
def test_deals_are_found(text: str, expected: set[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_deals(text: str) -> None:
    assert pairs(text) == set()


def test_vendor_nationality_is_not_the_buyer() -> None:
    found = pairs("Ecuador signed a deal with the Chinese state-owned company CEIEC.")
    assert found == {("org:ceiec", "EC")}


def test_a_lender_is_not_the_buyer() -> None:
    text = "Zambia hired ZTE for its safe city, funded by a loan from China's Eximbank."
    (c,) = custodiet.extract(text)
    assert (c.buyer_country, c.financing) == ("ZM", "Export-Import Bank of China")


def test_buyer_from_the_paragraph_when_the_sentence_names_none() -> None:
    text = (
        "Mauritius launched a national camera network last year.\n\n"
        "The contract was signed with Huawei in December 2017."
    )
    (c,) = custodiet.extract(text)
    assert (c.buyer_country, c.year) == ("MU", 2017)


def test_confidence_is_the_scorers_probability() -> None:
    from custodiet.extract.pipeline import proposals
    from custodiet.extract.scorer import shipped

    text = "The Kenyan police signed a contract with Hikvision for cameras in Nairobi."
    ((_, x),) = proposals(text)
    (c,) = custodiet.extract(text)
    assert c.confidence == round(shipped().probability(x), 2)


def test_candidate_fields_and_offsets() -> None:
    text = (
        "Background first.\n\nIn March 2019, the Kenyan police signed a $12.5 million "
        "contract with Hikvision for facial recognition cameras in Nairobi."
    )
    (c,) = custodiet.extract(text, url="https://example.org/a")
    assert c.quote == text[c.start : c.end] and c.quote.startswith("In March 2019")
    assert (c.vendor, c.buyer_city, c.technology, c.year) == (
        "Hikvision",
        "Nairobi",
        "facial_recognition",
        2019,
    )
    assert (c.value, c.currency, c.status, c.source) == (
        12_500_000,
        "USD",
        "contracted",
        "https://example.org/a",
    )
    assert 0 < c.confidence <= 1


def test_no_vendor_means_no_work() -> None:
    assert custodiet.extract("The ministry bought cameras. " * 1000) == []
