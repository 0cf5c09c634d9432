"""What a worker does with a shard: read, gate and extract with the functions `custodiet
extract` uses, then write the part and its marker.

The registry and scorer are fixed when a scan begins (the database's organisations and
the scorer's weights, in the plan), so a resumed scan, or one on other workers, finds
exactly what the first run would have. Each worker process compiles them once.
"""

from __future__ import annotations

import hashlib
import json
import resource
import time
from dataclasses import asdict, replace
from functools import partial
from pathlib import Path
from typing import Any

from custodiet.extract.pipeline import extract_document, worth_reading
from custodiet.extract.registry import Known, Registry, registry
from custodiet.extract.scorer import Scorer
from custodiet.ingest.document import Document, ReadError, Skipped
from custodiet.scale.parts import write_part
from custodiet.scale.shards import Shard, read_shard

MAX_ERRORS = 100  # kept in a marker; the count is kept whole
_COMPILED: dict[str, tuple[Registry, Scorer]] = {}


def setup_of(known: list[Known], scorer: Scorer | None) -> dict[str, Any]:
    """The registry's organisations and the scorer as plain JSON, for the plan."""
    return {
        "known": [asdict(k) for k in known],
        "scorer": scorer.to_json() if scorer is not None else None,
    }


def compiled(setup: dict[str, Any]) -> tuple[Registry, Scorer]:
    """The setup's registry and scorer, compiled once per process."""
    from custodiet.extract.scorer import from_json, shipped

    key = hashlib.sha1(json.dumps(setup, sort_keys=True).encode()).hexdigest()
    if key not in _COMPILED:
        known = [
            Known(**k | {"names": tuple(k["names"]), "members": tuple(k["members"])})
            for k in setup["known"]
        ]
        scorer = from_json(setup["scorer"], "the scan plan") if setup["scorer"] else shipped()
        _COMPILED[key] = (registry(known), scorer)
    return _COMPILED[key]


def compile_setup(setup: dict[str, Any]) -> None:
    compiled(setup)


def scan_shard(shard: Shard, folder: str, setup: dict[str, Any]) -> dict[str, Any]:
    """Scan one shard into its part and marker; return the marker's counts."""
    began = time.perf_counter()
    reg, scorer = compiled(setup)
    rows: list[dict[str, Any]] = []
    counts: dict[str, Any] = {"shard": shard.id, "bytes": shard.size, "documents": 0,
                              "skipped": 0, "chars": 0, "candidates": 0, "errors": [],
                              "error_count": 0}  # fmt: skip
    for item in read_shard(shard, partial(worth_reading, reg=reg)):
        if isinstance(item, ReadError):
            counts["error_count"] += 1
            if len(counts["errors"]) < MAX_ERRORS:
                counts["errors"].append(str(item))
            continue
        counts["documents"] += 1
        if isinstance(item, Skipped):
            counts["skipped"] += 1
            counts["chars"] += item.chars
            continue
        counts["chars"] += len(item.text)
        rows.extend(_rows(item, reg, scorer, counts))
    counts["candidates"] = len(rows)
    counts["seconds"] = round(time.perf_counter() - began, 3)
    counts["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    write_part(Path(folder), shard.id, rows, counts)
    return counts


def _rows(
    doc: Document, reg: Registry, scorer: Scorer, counts: dict[str, Any]
) -> list[dict[str, Any]]:
    try:
        found = extract_document(doc, reg, scorer)
    except MemoryError:
        raise
    except Exception as exc:  # a bug on one document: named, and the shard goes on
        counts["error_count"] += 1
        if len(counts["errors"]) < MAX_ERRORS:
            counts["errors"].append(f"{doc.source}: extraction failed ({type(exc).__name__})")
        return []
    meta = {"source_id": doc.source_id, "url": doc.url, "title": doc.title,
            "published": doc.published}  # fmt: skip
    return [meta | replace(c, source=doc.source).to_dict() for c in found]
