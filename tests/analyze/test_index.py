"""The surveillance index counted in SQL over every record agrees, country by country,
with the same index computed in Python from each country's typed records; its comparison
with the Carnegie AIGS agrees with the datasets each deployment comes from."""

from __future__ import annotations

from collections import defaultdict

from custodiet.analyze.index import (
    AGREE,
    AIGS_ONLY,
    CATEGORIES,
    OURS_ONLY,
    comparison,
    country_index,
    surveillance_index,
    table,
)
from custodiet.model.records import DeploymentRecord
from custodiet.store.sql import SqlStore
from tests.conftest import Cli


def test_the_index_in_sql_is_the_index_of_each_countrys_records(starter: Cli) -> None:
    # A merge gives one deployment two vendors: still one deployment, of both vendors.
    starter("resolve", "merge", "deployment:huawei-ec-ecu-911", "deployment:ceiec-ec-ecu-911")
    store = SqlStore(starter.url)
    with store.view() as view:
        index = surveillance_index(view)
        every = [DeploymentRecord.of(r) for r in view.records_of("Deployment")]
        regimes = view.values_of("Country", "regime")
    by_country: dict[str, list[DeploymentRecord]] = defaultdict(list)
    for d in every:
        if d.buyer_country:
            by_country[d.buyer_country].append(d)
    documented = {
        c
        for c, rows in by_country.items()
        if any(set(d.technology) & set(CATEGORIES) for d in rows)
    }
    assert set(index) == documented and len(index) > 50
    for code, entry in index.items():
        mine = country_index(code, regimes.get(f"country:{code}"), by_country[code])
        assert mine.to_dict() == entry.to_dict(), code
        assert {t: c.datasets for t, c in mine.categories.items()} == {
            t: c.datasets for t, c in entry.categories.items()
        }
    ecuador = index["EC"].to_dict()
    merged = next(d for d in by_country["EC"] if d.id == "deployment:huawei-ec-ecu-911")
    assert {merged.vendor, *merged.labels} >= {"org:huawei", "org:ceiec"}
    assert ecuador["categories"]["safe_city_cctv"]["since"] == 2011
    assert {"org:huawei", "org:ceiec"} <= {
        v["id"] for v in ecuador["categories"]["safe_city_cctv"]["vendors"]
    }
    rows = table(index, "since")
    years = [r["since"] for r in rows if r["since"] is not None]
    assert years == sorted(years)
    assert [r["name"] for r in table(index, "country")] == sorted(r["name"] for r in rows)


def test_the_comparison_follows_each_deployments_datasets(starter: Cli) -> None:
    store = SqlStore(starter.url)
    with store.view() as view:
        rows = comparison(surveillance_index(view))
        every = [DeploymentRecord.of(r) for r in view.records_of("Deployment")]
    flagged, ours = set(), set()
    for d in every:
        for tech in d.technology:
            key = (d.buyer_country, tech)
            if "aigs" in d.datasets:
                flagged.add(key)
            if set(d.datasets) - {"aigs"}:
                ours.add(key)
    expected = {}
    for key in flagged | ours:
        if key[1] in CATEGORIES[:4]:
            both = key in flagged and key in ours
            expected[key] = AGREE if both else AIGS_ONLY if key in flagged else OURS_ONLY
    assert {(r["code"], r["category"]): r["status"] for r in rows} == expected
    statuses = {r["status"] for r in rows}
    assert statuses == {AGREE, AIGS_ONLY, OURS_ONLY}
