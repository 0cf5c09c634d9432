"""What every command shares: the database URL, the acting user, one-line errors."""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer
from rich.console import Console

from custodiet.model.errors import DataError, StoreError

if TYPE_CHECKING:
    from custodiet.review.accounts import Actor
    from custodiet.store.sql import SqlStore
    from custodiet.store.writer import Writer

P = ParamSpec("P")
R = TypeVar("R")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class Settings:
    db: str | None = None
    token: str | None = None


settings = Settings()


def open_store(*, create: bool = False) -> SqlStore:
    """The store (SQLAlchemy, Alembic load only for commands that use it). A --token given
    is checked here, for every command, reading ones included: an unknown or revoked one
    is refused, never ignored."""
    from custodiet.store import SqlStore, database_url

    store = SqlStore(database_url(settings.db), create=create)
    if settings.token and not create:
        try:
            acting(store, "reader")
        except BaseException:
            store.close()
            raise
    return store


def _database_error(exc: Exception) -> bool:
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


@contextlib.contextmanager
def writing(role: str, reason: str) -> Iterator[tuple[Actor, Writer]]:
    """The store, its acting user (who must hold `role`) and one transaction."""
    with open_store() as store:
        who = acting(store, role)
        with store.writer(actor=who.name, reason=reason) as tx:
            yield who, tx


def local_name() -> str:
    return os.environ.get("CUSTODIET_ACTOR") or f"local:{getpass.getuser()}"


def acting(store: SqlStore, role: str = "reader") -> Actor:
    """Who acts: the token's user (--token or $CUSTODIET_TOKEN), else the local user as an
    administrator; an error unless that user's role allows `role`."""
    from custodiet.review.accounts import Actor, authenticate

    if settings.token:
        with store.view() as view:
            who = authenticate(view, settings.token)
    else:
        who = Actor(local_name(), "admin")
    who.require(role)
    return who


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
        except PermissionError as exc:
            raise fail(f"permission denied: {exc}") from None
        except Exception as exc:
            if not _database_error(exc):
                raise
            first = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            raise fail(f"database: {first[0] if first else type(exc).__name__}") from None

    return wrapper
