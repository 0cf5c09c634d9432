"""Datasets: where statements come from, each with its licence and citation."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

from custodiet.model.yamlfast import load_yaml

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
FIELDS = ("title", "publisher", "url", "licence", "citation", "version", "released", "description")


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    licence: str
    citation: str
    publisher: str | None = None
    url: str | None = None
    version: str | None = None
    released: str | None = None  # the release date, YYYY[-MM[-DD]]
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse(name: str, raw: dict[str, Any]) -> Dataset:
    """A dataset from its declaration, or ValueError naming what is missing or wrong."""
    if not NAME.match(name):
        raise ValueError(f"{name!r} is not a dataset name (lower-case letters, digits, . _ -)")
    unknown = set(raw) - set(FIELDS)
    if unknown:
        raise ValueError(f"dataset {name}: unknown field {sorted(unknown)[0]!r}")
    missing = [f for f in ("title", "licence", "citation") if not raw.get(f)]
    if missing:
        raise ValueError(f"dataset {name} needs {', '.join(missing)}")
    text = {k: None if v is None else str(v) for k, v in raw.items()}
    return Dataset(
        name=name,
        title=str(text["title"]),
        licence=str(text["licence"]),
        citation=str(text["citation"]),
        publisher=text.get("publisher"),
        url=text.get("url"),
        version=text.get("version"),
        released=text.get("released"),
        description=text.get("description"),
    )


@cache
def catalogue() -> dict[str, Dataset]:
    """The datasets shipped with Custodiet (model/datasets.yaml)."""
    raw = load_yaml(resources.files(__package__).joinpath("datasets.yaml").read_text("utf-8"))
    return {name: parse(name, spec) for name, spec in raw.items()}
