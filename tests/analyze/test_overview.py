"""The atlas's overview, counted in SQL over stored records, agrees with the same filters
applied in plain Python to every typed record; merges and splits keep it current."""

from __future__ import annotations

from collections import Counter

import pytest

from custodiet.analyze.overview import overview
from custodiet.model.filters import Filters
from custodiet.model.records import DeploymentRecord, Record
from custodiet.store.sql import SqlStore
from tests.conftest import Cli

FILTERS = [
    Filters(),
    Filters(technology="safe_city_cctv"),
    Filters(technology="internet_monitoring"),
    Filters(vendor="org:huawei"),
    Filters(vendor_country="CN"),
    Filters(year_from=2015),
    Filters(year_to=2012),
    Filters(year_from=2011, year_to=2011),
    Filters(state_loans=True),
    Filters(technology="safe_city_cctv", vendor_country="CN", year_from=2014),
    Filters(buyer_country="EC"),
    Filters(project="project:ecu-911"),
    Filters(dataset="custodiet"),
]


def admits(r: Record, f: Filters, home: dict[str, list[str]]) -> bool:
    """The filters' meaning, written out plainly: a deployment whose sources name several
    vendors (or buyers) is one of each."""
    d = DeploymentRecord.of(r)
    vendors = r.all("vendor")
    return (
        (f.technology is None or f.technology in d.technology)
        and (f.vendor is None or f.vendor in vendors)
        and (f.vendor_country is None or any(f.vendor_country in home[v] for v in vendors))
        and (f.year_from is None or any(y >= f.year_from for y in d.years))
        and (f.year_to is None or any(y <= f.year_to for y in d.years))
        and (not f.state_loans or d.state_loan)
        and (f.buyer_country is None or f.buyer_country in r.all("buyer_country"))
        and (f.project is None or f.project in d.project)
        and (f.dataset is None or f.dataset in d.datasets)
    )


def plainly(store: SqlStore, f: Filters) -> tuple[int, dict[str, int], dict[str, int]]:
    with store.view() as view:
        every = view.deployments(Filters())
        home = {r.id: r.all("country") for r in view.records_of("Organization")}
    chosen = [r for r in every if admits(r, f, home)]
    countries = Counter(c for r in chosen for c in r.all("buyer_country"))
    vendors = Counter(v for r in chosen for v in r.all("vendor"))
    return len(chosen), dict(countries), dict(vendors)


def counted(store: SqlStore, f: Filters) -> tuple[int, dict[str, int], dict[str, int]]:
    with store.view() as view:
        o = overview(view, f, vendors=None)
    return o.total, dict(o.per_country), {v["id"]: v["deployments"] for v in o.per_vendor}


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.given()))
def test_sql_counts_as_python_does(starter: Cli, filters: Filters) -> None:
    with SqlStore(starter.url) as store:
        assert counted(store, filters) == plainly(store, filters)


def test_the_filters_choose_something_and_not_everything(starter: Cli) -> None:
    with SqlStore(starter.url) as store, store.view() as view:
        totals = [overview(view, f).total for f in FILTERS]
    assert totals[0] > 0 and all(0 < t < totals[0] for t in totals[1:-1])


def test_latest_are_the_most_recently_reviewed(starter: Cli) -> None:
    with SqlStore(starter.url) as store, store.view() as view:
        latest = overview(view, Filters(), latest=5).latest
        every = view.deployments(Filters())
    assert [d.id for d in latest] == [r.id for r in every[:5]]
    assert [r.reviewed_at for r in every] == sorted((r.reviewed_at for r in every), reverse=True)


def test_merges_and_splits_keep_the_counts_current(starter: Cli) -> None:
    with SqlStore(starter.url) as store, store.view() as view:
        before = overview(view, Filters())
        first, second = (r.id for r in view.deployments(Filters(buyer_country="EC"))[:2])
    starter("resolve", "merge", first, second)
    with SqlStore(starter.url) as store:
        after = counted(store, Filters())
        assert after == plainly(store, Filters())
    assert after[0] == before.total - 1
    assert after[1]["EC"] == dict(before.per_country)["EC"] - 1
    starter("resolve", "split", second)
    with SqlStore(starter.url) as store:
        assert counted(store, Filters())[0] == before.total


def test_a_merged_vendor_counts_under_the_one_kept(starter: Cli) -> None:
    with SqlStore(starter.url) as store:
        zte = counted(store, Filters())[2]["org:zte"]
        huawei = counted(store, Filters())[2]["org:huawei"]
    starter("resolve", "merge", "org:huawei", "org:zte", "--reason", "a test, not a fact")
    with SqlStore(starter.url) as store:
        vendors = counted(store, Filters())[2]
        assert counted(store, Filters(vendor="org:huawei"))[0] == zte + huawei
    assert "org:zte" not in vendors and vendors["org:huawei"] == zte + huawei
