"""`custodiet text`, `extract` and `ingest` as real processes: output, errors, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli.test_cli import snapshot
from tests.conftest import Cli
from tests.ingest.samples import DEAL, HTML, pdf_bytes, write
from tests.shared import ARTICLE, shared_file

EXE = shutil.which("custodiet", path=str(Path(sys.executable).parent))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE
    return subprocess.run([EXE, *args], capture_output=True, text=True, input=stdin, timeout=300)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write(folder / "a.txt", DEAL)
    write(folder / "b.html", HTML)
    write(folder / "c.pdf", pdf_bytes(DEAL))
    return folder


def test_extract_prints_one_json_line_per_candidate(corpus: Path) -> None:
    result = run("extract", str(corpus))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    need = {
        "doc_id",
        "source",
        "vendor",
        "vendor_id",
        "buyer_country",
        "buyer_city",
        "buyer_agency",
        "technology",
        "year",
        "value",
        "currency",
        "financing",
        "status",
        "quote",
        "start",
        "end",
        "confidence",
    }
    assert all(set(r) == need for r in rows)
    assert {(r["vendor_id"], r["buyer_country"]) for r in rows} == {("org:hikvision", "KE")}


def test_extract_from_stdin_and_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run("extract", "-", "--out", str(out), stdin=DEAL)
    assert result.returncode == 0 and result.stdout == ""
    (row,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert row["doc_id"] == "-" and row["quote"] == DEAL


def test_bad_inputs_are_named_and_the_run_goes_on(corpus: Path) -> None:
    write(corpus / "junk.html", bytes(range(256)))
    write(corpus / "broken.jsonl", f'{{"id": "x", "text": "{DEAL}"}}\nnot json\n')
    result = run("extract", str(corpus))
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert any(f"{corpus / 'junk.html'}: binary data" in e for e in errors)
    assert any(f"{corpus / 'broken.jsonl'}:2: not JSON" in e for e in errors)
    assert len(result.stdout.splitlines()) == 4  # the good documents still count


def test_usage_errors_exit_2() -> None:
    assert run("extract").returncode == 2


def test_text_prints_the_normalised_text(tmp_path: Path) -> None:
    result = run("text", str(write(tmp_path / "p.html", HTML)))
    assert result.returncode == 0 and DEAL in result.stdout and "Cookie" not in result.stdout


def test_ingest_queues_candidates_once_and_skips_failures(cli: Cli, corpus: Path) -> None:
    cli("init")
    write(corpus / "locked.pdf", pdf_bytes(DEAL, password="pw"))
    before = snapshot(cli.url)
    output = cli("ingest", str(corpus), code=1)
    assert "locked.pdf: encrypted PDF" in output
    engine = create_engine(cli.url)
    with engine.connect() as conn:
        sources = conn.execute(text("SELECT count(*) FROM sources")).scalar_one()
        statuses = set(conn.execute(text("SELECT DISTINCT status FROM statements")).scalars())
    engine.dispose()
    assert sources == 2 and statuses == {"candidate"}  # txt and pdf share one text
    after = snapshot(cli.url)
    assert after != before
    cli("ingest", str(corpus), code=1)
    assert snapshot(cli.url) == after
    assert "verified" in cli("verify")


def test_ingest_the_founding_article_twice(cli: Cli) -> None:
    cli("init")
    article = str(shared_file(*ARTICLE))
    first = cli("ingest", article)
    assert "1 new sources" in first and "0 new candidate statements" not in first
    assert "0 new sources, 0 new candidate statements" in cli("ingest", article)


def test_a_nul_character_gives_the_same_result_on_both_databases(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    (tmp_path / "nul.jsonl").write_text(
        json.dumps({"id": "n", "text": "The Kenyan police signed a contract with Hik\x00vision "
                    "for cameras in Nairobi.\x00", "title": "A \x00 title"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out = cli("ingest", str(tmp_path / "nul.jsonl"))
    assert "1 new sources" in out.replace("1 new source,", "1 new sources,")
    rows = [json.loads(x) for x in cli("review", "list", "--json").splitlines()]
    assert [(r["schema"], r["vendor"] or r["id"]) for r in rows] == [
        ("Deployment", "org:hikvision"),
        ("Organization", "org:hikvision"),  # the shipped vendor, new to this atlas
    ]
    assert "\\u0000" not in cli("export", "--format", "statements-jsonl", "--all")


def test_a_vendor_the_registry_lacks_is_proposed_and_known_once_accepted(
    cli: Cli, tmp_path: Path
) -> None:
    cli("init")
    text = "Ghana awarded a contract for CCTV cameras to Volta Sentinel Ltd in 2021."
    (tmp_path / "new.txt").write_text(text, encoding="utf-8")
    cli("ingest", str(tmp_path / "new.txt"))
    rows = [json.loads(x) for x in cli("review", "list", "--json").splitlines()]
    by_schema = {r["schema"]: r for r in rows}
    assert by_schema["Deployment"]["vendor"] == "org:new-volta-sentinel-ltd"
    assert by_schema["Organization"]["id"] == "org:new-volta-sentinel-ltd"
    assert by_schema["Organization"]["quote"] == text
    cli("review", "accept", "org:new-volta-sentinel-ltd")
    # Accepted, the organisation is in the registry of the next run: found by its name
    # alone, written in capitals that no pattern for new names reads.
    (tmp_path / "again.txt").write_text(
        "Senegal bought cameras from VOLTA SENTINEL LTD.", encoding="utf-8"
    )
    out = cli("extract", str(tmp_path / "again.txt"), "--out", str(tmp_path / "found.jsonl"))
    found = (tmp_path / "found.jsonl").read_text("utf-8").splitlines()
    assert [(json.loads(x)["vendor_id"], json.loads(x)["vendor"]) for x in found] == [
        ("org:new-volta-sentinel-ltd", "Volta Sentinel Ltd")
    ], out
