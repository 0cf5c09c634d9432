"""The atlas's overview from SQL-folded rows agrees with the one from full records."""

from __future__ import annotations

import pytest

from custodiet.analyze import deployments as dep
from custodiet.analyze.overview import _from_records, overview
from custodiet.store.sql import SqlStore
from tests.conftest import Cli

FILTERS = [
    dep.Filters(),
    dep.Filters(technology="safe_city_cctv"),
    dep.Filters(technology="internet_monitoring"),
    dep.Filters(vendor="org:huawei"),
    dep.Filters(vendor_country="CN"),
    dep.Filters(year_from=2015),
    dep.Filters(year_to=2012),
    dep.Filters(year_from=2011, year_to=2011),
    dep.Filters(state_loans=True),
    dep.Filters(technology="safe_city_cctv", vendor_country="CN", year_from=2014),
]


def figures(o: object) -> tuple[object, ...]:
    return (
        o.total,  # type: ignore[attr-defined]
        dict(o.per_country),  # type: ignore[attr-defined]
        dict(o.per_vendor),  # type: ignore[attr-defined]
        [d["id"] for d in o.latest],  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(vars(f)))
def test_both_ways_count_alike(starter: Cli, filters: dep.Filters) -> None:
    with SqlStore(starter.url) as store:
        folded = overview(store, filters)
        assembled = _from_records(dep.load(store), filters, 20)
    assert figures(folded) == figures(assembled)
    assert folded.latest == assembled.latest


def test_the_filters_choose_something_and_not_everything(starter: Cli) -> None:
    with SqlStore(starter.url) as store:
        totals = [overview(store, f).total for f in FILTERS]
    assert totals[0] > 0 and all(0 < t < totals[0] for t in totals[1:-1])


def test_merged_deployments_count_once(starter: Cli) -> None:
    with SqlStore(starter.url) as store:
        before = overview(store, dep.Filters())
        first, second = (d["id"] for d in dep.load(store, {"buyer_country": "EC"}).records[:2])
    starter("resolve", "merge", first, second)
    with SqlStore(starter.url) as store:
        after = overview(store, dep.Filters())
    assert after.total == before.total - 1
    assert after.per_country["EC"] == before.per_country["EC"] - 1
