"""Bad input to `custodiet import`: every error names the file and the line, column or
layout, and leaves the database exactly as it was; releases come and go in order."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from custodiet.store import tables
from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
STARTER = Path(__file__).parents[2] / "src" / "custodiet" / "data" / "starter"
AIGS = STARTER / "carnegie-aigs-2022-company-level.csv"
CONTRACTS = FIXTURES / "cctv-contracts.csv"
MAPPING = FIXTURES / "cctv-contracts.yaml"


def snapshot(url: str) -> dict[str, object]:
    """What an import may change: every table's rows, the audit chain's head."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counts: dict[str, object] = {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (tables.statements, tables.sources, tables.entities, tables.datasets,
                          tables.records, tables.record_values, tables.audit_log)
            }  # fmt: skip
            counts["seen"] = sorted(
                conn.execute(select(tables.statements.c.id, tables.statements.c.last_seen)).all()
            )
            return counts
    finally:
        engine.dispose()


def rewrite(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def aigs_rows() -> list[list[str]]:
    with AIGS.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture
def ready(tmp_path: Path) -> Cli:
    cli = Cli(f"sqlite:///{tmp_path / 'custodiet.db'}")
    cli("init")
    return cli


def test_missing_column_names_file_and_column(ready: Cli, tmp_path: Path) -> None:
    rows = aigs_rows()
    gone = rows[0].index("Company 1")
    bad = rewrite(tmp_path / "no-company.csv", [r[:gone] + r[gone + 1 :] for r in rows])
    before = snapshot(ready.url)
    out = ready("import", "aigs", str(bad), code=1)
    assert f"{bad}: missing column 'Company 1'" in out
    assert snapshot(ready.url) == before


def test_wrong_layout_names_the_layout_expected(ready: Cli) -> None:
    out = ready("import", "aigs", str(CONTRACTS), code=1)
    assert f"{CONTRACTS}: not a Carnegie AIGS company-level file: expected the 2022 layout" in out
    out = ready("import", "eff-aos", str(AIGS), code=1)
    assert "missing column 'AOSNUMBER': expected the Atlas of Surveillance CSV" in out
    out = ready("import", "sii", str(AIGS), code=1)
    assert f"{AIGS}" in out and "not JSON" in out


def test_bad_row_left_out_and_named_or_refused_whole(ready: Cli, tmp_path: Path) -> None:
    rows = aigs_rows()
    rows[3][0] = "Narnia"
    bad = rewrite(tmp_path / "narnia.csv", rows)
    before = snapshot(ready.url)
    out = ready("import", "aigs", str(bad), "--strict", code=1)
    assert f"error: {bad}:4: Country: 'Narnia' is not a country" in out
    assert snapshot(ready.url) == before  # strict: nothing of the file is written
    out = ready("import", "aigs", str(bad))
    assert f"left out: {bad}:4: Country: 'Narnia'" in " ".join(out.split())
    assert "96 rows" not in out and "97 rows" in out


def test_garbled_cell_read_by_the_fault_table_is_reported(ready: Cli) -> None:
    out = " ".join(ready("import", "aigs", str(AIGS), "--dry-run").split())
    assert f"fixed: {AIGS}:97: Country: 'UnitElectoral Democracy States of AmeriClosed" in out
    assert "read as US (a known fault)" in out


def test_dry_run_says_what_and_writes_nothing(ready: Cli) -> None:
    before = snapshot(ready.url)
    out = ready("import", "csv", str(CONTRACTS), "--mapping", str(MAPPING), "--dry-run")
    assert "25 added" in out and "dry run: nothing written" in out
    assert snapshot(ready.url) == before


def test_reimport_adds_nothing_and_says_so(ready: Cli) -> None:
    ready("import", "csv", str(CONTRACTS), "--mapping", str(MAPPING))
    once = snapshot(ready.url)
    out = " ".join(ready("import", "csv", str(CONTRACTS), "--mapping", str(MAPPING)).split())
    assert "0 added, 0 changed, 0 no longer present, 25 unchanged (nothing new)" in out
    again = snapshot(ready.url)
    assert {k: v for k, v in again.items() if k not in ("seen", "audit_log")} == {
        k: v for k, v in once.items() if k not in ("seen", "audit_log")
    }


def test_newer_release_retires_what_it_dropped_and_older_is_refused(
    ready: Cli, tmp_path: Path
) -> None:
    ready("import", "csv", str(CONTRACTS), "--mapping", str(MAPPING), "--release", "2024")
    with CONTRACTS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][4] = "2020"  # C-001's year changes; C-002 is gone; C-006 is new
    rows.append(["C-006", "Dahua", "Kenya", "CCTV", "2022", "", "https://example.org/c-006", ""])
    newer = rewrite(tmp_path / "contracts-2025.csv", [r for r in rows if r[0] != "C-002"])
    out = ready("import", "csv", str(newer), "--mapping", str(MAPPING), "--release", "2025")
    assert "cctv-contracts 2025: 5 rows" in out
    assert "6 added, 1 changed, 6 no longer present" in " ".join(out.split())
    engine = create_engine(ready.url)
    st = tables.statements
    with engine.connect() as conn:
        kept = conn.execute(
            select(func.count()).where(st.c.dataset == "cctv-contracts", st.c.last_seen.is_(None))
        ).scalar_one()
        total = conn.execute(
            select(func.count()).where(st.c.dataset == "cctv-contracts")
        ).scalar_one()
    engine.dispose()
    assert total >= 26  # nothing deleted: the dropped row's facts are kept, marked
    assert kept == 0
    before = snapshot(ready.url)
    out = ready(
        "import", "csv", str(CONTRACTS), "--mapping", str(MAPPING), "--release", "2023", code=1
    )
    assert "import releases oldest first" in out
    assert snapshot(ready.url) == before


def test_mapping_errors_name_the_file_and_field(ready: Cli, tmp_path: Path) -> None:
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(MAPPING.read_text("utf-8").replace("year: Year", "yeer: Year"))
    out = ready("import", "csv", str(CONTRACTS), "--mapping", str(unknown), code=1)
    assert str(unknown) in out and "yeer" in out
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(MAPPING.read_text("utf-8").replace("year: Year", "year: Jahr"))
    out = ready("import", "csv", str(CONTRACTS), "--mapping", str(renamed), code=1)
    assert f"{CONTRACTS}" in out and "'Jahr'" in out
    out = ready("import", "csv", str(CONTRACTS), code=1)
    assert "--mapping" in out
    out = ready("import", "aigs", str(AIGS), "--mapping", str(MAPPING), code=1)
    assert "the aigs importer reads its dataset's own layout: no --mapping" in out


def test_unknown_importer_and_missing_file(ready: Cli, tmp_path: Path) -> None:
    out = ready("import", "nope", str(AIGS), code=1)
    assert "no importer 'nope' (known: aigs, sii, eff-aos, aiddata, csv, ftm)" in out
    out = ready("import", "sii", str(tmp_path / "missing.json"), code=1)
    assert "missing.json: no such file" in out


def test_error_mid_file_leaves_database_as_it_was(cli: Cli, tmp_path: Path) -> None:
    """On both databases: rows already handed to the transaction are rolled back."""
    cli("init", "--with-starter")
    rows = aigs_rows()
    rows[-1][0] = "Atlantis"  # the last row: every batch before it has been written
    bad = rewrite(tmp_path / "late-error.csv", rows)
    before = snapshot(cli.url)
    cli("import", "aigs", str(bad), "--strict", code=1)
    assert snapshot(cli.url) == before


def test_datasets_lists_importers_and_stored_datasets(ready: Cli) -> None:
    ready("import", "csv", str(CONTRACTS), "--mapping", str(MAPPING))
    out = ready("datasets")
    for name in ("aigs", "sii", "eff-aos", "aiddata", "csv", "ftm", "cctv-contracts"):
        assert name in out
    lines = ready("datasets", "--json").splitlines()
    assert any(
        '"dataset": "cctv-contracts"' in line and '"statements": 25' in line for line in lines
    )
