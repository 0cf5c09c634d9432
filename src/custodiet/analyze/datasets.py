"""What each dataset holds and how much of it others confirm (the /datasets pages).

A dataset's deployment is *corroborated* when something other than that dataset also
supports it: another dataset's statements on the same record, or another dataset's
deployment of the same vendor in the same buyer country. A deployment that names no
vendor (AIGS lists some countries' technologies without one) is corroborated by another
dataset's deployment of that technology in that country. Quoted sources count as a
dataset here: they are Custodiet's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from custodiet.model.datasets import Dataset
from custodiet.model.types import country_name
from custodiet.store.view import View

Key = tuple[str, str, str]  # ("vendor" | "technology", its value, buyer country)


@dataclass
class Holding:
    """One dataset and what it holds."""

    dataset: Dataset
    statements: dict[str, int] = field(default_factory=dict)  # by status
    records: dict[str, int] = field(default_factory=dict)  # by schema
    deployments: int = 0
    corroborated: int = 0
    countries: Counter[str] = field(default_factory=Counter)  # buyer country -> deployments
    technologies: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        return {
            **self.dataset.to_dict(),
            "statements": sum(self.statements.values()),
            "accepted": self.statements.get("accepted", 0),
            "deployments": self.deployments,
            "buyer_countries": len(self.countries),
            "corroborated": self.corroborated,
        }

    def detail(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "statements_by_status": dict(sorted(self.statements.items())),
            "records_by_schema": dict(sorted(self.records.items())),
            "countries": [
                {"code": c, "name": country_name(c), "deployments": n}
                for c, n in self.countries.most_common()
            ],
            "technologies": dict(self.technologies.most_common()),
        }


@dataclass
class _Deployment:
    datasets: set[str]
    vendors: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    technologies: set[str] = field(default_factory=set)

    def holds(self) -> set[Key]:
        """Every claim this deployment makes: its vendors and technologies, by country."""
        named = {("vendor", v) for v in self.vendors} | {
            ("technology", t) for t in self.technologies
        }
        return {(kind, value, c) for kind, value in named for c in self.countries}

    def needs(self) -> set[Key]:
        """What another dataset must hold to confirm it: its vendor in its country, or,
        without a vendor, its technology there."""
        kind, values = (
            ("vendor", self.vendors) if self.vendors else ("technology", self.technologies)
        )
        return {(kind, v, c) for v in values for c in self.countries}


def _deployments(rows: Iterable[tuple[str, str, str]]) -> Iterator[_Deployment]:
    for _id, group in groupby(rows, key=lambda r: r[0]):
        d = _Deployment(datasets=set())
        into = {
            "_dataset": d.datasets,
            "vendor": d.vendors,
            "buyer_country": d.countries,
            "technology": d.technologies,
        }
        for _, prop, value in group:
            into[prop].add(value)
        yield d


def corroboration(found: Iterable[_Deployment], holdings: dict[str, Holding]) -> None:
    """Count each dataset's deployments, their countries and technologies, and how many
    of them something else confirms."""
    every = list(found)
    holders: dict[Key, set[str]] = {}
    for d in every:
        for key in d.holds():
            holders.setdefault(key, set()).update(d.datasets)
    for d in every:
        needs = d.needs()
        for name in d.datasets:
            held = holdings.get(name)
            if held is None:
                continue
            held.deployments += 1
            held.countries.update(d.countries)
            held.technologies.update(d.technologies)
            if d.datasets - {name} or any(holders[k] - {name} for k in needs):
                held.corroborated += 1


def holdings(view: View) -> dict[str, Holding]:
    """Every stored dataset with what it holds, in order of name."""
    found = {d.name: Holding(d) for d in view.datasets()}
    statements = view.statement_counts()
    records = view.record_counts()
    for name, held in found.items():
        held.statements = statements.get(name, {})
        held.records = records.get(name, {})
    corroboration(_deployments(view.deployment_keys()), found)
    return found
