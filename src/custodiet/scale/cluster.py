"""The shards over Dask distributed: a LocalCluster by default, or a running scheduler.

Each unfinished shard is one task. A worker that dies takes its task with it and the
scheduler gives the task to another worker; a task that fails (a bug) is reported and
the others go on. The client only counts: workers write the parts themselves, so the
corpus and the scan folder must be paths every worker can read and write.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from custodiet.scale.shards import Shard


class ScanError(RuntimeError):
    """The scan cannot go on (no Dask, no scheduler): the message says why and what to do."""


@dataclass
class Outcome:
    failed: list[str] = field(default_factory=list)  # one line per shard that failed


@contextlib.contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A Dask client: of the scheduler at `scheduler`, else of a LocalCluster of `workers`
    processes (one thread each: the extractor holds the GIL) on loopback."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ScanError(
            "custodiet scan needs Dask: pip install 'custodiet[scale]' (dask[distributed])"
        ) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise ScanError(f"no Dask scheduler at {scheduler} ({exc})") from None
        with client:
            yield client
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # a free port, on loopback only
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _has_dashboard() -> bool:
    """Dask serves its dashboard only with bokeh installed."""
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def dashboard(client: Any) -> str | None:
    """The dashboard's address, where the scheduler serves one (it needs bokeh)."""
    services = client.scheduler_info().get("services", {})
    if "dashboard" not in services or not _has_dashboard():
        return None
    return str(client.dashboard_link)


def warm(client: Any, setup: dict[str, Any]) -> None:
    """Have every worker compile the registry now, while the client plans."""
    from distributed import fire_and_forget

    from custodiet.scale.work import compile_setup

    for address in client.scheduler_info()["workers"]:
        warming = client.submit(
            compile_setup, setup, workers=[address], allow_other_workers=False, pure=False
        )
        fire_and_forget(warming)  # type: ignore[no-untyped-call]


def run(
    client: Any,
    shards: list[Shard],
    folder: Path,
    setup: dict[str, Any],
    done: Callable[[dict[str, Any]], None],
) -> Outcome:
    """Scan the shards, largest first; `done` is called with each finished shard's counts."""
    from distributed import as_completed

    from custodiet.scale.work import scan_shard

    outcome = Outcome()
    if not shards:
        return outcome
    shared = client.scatter(setup, broadcast=True)
    futures = {
        client.submit(
            scan_shard, shard, str(folder), shared, key=f"scan-shard-{shard.id}",
            priority=shard.size, pure=False,
        ): shard
        for shard in shards
    }  # fmt: skip
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            shard = futures[future]
            if future.status == "finished":
                done(future.result())
            else:
                why = future.exception()
                outcome.failed.append(f"shard {shard.id} ({_names(shard)}): {why!r}")
    except OSError as exc:
        raise ScanError(
            f"lost the Dask scheduler ({exc}); finished shards are kept: run the same command again"
        ) from None
    return outcome


def _names(shard: Shard) -> str:
    first = shard.pieces[0].path
    return first if len(shard.pieces) == 1 else f"{first} and {len(shard.pieces) - 1} more"
