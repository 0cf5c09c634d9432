"""`custodiet verify`: the checks that prove the store says what its sources say."""

from __future__ import annotations

from collections.abc import Iterator

from custodiet.model.statement import Status
from custodiet.store import records
from custodiet.store.audit import chain_problems
from custodiet.store.view import View

ALL = list(Status)


def missing_sources(view: View) -> Iterator[str]:
    for statement, source in view.orphan_statements():
        yield f"statement {statement}: its source {source} does not exist"


def misplaced_quotes(view: View) -> Iterator[str]:
    """Where a source's text is stored, each quote must stand at its offsets."""
    for source in view.iter_sources_with_text():
        assert source.text is not None
        for sid, start, end, quote in view.offsets_in(source.id):
            if source.text[start:end] != quote:
                yield f"statement {sid}: quote not found at {start}:{end} in source {source.id}"


def tampered_statements(view: View) -> Iterator[str]:
    """A statement id is the hash of its key fields; a mismatch means a hand edit."""
    for statement, _url, _canonical in view.iter_statements(ALL):
        if not statement.key_matches():
            yield f"statement {statement.id}: its key fields were changed after it was written"


def stale_records(view: View) -> Iterator[str]:
    """The stored records must be what folding the statements gives now."""
    for entity_id in records.differences(view.conn):
        yield f"record {entity_id}: differs from its statements (run `custodiet init`)"


def problems(view: View) -> list[str]:
    found = list(missing_sources(view))
    found += misplaced_quotes(view)
    found += tampered_statements(view)
    found += chain_problems(view.audit_records())
    found += stale_records(view)
    return found
