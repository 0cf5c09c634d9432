"""`custodiet scan`: a corpus over Dask into a scan folder; `custodiet ingest DIR` brings
its parts into the review queue."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from custodiet.cli.context import err, one_line_errors, out
from custodiet.model.errors import DataError

if TYPE_CHECKING:
    from custodiet.extract.registry import Registry
    from custodiet.scale.cluster import Outcome
    from custodiet.scale.parts import Plan
    from custodiet.store.sql import SqlStore

SHOWN_ERRORS = 20


@one_line_errors
def scan(
    paths: list[str] = typer.Argument(
        ...,
        help="Files, folders or globs (quoted): .warc .warc.gz .jsonl .jsonl.gz .html .txt .pdf",
    ),
    folder: Path = typer.Option(
        ..., "--out", help="The scan folder (parts and done-markers); the same command resumes."
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="A running Dask scheduler (tcp://HOST:8786); default: a LocalCluster here.",
    ),
    workers: int = typer.Option(
        os.cpu_count() or 1, "--workers", min=1, help="Worker processes of the LocalCluster."
    ),
    shard_mb: float = typer.Option(
        256, "--shard-mb", min=0.01, help="Shard size: a larger JSONL is cut into ranges of this."
    ),
    scorer_file: Path | None = typer.Option(
        None, "--scorer", help="A scorer made by train-scorer, instead of the shipped one."
    ),
) -> None:
    """Scan a corpus for candidates on Dask, a shard at a time, each into a Parquet part;
    finished shards are kept, so running the same command again resumes."""
    from concurrent.futures import ThreadPoolExecutor

    from custodiet.scale import cluster, parts

    shard_bytes = int(shard_mb * (1 << 20))
    files = _inputs(paths)
    existing = _existing_plan(folder, [str(f) for f in files], shard_bytes)
    finished = parts.finished(folder)
    if existing is not None and set(finished) >= {s.id for s in existing.shards}:
        shards = existing.shards
        _summary(Tally([finished[s.id] for s in shards]), len(shards), len(shards), 0.0)
        return
    setup = existing.setup if existing is not None else _setup(scorer_file)
    began = time.perf_counter()
    try:
        # A new plan counts the lines of large JSONL files while the cluster starts and
        # its workers compile the registry.
        with ThreadPoolExecutor(1) as pool, cluster.connect(scheduler, workers) as client:
            planned = pool.submit(lambda: existing or _new_plan(folder, files, shard_bytes, setup))
            cluster.warm(client, setup)
            plan = planned.result()
            outcome, tally = _scan(client, folder, plan, began)
    except cluster.ScanError as exc:
        raise DataError(str(exc)) from None
    _summary(tally, len(plan.shards), tally.earlier, time.perf_counter() - began)
    for line in outcome.failed:
        err.print(f"[red]error:[/red] {line}", soft_wrap=True, highlight=False)
    if outcome.failed:
        raise typer.Exit(1)
    parts.tidy(folder)


def _scan(client: Any, folder: Path, plan: Plan, began: float) -> tuple[Outcome, Tally]:
    """The plan's unfinished shards, with a live progress display."""
    from custodiet.scale import cluster, parts

    finished = parts.finished(folder)
    pending = [s for s in plan.shards if s.id not in finished]
    tally = Tally([finished[s.id] for s in plan.shards if s.id in finished])
    link = cluster.dashboard(client)
    where = f"; dashboard {link}" if link else ""
    err.print(
        f"{len(pending)} of {len(plan.shards)} shards to scan on "
        f"{len(client.scheduler_info()['workers'])} workers{where}",
        soft_wrap=True,
        highlight=False,
    )
    with _progress() as bar:
        task = bar.add_task(
            "scan", total=sum(s.size for s in plan.shards), completed=tally.bytes,
            **tally.fields(0),
        )  # fmt: skip

        def done(counts: dict[str, Any]) -> None:
            tally.add(counts)
            rate = tally.scanned / 1e6 / max(time.perf_counter() - began, 1e-9)
            bar.update(task, advance=counts["bytes"], **tally.fields(rate))

        return cluster.run(client, pending, folder, plan.setup, done), tally


class Tally:
    """The counts of finished shards, those of earlier runs included."""

    def __init__(self, before: list[dict[str, Any]]) -> None:
        self.shards = self.documents = self.candidates = self.error_count = 0
        self.scanned = 0  # bytes scanned by this run
        self.earlier = len(before)  # shards finished by earlier runs
        self.bytes = sum(c["bytes"] for c in before)
        self.errors: list[str] = []
        for counts in before:
            self.add(counts, earlier=True)

    def add(self, counts: dict[str, Any], *, earlier: bool = False) -> None:
        self.shards += 1
        self.documents += counts["documents"]
        self.candidates += counts["candidates"]
        self.error_count += counts["error_count"]
        self.errors.extend(counts["errors"][: SHOWN_ERRORS - len(self.errors)])
        if not earlier:
            self.scanned += counts["bytes"]

    def fields(self, rate: float) -> dict[str, Any]:
        return {"shards": self.shards, "docs": self.documents, "rate": rate,
                "found": self.candidates}  # fmt: skip


def _progress() -> Progress:
    return Progress(
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[shards]} shards · {task.fields[docs]:,} documents"),
        TextColumn("{task.fields[rate]:.1f} MB/s · {task.fields[found]:,} candidates"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def _summary(tally: Tally, shards: int, resumed: int, seconds: float) -> None:
    mb = tally.scanned / 1e6
    kept = f" ({resumed} finished before)" if resumed else ""
    out.print(
        f"scanned {tally.shards} of {shards} shards{kept}: {tally.documents:,} documents, "
        f"{tally.candidates:,} candidates; {mb:,.1f} MB in {seconds:.1f} s "
        f"({mb / max(seconds, 1e-9):.1f} MB/s)",
        highlight=False,
    )
    if tally.error_count:
        out.print(
            f"{tally.error_count:,} documents could not be read (each named in done/*.json)",
            highlight=False,
        )
        for line in tally.errors:
            err.print(f"[red]error:[/red] {line}", soft_wrap=True, highlight=False)


def _inputs(paths: list[str]) -> list[Path]:
    from custodiet.scale import shards

    try:
        return shards.inputs(paths)
    except shards.InputError as exc:
        raise DataError(str(exc)) from None


def _existing_plan(folder: Path, names: list[str], shard_bytes: int) -> Plan | None:
    """The folder's plan when it holds this scan; None when the folder is new or empty."""
    from custodiet.scale import parts

    if parts.is_scan(folder):
        try:
            plan = parts.Plan.read(folder)
        except parts.ScanFolderError as exc:
            raise DataError(str(exc)) from None
        if plan.inputs != names or plan.shard_bytes != shard_bytes:
            raise DataError(
                f"{folder} holds a scan of other inputs or another --shard-mb; scan into "
                "a new folder"
            )
        return plan
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DataError(f"{folder}: not empty and not a scan folder")
    return None


def _new_plan(folder: Path, files: list[Path], shard_bytes: int, setup: dict[str, Any]) -> Plan:
    """The shards of the inputs, written as the folder's plan before any work begins."""
    from custodiet.scale import parts, shards

    plan = parts.Plan([str(f) for f in files], shard_bytes, shards.plan(files, shard_bytes), setup)
    folder.mkdir(parents=True, exist_ok=True)
    plan.write(folder)
    return plan


def _setup(scorer_file: Path | None) -> dict[str, Any]:
    """The database's organisations (if there is a database) and the scorer."""
    from custodiet.cli.extracting import database_if_any, store_known
    from custodiet.extract.scorer import load
    from custodiet.scale.work import setup_of

    with database_if_any() as store:
        known = store_known(store)
    return setup_of(known, load(scorer_file) if scorer_file else None)


def ingest_scan(store: SqlStore, folder: Path, actor: str, reg: Registry) -> tuple[int, int, int]:
    """A scan's finished parts into the review queue, one transaction per part; parts
    loaded before add nothing. Returns (parts, new sources, new statements)."""
    from custodiet.ingest.queue import queued_statements, scanned_source
    from custodiet.scale import parts

    try:
        plan = parts.Plan.read(folder)
    except parts.ScanFolderError as exc:
        raise DataError(str(exc)) from None
    finished = parts.finished(folder)
    ready = [s.id for s in plan.shards if s.id in finished]
    if len(ready) < len(plan.shards):
        err.print(
            f"{folder}: {len(plan.shards) - len(ready)} of {len(plan.shards)} shards not "
            "finished yet; loading the others",
            soft_wrap=True,
        )
    new_sources = new_statements = 0
    held: dict[str, bool] = {}
    for shard_id in ready:
        rows = list(parts.candidates(parts.read_part(folder, shard_id)))
        with store.writer(actor=actor, reason=f"ingest {folder} shard {shard_id}") as tx:
            for meta, c in rows:
                new_sources += tx.add_source(scanned_source(meta))
                statements = queued_statements(tx, str(meta["source_id"]), [c], reg, held)
                new_statements += tx.add_statements(statements)
    return len(ready), new_sources, new_statements
