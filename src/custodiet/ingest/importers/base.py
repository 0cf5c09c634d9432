"""What every importer shares: the facts it makes from a file's rows, checked against the
schemas and located to a line and column when they fail, and the release they make up."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from custodiet.ingest.cleaning import Match, VendorResolver, country_code, known_fault
from custodiet.model.datasets import Dataset
from custodiet.model.errors import DataError
from custodiet.model.schemata import schema_for_id
from custodiet.model.source import Source, url_id
from custodiet.model.statement import Status, statement_id

Row = dict[str, Any]  # a statement row, as the store's statements table holds it


Sink = Callable[[list[Source], list[Row]], None]
BATCH = 5000  # statement rows handed to the sink at a time: memory stays bounded


@dataclass
class Facts:
    """Statement rows of one release, each value checked and its original kept, handed
    to the sink (the import's transaction) a batch at a time with the sources they cite.
    A value that cannot be read is left out and noted as a problem naming its file, line
    and column (with `strict`, it ends the import: nothing is written)."""

    dataset: str
    method: str
    at: str
    file: str
    strict: bool = False
    sink: Sink | None = None
    ids: set[str] = field(default_factory=set)
    pending: list[Row] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # not handed on yet
    cited: set[str] = field(default_factory=set)  # source ids handed on
    entities: set[str] = field(default_factory=set)  # entities with facts handed on
    problems: list[DataError] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)  # garbled cells read by a lookup table
    _open: int = 0  # records being read

    def flush(self) -> None:
        """Hand what is pending to the sink."""
        if self.sink is not None and (self.pending or self.sources):
            self.sink(list(self.sources.values()), self.pending)
        self.cited.update(self.sources)
        self.entities.update(r["entity_id"] for r in self.pending)
        self.sources, self.pending = {}, []
        self.ids = set()  # a fact repeated in a later batch: the store knows it is this one

    @contextmanager
    def record(self) -> Iterator[None]:
        """One row or record of the file: all its facts, or (at a DataError) none of them
        and the error noted as a problem; a bad row never leaves half its facts."""
        mark, sources, fixes = len(self.pending), set(self.sources), len(self.fixes)
        self._open += 1
        try:
            yield
        except DataError as exc:
            for row in self.pending[mark:]:
                self.ids.discard(row["id"])
            del self.pending[mark:]
            for sid in set(self.sources) - sources:
                del self.sources[sid]
            del self.fixes[fixes:]
            self.problem(exc)
        finally:
            self._open -= 1
        if not self._open and len(self.pending) >= BATCH:
            self.flush()

    def problem(self, error: DataError) -> None:
        """A value or record left out: noted once, or (strict) raised."""
        if self.strict:
            raise error
        if str(error) not in {str(p) for p in self.problems[-50:]}:
            self.problems.append(error)

    def country(
        self, raw: str | None, *, column: str, line: int | None = None, where: str = ""
    ) -> str:
        """The ISO code of a country cell, or a DataError naming file, line and column. A
        garbled cell the fault table reads is reported as fixed, never silently."""
        try:
            code = country_code(raw or "")
        except ValueError as exc:
            prefix = f"{where}: " if where else ""
            raise DataError(f"{prefix}{exc}", file=self.file, line=line, field=column) from None
        if raw and known_fault(raw):
            at = f"{self.file}:{line}" if line else f"{self.file}: {where}"
            self.fixes.append(f"{at}: {column}: {raw.strip()!r} read as {code} (a known fault)")
        return code

    def source(self, url: str | None, **meta: Any) -> str:
        """A source by its address (its id the hash of it); returns the id."""
        if url is None:
            raise DataError("a source needs an address", file=self.file)
        sid = url_id(url)
        if sid not in self.sources and sid not in self.cited:
            self.sources[sid] = Source(id=sid, url=url, **{k: v for k, v in meta.items() if v})
        return sid

    def add(
        self,
        entity_id: str,
        prop: str,
        raw: Any,
        source_id: str,
        *,
        line: int | None = None,
        column: str | None = None,
        quote: str | None = None,
        original: str | None = None,
        origin: str | None = None,
    ) -> str | None:
        """One fact; None (and nothing added) where the value is empty. A value the schema
        refuses is an error naming the file, line and column."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        sch = schema_for_id(entity_id)
        try:
            value = sch.get(prop).normalise(raw)
        except ValueError as exc:
            where = f"{origin}: " if origin and not line else ""
            self.problem(
                DataError(f"{where}{exc}", file=self.file, line=line, field=column or prop)
            )
            return None
        if original is None and isinstance(raw, str) and raw.strip() != value:
            original = raw.strip()
        sid = statement_id(entity_id, prop, value, source_id, self.dataset)
        if sid in self.ids:
            return value
        self.ids.add(sid)
        self.pending.append(
            {
                "id": sid,
                "entity_id": entity_id,
                "schema": sch.name,
                "prop": prop,
                "value": value,
                "source_id": source_id,
                "quote": quote,
                "start": None,
                "end": None,
                "method": self.method,
                "confidence": 1.0,
                "status": Status.ACCEPTED.value,
                "author": self.method,
                "reviewer": self.method,
                "created_at": self.at,
                "reviewed_at": self.at,
                "superseded_by": None,
                "dataset": self.dataset,
                "original_value": original,
                "origin": origin or (f"line {line}" if line else None),
                "first_seen": self.at,
                "last_seen": self.at,
            }
        )
        if not self._open and len(self.pending) >= BATCH:
            self.flush()
        return value


@dataclass
class Release:
    """What one file of a dataset holds: the dataset (with this release's version), the
    facts, and how many rows were read."""

    dataset: Dataset
    facts: Facts
    rows: int = 0


class Importer:
    """One dataset's reader: `read` turns a file into a Release."""

    name = ""  # as `custodiet import NAME` takes it
    summary = ""  # one line for `custodiet datasets`
    takes_mapping = False  # constructed with the --mapping file (csv, ftm)
    dataset = ""  # the dataset its facts belong to

    def __init__(self, mapping: Path | None = None) -> None:
        """An importer of a dataset's own layout needs no mapping."""

    def read(self, path: Path, vendors: VendorResolver, facts: Facts) -> Release:
        """The release in the file, its facts gathered in `facts`."""
        raise NotImplementedError

    def facts(self, path: Path, at: str, *, strict: bool, sink: Sink | None = None) -> Facts:
        return Facts(self.dataset, f"import:{self.name}", at, str(path), strict=strict, sink=sink)


def json_lines(lines: Iterable[str], file: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSON lines file; a line that is
    not JSON is an error naming it."""
    for line, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield line, json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as exc:
            message = getattr(exc, "msg", "nested too deep")
            raise DataError(f"not JSON: {message}", file=file, line=line) from None


def vendors_in(
    facts: Facts,
    vendors: VendorResolver,
    cell: str | None,
    source_id: str,
    *,
    line: int | None,
    column: str,
    quote: str | None = None,
    origin: str | None = None,
) -> Iterator[tuple[str, str, Match]]:
    """(organisation id, the name as written, how it matched) for each company a cell
    names, each with its name as a fact of this dataset."""
    for name in vendors.names_in(cell or ""):
        match = vendors.resolve(name)
        # The same facts whatever the store holds already, so that a release imported
        # again is the same release: the organisation's name as the store (or else the
        # shipped registry) gives it, else as written.
        known = vendors.display.get(match.id, name)
        facts.add(match.id, "name", known, source_id, line=line, column=column, quote=quote,
                  original=name if name != known else None, origin=origin)  # fmt: skip
        yield match.id, name, match
