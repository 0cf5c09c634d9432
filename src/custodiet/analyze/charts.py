"""The data behind the atlas's charts, as tables a reader can download: deployments per
year by technology, a vendor's deployments by the buyer country's regime type, and each
vendor's share of the deployments of each technology."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from custodiet.analyze.wording import technology
from custodiet.model.filters import Filters
from custodiet.model.schemata import schema
from custodiet.store.view import View

REGIMES = schema("Country").get("regime").value_labels
REGIME_ORDER = [*REGIMES.values(), "unknown"]
TOP_VENDORS = 5  # per technology; the rest are "others"


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's data: one row per category (x), one column per series."""

    name: str
    title: str
    x: str  # the first column's heading
    series: list[str]
    rows: list[tuple[str, list[float]]]  # (category, one value per series)
    unit: str = "deployments"
    stacked: bool = True
    horizontal: bool = False

    def columns(self) -> list[str]:
        return [self.x, *self.series]

    def records(self) -> list[dict[str, Any]]:
        return [
            dict(zip(self.columns(), [label, *values], strict=True)) for label, values in self.rows
        ]


def years(view: View, filters: Filters) -> Chart:
    counts = view.cross_tally("year", "technology", filters)
    techs = sorted({t for _y, t, _n in counts}, key=technology)
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for year, tech, n in counts:
        table[year][tech] += n
    return Chart(
        "years",
        "Deployments per year by technology",
        "year",
        [technology(t) for t in techs],
        [(y, [float(table[y][t]) for t in techs]) for y in sorted(table)],
    )


def regimes(view: View, filters: Filters) -> Chart:
    regime_of = view.values_of("Country", "regime")
    by: Counter[str] = Counter()
    for code, n, _name, _data in view.tally("buyer_country", filters):
        by[REGIMES.get(regime_of.get(f"country:{code}", ""), "unknown")] += int(n)
    return Chart(
        "regimes",
        "Deployments by the buyer country's regime type (V-Dem)",
        "regime type",
        ["deployments"],
        [(r, [float(by[r])]) for r in REGIME_ORDER if by[r]],
        horizontal=True,
    )


def market_share(view: View, filters: Filters) -> Chart:
    """Each technology's deployments split by vendor: its five largest, then the others
    (deployments with no vendor named are left out), as percentages."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for tech, vendor, n in view.cross_tally("technology", "vendor", filters):
        per[tech][vendor] += n
    top = Counter[str]()
    for counted in per.values():
        for vendor, _n in counted.most_common(TOP_VENDORS):
            top[vendor] += 1
    named = {r.id: r.name for r in view.records(list(top)).values()}
    leaders = [v for v, _n in top.most_common(12)]
    series = [named.get(v, v) for v in leaders] + ["others"]
    rows = []
    for tech in sorted(per, key=technology):
        counted = per[tech]
        total = sum(counted.values())
        shares = [100 * counted[v] / total for v in leaders]
        rows.append(
            (technology(tech), [*(round(s, 1) for s in shares), round(100 - sum(shares), 1)])
        )
    return Chart(
        "market-share",
        "Share of each technology's deployments by vendor",
        "technology",
        series,
        rows,
        unit="% of deployments",
        horizontal=True,
    )


CHARTS = {"years": years, "regimes": regimes, "market-share": market_share}
