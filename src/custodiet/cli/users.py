"""`custodiet user …`: accounts and API tokens (administrators only)."""

from __future__ import annotations

import typer

from custodiet.cli.context import acting, one_line_errors, open_store, out, writing
from custodiet.cli.output import json_lines, table

app = typer.Typer(help="Users (reader, editor, admin) and their API tokens.", no_args_is_help=True)


@app.command()
@one_line_errors
def add(
    name: str = typer.Argument(...),
    role: str = typer.Option("editor", "--role", help="reader, editor or admin."),
) -> None:
    """Add a user."""
    from custodiet.review.accounts import add_user

    with writing("admin", f"user add {name}") as (_who, tx):
        add_user(tx, name, role)
    out.print(f"user {name} added as {role}")


@app.command("list")
@one_line_errors
def list_(as_json: bool = typer.Option(False, "--json", help="One JSON object per line.")) -> None:
    """Users, their roles and active token ids."""
    from custodiet.review.accounts import list_users

    with open_store() as store:
        acting(store, "admin")
        with store.view() as view:
            rows = list_users(view)
    if as_json:
        json_lines(rows)
    else:
        table(rows, ["name", "role", "active_tokens", "created_at"], empty="no users")


@app.command()
@one_line_errors
def token(
    name: str = typer.Argument(...),
    label: str | None = typer.Option(None, "--label", help="What the token is for."),
) -> None:
    """Issue an API token for a user. It is printed once and stored only as a hash."""
    from custodiet.review.accounts import issue_token

    with writing("admin", f"user token {name}") as (_who, tx):
        secret = issue_token(tx, name, label)
    print(secret)


@app.command()
@one_line_errors
def revoke(token_id: str = typer.Argument(..., help="The token's id (cst_<id>_…).")) -> None:
    """Revoke a token: it stops working at once."""
    from custodiet.review.accounts import revoke_token

    with writing("admin", f"user revoke {token_id}") as (_who, tx):
        revoke_token(tx, token_id)
    out.print(f"token {token_id} revoked")
