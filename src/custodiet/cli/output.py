"""Printing for people (Rich tables) and for scripts (--json: one object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from rich.table import Table

from custodiet.cli.context import out


def json_lines(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        print(json.dumps(row, ensure_ascii=False, default=str))


def json_object(data: Any) -> None:
    """One JSON object: indented and coloured in a terminal, one line for scripts."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    if out.is_terminal:
        out.print_json(text)
    else:
        print(text)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, empty: str) -> None:
    if not rows:
        out.print(empty)
        return
    grid = Table()
    for col in columns:
        grid.add_column(col, overflow="fold")
    for row in rows:
        grid.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    out.print(grid)
