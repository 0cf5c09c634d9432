"""A scan's folder: its plan, a Parquet part per finished shard, and a done-marker.

    DIR/scan.json            the inputs, the shards, the registry and scorer the scan uses
    DIR/parts/SHARD.parquet  the shard's candidates, with their documents' metadata
    DIR/done/SHARD.json      the shard's counts; written after its part, so a shard is
                             finished exactly when its marker exists

Every file is written to a temporary neighbour and renamed into place, so a killed
process leaves a whole file or none.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from custodiet.export.files import atomic_bytes
from custodiet.extract.candidate import Candidate
from custodiet.scale.shards import Shard

PLAN = "scan.json"
FORMAT = 1
# What a part holds of a candidate's document besides the candidate: enough for a Source.
DOCUMENT = ("source_id", "url", "title", "published")


class ScanFolderError(ValueError):
    """A folder that holds another scan, or no scan: the message says which."""


@dataclass(frozen=True)
class Plan:
    inputs: list[str]
    shard_bytes: int
    shards: list[Shard]
    setup: dict[str, Any]  # the registry's organisations and the scorer, fixed at the start

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "inputs": self.inputs,
            "shard_bytes": self.shard_bytes,
            "shards": [s.to_json() for s in self.shards],
            "setup": self.setup,
        }

    @classmethod
    def read(cls, folder: Path) -> Plan:
        path = folder / PLAN
        if not path.is_file():
            raise ScanFolderError(f"{folder}: not a scan folder (no {PLAN})")
        try:
            raw = json.loads(path.read_text("utf-8"))
            return cls(
                inputs=list(raw["inputs"]),
                shard_bytes=int(raw["shard_bytes"]),
                shards=[Shard.from_json(s) for s in raw["shards"]],
                setup=dict(raw["setup"]),
            )
        except (ValueError, KeyError, TypeError, AssertionError) as exc:
            raise ScanFolderError(f"{path}: not a scan plan ({type(exc).__name__})") from None

    def write(self, folder: Path) -> None:
        atomic_bytes(folder / PLAN, json.dumps(self.to_json(), indent=1).encode())


def is_scan(folder: Path) -> bool:
    return (folder / PLAN).is_file()


def part_path(folder: Path, shard_id: str) -> Path:
    return folder / "parts" / f"{shard_id}.parquet"


def marker_path(folder: Path, shard_id: str) -> Path:
    return folder / "done" / f"{shard_id}.json"


def finished(folder: Path) -> dict[str, dict[str, Any]]:
    """The markers of the finished shards, by shard id."""
    done = folder / "done"
    if not done.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text("utf-8")) for p in done.glob("*.json")}


def tidy(folder: Path) -> None:
    """Remove the temporary files of writes that a killed process never finished."""
    for sub in ("parts", "done"):
        for leftover in (folder / sub).glob(".*"):
            leftover.unlink(missing_ok=True)


def schema() -> Any:
    import pyarrow as pa

    kinds = {int: pa.int64(), float: pa.float64(), str: pa.string()}
    columns = [pa.field(name, pa.string()) for name in DOCUMENT]
    for f in fields(Candidate):
        base = str(f.type).split(" | ")[0]
        columns.append(pa.field(f.name, kinds[{"int": int, "float": float}.get(base, str)]))
    return pa.schema(columns)


def write_part(
    folder: Path, shard_id: str, rows: list[dict[str, Any]], counts: dict[str, Any]
) -> None:
    """The part, then its marker, each whole or not at all."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=schema())
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    atomic_bytes(part_path(folder, shard_id), buffer.getvalue())
    atomic_bytes(marker_path(folder, shard_id), json.dumps(counts, sort_keys=True).encode())


def read_part(folder: Path, shard_id: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(part_path(folder, shard_id)).to_pylist()
    return rows


def candidates(rows: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], Candidate]]:
    """Each row's document metadata and its candidate."""
    names = {f.name for f in fields(Candidate)}
    for row in rows:
        yield (
            {k: row[k] for k in DOCUMENT},
            Candidate(**{k: v for k, v in row.items() if k in names}),
        )
