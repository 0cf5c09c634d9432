"""SqlStore: the one store, on SQLite or PostgreSQL, chosen by the database URL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, distinct, func, inspect, select

from custodiet.model.errors import StoreError
from custodiet.model.source import Source
from custodiet.model.statement import Statement, Status
from custodiet.store import migrate, tables
from custodiet.store.audit import AuditRecord
from custodiet.store.engine import WRITE_OPTION, make_engine
from custodiet.store.search import SearchHit, search
from custodiet.store.writer import Writer


class SqlStore:
    def __init__(self, url: str, *, create: bool = False) -> None:
        self.url = url
        self.engine: Engine = make_engine(url, create=create)
        if not create:
            self._check_schema()

    def close(self) -> None:
        if self.engine.dialect.name == "sqlite":
            # SQLite's advice before closing: refresh the planner's statistics where they
            # are stale. Without them it may prefer the status index to (prop, value).
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- schema ------------------------------------------------------------------
    def initialise(self) -> None:
        """Create or upgrade the tables (idempotent)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                migrate.upgrade(conn)
        with self.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")

    def _check_schema(self) -> None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                raise StoreError(
                    f"{self.engine.url!r} is not a Custodiet database; run `custodiet init` first"
                )
            current = migrate.current_revision(conn)
        if current != migrate.head_revision():
            raise StoreError(
                f"database schema is at {current}, this Custodiet needs "
                f"{migrate.head_revision()}; run `custodiet init` to upgrade"
            )

    # --- writes ------------------------------------------------------------------
    @contextmanager
    def transaction(self, *, actor: str, reason: str) -> Iterator[Writer]:
        """One transaction: on any error nothing of it stays, audit records included."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                writer = Writer(conn, actor=actor, reason=reason)
                yield writer
                writer.flush()

    # --- reads -------------------------------------------------------------------
    def data_version(self) -> int:
        """The audit log's last sequence number: every write appends to it, so a reader
        whose version still matches has seen every change."""
        with self.engine.connect() as conn:
            last = conn.execute(select(func.max(tables.audit_log.c.seq))).scalar_one()
        return int(last or 0)

    def stats(self) -> dict[str, Any]:
        st = tables.statements
        accepted = st.c.status == Status.ACCEPTED.value
        with self.engine.connect() as conn:
            sources = conn.execute(select(func.count()).select_from(tables.sources)).scalar_one()
            by_status: dict[str, int] = dict(
                conn.execute(select(st.c.status, func.count()).group_by(st.c.status)).all()
            )
            by_schema: dict[str, int] = dict(
                conn.execute(
                    select(st.c.schema, func.count(distinct(st.c.entity_id)))
                    .where(accepted)
                    .group_by(st.c.schema)
                ).all()
            )
            countries = conn.execute(
                select(func.count(distinct(st.c.value))).where(
                    accepted, st.c.schema == "Deployment", st.c.prop == "buyer_country"
                )
            ).scalar_one()
        return {
            "sources": sources,
            "statements": {s.value: by_status.get(s.value, 0) for s in Status},
            "entities": dict(sorted(by_schema.items())),
            "countries_with_deployments": countries,
        }

    def entity_schema(self, entity_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
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
        with self.engine.connect() as conn:
            return [statement_from_row(r) for r in conn.execute(query).mappings()]

    def statements_of_many(self, entity_ids: Sequence[str]) -> dict[str, list[Statement]]:
        """Accepted statements of several entities in one query."""
        st = tables.statements
        query = (
            select(st)
            .where(st.c.entity_id.in_(list(set(entity_ids))), st.c.status == Status.ACCEPTED.value)
            .order_by(st.c.entity_id, st.c.prop, st.c.value)
        )
        out: dict[str, list[Statement]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                out.setdefault(row["entity_id"], []).append(statement_from_row(row))
        return out

    def referring_to(
        self, values: Sequence[str], props: Sequence[str], skip: Sequence[str] = ()
    ) -> list[Statement]:
        """Accepted statements whose reference-typed property holds one of the values,
        less those of the schemas in `skip`."""
        st = tables.statements
        query = select(st).where(
            st.c.value.in_(values),
            st.c.prop.in_(props),
            st.c.status == Status.ACCEPTED.value,
            st.c.schema.not_in(list(skip)),
        )
        # Sorted here, not in SQL: an ORDER BY entity_id steers SQLite away from the
        # (prop, value) index and onto a scan of the whole table.
        with self.engine.connect() as conn:
            found = [statement_from_row(r) for r in conn.execute(query).mappings()]
        return sorted(found, key=lambda s: (s.entity_id, s.prop, s.value))

    def sources_by_id(self, ids: Sequence[str]) -> dict[str, Source]:
        query = select(tables.sources).where(tables.sources.c.id.in_(list(set(ids))))
        with self.engine.connect() as conn:
            return {r["id"]: _source(r) for r in conn.execute(query).mappings()}

    def source_summaries(self, ids: Sequence[str]) -> list[dict[str, str | None]]:
        """What a list of sources shows (never the text), in the order of `ids`."""
        so = tables.sources
        columns = (so.c.id, so.c.url, so.c.title, so.c.publisher, so.c.published)
        wanted = list(dict.fromkeys(ids))
        found: dict[str, dict[str, str | None]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                query = select(*columns).where(so.c.id.in_(wanted[i : i + 500]))
                found |= {r["id"]: dict(r) for r in conn.execute(query).mappings()}
        return [found[i] for i in wanted if i in found]

    def iter_statements(self, statuses: Sequence[Status]) -> Iterator[tuple[Statement, str | None]]:
        """Statements in a stable order, each with its source's URL; streamed, not loaded."""
        st, so = tables.statements, tables.sources
        query = (
            select(st, so.c.url.label("source_url"))
            .join(so, so.c.id == st.c.source_id, isouter=True)
            .where(st.c.status.in_([s.value for s in statuses]))
            .order_by(st.c.entity_id, st.c.prop, st.c.id)
        )
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query).mappings():
                yield statement_from_row(row), row["source_url"]

    def iter_sources_with_text(self) -> Iterator[Source]:
        query = select(tables.sources).where(tables.sources.c.text.is_not(None))
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=100).execute(query).mappings():
                yield _source(row)

    def audit_records(self) -> Iterator[AuditRecord]:
        query = select(tables.audit_log).order_by(tables.audit_log.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query).mappings():
                yield AuditRecord.from_row(row)

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        with self.engine.connect() as conn:
            return search(conn, text, limit=limit)


def statement_from_row(row: Any) -> Statement:
    data = {c.name: row[c.name] for c in tables.statements.columns}
    return Statement.model_validate(data)


def _source(row: Any) -> Source:
    return Source.model_validate({k: row[k] for k in Source.model_fields})
