"""Exports read back by their real consumers: every FollowTheMoney entity validated by
the followthemoney library and the file imported again by `custodiet import ftm`; the
Parquet tables read by DuckDB, counted and joined."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import orjson

from custodiet.export.parquet import TABLES
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
    assert sorted(p.name for p in out.iterdir()) == sorted(["statements.parquet", *TABLES.values()])
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
