"""The technology taxonomy: stable codes with labels and one-line definitions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from custodiet.model.yamlfast import load_yaml


@dataclass(frozen=True)
class Technology:
    code: str
    label: str
    definition: str


@cache
def technologies() -> dict[str, Technology]:
    text = resources.files(__package__).joinpath("taxonomy.yaml").read_text("utf-8")
    raw = load_yaml(text)
    return {code: Technology(code, v["label"], v["definition"]) for code, v in raw.items()}
