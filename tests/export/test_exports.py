"""Exports read back by their real consumers: every FollowTheMoney entity validated by
the followthemoney library and the file imported again by `custodiet import ftm`; the
Parquet tables read by DuckDB, counted and joined."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import orjson

from custodiet.export.tables import TABLES
from custodiet.model.records import TYPED, DeploymentRecord
from custodiet.model.statement import Status
from custodiet.store.sql import SqlStore
from tests.conftest import Cli

MAPPING = """\
dataset:
  name: custodiet-ftm
  title: Custodiet's atlas as FollowTheMoney entities
  publisher: Custodiet tests
  url: https://example.org/custodiet-ftm
  licence: CC BY 4.0
  citation: "Custodiet, exported as FollowTheMoney entities"
"""


def test_every_ftm_entity_validates_and_the_file_imports_again(
    starter: Cli, tmp_path: Path
) -> None:
    from followthemoney import model

    out = tmp_path / "atlas.ftm.jsonl"
    said = starter("export", "--format", "ftm", "--out", str(out))
    entities = [orjson.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and schema.validate(entity) is None, entity
        model.get_proxy(entity)  # the library takes it as it is
    kinds = Counter(e["schema"] for e in entities)
    with SqlStore(starter.url).view() as view:
        deployments = [DeploymentRecord.of(r) for r in view.records_of("Deployment")]
        restrictions = list(view.records_of("Restriction"))
    assert f"{kinds['Contract']} Contract" in said
    assert kinds["Contract"] == len(deployments)
    assert kinds["ContractAward"] == sum(1 for d in deployments if d.vendor)
    assert kinds["Sanction"] == len(restrictions) > 0
    ids = {e["id"] for e in entities}
    for entity in entities:  # every reference names an entity of the file
        for prop in ("authority", "supplier", "contract", "entity"):
            assert set(entity["properties"].get(prop, [])) <= ids, (prop, entity)
    huawei = next(e for e in entities if e["id"] == "custodiet-org-huawei")
    assert huawei["schema"] == "Company" and "cn" in huawei["properties"]["country"]
    assert all(
        e["properties"].get("sourceUrl") or e["properties"].get("publisher") for e in entities
    )

    mapping = tmp_path / "dataset.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    fresh = f"sqlite:///{tmp_path / 'again.db'}"
    again = Cli(fresh)
    again("init")
    again("import", "ftm", str(out), "--mapping", str(mapping))
    with SqlStore(fresh).view() as view:
        back = [DeploymentRecord.of(r) for r in view.records_of("Deployment")]
        sanctions = list(view.records_of("Restriction"))
    assert len(back) == len(deployments) and len(sanctions) == len(restrictions)
    assert Counter(d.buyer_country for d in back) == Counter(d.buyer_country for d in deployments)
    assert Counter(d.vendor_name for d in back) == Counter(d.vendor_name for d in deployments)


def test_parquet_tables_read_back_in_duckdb(starter: Cli, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    starter("export", "--format", "parquet", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["statements.parquet", *(f"{t}.parquet" for t in TABLES.values())]
    )
    with SqlStore(starter.url).view() as view:
        deployments = [DeploymentRecord.of(r) for r in view.records_of("Deployment")]
        accepted = sum(1 for _ in view.iter_statements(view_statuses()))
        per_vendor = Counter(d.vendor_name for d in deployments if d.vendor)
    db = duckdb.connect()

    def one(sql: str) -> object:
        return db.execute(sql).fetchone()[0]  # type: ignore[index]

    assert one(f"select count(*) from '{out}/deployments.parquet'") == len(deployments)
    assert one(f"select count(*) from '{out}/statements.parquet'") == accepted
    assert one(f"select sum(support) from '{out}/deployments.parquet'") == sum(
        d.support for d in deployments
    )
    joined = db.execute(
        f"select o.name, count(*) from '{out}/deployments.parquet' d "
        f"join '{out}/organizations.parquet' o on o.id = d.vendor group by o.name"
    ).fetchall()
    assert dict(joined) == dict(per_vendor)
    years = db.execute(
        f"select typeof(year), typeof(technology) from '{out}/deployments.parquet' limit 1"
    )
    assert years.fetchone() == ("BIGINT", "VARCHAR[]")


def view_statuses() -> list[Status]:
    return [Status.ACCEPTED]


def test_every_record_kind_has_a_table() -> None:
    assert set(TABLES) == set(TYPED)


def test_a_folder_export_needs_a_new_folder(sqlite_url: str, tmp_path: Path) -> None:
    starter = Cli(sqlite_url)
    starter("init")
    assert "give --out DIR" in starter("export", "--format", "parquet", code=2)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_text("keep me")
    said = starter("export", "--format", "parquet", "--out", str(taken), code=1)
    assert "exists and is not an empty folder" in said
    assert [p.name for p in taken.iterdir()] == ["mine.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".taken")]


PLACE = """\
sources:
  s: {url: "https://example.org/quito", title: "Quito"}
entities:
  - id: place:quito
    quote: "Quito, the capital"
    properties: {name: Quito, kind: city, country: EC, latitude: "-0.2299", longitude: "-78.5249"}
"""


def test_geojson_is_valid_with_countries_and_places(starter: Cli, tmp_path: Path) -> None:
    import geojson

    (tmp_path / "place.yaml").write_text(PLACE, encoding="utf-8")
    starter("load", str(tmp_path / "place.yaml"))
    out = tmp_path / "atlas.geojson"
    starter("export", "--format", "geojson", "--out", str(out))
    found = geojson.loads(out.read_text(encoding="utf-8"))
    assert found.is_valid, found.errors()
    features = found["features"]
    assert all(geojson.GeoJSON.to_instance(f).is_valid for f in features)
    countries = {
        f["properties"]["code"]: f for f in features if f["properties"]["kind"] == "country"
    }
    assert len(countries) > 150 and countries["EC"]["geometry"]["type"] in (
        "Polygon",
        "MultiPolygon",
    )
    with SqlStore(starter.url).view() as view:
        counted = Counter(
            DeploymentRecord.of(r).buyer_country for r in view.records_of("Deployment")
        )
    for code, feature in countries.items():
        if code:
            assert feature["properties"]["deployments"] == counted.get(code, 0), code
    (quito,) = [f for f in features if f["properties"]["kind"] == "place"]
    assert quito["geometry"] == {"type": "Point", "coordinates": [-78.5249, -0.2299]}
    shape = countries["EC"]["geometry"]
    rings = shape["coordinates"] if shape["type"] == "Polygon" else shape["coordinates"][0]
    lon, lat = rings[0][0]
    assert -82 < lon < -75 and -6 < lat < 2  # Ecuador, in longitude-latitude order


def test_datasette_serves_the_export(starter: Cli, tmp_path: Path) -> None:
    """A real Datasette on loopback, against the exported file and its metadata: a table,
    a full-text search, a foreign key's label and the licences."""
    import socket
    import subprocess
    import sys
    import time

    import httpx

    from tests.postgres import free_port

    out = tmp_path / "datasette"
    starter("export", "--format", "datasette", "--out", str(out))
    port = free_port()
    exe = Path(sys.executable).parent / "datasette"
    server = subprocess.Popen(
        [str(exe), "serve", str(out / "atlas.db"), "-m", str(out / "metadata.json"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        base = f"http://127.0.0.1:{port}/atlas"
        with SqlStore(starter.url).view() as view:
            total = sum(1 for _ in view.records_of("Deployment"))
        with httpx.Client(timeout=30) as client:
            table = client.get(f"{base}/deployments.json", params={"_size": "1"}).json()
            assert table["filtered_table_rows_count"] == total
            found = client.get(
                f"{base}/deployments.json", params={"_search": "Kampala", "_shape": "array"}
            ).json()
            assert found and all("Kampala" in (d["buyer_city"] or "") + d["name"] for d in found)
            labelled = client.get(
                f"{base}/deployments.json",
                params={"vendor": "org:huawei", "_labels": "on", "_shape": "array", "_size": "1"},
            ).json()
            assert labelled[0]["vendor"]["label"] == "Huawei Technologies"  # the foreign key
            quotes = client.get(f"{base}/statements.json", params={"_search": "Kampala"}).json()
            assert quotes["rows"]
            meta = client.get(f"http://127.0.0.1:{port}/-/metadata.json").json()
            assert "CC BY 4.0" in meta["license"]
            assert "aigs" in meta["databases"]["atlas"]["tables"]["deployments"]["description"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_csv_tables_one_per_record_kind(starter: Cli, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "csv"
    said = starter("export", "--format", "csv", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES.values())
    with SqlStore(starter.url).view() as view:
        deployments = {r.id: DeploymentRecord.of(r) for r in view.records_of("Deployment")}
    with (out / "deployments.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert f"{len(rows)} deployments.csv" in said and len(rows) == len(deployments)
    row = next(r for r in rows if r["id"] == "deployment:huawei-ec-ecu-911")
    assert row["vendor_name"] == "Huawei Technologies" and row["technology"] == "safe_city_cctv"
    assert row["sources"].split("; ") == deployments[row["id"]].sources
