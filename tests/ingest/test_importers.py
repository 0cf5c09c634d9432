"""The six importers end to end, on a real SQLite file and a real PostgreSQL database:
every row of the field's files becomes the facts it states. Expected counts are read
from the files here, independently of the importers (only their documented lookup
tables for technologies are shared)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from custodiet.ingest.cleaning import country_code
from custodiet.ingest.importers.aigs import CATEGORIES
from custodiet.ingest.importers.eff_aos import TECHNOLOGY
from custodiet.ingest.importers.sii import GOODS
from custodiet.model.filters import Filters
from custodiet.model.text import slug
from custodiet.model.types import country_name
from custodiet.store.sql import SqlStore
from custodiet.store.view import View
from tests.conftest import Cli
from tests.shared import shared_file

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
NOT_A_COMPANY = {"", "0", "mult"}


@contextmanager
def viewing(url: str) -> Iterator[View]:
    store = SqlStore(url)
    try:
        with store.view() as view:
            yield view
    finally:
        store.close()


def tally(view: View, prop: str, **filters: str) -> dict[str, int]:
    return {str(v): int(n) for v, n, _name, _data in view.tally(prop, Filters(**filters))}  # type: ignore[arg-type]


# --- Carnegie AIGS ------------------------------------------------------------------
def aigs_rows(path: Path) -> list[dict[str, object]]:
    """Each country of the file: its code, flagged categories, named companies."""
    text = path.read_text("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > 5 else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    first = header.index("Company 1")
    flags = {header.index(c): tech for c, tech in CATEGORIES.items()}
    out = []
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        out.append(
            {
                "code": country_code(row[0]),
                "techs": {tech for i, tech in flags.items() if row[i].strip() in ("1", "x")},
                "companies": [
                    c.strip() for c in row[first:] if c.strip().lower() not in NOT_A_COMPANY
                ],
            }
        )
    return out


@pytest.mark.parametrize(
    "name", ["carnegie-aigs-2022-company-level.csv", "carnegie-aigs-v1-company-level.csv"]
)
def test_aigs_every_country_and_category(cli: Cli, name: str) -> None:
    path = shared_file("data", name)
    rows = aigs_rows(path)
    cli("init")
    cli("import", "aigs", str(path))
    with viewing(cli.url) as view:
        per_country = tally(view, "buyer_country", dataset="aigs")
        assert set(per_country) == {r["code"] for r in rows}
        for tech in CATEGORIES.values():
            flagged = {r["code"] for r in rows if tech in r["techs"]}  # type: ignore[operator]
            assert set(tally(view, "buyer_country", dataset="aigs", technology=tech)) == flagged
        for r in rows:
            found = view.deployments(Filters(dataset="aigs", buyer_country=str(r["code"])))
            assert {t for d in found for t in d.values["technology"]} == r["techs"]
            if r["companies"]:
                assert all(d.values.get("vendor") for d in found), r
            else:  # one deployment per flagged category, no vendor
                assert len(found) == len(r["techs"])  # type: ignore[arg-type]
                assert not any(d.values.get("vendor") for d in found)
        huawei = {r["code"] for r in rows if any("huawei" in c.lower() for c in r["companies"])}  # type: ignore[attr-defined]
        assert set(tally(view, "buyer_country", dataset="aigs", vendor="org:huawei")) == huawei
    if name.startswith("carnegie-aigs-2022"):
        assert len(rows) == 97 and len(huawei) == 51
        assert sum(1 for r in rows if not r["companies"] and r["techs"]) == 12


# --- Surveillance Industry Index ------------------------------------------------------
def test_sii_every_transfer(cli: Cli) -> None:
    path = shared_file("data", "sii-transfers.json")
    records = json.loads(path.read_text("utf-8"))
    cli("init")
    out = cli("import", "sii", str(path))
    unreadable = [r for r in records if not r["recipient_country"]]
    assert len(unreadable) == 1 and "left out: " in out and "recipient_country" in out
    # A value that cannot be read is left out, and said; the rest of its row stays.
    undated = [r["unique_id"] for r in records if str(r["order_year"] or "0").isdigit() is False]
    assert undated == ["Siemens_Bahrain_mid-2000s"] and "'mid-2000s' is not a year" in out
    records = [r for r in records if r["recipient_country"]]
    # Deployment ids are slugs of unique_id: two ids that differ only in case or in
    # underscores are one transfer ("_South africa_2015", "_South Africa_2015").
    keys = {slug(r["unique_id"], 120) for r in records}
    countries: dict[str, set[str]] = {}
    goods: dict[str, set[str]] = {}
    for r in records:  # a unique_id seen twice is one transfer, told twice
        countries.setdefault(slug(r["unique_id"], 120), set()).add(
            country_code(r["recipient_country"])
        )
        goods.setdefault(slug(r["unique_id"], 120), set()).update(
            GOODS.get(" ".join(g.lower().split()), "other") for g in r["goods"] or []
        )
    per_country = Counter(c for found in countries.values() for c in found)
    per_tech = Counter(t for found in goods.values() for t in found)
    with viewing(cli.url) as view:
        assert view.count_deployments(Filters(dataset="sii")) == len(keys)
        assert tally(view, "buyer_country", dataset="sii") == dict(per_country)
        assert tally(view, "technology", dataset="sii") == dict(per_tech)
        supplied = {
            slug(r["unique_id"], 120) for r in records if (r["supplier_company"] or "").strip()
        }
        found = view.deployments(Filters(dataset="sii"), limit=len(keys))
        assert sum(1 for d in found if d.values.get("vendor")) == len(supplied)
        undated_record = view.record("deployment:sii-siemens-bahrain-mid-2000s")
        assert undated_record is not None and "year" not in undated_record.values
    assert f"{len(records) + 1} rows" in out


# --- EFF Atlas of Surveillance --------------------------------------------------------
def test_eff_every_row(cli: Cli) -> None:
    path = shared_file("data", "eff-atlas-of-surveillance-first-563-rows.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cli("init")
    cli("import", "eff-aos", str(path))
    techs = Counter(TECHNOLOGY.get(r["Technology"].strip().lower(), "other") for r in rows)
    with viewing(cli.url) as view:
        assert view.count_deployments(Filters(dataset="eff-aos")) == len(rows) == 563
        assert tally(view, "buyer_country", dataset="eff-aos") == {"US": len(rows)}
        assert tally(view, "technology", dataset="eff-aos") == dict(techs)
        for r in rows[:60]:  # each row's own facts: agency, vendor, its links as sources
            record = view.record(f"deployment:eff-{r['AOSNUMBER'].lower()}")
            assert record is not None, r["AOSNUMBER"]
            links = {r[f"Link {i}"].strip() for i in (1, 2, 3)} - {""}
            assert len(record.sources) == max(1, len(links)), r["AOSNUMBER"]
            assert record.values["buyer_agency"] == [r["Agency"].strip()]
            assert bool(record.values.get("vendor")) == bool(r["Vendor"].strip()), r["AOSNUMBER"]


# --- AidData ----------------------------------------------------------------------
def test_aiddata_every_project(cli: Cli) -> None:
    path = shared_file("data", "aiddata-gcdf3-surveillance-projects.jsonl")
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    cli("init")
    cli("import", "aiddata", str(path))
    with viewing(cli.url) as view:
        assert view.record_counts()["aiddata-gcdf"]["Project"] == len(records) == 13
        for r in records:
            project = view.record(f"project:aiddata-{r['Project ID']}")
            assert project is not None, r["Project ID"]
            if r.get("Recipient"):
                assert project.values["country"] == [country_code(r["Recipient"])]
            else:  # the page shows none: the government its description names
                (code,) = project.values["country"]
                assert country_name(code) in r["description_excerpt"], r["Project ID"]
            assert project.values["name"] == [
                r.get("Title") or f"AidData project {r['Project ID']}"
            ]
            assert bool(project.values.get("vendor")) == bool(r.get("vendor_named_in_excerpt"))
        named = [r for r in records if r.get("vendor_named_in_excerpt")]
        assert view.count_deployments(Filters(dataset="aiddata-gcdf")) >= len(named) > 0


# --- any CSV with a mapping; FollowTheMoney -----------------------------------------
def test_mapped_csv(cli: Cli) -> None:
    cli("init")
    out = cli(
        "import", "csv", str(FIXTURES / "cctv-contracts.csv"),
        "--mapping", str(FIXTURES / "cctv-contracts.yaml"),
    )  # fmt: skip
    assert "25 facts" in out
    assert "Narnia" in out  # the row whose country cannot be read is left out, and said
    with viewing(cli.url) as view:
        assert tally(view, "buyer_country", dataset="cctv-contracts") == {
            "GB": 1, "CI": 1, "AE": 1, "KE": 1,
        }  # fmt: skip
        assert view.record_counts()["cctv-contracts"]["Organization"] >= 4


def test_mapped_jsonl_is_the_csv_as_json_lines(cli: Cli, tmp_path: Path) -> None:
    with (FIXTURES / "cctv-contracts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    lines = tmp_path / "contracts.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    mapping = tmp_path / "contracts.yaml"
    mapping.write_text((FIXTURES / "cctv-contracts.yaml").read_text("utf-8") + "format: jsonl\n")
    cli("init")
    out = cli("import", "csv", str(lines), "--mapping", str(mapping))
    assert "5 rows, 25 facts" in out and "Narnia" in out
    with viewing(cli.url) as view:
        assert set(tally(view, "buyer_country", dataset="cctv-contracts")) == {
            "GB", "CI", "AE", "KE",
        }  # fmt: skip


def test_ftm_entities(cli: Cli) -> None:
    cli("init")
    out = " ".join(
        cli(
            "import", "ftm", str(FIXTURES / "ftm-entities.jsonl"),
            "--mapping", str(FIXTURES / "ftm-dataset.yaml"),
        ).split()
    )  # fmt: skip
    assert "22 facts" in out
    assert "1 Person entities not imported" in out  # reported, never imported
    assert "Address" in out  # an unknown schema is reported, not dropped silently
    with viewing(cli.url) as view:
        made = {
            r.id: r
            for schema in ("Organization", "Restriction", "Deployment")
            for r in view.records_of(schema)
        }
        assert set(made) == {
            "org:hikvision", "org:examplar-vision", "org:metropolitan-police-service",
            "restriction:ftm-sample-sanc-hik", "deployment:ftm-sample-ct-1",
        }  # fmt: skip
        listing = made["restriction:ftm-sample-sanc-hik"].values
        assert (listing["target"], listing["kind"]) == (["org:hikvision"], ["entity_listing"])
        assert listing["authority"] == ["US"]
        contract = made["deployment:ftm-sample-ct-1"].values
        assert contract["vendor"] == ["org:examplar-vision"]
        assert contract["buyer"] == ["org:metropolitan-police-service"]
        assert (contract["buyer_country"], contract["currency"]) == (["GB"], ["GBP"])
        assert made["org:metropolitan-police-service"].values["role"] == ["agency"]
