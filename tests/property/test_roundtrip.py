"""Hypothesis: whatever statement is written reads back the same (statement → row → statement)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custodiet.model.source import Source, url_id
from custodiet.model.statement import Statement, Status
from custodiet.store import SqlStore

SOURCE = Source(id=url_id("https://example.org/x"), url="https://example.org/x")
# PostgreSQL text cannot hold NUL; everything else in Unicode must survive.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=80,
)


@st.composite
def statements(draw: st.DrawFn) -> Statement:
    quote = draw(st.none() | TEXT)
    start = draw(st.none() | st.integers(0, 10_000)) if quote else None
    return Statement.make(
        entity_id="org:" + draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
        schema="Organization",
        prop=draw(st.sampled_from(["name", "alias", "description"])),
        value=draw(TEXT),
        source_id=SOURCE.id,
        quote=quote,
        start=start,
        end=None if start is None or quote is None else start + len(quote),
        method=draw(st.sampled_from(["manual", "import:x", "rule:1", "model:m"])),
        confidence=draw(st.floats(0, 1)),
        status=draw(st.sampled_from(list(Status))),
        author=draw(st.none() | TEXT),
        reviewer=draw(st.none() | TEXT),
        dataset=draw(st.sampled_from(["custodiet", "owid-vdem"])),
        original_value=draw(st.none() | TEXT),
    )


def test_statement_roundtrip(db_url: str) -> None:
    store = SqlStore(db_url, create=True)
    store.initialise()
    with store.writer(actor="t", reason="setup") as tx:
        tx.add_source(SOURCE)

    case = itertools.count()

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(statements())
    def roundtrip(drawn: Statement) -> None:
        # A fresh entity per example: an id seen before is (rightly) not written again.
        fields = drawn.model_dump(by_alias=True, exclude={"id"})
        fields["entity_id"] = f"{drawn.entity_id}-{next(case)}"
        s = Statement.make(**fields)
        with store.writer(actor="t", reason="roundtrip") as tx:
            tx.add_statements([s])
        with store.view() as view:
            stored = {x.id: x for x in view.statements_of(s.entity_id, list(Status))}
        # The store adds when its dataset first and last held it; nothing else changes.
        assert stored[s.id].first_seen and stored[s.id].last_seen
        assert stored[s.id].model_copy(update={"first_seen": None, "last_seen": None}) == s

    roundtrip()
    store.close()
