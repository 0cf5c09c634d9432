"""Scans through a real Dask scheduler and real workers on loopback: the same
candidates as `custodiet extract`, for a LocalCluster or a cluster, through a killed
worker and a killed client, and into the review queue once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from custodiet.scale import parts
from tests.conftest import Cli
from tests.scale import corpus

BIN = Path(sys.executable).parent
SLOW = Path(__file__).with_name("slow_worker.py")
SHARD_MB = "0.02"  # some 20 shards of the small corpus


@pytest.fixture
def atlas(tmp_path: Path) -> Cli:
    cli = Cli(f"sqlite:///{tmp_path / 'atlas.db'}")
    cli("init")
    return cli


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    return [str(p) for p in corpus.write(tmp_path / "corpus")]


def rows(folder: Path) -> list[dict[str, Any]]:
    """Every candidate of a scan, sorted."""
    found = [r for sid in sorted(parts.finished(folder)) for r in parts.read_part(folder, sid)]
    return sorted(found, key=lambda r: json.dumps(r, sort_keys=True))


def started(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(args, stdout=out, stderr=out, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A `dask scheduler` and two `dask worker` processes (slowed) on loopback."""
    from distributed import Client

    file, log = tmp_path / "scheduler.json", tmp_path / "dask.log"
    processes = [
        started([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--no-dashboard", "--scheduler-file", str(file)], log)
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.2)
        address = json.loads(file.read_text("utf-8"))["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            processes.append(
                started([str(BIN / "dask"), "worker", address, "--host", "127.0.0.1",
                         "--nthreads", "1", "--no-dashboard", "--preload", str(SLOW),
                         "--death-timeout", "60"], log)
            )  # fmt: skip
        with Client(address, timeout="30s") as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(2, timeout=60)
        yield address, processes[1:]
    finally:
        for p in reversed(processes):
            stop(p)


def scan_command(atlas: Cli, inputs: list[str], out: Path, *extra: str) -> list[str]:
    return [str(BIN / "custodiet"), "--db", atlas.url, "scan", *inputs, "--out", str(out),
            "--shard-mb", SHARD_MB, *extra]  # fmt: skip


def local_scan(atlas: Cli, inputs: list[str], out: Path) -> Path:
    """The scan on a LocalCluster of one worker: what the others must match."""
    atlas("scan", *inputs, "--out", str(out), "--workers", "1", "--shard-mb", SHARD_MB)
    return out


def wait_for_markers(folder: Path, at_least: int, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = len(parts.finished(folder)) if (folder / "done").is_dir() else 0
        if done >= at_least:
            return done
        assert process.poll() is None, "the scan ended before the kill"
        time.sleep(0.05)
    raise AssertionError("no progress")


def test_a_local_scan_finds_what_extract_finds(
    atlas: Cli, inputs: list[str], tmp_path: Path
) -> None:
    out = atlas("scan", *inputs, "--out", str(tmp_path / "scan"), "--workers", "2",
                "--shard-mb", SHARD_MB)  # fmt: skip
    assert "documents" in out and "candidates" in out
    plan = parts.Plan.read(tmp_path / "scan")
    assert len(plan.shards) > 10 and len(parts.finished(tmp_path / "scan")) == len(plan.shards)
    atlas("extract", *inputs, "--out", str(tmp_path / "extracted.jsonl"), code=1)  # bad lines
    extracted = [json.loads(x) for x in (tmp_path / "extracted.jsonl").read_text().splitlines()]
    scanned = rows(tmp_path / "scan")
    assert len(scanned) >= 50
    document = set(parts.DOCUMENT)
    assert sorted(
        json.dumps({k: v for k, v in r.items() if k not in document}, sort_keys=True)
        for r in scanned
    ) == sorted(json.dumps(r, sort_keys=True) for r in extracted)
    # Done: the same command again finds nothing to do.
    again = atlas("scan", *inputs, "--out", str(tmp_path / "scan"), "--shard-mb", SHARD_MB)
    assert f"({len(plan.shards)} finished before)" in again


def test_a_killed_worker_changes_nothing(
    atlas: Cli, inputs: list[str], tmp_path: Path,
    cluster: tuple[str, list[subprocess.Popen[bytes]]],
) -> None:  # fmt: skip
    address, workers = cluster
    reference = local_scan(atlas, inputs, tmp_path / "reference")
    out = tmp_path / "scan"
    scan = started(scan_command(atlas, inputs, out, "--scheduler", address), tmp_path / "s.log")
    try:
        wait_for_markers(out, 3, scan)
        stop(workers[0])
        assert scan.wait(timeout=180) == 0, (tmp_path / "s.log").read_text()
    finally:
        stop(scan)
    assert rows(out) == rows(reference)
    assert not list((out / "parts").glob(".*")) and not list((out / "done").glob(".*"))


def test_a_killed_scan_resumes_with_what_is_left(
    atlas: Cli, inputs: list[str], tmp_path: Path,
    cluster: tuple[str, list[subprocess.Popen[bytes]]],
) -> None:  # fmt: skip
    address, _ = cluster
    reference = local_scan(atlas, inputs, tmp_path / "reference")
    out = tmp_path / "scan"
    command = scan_command(atlas, inputs, out, "--scheduler", address)
    scan = started(command, tmp_path / "s.log")
    wait_for_markers(out, 4, scan)
    stop(scan)  # kill -9 of the client
    time.sleep(1.5)  # the shards in flight finish on their workers
    kept = {p.name: p.stat().st_mtime_ns for p in (out / "done").glob("*.json")}
    total = len(parts.Plan.read(out).shards)
    assert 4 <= len(kept) < total
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({len(kept)} finished before)" in resumed.stdout
    assert {p: (out / "done" / p).stat().st_mtime_ns for p in kept} == kept  # not redone
    assert rows(out) == rows(reference)


def test_a_scan_enters_the_review_queue_once(atlas: Cli, inputs: list[str], tmp_path: Path) -> None:
    atlas("scan", *inputs, "--out", str(tmp_path / "scan"), "--workers", "1",
          "--shard-mb", SHARD_MB)  # fmt: skip
    first = atlas("ingest", str(tmp_path / "scan"))
    assert "finished shards loaded" in first and " 0 new candidate statements" not in first
    queued = atlas("review", "list", "--json").splitlines()
    deployments = [json.loads(x) for x in queued if '"Deployment"' in x]
    assert len(deployments) >= 40
    again = atlas("ingest", str(tmp_path / "scan"))
    assert "0 new sources, 0 new candidate statements" in again
    assert atlas("review", "list", "--json").splitlines() == queued
    shown = json.loads(atlas("review", "show", deployments[0]["id"], "--json"))
    assert shown["context"] is None  # the article itself is not kept
    assert "verified" in atlas("verify")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere/*.warc.gz"], "the pattern matches no file"),
        (["missing.jsonl"], "missing.jsonl: no such file or folder"),
    ],
)
def test_bad_inputs_are_one_line_and_write_nothing(
    atlas: Cli, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "scan"
    said = atlas("scan", *[str(tmp_path / a) for a in args], "--out", str(out), code=1)
    assert message in said and len(said.strip().splitlines()) == 1
    assert not out.exists()


def test_a_folder_of_another_scan_or_of_anything_else_is_refused(
    atlas: Cli, inputs: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "scan"
    atlas("scan", inputs[2], "--out", str(out), "--workers", "1")
    said = atlas("scan", inputs[0], "--out", str(out), code=1)
    assert "holds a scan of other inputs" in said
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    assert "not empty and not a scan folder" in atlas(
        "scan", inputs[0], "--out", str(tmp_path / "other"), code=1
    )


def test_no_scheduler_is_one_line(atlas: Cli, inputs: list[str], tmp_path: Path) -> None:
    said = atlas("scan", inputs[2], "--out", str(tmp_path / "scan"), "--scheduler",
                 "tcp://127.0.0.1:9", code=1)  # fmt: skip
    assert "no Dask scheduler at tcp://127.0.0.1:9" in said
