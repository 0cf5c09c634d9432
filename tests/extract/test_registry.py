from __future__ import annotations

import pycountry

from custodiet.extract.registry import registry
from custodiet.model.taxonomy import technologies


def names_for(kind: str, ref: str) -> set[str]:
    reg = registry()
    return {
        key for key, terms in reg.terms.items() for t in terms if t.kind == kind and t.ref == ref
    }


def test_at_least_150_vendors_with_valid_fields() -> None:
    reg = registry()
    assert len(reg.vendors) >= 150
    for v in reg.vendors.values():
        assert pycountry.countries.get(alpha_2=v.country), v.id
        assert set(v.tech) <= set(technologies()), v.id
        assert v.parent is None or v.parent in reg.vendors, v.id


def test_products_and_native_scripts_name_their_makers() -> None:
    assert "pegasus" in names_for("vendor", "org:nso")
    assert "ufed" in names_for("vendor", "org:cellebrite")
    assert "华为" in names_for("vendor", "org:huawei")
    assert "海康威视" in names_for("vendor", "org:hikvision")


def test_every_country_has_names_in_five_languages() -> None:
    germany = names_for("country", "DE")
    assert {"germany", "alemania", "allemagne", "alemanha", "deutschland"} <= germany
    for c in pycountry.countries:
        assert names_for("country", c.alpha_2), c.alpha_2
    assert {"chinese", "chino", "chinoise", "chinês", "chinesische"} <= names_for("demonym", "CN")
    assert "xinjiang" in names_for("region", "CN")


def test_both_gate_backends_agree() -> None:
    from custodiet.extract.gate import _aho_corasick, _hyperscan

    names, exact = ["huawei", "nso group", "海康威视"], ["NEC", "NSO Group"]
    fallback = _aho_corasick(names, exact)
    samples = {
        b"HUAWEI sold": True,
        b"the NSO Group deal": True,
        b"\xe6\xb5\xb7" * 3: False,
        "海康威视 cameras".encode(): True,
        b"NEC won": True,
        b"nothing here": False,
    }
    for raw, expected in samples.items():
        assert fallback(raw) is expected, raw
    fast = _hyperscan(names)
    if fast is not None:  # hyperscan is installed on x86-64 only
        for raw, expected in samples.items():
            if raw != b"NEC won":  # hyperscan gets names only, in any case
                assert fast(raw) is expected, raw


def test_no_name_points_to_two_vendors() -> None:
    reg = registry()
    for key, terms in reg.terms.items():
        vendors = {t.ref for t in terms if t.kind == "vendor"}
        assert len(vendors) <= 1, (key, vendors)
