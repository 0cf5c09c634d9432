"""Fixtures: a real SQLite file and a real PostgreSQL server, the CLI, and CI strictness."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from custodiet.cli.app import app
from tests import postgres
from tests.shared import SHARED_ABSENT

CI = os.environ.get("CI", "").lower() == "true"
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the developer's own database or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("CUSTODIET_DB", raising=False)
    monkeypatch.setenv("CUSTODIET_ACTOR", "test:editor")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    if postgres.pg_bin() is None:
        pytest.skip("PostgreSQL is not installed (make test installs it as root)")
    with postgres.server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the shared throwaway server."""
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield pg_server.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'custodiet.db'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite", marks=pytest.mark.sqlite),
        pytest.param("postgres", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on a real SQLite file and once on a real PostgreSQL database."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


class Cli:
    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> str:
        result = self.runner.invoke(app, ["--db", self.url, *args], catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result.stdout + result.stderr


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def starter(cli: Cli) -> Cli:
    cli("init", "--with-starter")
    return cli


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With CI=true nothing may be skipped: a skip becomes a failure that says why."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        # Reference data beside the checkout may be absent from a bare clone: that skip is
        # the one the project allows (tests/shared.py); every other skip fails under CI.
        if SHARED_ABSENT not in str(reason):
            report.outcome = "failed"
            report.longrepr = f"skipped under CI=true, which allows no skips: {reason}"
