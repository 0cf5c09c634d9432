"""The country surveillance index, computed from Custodiet's own accepted evidence: per
buyer country, which technology categories are documented, by which vendors, since
when and on how many independent sources; and its comparison with the flags of the
imported Carnegie AI Global Surveillance Index (AIGS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from custodiet.analyze.wording import country, technology
from custodiet.model.records import DeploymentRecord
from custodiet.model.schemata import schema
from custodiet.store.view import View

# The AIGS's four categories, then the three more the index counts.
AIGS_CATEGORIES = ("safe_city_cctv", "facial_recognition", "smart_policing", "internet_monitoring")
CATEGORIES = (*AIGS_CATEGORIES, "spyware", "biometric_id")
AIGS = "aigs"
REGIMES = schema("Country").get("regime").value_labels
SORTS = ("country", "categories", "vendors", "sources", "since")
AGREE, OURS_ONLY, AIGS_ONLY = "both", "Custodiet only", "AIGS only"


@dataclass(slots=True)
class Category:
    deployments: int = 0
    vendors: dict[str, str] = field(default_factory=dict)  # id -> name
    since: int | None = None
    sources: int = 0
    datasets: dict[str, int] = field(default_factory=dict)  # dataset -> deployments

    def to_dict(self) -> dict[str, Any]:
        return {
            "deployments": self.deployments,
            "vendors": [
                {"id": k, "name": v} for k, v in sorted(self.vendors.items(), key=lambda kv: kv[1])
            ],
            "since": self.since,
            "sources": self.sources,
        }


@dataclass(slots=True)
class CountryIndex:
    code: str
    regime: str | None
    categories: dict[str, Category] = field(default_factory=dict)

    @property
    def vendors(self) -> int:
        return len({v for c in self.categories.values() for v in c.vendors})

    @property
    def sources(self) -> int:
        """Independent sources across its categories (the most any one category has, a
        floor: a source may support several categories)."""
        return max((c.sources for c in self.categories.values()), default=0)

    @property
    def since(self) -> int | None:
        years = [c.since for c in self.categories.values() if c.since]
        return min(years) if years else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": country(self.code),
            "regime": REGIMES.get(self.regime or ""),
            "documented": [t for t in CATEGORIES if t in self.categories],
            "vendors": self.vendors,
            "since": self.since,
            "sources": self.sources,
            "categories": {
                t: self.categories[t].to_dict() for t in CATEGORIES if t in self.categories
            },
        }


def surveillance_index(view: View) -> dict[str, CountryIndex]:
    """Every buyer country with a documented category."""
    found = view.coverage(CATEGORIES)
    regimes = view.values_of("Country", "regime")
    out: dict[str, CountryIndex] = {}

    def cell(cc: str, tech: str) -> Category:
        row = out.get(cc) or out.setdefault(cc, CountryIndex(cc, regimes.get(f"country:{cc}")))
        return row.categories.setdefault(tech, Category())

    for cc, tech, vendor, name, year in found["vendors"]:
        c = cell(cc, tech)
        if vendor:
            c.vendors[vendor] = name or vendor
        if year and (c.since is None or int(year) < c.since):
            c.since = int(year)
    for cc, tech, n, deployments in found["sources"]:
        # Counted here, not per vendor: a deployment of two vendors is one deployment.
        c = cell(cc, tech)
        c.sources, c.deployments = int(n), int(deployments)
    for cc, tech, dataset, n in found["datasets"]:
        cell(cc, tech).datasets[dataset] = int(n)
    return out


def country_index(code: str, regime: str | None, rows: Sequence[DeploymentRecord]) -> CountryIndex:
    """One country's entry from its deployments already read (a country page has them):
    the same as `surveillance_index` gives for it."""
    entry = CountryIndex(code, regime)
    sources: dict[str, set[str]] = defaultdict(set)
    for d in rows:
        for tech in d.technology:
            if tech not in CATEGORIES:
                continue
            c = entry.categories.setdefault(tech, Category())
            c.deployments += 1
            if d.vendor:
                c.vendors[d.vendor] = d.vendor_name or d.vendor
            if d.year and (c.since is None or d.year < c.since):
                c.since = d.year
            sources[tech].update(d.sources)
            for dataset in d.datasets:
                c.datasets[dataset] = c.datasets.get(dataset, 0) + 1
    for tech, found in sources.items():
        entry.categories[tech].sources = len(found)
    return entry


def table(index: dict[str, CountryIndex], sort: str = "categories") -> list[dict[str, Any]]:
    """The index as rows, sorted (the most documented first; by name for `country`)."""
    rows = [c.to_dict() for c in index.values()]
    if sort == "country":
        rows.sort(key=lambda r: r["name"])
    elif sort == "since":
        rows.sort(key=lambda r: (r["since"] is None, r["since"] or 0, r["name"]))
    else:
        key = "documented" if sort == "categories" else sort
        rows.sort(key=lambda r: (-_size(r[key]), r["name"]))
    return rows


def _size(value: Any) -> int:
    return len(value) if isinstance(value, list) else int(value or 0)


def csv_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per country: each category's vendors count and earliest year."""
    out = []
    for r in rows:
        flat = {k: r[k] for k in ("code", "name", "regime", "vendors", "since", "sources")}
        flat["categories"] = len(r["documented"])
        for tech in CATEGORIES:
            got = r["categories"].get(tech)
            flat[tech] = got["since"] or "yes" if got else ""
        out.append(flat)
    return out


CSV_COLUMNS = ("code", "name", "regime", "categories", *CATEGORIES, "vendors", "since", "sources")


def comparison(index: dict[str, CountryIndex]) -> list[dict[str, Any]]:
    """Per country and AIGS category, where AIGS and the rest of Custodiet's evidence
    agree, where only Custodiet has evidence, where only AIGS has a flag."""
    rows = []
    for code, entry in sorted(index.items(), key=lambda kv: country(kv[0])):
        for tech in AIGS_CATEGORIES:
            cat = entry.categories.get(tech)
            if cat is None:
                continue
            flagged = AIGS in cat.datasets
            ours = sum(n for d, n in cat.datasets.items() if d != AIGS)
            if not flagged and not ours:
                continue
            rows.append(
                {
                    "code": code,
                    "name": country(code),
                    "category": tech,
                    "category_label": technology(tech),
                    "aigs": flagged,
                    "custodiet_deployments": ours,
                    "status": AGREE if flagged and ours else AIGS_ONLY if flagged else OURS_ONLY,
                }
            )
    return rows


COMPARISON_COLUMNS = (
    "code", "name", "category", "category_label", "aigs", "custodiet_deployments", "status",
)  # fmt: skip


def comparison_totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        status: sum(1 for r in rows if r["status"] == status)
        for status in (AGREE, OURS_ONLY, AIGS_ONLY)
    }
