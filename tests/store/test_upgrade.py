"""A database made by release 0.1.0 (tests/store/fixtures, made by make_release_db.sh at
that release) is carried over by `custodiet init` without losing or changing a fact, on
SQLite and on PostgreSQL, and work goes on after it."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, insert, select, text

from custodiet.store import SqlStore, migrate
from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures"
OLD_COLUMNS = (
    "id", "entity_id", "canonical_id", "schema", "prop", "value", "source_id", "source_url",
    "quote", "start", "end", "status", "method", "confidence", "author", "reviewer",
    "created_at", "reviewed_at",
)  # fmt: skip
TABLES = (
    "sources", "entities", "statements", "audit_log", "users", "tokens", "judgements",
    "merge_events", "corrections",
)  # fmt: skip
SEQUENCES = ("judgements", "merge_events", "corrections")


def old_statements() -> list[dict[str, Any]]:
    with gzip.open(FIXTURES / "release-0.1.0-statements.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def old_database(tmp_path: Path) -> Path:
    path = tmp_path / "release-0.1.0.db"
    with gzip.open(FIXTURES / "release-0.1.0.db.gz", "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def as_postgres(sqlite: Path, pg_url: str) -> None:
    """The same database on PostgreSQL: its schema at 0.1.0's revision, its rows copied."""
    store = SqlStore(pg_url, create=True)
    with store.engine.begin() as conn:
        migrate.upgrade(conn, "0002")
    old = MetaData()
    source = create_engine(f"sqlite:///{sqlite}")
    old.reflect(source, only=list(TABLES))
    with source.connect() as reading, store.engine.begin() as writing:
        for name in TABLES:
            rows = [dict(r) for r in reading.execute(select(old.tables[name])).mappings()]
            if rows:
                writing.execute(insert(old.tables[name]), rows)
        for name in SEQUENCES:
            writing.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}")
            )
    store.engine.dispose()


@pytest.fixture
def upgraded(db_url: str, tmp_path: Path) -> Cli:
    sqlite = old_database(tmp_path)
    cli = Cli(f"sqlite:///{sqlite}" if db_url.startswith("sqlite") else db_url)
    if not db_url.startswith("sqlite"):
        as_postgres(sqlite, db_url)
    assert "run `custodiet init` to upgrade" in cli("stats", code=1)
    cli("init")
    return cli


def test_every_fact_reads_back_the_same(upgraded: Cli) -> None:
    assert "verified" in upgraded("verify")
    now = {
        row["id"]: row
        for row in map(json.loads, upgraded("export", "--format", "statements-jsonl", "--all")
                       .splitlines())
    }  # fmt: skip
    before = old_statements()
    assert len(now) == len(before) == 1347
    for old in before:
        new = now[old["id"]]
        assert {c: new[c] for c in OLD_COLUMNS} == {c: old[c] for c in OLD_COLUMNS}
        assert new["dataset"] == (
            "owid-vdem" if old["method"] == "import:owid-vdem" else "custodiet"
        )
        assert new["first_seen"] == new["last_seen"] == old["created_at"]


def test_views_and_counts_are_those_of_the_old_release(upgraded: Cli) -> None:
    expected = json.loads((FIXTURES / "release-0.1.0-views.json").read_text("utf-8"))
    for entity_id, old in expected.items():
        view = json.loads(upgraded("show", entity_id, "--json"))
        values = {p: sorted(v["value"] for v in vs) for p, vs in view["properties"].items()}
        assert (view["id"], view["merged"], values) == (old["id"], old["merged"], old["properties"])
    stats = json.loads(upgraded("stats", "--json"))
    assert stats["statements"] == {
        "candidate": 7, "accepted": 1332, "rejected": 6, "superseded": 2, "retired": 0,
    }  # fmt: skip
    assert stats["countries_with_deployments"] == 17


def test_work_goes_on_after_the_upgrade(upgraded: Cli) -> None:
    rows = [json.loads(x) for x in upgraded("review", "list", "--json").splitlines()]
    upgraded("review", "reject", rows[0]["id"], "--reason", "checked after the upgrade")
    upgraded("resolve", "split", "deployment:c-0088dc7b36ab6763")
    upgraded("resolve", "merge", "org:zte", "org:zte-zambia-branch")
    upgraded("resolve", "distinct", "org:huawei", "org:zte")
    merged = json.loads(upgraded("show", "org:zte-zambia-branch", "--json"))
    assert merged["id"] == "org:zte" and "ZTE Zambia" in str(merged["properties"]["name"])
    assert "verified" in upgraded("verify")
    upgraded("init")  # a second init changes nothing
    assert "verified" in upgraded("verify")
