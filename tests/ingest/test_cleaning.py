"""Cleaning: country spellings, the fault table, company names, one vendor per name."""

from __future__ import annotations

import pytest

from custodiet.ingest.cleaning import (
    COUNTRY_FAULTS,
    VendorResolver,
    company_names,
    country_code,
    known_fault,
    normalised,
    untruncated,
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Burma/Myanmar", "MM"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("UAE", "AE"),
        ("  united   kingdom ", "GB"),
        ("Bolivia", "BO"),
        ("South Korea", "KR"),
        ("DE", "DE"),
        ("Germany", "DE"),
    ],
)
def test_country_spellings(written: str, code: str) -> None:
    assert country_code(written) == code


def test_the_garbled_united_states_cell_is_read_by_the_fault_table_only() -> None:
    garbled = "UnitElectoral Democracy States of AmeriClosed Autocracy"
    assert known_fault(garbled) and country_code(garbled) == "US"
    assert not known_fault("United States") and country_code("United States") == "US"
    assert all(code.isupper() and len(code) == 2 for code in COUNTRY_FAULTS.values())


@pytest.mark.parametrize("written", ["Narnia", "", "   ", "Electoral Democracy"])
def test_unknown_country_refused_never_guessed(written: str) -> None:
    with pytest.raises(ValueError, match="country"):
        country_code(written)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Huawei", ["Huawei"]),
        ("Huawei Technologies Co., Ltd.", ["Huawei Technologies Co., Ltd."]),
        ("Huawei, ZTE and CEIEC", ["Huawei", "ZTE", "CEIEC"]),
        ("Briefcam (US)", ["Briefcam"]),
        ("Mult", []),
        ("0", []),
        ("", []),
        ("Atos IT Solutions and Services", ["Atos IT Solutions and Services"]),
    ],
)
def test_company_names(cell: str, names: list[str]) -> None:
    assert company_names(cell) == names


def test_normalised_names_ignore_case_punctuation_and_legal_words() -> None:
    assert normalised("Huawei Technologies Co., Ltd.") == normalised("huawei technologies")
    assert normalised("C.E.I.E.C") == normalised("CEIEC")
    assert normalised("Smith & Wesson") == normalised("Smith and Wesson")
    assert untruncated("Huawei Technologi") == "Huawei"


def resolver() -> VendorResolver:
    vendors = VendorResolver()
    vendors.know("org:huawei", ["Huawei Technologies", "Huawei"], stored=True)
    vendors.know("org:hikvision", ["Hikvision"], stored=False)
    vendors.know("org:zte", ["ZTE"], stored=False)
    return vendors


def test_one_organisation_per_vendor_exact_fuzzy_or_new() -> None:
    vendors = resolver()
    assert vendors.resolve("Huawei Technologies Co., Ltd.").id == "org:huawei"
    typo = vendors.resolve("Hikvsion")
    assert (typo.id, typo.how) == ("org:hikvision", "fuzzy")
    made = vendors.resolve("Examplar Vision Systems")
    assert (made.id, made.how) == ("org:examplar-vision", "new")
    assert vendors.resolve("EXAMPLAR vision systems").id == made.id  # once, whatever the case
    assert vendors.resolve("ZTF").how == "new"  # short names match exactly or not at all


def test_and_splits_only_two_known_companies() -> None:
    vendors = resolver()
    assert vendors.names_in("Huawei and ZTE") == ["Huawei", "ZTE"]
    assert vendors.names_in("Huawei and Friends") == ["Huawei and Friends"]
    vendors.know("org:atos", ["Atos"], stored=False)
    vendors.know("org:services", ["Services"], stored=False)
    vendors.know("org:atos-its", ["Atos and Services"], stored=False)
    assert vendors.names_in("Atos and Services") == ["Atos and Services"]
