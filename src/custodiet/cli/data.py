"""init, load and attach-text: the commands that bring data in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from custodiet.cli.context import acting, err, one_line_errors, open_store, out
from custodiet.model.errors import DataError
from custodiet.model.text import normalise_text, text_id

if TYPE_CHECKING:
    from custodiet.ingest.bundle import Compiler
    from custodiet.store.sql import SqlStore


def write_compiled(store: SqlStore, compiler: Compiler, *, reason: str) -> tuple[int, int]:
    """One transaction for everything compiled; returns (new sources, new statements)."""
    who = acting(store, "editor")
    with store.writer(actor=who.name, reason=reason) as tx:
        for dataset in compiler.datasets.values():
            tx.declare_dataset(dataset)
        new_sources = sum(tx.add_source(s) for s in compiler.sources.values())
        new_statements = tx.add_statements(compiler.statements)
    return new_sources, new_statements


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def report(new_sources: int, new_statements: int, total: int) -> None:
    out.print(
        f"{plural(new_sources, 'new source')}, {plural(new_statements, 'new statement')} "
        f"({total - new_statements} already present)"
    )


@one_line_errors
def init(
    with_starter: bool = typer.Option(
        False, "--with-starter", help="Load the starter atlas shipped with Custodiet."
    ),
) -> None:
    """Create or upgrade the database; optionally load the starter atlas (idempotent)."""
    from custodiet.ingest.starter import import_starter, starter_compiler

    with open_store(create=True) as store:
        store.initialise(progress=lambda n: err.print(f"records: {n} rebuilt", end="\r"))
        who = acting(store, "admin")
        out.print(f"database ready: {store.engine.url.render_as_string(hide_password=True)}")
        if with_starter:
            compiler = starter_compiler()
            report(
                *write_compiled(store, compiler, reason="init --with-starter"),
                len(compiler.statements),
            )
            for summary in import_starter(store, who.name):
                out.print(
                    f"{summary.dataset} {summary.version}: {plural(summary.added, 'new fact')} "
                    f"({summary.unchanged} already present)"
                )


@one_line_errors
def load(
    paths: list[Path] = typer.Argument(..., help="Data files (.yaml, .yml, .jsonl)."),
) -> None:
    """Load data files in Custodiet's format: all of them in one transaction, or none."""
    from custodiet.ingest.bundle import Compiler
    from custodiet.ingest.datafile import load_file

    compiler = Compiler()
    for path in paths:
        load_file(path, compiler)
    with open_store() as store:
        with store.view() as view:
            compiler.check_datasets({d.name for d in view.datasets()})
            compiler.check_required(lambda eid: {s.prop for s in view.statements_of(eid)})
        report(
            *write_compiled(store, compiler, reason=f"load {' '.join(map(str, paths))}"),
            len(compiler.statements),
        )


@one_line_errors
def attach_text(
    source_id: str = typer.Argument(..., help="The source's id (sha256 of its text)."),
    path: Path = typer.Argument(..., help="A file holding the source's text."),
) -> None:
    """Store a source's full text, after checking that it hashes to the source's id."""
    from custodiet.ingest.datafile import read_text

    text = normalise_text(read_text(path))
    if text_id(text) != source_id:
        raise DataError(f"the text hashes to {text_id(text)}, not to {source_id}", file=str(path))
    with open_store() as store:
        who = acting(store, "editor")
        with store.writer(actor=who.name, reason=f"attach-text {path}") as tx:
            if not tx.sources_by_id([source_id]):
                raise DataError(f"no source {source_id}")
            tx.attach_text(source_id, text)
    out.print(f"attached {len(text)} characters to source {source_id[:12]}…")
