"""Who may do what: readers read, editors review, admins manage users; revoked tokens fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Cli
from tests.review.test_workflow import NEWS, queue

ALLOWED = {"reader": {"read"}, "editor": {"read", "write"}, "admin": {"read", "write", "users"}}


@pytest.fixture
def tokens(cli: Cli, tmp_path: Path) -> dict[str, str]:
    cli("init")
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    cli("ingest", str(tmp_path / "news.txt"))
    found = {}
    for role in ALLOWED:
        cli("user", "add", f"a-{role}", "--role", role)
        found[role] = cli("user", "token", f"a-{role}").strip()
    return found


def attempt(cli: Cli, token: str, action: str, code: int) -> str:
    ids = queue(cli)
    args = {
        "read": ["review", "list", "--json"],
        "write": ["review", "defer", next(iter(ids.values()))],
        "users": ["user", "add", "newcomer", "--role", "reader"],
    }[action]
    return cli("--token", token, *args, code=code)


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("action", ["read", "write", "users"])
def test_role_matrix(cli: Cli, tokens: dict[str, str], role: str, action: str) -> None:
    allowed = action in ALLOWED[role]
    output = attempt(cli, tokens[role], action, 0 if allowed else 1)
    if not allowed:
        assert output.startswith("error: permission denied:")


def test_revoked_and_forged_tokens_fail(cli: Cli, tokens: dict[str, str]) -> None:
    token_id = tokens["editor"].split("_")[1]
    cli("user", "revoke", token_id)
    for action in ("read", "write"):
        assert "was revoked" in attempt(cli, tokens["editor"], action, 1)
    forged = tokens["admin"][:-4] + "AAAA"
    assert "unknown token" in attempt(cli, forged, "read", 1)
    assert "not a Custodiet token" in attempt(cli, "hunter2", "read", 1)


def test_writes_name_the_acting_user(cli: Cli, tokens: dict[str, str]) -> None:
    candidate = queue(cli)["KE"]
    cli("--token", tokens["editor"], "review", "defer", candidate)
    log = [json.loads(x) for x in cli("log", candidate, "--json").splitlines()]
    assert log[-1]["actor"] == "a-editor" and log[-1]["action"] == "review.deferred"


def test_tokens_are_stored_hashed(cli: Cli, tokens: dict[str, str]) -> None:
    engine = create_engine(cli.url)
    with engine.connect() as conn:
        stored = " ".join(conn.execute(text("SELECT secret_hash FROM tokens")).scalars())
    engine.dispose()
    for token in tokens.values():
        assert token.split("_", 2)[2] not in stored
    users = cli("user", "list", "--json")
    assert all(token not in users for token in tokens.values())
