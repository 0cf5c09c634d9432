"""What every command shares: the database URL, the acting user, one-line errors."""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from custodiet.model.errors import DataError
from custodiet.store import SqlStore, StoreError, database_url

P = ParamSpec("P")
R = TypeVar("R")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class Settings:
    db: str | None = None


settings = Settings()


def open_store(*, create: bool = False) -> SqlStore:
    return SqlStore(database_url(settings.db), create=create)


def actor() -> str:
    """Until accounts exist, the local user acts, as `local:NAME` (or $CUSTODIET_ACTOR)."""
    return os.environ.get("CUSTODIET_ACTOR") or f"local:{getpass.getuser()}"


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True)
    return typer.Exit(code)


def one_line_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Bad input and database trouble end the command with one line and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (DataError, StoreError) as exc:
            raise fail(str(exc)) from None
        except SQLAlchemyError as exc:
            first = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            raise fail(f"database: {first[0] if first else type(exc).__name__}") from None

    return wrapper
