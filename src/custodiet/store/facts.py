"""Sources, entities and statements: their reads, and the writes that add or judge them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import distinct, func, insert, select, update

from custodiet.model.source import Source
from custodiet.model.statement import Statement, Status
from custodiet.store import tables
from custodiet.store.base import Reader, WriteBase, insert_many, plain

EVIDENCE_BATCH = 500  # ids per query: well inside SQLite's limit on bound parameters

CHUNK = 500  # ids per IN (…) in writes: well inside every database's parameter limit


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def statement_from_row(row: Any) -> Statement:
    data = {c.name: row[c.name] for c in tables.statements.columns}
    return Statement.model_validate(data)


def source_from_row(row: Any) -> Source:
    return Source.model_validate({k: row[k] for k in Source.model_fields})


class FactReads(Reader):
    def stats(self) -> dict[str, Any]:
        st = tables.statements
        accepted = st.c.status == Status.ACCEPTED.value
        sources = self.conn.execute(select(func.count()).select_from(tables.sources)).scalar_one()
        by_status: dict[str, int] = dict(
            self.conn.execute(select(st.c.status, func.count()).group_by(st.c.status)).all()
        )
        by_schema: dict[str, int] = dict(
            self.conn.execute(
                select(st.c.schema, func.count(distinct(st.c.entity_id)))
                .where(accepted)
                .group_by(st.c.schema)
            ).all()
        )
        by_dataset: dict[str, int] = dict(
            self.conn.execute(
                select(st.c.dataset, func.count()).where(accepted).group_by(st.c.dataset)
            ).all()
        )
        countries = self.conn.execute(
            select(func.count(distinct(st.c.value))).where(
                accepted, st.c.schema == "Deployment", st.c.prop == "buyer_country"
            )
        ).scalar_one()
        return {
            "sources": sources,
            "statements": {s.value: by_status.get(s.value, 0) for s in Status},
            "entities": dict(sorted(by_schema.items())),
            "datasets": dict(sorted(by_dataset.items())),
            "countries_with_deployments": countries,
        }

    def entity_schema(self, entity_id: str) -> str | None:
        return self.conn.execute(
            select(tables.entities.c.schema).where(tables.entities.c.id == entity_id)
        ).scalar_one_or_none()

    def statements_of(
        self, entity_id: str, statuses: Sequence[Status] = (Status.ACCEPTED,)
    ) -> list[Statement]:
        st = tables.statements
        query = (
            select(st)
            .where(st.c.entity_id == entity_id, st.c.status.in_([s.value for s in statuses]))
            .order_by(st.c.prop, st.c.value, st.c.created_at)
        )
        return [statement_from_row(r) for r in self.conn.execute(query).mappings()]

    def statement(self, statement_id: str) -> Statement | None:
        st = tables.statements
        row = self.conn.execute(select(st).where(st.c.id == statement_id)).mappings().first()
        return statement_from_row(row) if row else None

    def statements_by_status(self, status: str) -> list[Statement]:
        """Every statement of one status, by entity and property (the review queue)."""
        st = tables.statements
        query = select(st).where(st.c.status == status).order_by(st.c.entity_id, st.c.prop)
        return [statement_from_row(r) for r in self.conn.execute(query).mappings()]

    def evidence(self, canonical_id: str) -> list[dict[str, Any]]:
        """The accepted statements of an entity and of every id merged into it, references
        resolved to the ids that answer for them, each with its source's citation."""
        return self.evidence_of([canonical_id]).get(canonical_id, [])

    def evidence_of(self, canonical_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """`evidence` of several entities, a query per 500 of them (a report's deployments)."""
        out: dict[str, list[dict[str, Any]]] = {}
        ids = list(dict.fromkeys(canonical_ids))
        for at in range(0, len(ids), EVIDENCE_BATCH):
            out.update(self._evidence_of(ids[at : at + EVIDENCE_BATCH]))
        return out

    def _evidence_of(self, canonical_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        st, so, e = tables.statements, tables.sources, tables.entities
        ev = e.alias("referred")
        query = (
            select(
                st,
                e.c.canonical_id.label("answering"),
                func.coalesce(ev.c.canonical_id, st.c.value).label("resolved"),
                so.c.url.label("source_url"),
                so.c.title.label("source_title"),
                so.c.publisher,
                so.c.published,
            )
            .select_from(
                st.join(e, e.c.id == st.c.entity_id)
                .join(so, so.c.id == st.c.source_id, isouter=True)
                .join(ev, ev.c.id == st.c.value, isouter=True)
            )
            .where(
                # The ids first, then their statements by index: a join on the canonical
                # id lets SQLite scan the statements instead.
                st.c.entity_id.in_(select(e.c.id).where(e.c.canonical_id.in_(canonical_ids))),
                st.c.status == Status.ACCEPTED.value,
            )
            .order_by(st.c.created_at, st.c.id)
        )
        out: dict[str, list[dict[str, Any]]] = {}
        for row in self.conn.execute(query).mappings():
            found = plain(row)
            out.setdefault(found.pop("answering"), []).append(found)
        return out

    def sources_by_id(self, ids: Sequence[str]) -> dict[str, Source]:
        query = select(tables.sources).where(tables.sources.c.id.in_(list(set(ids))))
        return {r["id"]: source_from_row(r) for r in self.conn.execute(query).mappings()}

    def citations(self, ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """(url, publisher) of each source, without its text, a query per 500 ids."""
        so = tables.sources
        wanted = list(dict.fromkeys(ids))
        out: dict[str, tuple[str | None, str | None]] = {}
        for at in range(0, len(wanted), EVIDENCE_BATCH):
            chunk = wanted[at : at + EVIDENCE_BATCH]
            query = select(so.c.id, so.c.url, so.c.publisher).where(so.c.id.in_(chunk))
            out.update({i: (url, publisher) for i, url, publisher in self.conn.execute(query)})
        return out

    def cited(self, source_id: str) -> bool:
        """Whether some accepted statement rests on the source (then it is public)."""
        st = tables.statements
        query = select(st.c.id).where(
            st.c.source_id == source_id, st.c.status == Status.ACCEPTED.value
        )
        return self.conn.execute(query.limit(1)).first() is not None

    def quoted_spans(self, source_id: str) -> list[tuple[int, int]]:
        """Where the accepted quotes stand in a source's text."""
        st = tables.statements
        rows = self.conn.execute(
            select(st.c.start, st.c.end).where(
                st.c.source_id == source_id,
                st.c.status == Status.ACCEPTED.value,
                st.c.start.is_not(None),
            )
        )
        return sorted({(int(a), int(b)) for a, b in rows})

    def iter_statements(
        self, statuses: Sequence[Status]
    ) -> Iterator[tuple[Statement, str | None, str]]:
        """Statements in a stable order, each with its source's URL and the id that answers
        for its entity; streamed, not loaded."""
        st, so, e = tables.statements, tables.sources, tables.entities
        query = (
            select(st, so.c.url.label("source_url"), e.c.canonical_id)
            .join(so, so.c.id == st.c.source_id, isouter=True)
            .join(e, e.c.id == st.c.entity_id)
            .where(st.c.status.in_([s.value for s in statuses]))
            .order_by(st.c.entity_id, st.c.prop, st.c.id)
        )
        for row in self.conn.execute(query.execution_options(yield_per=1000)).mappings():
            yield statement_from_row(row), row["source_url"], row["canonical_id"]

    def iter_sources_with_text(self) -> Iterator[Source]:
        query = select(tables.sources).where(tables.sources.c.text.is_not(None))
        for row in self.conn.execute(query.execution_options(yield_per=100)).mappings():
            yield source_from_row(row)

    def offsets_in(self, source_id: str) -> list[tuple[str, int, int, str]]:
        """(statement, start, end, quote) of every statement with offsets in a source."""
        st = tables.statements
        query = select(st.c.id, st.c.start, st.c.end, st.c.quote).where(
            st.c.source_id == source_id, st.c.start.is_not(None)
        )
        return [(r.id, r.start, r.end, r.quote) for r in self.conn.execute(query)]

    def orphan_statements(self) -> list[tuple[str, str]]:
        """(statement, source) of statements whose source does not exist."""
        st, so = tables.statements, tables.sources
        query = (
            select(st.c.id, st.c.source_id)
            .join(so, so.c.id == st.c.source_id, isouter=True)
            .where(so.c.id.is_(None))
        )
        return [(r.id, r.source_id) for r in self.conn.execute(query)]


class FactWrites(WriteBase):
    def add_source(self, source: Source) -> bool:
        """Store a source once; True when it was new."""
        exists = self.conn.execute(
            select(tables.sources.c.id).where(tables.sources.c.id == source.id)
        ).first()
        if exists:
            return False
        self.conn.execute(
            insert(tables.sources).values(**source.model_dump(), created_at=self.began)
        )
        self.public = True
        self.audit("source.add", source.id, {"url": source.url, "title": source.title})
        return True

    def add_sources(self, sources: Sequence[Source]) -> int:
        """Store the sources not stored yet, in bulk; returns how many were new."""
        so = tables.sources
        by_id = {s.id: s for s in sources}
        known: set[str] = set()
        for chunk in chunks(list(by_id)):
            known.update(self.conn.execute(select(so.c.id).where(so.c.id.in_(chunk))).scalars())
        fresh = [s for sid, s in by_id.items() if sid not in known]
        for i in range(0, len(fresh), 1000):
            rows = [{**s.model_dump(), "created_at": self.began} for s in fresh[i : i + 1000]]
            self.conn.execute(insert(so), rows)
        for s in fresh:
            self.audit("source.add", s.id, {"url": s.url, "title": s.title})
        self.public = self.public or bool(fresh)
        return len(fresh)

    def attach_text(self, source_id: str, text_value: str) -> None:
        self.conn.execute(
            update(tables.sources).where(tables.sources.c.id == source_id).values(text=text_value)
        )
        self.public = True
        self.audit("source.attach_text", source_id, {"chars": len(text_value)})

    def add_statements(self, statements: Sequence[Statement]) -> int:
        """Insert the statements not stored yet (ids are deterministic); returns how many.
        Each new one was first and last seen now; an importer of a newer release of its
        dataset marks those it still holds with `mark_seen`."""
        return len(self.insert_new(statements))

    def insert_new(self, statements: Sequence[Statement]) -> list[Statement]:
        """Insert the statements not stored yet; returns those it inserted."""
        fresh = self._unseen(statements)
        if not fresh:
            return []
        self._ensure_entities((s.entity_id, s.schema_name) for s in fresh)
        self.conn.execute(insert(tables.statements), [self._row(s) for s in fresh])
        for s in fresh:
            self.audit(
                "statement.add",
                s.entity_id,
                {"statement": s.id, "prop": s.prop, "value": s.value, "status": s.status.value},
            )
        self.touch(s.entity_id for s in fresh if s.status == Status.ACCEPTED)
        self.datasets_used.update(s.dataset for s in fresh)
        return fresh

    def import_rows(self, rows: Sequence[dict[str, Any]], at: str) -> tuple[set[str], int]:
        """A release's statement rows (built by an importer, checked already): those not
        stored yet are inserted, those stored are seen again (and, if an earlier release
        had dropped them, accepted again). One audit record per entity, not per fact.
        `at` is the release's import time (the rows' first and last seen). Returns the ids
        inserted and how many were seen again."""
        st = tables.statements
        by_id = {r["id"]: r for r in rows}
        known: dict[str, str] = {}
        for chunk in chunks(list(by_id)):
            for sid, status, last in self.conn.execute(
                select(st.c.id, st.c.status, st.c.last_seen).where(st.c.id.in_(chunk))
            ):
                if last != at:  # not one this release wrote or saw in an earlier batch
                    known[sid] = status
                else:
                    del by_id[sid]
        fresh = [r for sid, r in by_id.items() if sid not in known]
        self._ensure_entities((r["entity_id"], r["schema"]) for r in fresh)
        for i in range(0, len(fresh), 2000):
            insert_many(self.conn, st, fresh[i : i + 2000])
        self.mark_seen(list(known), at)
        back = [sid for sid, status in known.items() if status == Status.RETIRED.value]
        for chunk in chunks(back):
            self.conn.execute(
                update(st).where(st.c.id.in_(chunk)).values(status=Status.ACCEPTED.value)
            )
        changed: dict[str, list[str]] = {}
        for r in fresh:
            changed.setdefault(r["entity_id"], []).append(r["id"])
        for entity, ids in changed.items():
            self.audit("statement.add", entity, {"statements": ids, "dataset": fresh[0]["dataset"]})
        self.touch(changed)
        self.touch(by_id[sid]["entity_id"] for sid in back)
        self.datasets_used.update(r["dataset"] for r in fresh)
        return {r["id"] for r in fresh}, len(known)

    def retire_unseen(self, dataset: str, since: str) -> list[dict[str, Any]]:
        """Accepted statements of the dataset that its release imported at `since` no longer
        holds: retired (nothing is deleted), and returned."""
        st = tables.statements
        query = select(st.c.id, st.c.entity_id, st.c.prop, st.c.value).where(
            st.c.dataset == dataset,
            st.c.status == Status.ACCEPTED.value,
            st.c.last_seen < since,
        )
        gone = [plain(r) for r in self.conn.execute(query).mappings()]
        for chunk in chunks([g["id"] for g in gone]):
            self.conn.execute(
                update(st).where(st.c.id.in_(chunk)).values(status=Status.RETIRED.value)
            )
        if gone:
            self.audit("dataset.retire", f"dataset:{dataset}", {"statements": len(gone)})
            self.touch(g["entity_id"] for g in gone)
        return gone

    def first_seen_at(
        self, dataset: str, at: str, pairs: Iterable[tuple[str, str]]
    ) -> Counter[tuple[str, str]]:
        """How many of the dataset's statements first seen at `at` each (entity, property)
        pair has: what a release added to the values it changed."""
        st = tables.statements
        wanted = set(pairs)
        found: Counter[tuple[str, str]] = Counter()
        for chunk in chunks(sorted({entity for entity, _prop in wanted})):
            rows = self.conn.execute(
                select(st.c.entity_id, st.c.prop, func.count())
                .where(st.c.entity_id.in_(chunk), st.c.dataset == dataset)
                .where(st.c.first_seen == at)
                .group_by(st.c.entity_id, st.c.prop)
            )
            for entity, prop, n in rows:
                if (entity, prop) in wanted:
                    found[(entity, prop)] = int(n)
        return found

    def mark_seen(self, ids: Sequence[str], at: str | None = None) -> None:
        """A new release of their dataset still contains them (bookkeeping, not a change
        of any fact): what it no longer contains keeps an older last_seen."""
        st = tables.statements
        for chunk in chunks(sorted(set(ids))):
            self.conn.execute(
                update(st).where(st.c.id.in_(chunk)).values(last_seen=at or self.began)
            )

    def set_status(
        self, statement_id: str, old: str, new: str, actor: str, superseded_by: str | None = None
    ) -> bool:
        """Move one statement from `old` to `new` (False when it was no longer `old`)."""
        st = tables.statements
        done = self.conn.execute(
            update(st)
            .where(st.c.id == statement_id, st.c.status == old)
            .values(status=new, reviewer=actor, reviewed_at=self.began, superseded_by=superseded_by)
        )
        if done.rowcount != 1:
            return False
        if Status.ACCEPTED.value in (old, new):
            entity = self.conn.execute(
                select(st.c.entity_id).where(st.c.id == statement_id)
            ).scalar_one()
            self.touch([entity])
        return True

    def _row(self, s: Statement) -> dict[str, Any]:
        row = s.model_dump()
        row["schema"] = row.pop("schema_name")
        row["status"] = s.status.value
        row["first_seen"] = s.first_seen or self.began
        row["last_seen"] = s.last_seen or self.began
        return row

    def _unseen(self, statements: Sequence[Statement]) -> list[Statement]:
        unique = {s.id: s for s in statements}
        seen: set[str] = set()
        for chunk in chunks(list(unique)):
            seen.update(
                self.conn.execute(
                    select(tables.statements.c.id).where(tables.statements.c.id.in_(chunk))
                ).scalars()
            )
        return [s for sid, s in unique.items() if sid not in seen]

    def _ensure_entities(self, pairs: Iterable[tuple[str, str]]) -> None:
        wanted = dict(pairs)
        known: dict[str, str] = {}
        for chunk in chunks(list(wanted)):
            known.update(
                self.conn.execute(
                    select(tables.entities.c.id, tables.entities.c.schema).where(
                        tables.entities.c.id.in_(chunk)
                    )
                ).all()
            )
        for entity_id, schema in wanted.items():
            if entity_id in known and known[entity_id] != schema:
                raise ValueError(f"{entity_id} is a {known[entity_id]}, not a {schema}")
        new = [
            {"id": e, "schema": s, "created_at": self.began, "canonical_id": e}
            for e, s in wanted.items()
            if e not in known
        ]
        insert_many(self.conn, tables.entities, new)
