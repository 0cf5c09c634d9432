"""Running an import: a dataset's file read by its importer, written in one transaction,
compared with what the dataset's earlier releases said.

Re-importing the same file adds nothing and says so. A newer release adds what is new,
retires what it no longer holds (status `retired`, last seen kept; nothing is deleted),
and the summary counts facts added, changed (a property of an entity that now has
another value) and no longer present. `--dry-run` computes the same summary and writes
nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from custodiet.ingest.cleaning import VendorResolver
from custodiet.ingest.importers import importer
from custodiet.ingest.importers.base import Release, Row
from custodiet.model.datasets import Dataset
from custodiet.model.errors import DataError
from custodiet.model.records import OrganizationRecord
from custodiet.model.source import Source
from custodiet.model.statement import now
from custodiet.store.sql import SqlStore
from custodiet.store.view import View

Progress = Callable[[str], None]


@dataclass
class Summary:
    dataset: str
    version: str | None
    rows: int = 0
    facts: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    no_longer_present: int = 0
    new_organisations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # values and records left out
    fixed: list[str] = field(default_factory=list)  # garbled cells read by a lookup table
    dry_run: bool = False

    @property
    def nothing_new(self) -> bool:
        return self.added == 0 and self.changed == 0 and self.no_longer_present == 0


class _DryRunError(Exception):
    """Ends the transaction of a dry run, so that nothing of it stays."""


def resolver(view: View) -> VendorResolver:
    """Company names onto the organisations the store holds (their names and aliases)
    and then the shipped registry's vendors (their names, aliases and products), under
    the ids that answer for them."""
    from custodiet.extract.registry import registry

    found = VendorResolver()
    answering: dict[str, str] = {}
    for record in view.records_of("Organization"):
        found.know(record.id, OrganizationRecord.of(record).names, stored=True)
        answering.update((member, record.id) for member in record.members)
    reg = registry()
    names: dict[str, list[str]] = {}
    for key, terms in reg.terms.items():
        for term in terms:
            if term.kind == "vendor":
                names.setdefault(term.ref, []).append(key)
    for vendor in reg.vendors.values():
        org = answering.get(vendor.id, vendor.id)
        found.know(org, [vendor.name, *names.get(vendor.id, [])], stored=org in found.stored)
    return found


def run(
    store: SqlStore,
    name: str,
    path: Path,
    *,
    actor: str,
    dry_run: bool = False,
    strict: bool = False,
    version: str | None = None,
    mapping: Path | None = None,
    progress: Progress | None = None,
) -> Summary:
    if not path.is_file():
        raise DataError("no such file", file=str(path))
    chosen = importer(name, mapping)
    with store.view() as view:
        vendors = resolver(view)
        stored = view.datasets([chosen.dataset])
    at = now()
    say = progress or (lambda _message: None)
    tally = _Tally()
    try:
        with store.writer(actor=actor, reason=f"import {name} {path.name}") as tx:

            def write(sources: list[Source], rows: list[Row]) -> None:
                tx.add_sources(sources)
                new, seen = tx.import_rows(rows, at)
                tally.written(new, seen)
                say(f"{tally.facts:,} facts read from {path.name}")

            say(f"reading {path.name}")
            facts = chosen.facts(path, at, strict=strict, sink=write)
            release = chosen.read(path, vendors, facts)
            facts.flush()
            if version:  # a file that does not say which release it is (the EFF Atlas)
                release.dataset = replace(release.dataset, version=version)
            if stored:
                in_order(release.dataset, stored[0], str(path))
            tx.declare_dataset(release.dataset)
            gone = tx.retire_unseen(release.dataset.name, at)
            name_of = release.dataset.name
            summary = tally.summary(
                release, gone, dry_run, lambda pairs: tx.first_seen_at(name_of, at, pairs)
            )
            summary.problems = [str(p) for p in facts.problems]
            summary.fixed = list(facts.fixes)
            summary.new_organisations = sorted(set(vendors.made.values()) & facts.entities)
            say("folding records")
            if dry_run:
                raise _DryRunError
    except _DryRunError:
        pass
    return summary


@dataclass
class _Tally:
    """What the batches written so far added and saw again (counts only: memory stays
    the same whatever the file's size)."""

    facts: int = 0
    seen: int = 0
    added: int = 0

    def written(self, new: set[str], seen: int) -> None:
        self.facts += len(new) + seen
        self.seen += seen
        self.added += len(new)

    def summary(
        self,
        release: Release,
        gone: list[dict[str, str]],
        dry_run: bool,
        new_on: Callable[[set[tuple[str, str]]], Counter[tuple[str, str]]],
    ) -> Summary:
        """A property of an entity that lost a value and gained another is one change; the
        other new facts are additions, the other lost ones no longer present. `new_on`
        counts the facts this release added to given (entity, property) pairs."""
        lost = {(g["entity_id"], g["prop"]) for g in gone}
        gained = new_on(lost)
        changed = {pair for pair in lost if gained[pair]}
        return Summary(
            release.dataset.name,
            release.dataset.version,
            rows=release.rows,
            facts=self.facts,
            dry_run=dry_run,
            unchanged=self.seen,
            changed=len(changed),
            added=self.added - sum(gained[pair] for pair in changed),
            no_longer_present=sum(1 for g in gone if (g["entity_id"], g["prop"]) not in changed),
        )


def release_order(version: str | None) -> tuple[int, ...]:
    """A release's place among its dataset's releases: the numbers of its version."""
    return tuple(int(n) for n in re.findall(r"\d+", version or ""))


def in_order(release: Dataset, stored: Dataset, file: str) -> None:
    """Releases are imported oldest first: an older one would retire what the newer
    one holds."""
    if release_order(release.version) < release_order(stored.version):
        raise DataError(
            f"this is release {release.version} of {release.name}, older than release "
            f"{stored.version} already imported; import releases oldest first",
            file=file,
        )
