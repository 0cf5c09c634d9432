"""The installed `custodiet` command as a real process: exit codes and one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("custodiet", path=str(Path(sys.executable).parent))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert EXE, "the custodiet console script is not installed beside this Python"
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.sqlite
def test_init_stats_and_errors_as_a_process(tmp_path: Path) -> None:
    db = str(tmp_path / "atlas.db")
    missing = run("--db", db, "stats")
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "custodiet init" in missing.stderr
    assert run("--db", db, "init", "--with-starter").returncode == 0
    stats = run("--db", db, "stats", "--json")
    assert json.loads(stats.stdout)["countries_with_deployments"] >= 15
    assert run("--db", db, "export", "--format", "nope").returncode == 2
