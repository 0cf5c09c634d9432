"""Schemas declared as data in schema/*.yaml, with the machinery to validate values."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from custodiet.model import types
from custodiet.model.yamlfast import load_yaml


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    label: str
    required: bool = False
    multi: bool = False  # several values are several facts, not sources disagreeing
    range: str | None = None
    values: tuple[str, ...] = ()
    value_labels: dict[str, str] = field(default_factory=dict)

    def label_of(self, value: str) -> str | None:
        """A readable label for a value where the schema gives one (enum labels)."""
        return self.value_labels.get(value)

    def normalise(self, raw: Any) -> str:
        """The canonical string of a raw value, or ValueError saying what is wrong."""
        value = types.NORMALISERS[self.type](raw)
        if self.values and value not in self.values:
            raise ValueError(f"{raw!r} is not one of {', '.join(self.values)}")
        if self.range is not None and not value.startswith(schema(self.range).id_prefix + ":"):
            raise ValueError(f"{raw!r} is not a {self.range} id ({schema(self.range).id_prefix}:…)")
        return value

    @property
    def is_reference(self) -> bool:
        """True where the value names another entity (or a country)."""
        return self.type in ("entity", "country")


@dataclass(frozen=True)
class Schema:
    name: str
    label: str
    description: str
    id_prefix: str
    caption: tuple[str, ...]
    properties: dict[str, Property] = field(default_factory=dict)

    def get(self, prop: str) -> Property:
        try:
            return self.properties[prop]
        except KeyError:
            known = ", ".join(self.properties)
            raise ValueError(f"{self.name} has no property {prop!r} (known: {known})") from None

    @property
    def required(self) -> list[str]:
        return [p.name for p in self.properties.values() if p.required]


def _parse(raw: dict[str, Any]) -> Schema:
    caption = raw["caption"]
    props = {
        name: Property(
            name=name,
            type=spec["type"],
            label=spec["label"],
            required=bool(spec.get("required", False)),
            multi=bool(spec.get("multi", False)),
            range=spec.get("range"),
            values=tuple(str(v) for v in spec.get("values", ())),
            value_labels={str(k): str(v) for k, v in spec["values"].items()}
            if isinstance(spec.get("values"), dict)
            else {},
        )
        for name, spec in raw["properties"].items()
    }
    for prop in props.values():
        if prop.type not in types.NORMALISERS:
            raise ValueError(f"schema {raw['name']}: unknown type {prop.type!r}")
    return Schema(
        name=raw["name"],
        label=raw["label"],
        description=raw["description"],
        id_prefix=raw["id_prefix"],
        caption=(caption,) if isinstance(caption, str) else tuple(caption),
        properties=props,
    )


@cache
def schemata() -> dict[str, Schema]:
    folder = resources.files(__package__).joinpath("schema")
    loaded = [
        _parse(load_yaml(f.read_text("utf-8")))
        for f in folder.iterdir()
        if f.name.endswith(".yaml")
    ]
    return {s.name: s for s in sorted(loaded, key=lambda s: s.name)}


def schema(name: str) -> Schema:
    try:
        return schemata()[name]
    except KeyError:
        raise ValueError(f"unknown schema {name!r} (known: {', '.join(schemata())})") from None


def schema_for_id(entity_id: str) -> Schema:
    """The schema an entity id's prefix names: org:huawei -> Organization."""
    prefix = entity_id.split(":", 1)[0]
    for s in schemata().values():
        if s.id_prefix == prefix:
            return s
    raise ValueError(f"{entity_id!r} has no known prefix (e.g. country:EC, org:huawei)")
