from __future__ import annotations

import pytest

from custodiet.model.schemata import schema, schema_for_id, schemata
from custodiet.model.taxonomy import technologies

DESIGN_SCHEMAS = {
    "Organization",
    "Country",
    "Place",
    "Project",
    "Deployment",
    "Restriction",
    "Figure",
}
DESIGN_TECHNOLOGIES = {
    "facial_recognition",
    "safe_city_cctv",
    "smart_policing",
    "internet_monitoring",
    "spyware",
    "biometric_id",
    "social_credit",
    "telecom_backbone",
    "other",
}


def test_all_design_schemas_are_declared() -> None:
    assert set(schemata()) == DESIGN_SCHEMAS


def test_taxonomy_has_labels_and_definitions() -> None:
    assert set(technologies()) == DESIGN_TECHNOLOGIES
    for tech in technologies().values():
        assert tech.label and tech.definition.endswith(".")


def test_id_prefixes_are_unique_and_resolve() -> None:
    prefixes = [s.id_prefix for s in schemata().values()]
    assert len(prefixes) == len(set(prefixes))
    assert schema_for_id("org:huawei").name == "Organization"
    assert schema_for_id("country:EC").name == "Country"
    with pytest.raises(ValueError, match="prefix"):
        schema_for_id("person:someone")


def test_property_validation_uses_type_range_and_values() -> None:
    dep = schema("Deployment")
    assert dep.get("buyer_country").normalise("Ecuador") == "EC"
    with pytest.raises(ValueError, match="Organization id"):
        dep.get("vendor").normalise("project:ecu-911")
    with pytest.raises(ValueError, match="one of"):
        dep.get("status").normalise("rumoured")
    with pytest.raises(ValueError, match="no property"):
        dep.get("colour")


def test_enum_labels() -> None:
    assert schema("Country").get("regime").label_of("0") == "closed autocracy"


def test_captions_name_existing_properties() -> None:
    for sch in schemata().values():
        for prop in sch.caption:
            sch.get(prop)
