"""Two editors at once, as two real processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import Cli
from tests.review.test_workflow import NEWS, queue

EXE = shutil.which("custodiet", path=str(Path(sys.executable).parent))


def together(url: str, *commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """Start every command before waiting for any, so that they race."""
    assert EXE
    env = {**os.environ, "CUSTODIET_DB": url}
    procs = [
        subprocess.Popen(
            [EXE, *c], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for c in commands
    ]
    results = []
    for cmd, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return results


def prepared(cli: Cli, tmp_path: Path) -> dict[str, str]:
    cli("init")
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    cli("ingest", str(tmp_path / "news.txt"))
    return queue(cli)


def test_different_candidates_at_once_both_succeed(cli: Cli, tmp_path: Path) -> None:
    ids = prepared(cli, tmp_path)
    results = together(cli.url, ["review", "accept", ids["KE"]], ["review", "accept", ids["ZM"]])
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    assert set(queue(cli)) == {"EC"}
    assert "verified" in cli("verify")


def test_the_same_candidate_at_once_one_wins(cli: Cli, tmp_path: Path) -> None:
    ids = prepared(cli, tmp_path)
    results = together(
        cli.url,
        ["review", "accept", ids["KE"]],
        ["review", "reject", ids["KE"], "--reason", "duplicate"],
    )
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 1], [r.stderr for r in results]
    loser = next(r for r in results if r.returncode == 1)
    assert "already reviewed by" in loser.stderr and loser.stderr.count("\n") == 1
    assert "verified" in cli("verify")
