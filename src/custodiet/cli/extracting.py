"""text, extract and ingest: reading documents and proposing candidates."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer
from rich.progress import Progress, TextColumn, TimeElapsedColumn

from custodiet.cli.context import acting, err, one_line_errors, open_store, out, settings
from custodiet.export.files import atomic_output
from custodiet.ingest.document import Document, Gate, ReadError, Skipped
from custodiet.ingest.readers import read_paths

if TYPE_CHECKING:
    from custodiet.extract.candidate import Candidate
    from custodiet.extract.registry import Known, Registry
    from custodiet.store.sql import SqlStore

PATHS = typer.Argument(
    ...,
    help="Files (.txt .md .html .pdf .warc .warc.gz .jsonl .jsonl.gz), folders, or - for "
    "standard input.",
)


class Run:
    """Counts for the progress line and the exit code."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("reading", total=None, docs=0, rate=0.0, found=0)
        self.docs = self.found = self.chars = 0
        self.failed = False
        self.began = self.shown = time.perf_counter()

    def documents(self, paths: list[str], gate: Gate | None = None) -> Iterator[Document]:
        """Readable documents; errors are printed, one line each, and remembered."""
        for item in read_paths(paths, gate):
            if isinstance(item, ReadError):
                self.failed = True
                err.print(f"[red]error:[/red] {item}", soft_wrap=True, highlight=False)
                continue
            self.docs += 1
            self.chars += item.chars if isinstance(item, Skipped) else len(item.text)
            self._show()
            if isinstance(item, Document):
                yield item

    def _show(self) -> None:
        # A few updates a second: redrawing per document would cost more than reading it.
        now = time.perf_counter()
        if now - self.shown < 0.2:
            return
        self.shown = now
        rate = self.chars / 1e6 / max(now - self.began, 1e-9)
        self.progress.update(self.task, docs=self.docs, rate=rate, found=self.found)

    def extracted(
        self, doc: Document, extract: Callable[[Document], list[Candidate]]
    ) -> list[Candidate]:
        """The document's candidates; if the extractor fails on it, one error naming it
        (a bug to report, not a reason to stop the run)."""
        try:
            return extract(doc)
        except MemoryError:
            raise
        except Exception as exc:
            self.failed = True
            err.print(
                f"[red]error:[/red] {doc.source}: extraction failed ({type(exc).__name__})",
                soft_wrap=True,
                highlight=False,
            )
            return []

    def finish(self) -> None:
        if self.failed:
            raise typer.Exit(1)


def progress() -> Progress:
    return Progress(
        TextColumn("{task.fields[docs]} documents"),
        TextColumn("{task.fields[rate]:.1f} MB/s"),
        TextColumn("{task.fields[found]} candidates"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def text(paths: list[str] = PATHS) -> None:
    """Print each document's normalised text (the text every offset refers to)."""
    with progress() as bar:
        run = Run(bar)
        for doc in run.documents(paths):
            sys.stdout.write(doc.text + "\n")
    run.finish()


def store_registry(store: SqlStore | None) -> Registry:
    """The shipped registry, grown with the organisations the database holds (imported or
    accepted), so that the next run recognises them."""
    from custodiet.extract.registry import registry

    return registry(store_known(store))


def store_known(store: SqlStore | None) -> list[Known]:
    """The organisations the database holds, as the extractor's registry takes them."""
    from custodiet.extract.registry import known
    from custodiet.model.records import OrganizationRecord

    if store is None:
        return []
    with store.view() as view:
        return known([OrganizationRecord.of(r) for r in view.supplier_records()])


@contextlib.contextmanager
def database_if_any() -> Iterator[SqlStore | None]:
    """The database named by --db or $CUSTODIET_DB, else the default one if it exists."""
    import os

    from custodiet.store.engine import ENV_VAR, default_sqlite_path

    if not (settings.db or os.environ.get(ENV_VAR) or default_sqlite_path().exists()):
        yield None
        return
    with open_store() as store:
        yield store


@one_line_errors
def extract(
    paths: list[str] = PATHS,
    output: Path | None = typer.Option(None, "--out", help="Write JSON lines here."),
    scorer_file: Path | None = typer.Option(
        None, "--scorer", help="A scorer made by train-scorer, instead of the shipped one."
    ),
) -> None:
    """Print candidates as JSON lines: one per document, vendor, buyer country and city.
    The vendors known are the shipped registry's and the database's organisations."""
    from custodiet.extract.pipeline import extract_document, worth_reading
    from custodiet.extract.scorer import load, shipped

    scorer = load(scorer_file) if scorer_file else shipped()
    with database_if_any() as store:
        reg = store_registry(store)
    with progress() as bar, atomic_output(output) as stream:
        run = Run(bar)
        for doc in run.documents(paths, partial(worth_reading, reg=reg)):
            for c in run.extracted(doc, lambda d: extract_document(d, reg, scorer)):
                _write(stream, c.to_dict())
                run.found += 1
    run.finish()


@one_line_errors
def train_scorer(
    labelled: list[Path] = typer.Argument(
        ..., help='Labelled passages, JSON lines: {"id", "text", "records": [...]}.'
    ),
    output: Path = typer.Option(..., "--out", help="Write the scorer (JSON) here."),
    rank_only: bool = typer.Option(
        False, "--rank-only", help="Threshold 0: the scorer sets confidence but drops nothing."
    ),
) -> None:
    """Fit the scorer that decides which of the rules' pairs are proposed, on labelled
    passages; print its weights. Ship it as extract/registry/scorer.json, or pass it to
    `extract --scorer`."""
    from dataclasses import replace as replaced

    from custodiet.extract import training

    with database_if_any() as store:
        reg = store_registry(store)
    scorer = training.train(labelled, reg)
    if rank_only:
        scorer = replaced(scorer, threshold=0.0)
    with atomic_output(output) as stream:
        stream.write(json.dumps(scorer.to_json(), indent=2) + "\n")
    for line in training.report(scorer):
        out.print(line, highlight=False)


def _write(stream: IO[str], row: dict[str, object]) -> None:
    stream.write(json.dumps(row, ensure_ascii=False) + "\n")


@one_line_errors
def ingest(paths: list[str] = PATHS) -> None:
    """Store each document as a source and its candidates in the review queue."""
    from custodiet.cli.scanning import ingest_scan
    from custodiet.extract.pipeline import extract as extract_text
    from custodiet.ingest.queue import queued_statements, source_of
    from custodiet.scale.parts import is_scan

    scans = [Path(p) for p in paths if Path(p).is_dir() and is_scan(Path(p))]
    paths = [p for p in paths if Path(p) not in scans]
    new_sources = new_statements = 0
    with open_store() as store, progress() as bar:
        who = acting(store, "editor")
        reg = store_registry(store)
        for folder in scans:
            loaded, sources, added = ingest_scan(store, folder, who.name, reg)
            new_sources, new_statements = new_sources + sources, new_statements + added
            out.print(f"{folder}: {loaded} finished shards loaded", soft_wrap=True)
        held: dict[str, bool] = {}
        run = Run(bar)
        for doc in run.documents(paths):
            candidates = run.extracted(
                doc, lambda d: extract_text(d.text, url=d.url, doc_id=d.doc_id, reg=reg)
            )
            source = source_of(doc)
            with store.writer(actor=who.name, reason=f"ingest {doc.source}") as tx:
                new_sources += tx.add_source(source)
                statements = queued_statements(tx, source.id, candidates, reg, held)
                new_statements += tx.add_statements(statements)
            run.found += len(candidates)
    out.print(
        f"{run.docs} documents: {new_sources} new sources, {new_statements} new "
        f"candidate statements"
    )
    run.finish()
